// Raising the default opset is only safe when no op of the model changes meaning. Between opsets
// most ops are re-versioned just to accept more element types (bfloat16 in 13, integer Clip in 12);
// others change their interface or semantics (Softmax 13, Squeeze/Unsqueeze/Split/ReduceSum 13 move
// attributes to inputs, Dropout 12 moves ratio to an input, Resize 13). Only the first kind is allowed.
#include "core/edit/cleanexport.h"
#include "core/model/qonnxschemas.h"
#include "core/util/error.h"

#include <onnx/defs/schema.h>
#include <set>

namespace qs {
namespace {

// Ops whose versions up to 13 only add element types or attributes whose defaults keep the old
// behaviour (ArgMax select_last_index, GatherND batch_dims, QuantizeLinear axis, Reshape allowzero).
const std::set<std::string>& typeOnlyRevisions()
{
    static const std::set<std::string> ops = {"Abs", "Add", "ArgMax", "ArgMin", "Cast", "Ceil", "Clip",
        "Concat", "Constant", "DequantizeLinear", "Div", "Equal", "Erf", "Exp", "Expand", "Flatten", "Floor",
        "Gather", "GatherElements", "GatherND", "Gemm", "Greater", "Identity", "Less", "Log", "MatMul", "Max",
        "MaxPool", "Min", "Mul", "Neg", "Pad", "Pow", "QuantizeLinear", "Reciprocal", "ReduceMax",
        "ReduceMin", "Relu", "Reshape", "Shape", "Sigmoid", "Sign", "Size", "Slice", "Sqrt", "Sub", "Tanh",
        "Tile", "Transpose"};
    return ops;
}

int defaultOpset(const onnx::ModelProto& model)
{
    for (const auto& o : model.opset_import())
        if (o.domain().empty() || o.domain() == "ai.onnx")
            return static_cast<int>(o.version());
    return -1;
}

} // namespace

std::vector<std::string> opsetRaiseConflicts(const onnx::ModelProto& model, int version)
{
    registerQonnxSchemas();
    const int from = defaultOpset(model);
    std::set<std::string> conflicts;
    for (const auto& node : model.graph().node()) {
        if (!(node.domain().empty() || node.domain() == "ai.onnx"))
            continue;
        const auto* before = onnx::OpSchemaRegistry::Schema(node.op_type(), from, "");
        const auto* after = onnx::OpSchemaRegistry::Schema(node.op_type(), version, "");
        if (!before || !after) {
            conflicts.insert(
                node.op_type() + " (unknown at opset " + std::to_string(before ? version : from) + ")");
            continue;
        }
        if (before->since_version() != after->since_version()
            && (!typeOnlyRevisions().count(node.op_type()) || version > 13))
            conflicts.insert(node.op_type() + " (" + std::to_string(before->since_version()) + " -> "
                + std::to_string(after->since_version()) + ")");
    }
    return {conflicts.begin(), conflicts.end()};
}

void raiseDefaultOpset(onnx::ModelProto& model, int version, std::vector<std::string>& actions)
{
    const int from = defaultOpset(model);
    if (from < 0)
        throw Error("the model imports no default opset to raise");
    if (version <= from) {
        actions.push_back("default opset is already " + std::to_string(from));
        return;
    }
    const std::vector<std::string> conflicts = opsetRaiseConflicts(model, version);
    if (!conflicts.empty()) {
        std::string list;
        for (const std::string& c : conflicts)
            list += (list.empty() ? "" : ", ") + c;
        throw Error("raising the opset from " + std::to_string(from) + " to " + std::to_string(version)
            + " would change these ops: " + list);
    }
    for (auto& o : *model.mutable_opset_import())
        if (o.domain().empty() || o.domain() == "ai.onnx")
            o.set_version(version);
    actions.push_back(
        "raised the default opset from " + std::to_string(from) + " to " + std::to_string(version));
}

} // namespace qs
