#include "core/model/shapeinference.h"

#include "core/model/constantevaluator.h"
#include "core/model/qonnxschemas.h"
#include "core/model/tensordata.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>
#include <set>

namespace qs {
namespace {

void declareUsedCustomDomains(onnx::ModelProto& copy, std::vector<std::string>& diagnostics)
{
    std::set<std::string> declared;
    for (const auto& opset : copy.opset_import())
        declared.insert(opset.domain() == "ai.onnx" ? "" : opset.domain());
    std::set<std::string> used;
    for (const auto& node : copy.graph().node())
        used.insert(node.domain() == "ai.onnx" ? "" : node.domain());
    for (const std::string& domain : used) {
        if (declared.count(domain))
            continue;
        auto* opset = copy.add_opset_import();
        opset->set_domain(domain);
        opset->set_version(1);
        diagnostics.push_back("domain '" + (domain.empty() ? std::string("ai.onnx") : domain)
            + "' is used but not declared in opset_import; assuming version 1");
    }
}

void collect(const onnx::ValueInfoProto& info, ShapeInferenceReport& report)
{
    if (!info.type().has_tensor_type())
        return;
    InferredType& t = report.types[info.name()];
    if (info.type().tensor_type().elem_type() != 0)
        t.elemType = info.type().tensor_type().elem_type();
    auto dims = dimsFromType(info.type());
    if (dims && (!t.dims || t.dims->size() == dims->size()))
        t.dims = std::move(dims);
}

void collectAll(const onnx::ModelProto& copy, ShapeInferenceReport& report)
{
    report.types.clear();
    for (const auto& v : copy.graph().input())
        collect(v, report);
    for (const auto& v : copy.graph().value_info())
        collect(v, report);
    for (const auto& v : copy.graph().output())
        collect(v, report);
}

bool inferOnce(onnx::ModelProto& copy, std::string& error)
{
    try {
        onnx::ShapeInferenceOptions options(/*check_type=*/false, /*error_mode=*/0, /*data_prop=*/true);
        onnx::shape_inference::InferShapes(copy, onnx::OpSchemaRegistry::Instance(), options);
        return true;
    } catch (const std::exception& e) {
        error = e.what();
        return false;
    }
}

// Replaces Shape nodes of statically known tensors by initializers and evaluates the small constant
// subgraphs behind them (Gather, Unsqueeze, Concat, ...), so that a following Reshape gets a constant
// shape. Old exporters flatten with such chains and onnx's data propagation does not cover them all.
bool foldShapeSubgraphs(onnx::ModelProto& copy, const ShapeInferenceReport& report)
{
    auto* graph = copy.mutable_graph();
    bool changed = false;
    for (auto& node : *graph->mutable_node()) {
        if (node.op_type() != "Shape" || !(node.domain().empty() || node.domain() == "ai.onnx")
            || node.input_size() != 1)
            continue;
        const auto it = report.types.find(node.input(0));
        if (it == report.types.end() || !it->second.dims)
            continue;
        std::vector<std::int64_t> dims;
        for (const Dim& d : *it->second.dims)
            dims.push_back(d.value);
        if (std::any_of(dims.begin(), dims.end(), [](std::int64_t d) { return d < 0; }))
            continue;
        std::int64_t rank = static_cast<std::int64_t>(dims.size()), start = 0, end = rank;
        for (const auto& a : node.attribute()) {
            if (a.name() == "start")
                start = a.i() < 0 ? std::max<std::int64_t>(0, a.i() + rank) : std::min(a.i(), rank);
            if (a.name() == "end")
                end = a.i() < 0 ? std::max<std::int64_t>(0, a.i() + rank) : std::min(a.i(), rank);
        }
        auto* init = graph->add_initializer();
        init->set_name(node.output(0));
        init->set_data_type(onnx::TensorProto::INT64);
        init->add_dims(std::max<std::int64_t>(0, end - start));
        for (std::int64_t i = start; i < end; ++i)
            init->add_int64_data(dims[static_cast<std::size_t>(i)]);
        node.set_op_type("__folded__");
        changed = true;
    }
    if (!changed)
        return false;
    auto removeFolded = [graph] {
        auto* nodes = graph->mutable_node();
        nodes->erase(std::remove_if(nodes->begin(), nodes->end(),
                         [](const onnx::NodeProto& n) { return n.op_type() == "__folded__"; }),
            nodes->end());
    };
    removeFolded();
    // Fold the small constant subgraphs that now hang off the new initializers.
    try {
        const GraphIndex index = GraphIndex::build(*graph, std::numeric_limits<std::int64_t>::max());
        ConstantEvaluator constants(*graph, index, {});
        std::vector<std::pair<int, Tensor>> folded;
        for (NodeId id : index.topologicalOrder()) {
            const NodeInfo& node = index.node(id);
            if (node.outputs.size() != 1 || node.outputs[0] < 0 || !index.tensor(node.outputs[0]).isConstant)
                continue;
            if (auto value = constants.value(node.outputs[0]); value && value->size() <= 64)
                folded.emplace_back(id, std::move(*value));
        }
        for (auto& [id, value] : folded) {
            auto& node = *graph->mutable_node(id);
            auto* init = graph->add_initializer();
            init->set_name(node.output(0));
            tensorToProto(value, onnxTypeFromDType(value.dtype()), *init);
            node.set_op_type("__folded__");
        }
        removeFolded();
    } catch (const std::exception&) {
        // Folding is an improvement only; inference already has what it could get.
    }
    return true;
}

} // namespace

std::optional<std::vector<Dim>> dimsFromType(const onnx::TypeProto& type)
{
    if (!type.has_tensor_type() || !type.tensor_type().has_shape())
        return std::nullopt;
    std::vector<Dim> dims;
    for (const auto& d : type.tensor_type().shape().dim()) {
        Dim dim;
        if (d.has_dim_value() && d.dim_value() >= 0)
            dim.value = d.dim_value();
        else if (d.has_dim_param())
            dim.symbol = d.dim_param();
        dims.push_back(std::move(dim));
    }
    return dims;
}

ShapeInferenceReport checkAndInferShapes(const onnx::ModelProto& model)
{
    registerQonnxSchemas();
    ShapeInferenceReport report;
    onnx::ModelProto copy = model;
    declareUsedCustomDomains(copy, report.diagnostics);

    try {
        onnx::checker::check_model(copy);
        report.checkerResult = "OK";
    } catch (const std::exception& e) {
        std::string message = e.what();
        if (const auto nl = message.find('\n'); nl != std::string::npos)
            message.resize(nl);
        report.checkerResult = message;
    }

    const auto start = std::chrono::steady_clock::now();
    std::string error;
    if (!inferOnce(copy, error)) {
        // Declared value_info or output shapes that contradict the inferred ones abort inference even
        // in permissive mode; retry without them rather than losing every shape.
        report.diagnostics.push_back(
            "shape inference with the file's value_info failed (" + error + "); retried without it");
        copy = model;
        std::vector<std::string> alreadyReported;
        declareUsedCustomDomains(copy, alreadyReported);
        copy.mutable_graph()->clear_value_info();
        for (auto& output : *copy.mutable_graph()->mutable_output())
            output.mutable_type()->mutable_tensor_type()->clear_shape();
        if (!inferOnce(copy, error))
            report.diagnostics.push_back("shape inference failed: " + error);
    }
    collectAll(copy, report);
    // Each pass may expose further Shape nodes (e.g. after a Reshape whose shape became known).
    for (int pass = 0; pass < 3 && foldShapeSubgraphs(copy, report); ++pass) {
        if (!inferOnce(copy, error))
            break;
        collectAll(copy, report);
    }
    report.inferenceMs
        = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return report;
}

} // namespace qs
