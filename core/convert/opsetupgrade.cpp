#include "core/convert/opsetupgrade.h"

#include "core/model/nodeattributes.h"
#include "core/model/qonnxschemas.h"
#include "core/util/error.h"

#include <onnx/defs/schema.h>
#include <optional>
#include <set>

namespace qs {
namespace {

using onnx::TensorProto;

// Ops whose schema changes up to opset 13 (Reduce*: up to 17) only add types, attributes with the old
// behaviour as default, optional inputs or negative axes: a valid node keeps its meaning unchanged.
const std::set<std::string>& additiveOps()
{
    static const std::set<std::string> ops = {
        "Abs",
        "Acos",
        "Add",
        "And",
        "ArgMax",
        "ArgMin",
        "Asin",
        "Atan",
        "AveragePool",
        "Cast",
        "Ceil",
        "Concat",
        "Constant",
        "ConstantOfShape",
        "Conv",
        "ConvTranspose",
        "Cos",
        "CumSum",
        "DepthToSpace",
        "DequantizeLinear",
        "Div",
        "Einsum",
        "Elu",
        "Equal",
        "Erf",
        "Exp",
        "Expand",
        "Flatten",
        "Floor",
        "GRU",
        "Gather",
        "GatherElements",
        "GatherND",
        "Gemm",
        "GlobalAveragePool",
        "GlobalMaxPool",
        "Greater",
        "GreaterOrEqual",
        "HardSigmoid",
        "Identity",
        "InstanceNormalization",
        "IsInf",
        "IsNaN",
        "LRN",
        "LSTM",
        "LeakyRelu",
        "Less",
        "LessOrEqual",
        "Log",
        "MatMul",
        "MatMulInteger",
        "Max",
        "MaxPool",
        "Mean",
        "Min",
        "Mod",
        "Mul",
        "Neg",
        "NonZero",
        "Not",
        "OneHot",
        "Or",
        "PRelu",
        "Pow",
        "QuantizeLinear",
        "RNN",
        "Range",
        "Reciprocal",
        "ReduceL1",
        "ReduceL2",
        "ReduceLogSum",
        "ReduceLogSumExp",
        "ReduceMax",
        "ReduceMean",
        "ReduceMin",
        "ReduceProd",
        "ReduceSumSquare",
        "Relu",
        "Reshape",
        "Round",
        "ScatterElements",
        "ScatterND",
        "Selu",
        "Shape",
        "Sigmoid",
        "Sign",
        "Sin",
        "Size",
        "Softplus",
        "Softsign",
        "SpaceToDepth",
        "Sqrt",
        "Sub",
        "Sum",
        "Tanh",
        "Tile",
        "Transpose",
        "Where",
        "Xor",
    };
    return ops;
}

std::string describe(const NodeInfo& node)
{
    return "'" + node.name + "' (" + node.opType + ")";
}

bool crosses(int oldSince, int target, int version)
{
    return oldSince < version && target >= version;
}

class Upgrader {
public:
    Upgrader(const ModelDocument& doc, GraphRewriter* rewriter, int from, int to, OpsetUpgrade& result)
        : doc_(doc)
        , rewriter_(rewriter)
        , from_(from)
        , to_(to)
        , result_(result)
    {
    }

    void run()
    {
        for (NodeId id = 0; id < doc_.graph().nodeCount(); ++id) {
            const NodeInfo& info = doc_.node(id);
            if (!info.domain.empty() && info.domain != "ai.onnx")
                continue;
            onnx::NodeProto node = doc_.nodeProto(id);
            change_.clear();
            if (const auto blocker = upgrade(id, info, node)) {
                result_.blockers.push_back(describe(info) + ": " + *blocker);
                continue;
            }
            if (change_.empty())
                continue;
            result_.changes.push_back({info.name, info.opType, change_});
            if (rewriter_)
                rewriter_->node(id) = std::move(node);
        }
    }

private:
    std::optional<std::string> upgrade(NodeId id, const NodeInfo& info, onnx::NodeProto& node)
    {
        for (const auto& a : node.attribute())
            if (a.has_g() || a.graphs_size() > 0)
                return std::string("nodes with subgraphs are not upgraded");
        const auto* oldSchema = onnx::OpSchemaRegistry::Schema(info.opType, from_, "");
        const auto* newSchema = onnx::OpSchemaRegistry::Schema(info.opType, to_, "");
        if (!oldSchema)
            return "no ONNX schema at opset " + std::to_string(from_);
        if (info.opType == "Upsample")
            return upsampleToResize(id, node);
        if (!newSchema || newSchema->Deprecated())
            return "removed or deprecated at opset " + std::to_string(to_);
        const int since = oldSchema->since_version();
        if (since == newSchema->since_version())
            return std::nullopt;
        const std::string& op = info.opType;
        // Ops with a handler: it rewrites the node when the range crosses a breaking version; their
        // other schema changes up to 13 are additive.
        std::optional<std::string> blocker;
        if (op == "Clip") {
            if (crosses(since, to_, 11))
                blocker = attributesToInputs(id, node, {{"min", 1}, {"max", 2}}, Bound::Data);
        } else if (op == "Pad") {
            if (crosses(since, to_, 11))
                blocker = padToInputs(id, node);
        } else if (op == "Squeeze" || op == "Unsqueeze" || op == "ReduceSum" || op == "Split") {
            if (crosses(since, to_, 13))
                blocker = attributesToInputs(id, node, {{op == "Split" ? "split" : "axes", 1}}, Bound::Ints);
        } else if (op.rfind("Reduce", 0) == 0 && crosses(since, to_, 18)) { // the others moved at 18
            blocker = attributesToInputs(id, node, {{"axes", 1}}, Bound::Ints);
        } else if (op == "Softmax" || op == "LogSoftmax" || op == "Hardmax") {
            if (crosses(since, to_, 13))
                blocker = softmaxAxis(id, node);
        } else if (op == "Slice") {
            if (crosses(since, to_, 10))
                blocker
                    = attributesToInputs(id, node, {{"starts", 1}, {"ends", 2}, {"axes", 3}}, Bound::Ints);
        } else if (op == "TopK") {
            if (crosses(since, to_, 10))
                blocker = attributesToInputs(id, node, {{"k", 1}}, Bound::Ints);
        } else if (op == "Resize") {
            if (crosses(since, to_, 11))
                blocker = resize10To11(id, node);
        } else if (op == "Dropout") {
            if (crosses(since, to_, 10) || crosses(since, to_, 12))
                blocker = dropoutRatio(id, node);
        } else if (op == "BatchNormalization") {
            if (to_ >= 14)
                return std::string("training outputs changed at opset 14");
            if (crosses(since, to_, 9))
                blocker = batchNormSpatial(node);
        } else if (!additiveOps().count(op)) {
            return "changed at opset " + std::to_string(newSchema->since_version())
                + " and Quantscope does not know how to upgrade it";
        }
        if (blocker)
            return blocker;
        return checkAgainst(*newSchema, node);
    }

    // After the rewrite the node must fit the new schema: no stale attribute, not too many inputs.
    std::optional<std::string> checkAgainst(const onnx::OpSchema& schema, const onnx::NodeProto& node)
    {
        for (const auto& a : node.attribute())
            if (!schema.attributes().count(a.name()))
                return "attribute '" + a.name() + "' does not exist at opset " + std::to_string(to_);
        if (node.input_size() > schema.max_input())
            return std::to_string(node.input_size()) + " inputs, opset " + std::to_string(to_) + " allows "
                + std::to_string(schema.max_input());
        return std::nullopt;
    }

    std::string addInitializer(const std::string& base, const Tensor& value, int elemType)
    {
        return rewriter_ ? rewriter_->addInitializer(base, value, elemType) : base;
    }

    int inputType(NodeId id, std::size_t slot) const
    {
        const auto& inputs = doc_.node(id).inputs;
        const int t = slot < inputs.size() && inputs[slot] >= 0 ? doc_.tensor(inputs[slot]).elemType : 0;
        return t == 0 ? int(TensorProto::FLOAT) : t;
    }

    enum class Bound { Data, Ints }; // a scalar of the data type, or an int64 vector

    // Moves attributes to (optional) inputs at the given slots; skipped slots become "".
    std::optional<std::string> attributesToInputs(
        NodeId id, onnx::NodeProto& node, std::vector<std::pair<std::string, int>> moves, Bound kind)
    {
        const int dataType = inputType(id, 0);
        std::vector<std::string> moved;
        for (const auto& [attribute, slot] : moves) {
            const auto* a = findAttribute(node, attribute);
            if (!a)
                continue;
            if (slot < node.input_size() && !node.input(slot).empty())
                return "has both attribute '" + attribute + "' and input " + std::to_string(slot);
            Tensor value;
            int type = TensorProto::INT64;
            if (kind == Bound::Ints) {
                const auto ints = a->type() == onnx::AttributeProto::INT ? std::vector<std::int64_t> {a->i()}
                                                                         : *intsAttribute(node, attribute);
                value = Tensor::fromInt64s({static_cast<std::int64_t>(ints.size())}, ints);
            } else if (dataType == TensorProto::FLOAT || dataType == TensorProto::DOUBLE) {
                value = dataType == TensorProto::DOUBLE ? Tensor::fromDoubles({}, {a->f()})
                                                        : Tensor::scalar(a->f());
                type = dataType;
            } else {
                return "attribute '" + attribute + "' on data of ONNX type " + std::to_string(dataType)
                    + " is not moved to an input";
            }
            const std::string name = addInitializer(node.name() + "_" + attribute, value, type);
            while (node.input_size() <= slot)
                node.add_input("");
            node.set_input(slot, name);
            removeAttribute(node, attribute);
            moved.push_back(attribute);
        }
        for (const auto& m : moved)
            change_ += (change_.empty() ? "" : ", ") + m + " attribute -> input";
        return std::nullopt;
    }

    std::optional<std::string> padToInputs(NodeId id, onnx::NodeProto& node)
    {
        if (findAttribute(node, "paddings"))
            return std::string("Pad-1 'paddings' attribute is not upgraded");
        if (stringAttribute(node, "mode").value_or("constant") != "constant")
            removeAttribute(node, "value"); // only meaningful in constant mode
        if (auto blocker = attributesToInputs(id, node, {{"pads", 1}}, Bound::Ints))
            return blocker;
        return attributesToInputs(id, node, {{"value", 2}}, Bound::Data);
    }

    std::optional<std::string> softmaxAxis(NodeId id, onnx::NodeProto& node)
    {
        const auto& dims = doc_.tensor(doc_.node(id).inputs.at(0)).dims;
        if (!dims)
            return std::string("axis semantics changed at opset 13 and the input rank is unknown");
        const auto rank = static_cast<std::int64_t>(dims->size());
        std::int64_t axis = intAttribute(node, "axis").value_or(1);
        if (axis < 0)
            axis += rank;
        // Old: softmax over the flattened dims [axis, rank); new: over `axis` only. Same when nothing
        // follows `axis` but size-1 dims.
        bool same = axis >= 0 && axis < rank;
        for (std::int64_t d = axis + 1; same && d < rank; ++d)
            same = (*dims)[static_cast<std::size_t>(d)].value == 1;
        if (!same)
            return "axis semantics changed at opset 13 (input rank " + std::to_string(rank) + ", axis "
                + std::to_string(axis) + " is not the last non-trivial dim)";
        setIntAttribute(node, "axis", axis);
        change_ = "axis " + std::to_string(axis) + " made explicit (same result under opset-13 semantics)";
        return std::nullopt;
    }

    // Resize-10 / Upsample semantics (asymmetric coordinates; nearest is floor for scales >= 1) as
    // Resize-11+ inputs (X, roi, scales) and attributes.
    std::optional<std::string> asResize11(
        onnx::NodeProto& node, const std::string& scalesName, const std::vector<float>& scales)
    {
        const std::string mode = stringAttribute(node, "mode").value_or("nearest");
        if (mode != "nearest" && mode != "linear")
            return "mode '" + mode + "' is not upgraded";
        for (float s : scales)
            if (!(s >= 1.0f))
                return std::string("downsampling scales are not upgraded");
        node.set_op_type("Resize");
        node.mutable_input()->DeleteSubrange(1, node.input_size() - 1);
        node.add_input(to_ >= 13
                ? std::string()
                : addInitializer(node.name() + "_roi", Tensor::fromFloats({0}, {}), TensorProto::FLOAT));
        node.add_input(scalesName);
        setStringAttribute(node, "coordinate_transformation_mode", "asymmetric");
        if (mode == "nearest")
            setStringAttribute(node, "nearest_mode", "floor");
        return std::nullopt;
    }

    std::optional<std::vector<float>> constantFloats(NodeId id, std::size_t slot) const
    {
        const auto& inputs = doc_.node(id).inputs;
        if (slot >= inputs.size() || inputs[slot] < 0)
            return std::nullopt;
        const auto value = doc_.constantValue(inputs[slot]);
        if (!value)
            return std::nullopt;
        std::vector<float> out;
        for (double v : value->toDoubles())
            out.push_back(static_cast<float>(v));
        return out;
    }

    std::optional<std::string> resize10To11(NodeId id, onnx::NodeProto& node)
    {
        const auto scales = constantFloats(id, 1);
        if (!scales)
            return std::string("scales are not constant");
        change_ = "inputs (X, roi, scales), asymmetric coordinates kept explicitly";
        return asResize11(node, node.input(1), *scales);
    }

    std::optional<std::string> upsampleToResize(NodeId id, onnx::NodeProto& node)
    {
        if (to_ < 10)
            return std::nullopt;
        std::vector<float> scales;
        std::string scalesName;
        if (const auto* a = findAttribute(node, "scales")) { // Upsample-7
            scales.assign(a->floats().begin(), a->floats().end());
            scalesName = addInitializer(node.name() + "_scales",
                Tensor::fromFloats({static_cast<std::int64_t>(scales.size())}, scales), TensorProto::FLOAT);
            removeAttribute(node, "scales");
        } else if (const auto s = constantFloats(id, 1)) {
            scales = *s;
            scalesName = node.input(1);
        } else {
            return std::string("scales are not constant");
        }
        if (to_ == 10) { // Resize-10 has Upsample's semantics and (X, scales) inputs
            node.set_op_type("Resize");
            node.mutable_input()->DeleteSubrange(1, node.input_size() - 1);
            node.add_input(scalesName);
            change_ = "Upsample -> Resize";
            return std::nullopt;
        }
        change_ = "Upsample -> Resize (asymmetric coordinates)";
        return asResize11(node, scalesName, scales);
    }

    std::optional<std::string> dropoutRatio(NodeId id, onnx::NodeProto& node)
    {
        const NodeInfo& info = doc_.node(id);
        if (info.outputs.size() > 1 && info.outputs[1] >= 0
            && !doc_.tensor(info.outputs[1]).consumers.empty())
            return std::string("the mask output is used and changed type");
        removeAttribute(node, "is_test");
        if (to_ < 12)
            return std::nullopt;
        return attributesToInputs(id, node, {{"ratio", 1}}, Bound::Data);
    }

    std::optional<std::string> batchNormSpatial(onnx::NodeProto& node)
    {
        if (const auto spatial = intAttribute(node, "spatial")) {
            if (*spatial != 1)
                return std::string("spatial=0 has no equivalent from opset 9");
            removeAttribute(node, "spatial");
            change_ = "attribute spatial=1 removed (the only behaviour from opset 9)";
        }
        return std::nullopt;
    }

    const ModelDocument& doc_;
    GraphRewriter* rewriter_;
    int from_;
    int to_;
    OpsetUpgrade& result_;
    std::string change_;
};

OpsetUpgrade run(const ModelDocument& doc, GraphRewriter* rewriter, int target)
{
    registerQonnxSchemas();
    OpsetUpgrade result;
    result.from = doc.opsetVersion("");
    result.to = target;
    if (result.from < 0 || result.from >= target)
        return result;
    Upgrader(doc, rewriter, result.from, target, result).run();
    return result;
}

} // namespace

int minimumIrVersion(int defaultOpset)
{
    if (defaultOpset <= 8)
        return 3;
    if (defaultOpset <= 11)
        return defaultOpset - 5; // 9 -> 4, 10 -> 5, 11 -> 6
    if (defaultOpset <= 14)
        return 7;
    if (defaultOpset <= 18)
        return 8;
    if (defaultOpset <= 20)
        return 9;
    return 10;
}

OpsetUpgrade planOpsetUpgrade(const ModelDocument& doc, int target)
{
    return run(doc, nullptr, target);
}

OpsetUpgrade applyOpsetUpgrade(const ModelDocument& doc, GraphRewriter& rewriter, int target)
{
    const OpsetUpgrade plan = planOpsetUpgrade(doc, target);
    if (!plan.possible()) {
        std::string message = "cannot raise the default opset to " + std::to_string(target) + ":";
        for (const auto& b : plan.blockers)
            message += " " + b + ";";
        throw Error(message);
    }
    OpsetUpgrade result = run(doc, &rewriter, target);
    auto& model = rewriter.model();
    const int previous = setOpsetImport(model, "", target);
    if (previous != target)
        result.opsetChanges.push_back({"ai.onnx", previous, target});
    const int ir = minimumIrVersion(target);
    if (model.ir_version() < ir) {
        result.opsetChanges.push_back({"ir_version", static_cast<int>(model.ir_version()), ir});
        model.set_ir_version(ir);
    }
    return result;
}

} // namespace qs
