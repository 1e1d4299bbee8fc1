#include "core/model/modeldocument.h"

#include "core/model/constantevaluator.h"
#include "core/model/qonnxschemas.h"
#include "core/model/quantizationview.h"
#include "core/model/shapeinference.h"
#include "core/model/tensordata.h"
#include "core/util/atomicfile.h"
#include "core/util/error.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <google/protobuf/io/coded_stream.h>
#include <limits>
#include <map>

namespace qs {
namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string readFile(const std::filesystem::path& path, const Limits& limits)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw Error(path.string() + " is a folder, not an ONNX file");
    const auto size = std::filesystem::file_size(path, ec);
    if (ec)
        throw Error("cannot open " + path.string() + ": " + ec.message());
    if (static_cast<std::int64_t>(size) > limits.maxFileBytes)
        throw Error(path.string() + " is " + std::to_string(size / 1000000) + " MB, above the "
                    + std::to_string(limits.maxFileBytes / 1000000) + " MB limit for model files");
    std::ifstream file(path, std::ios::binary);
    if (!file)
        throw Error("cannot open " + path.string());
    std::string bytes(size, '\0');
    file.read(bytes.data(), static_cast<std::streamsize>(size));
    if (!file)
        throw Error("cannot read " + path.string());
    return bytes;
}

onnx::ModelProto parseModel(std::string_view bytes, const std::string& what, const Limits& limits)
{
    if (bytes.empty())
        throw Error(what + " is empty");
    if (static_cast<std::int64_t>(bytes.size()) > limits.maxFileBytes
        || bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw Error(what + " is " + std::to_string(bytes.size() / 1000000) + " MB, above the "
                    + std::to_string(limits.maxFileBytes / 1000000) + " MB limit for model files");
    google::protobuf::io::CodedInputStream stream(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                                  static_cast<int>(bytes.size()));
    stream.SetTotalBytesLimit(static_cast<int>(std::min<std::int64_t>(limits.maxFileBytes, std::numeric_limits<int>::max())));
    stream.SetRecursionLimit(limits.maxRecursionDepth);
    onnx::ModelProto model;
    if (!model.ParseFromCodedStream(&stream) || !stream.ConsumedEntireMessage())
        throw Error(what + " is not a valid ONNX model (the protobuf is truncated, corrupt or nested more than "
                    + std::to_string(limits.maxRecursionDepth) + " levels deep)");
    if (!model.has_graph())
        throw Error(what + " is not an ONNX model (it has no graph)");
    if (model.ir_version() <= 0)
        throw Error(what + " is not an ONNX model (ir_version is missing)");
    return model;
}

void applyInferred(TensorInfo& t, const InferredType& inferred)
{
    if (inferred.elemType != 0 && t.elemType == 0)
        t.elemType = inferred.elemType;
    if (inferred.dims && (!t.dims || t.dims->size() == inferred.dims->size())) {
        if (!t.dims) {
            t.dims = inferred.dims;
            return;
        }
        for (std::size_t i = 0; i < t.dims->size(); ++i) // inferred values fill unknown/symbolic dims
            if (!(*t.dims)[i].isKnown() && (*inferred.dims)[i].isKnown())
                (*t.dims)[i] = (*inferred.dims)[i];
    }
}

// Attributes are read by the constant evaluator, shape inference and the kernels; a hostile file can
// make any of them huge (a Constant's tensor, a `pads` list with millions of entries) or nest subgraphs
// deeply. Checked once here, before anything reads them, with the node and attribute named.
void validateAttributes(const onnx::GraphProto& graph, const std::filesystem::path& folder, const Limits& limits,
                        int depth, std::int64_t& nodes)
{
    if (depth > limits.maxRecursionDepth)
        throw Error("subgraphs are nested more than " + std::to_string(limits.maxRecursionDepth) + " levels deep");
    nodes += graph.node_size();
    if (nodes > limits.maxNodes)
        throw Error("the model has more than " + std::to_string(limits.maxNodes) + " nodes (counting subgraphs)");
    for (const auto& node : graph.node()) {
        for (const auto& a : node.attribute()) {
            const std::string what = "node '" + node.name() + "' (" + node.op_type() + ") attribute '" + a.name() + "'";
            const std::int64_t elements = std::max({a.ints_size(), a.floats_size(), a.strings_size(), a.tensors_size(),
                                                    a.graphs_size(), a.sparse_tensors_size(), a.type_protos_size()});
            if (elements > limits.maxAttributeElements)
                throw Error(what + " has " + std::to_string(elements) + " elements, above the limit of "
                            + std::to_string(limits.maxAttributeElements));
            try {
                if (a.has_t())
                    validateTensorProto(a.t(), folder, limits);
                for (const auto& t : a.tensors())
                    validateTensorProto(t, folder, limits);
            } catch (const Error& e) {
                throw Error(what + ": " + e.what());
            }
            if (a.has_g())
                validateAttributes(a.g(), folder, limits, depth + 1, nodes);
            for (const auto& g : a.graphs())
                validateAttributes(g, folder, limits, depth + 1, nodes);
        }
    }
}

// Declared and inferred shapes are metadata, but the executor, the analyses and the GUI size things by
// them; one beyond the limits is refused at load with the tensor named.
void checkShapeLimits(const TensorInfo& t, const Limits& limits)
{
    if (t.dims && static_cast<std::int64_t>(t.dims->size()) > limits.maxRank)
        throw Error("tensor '" + t.name + "' has rank " + std::to_string(t.dims->size()) + ", above the limit of "
                    + std::to_string(limits.maxRank));
    const auto shape = t.staticShape();
    if (!shape)
        return;
    std::int64_t count = 0;
    try {
        count = elementCount(*shape);
    } catch (const Error&) {
        throw Error("tensor '" + t.name + "' has an absurd shape " + t.shapeString() + " (element count overflows)");
    }
    if (count > limits.maxTensorElements)
        throw Error("tensor '" + t.name + "' has shape " + t.shapeString() + " (" + std::to_string(count)
                    + " elements), above the limit of " + std::to_string(limits.maxTensorElements) + " elements");
}

} // namespace

const char* modelFormatName(ModelFormat format)
{
    switch (format) {
    case ModelFormat::Float: return "float";
    case ModelFormat::Qonnx: return "qonnx";
    case ModelFormat::Qcdq: return "qcdq";
    case ModelFormat::Mixed: return "mixed";
    }
    return "?";
}

ModelDocument::ModelDocument(onnx::ModelProto model, std::filesystem::path path, const Limits& limits)
    : model_(std::move(model)), path_(std::move(path)), limits_(limits)
{
    folder_ = path_.has_parent_path() ? path_.parent_path() : std::filesystem::path(".");
}

ModelDocument::~ModelDocument() = default;

std::unique_ptr<ModelDocument> ModelDocument::load(const std::filesystem::path& path, const Limits& limits,
                                                   const Progress* progress)
{
    const auto start = Clock::now();
    const std::string what = path.filename().string();
    onnx::ModelProto model = parseModel(readFile(path, limits), what, limits);
    std::unique_ptr<ModelDocument> doc(new ModelDocument(std::move(model), path, limits));
    doc->timings_.parseMs = msSince(start);
    try {
        doc->build(progress);
    } catch (const Cancelled&) {
        throw;
    } catch (const Error& e) {
        throw Error(what + ": " + e.what());
    }
    return doc;
}

std::unique_ptr<ModelDocument> ModelDocument::loadFromBytes(std::string_view bytes, const std::string& name,
                                                            std::filesystem::path folder, const Limits& limits)
{
    const auto start = Clock::now();
    onnx::ModelProto model = parseModel(bytes, name, limits);
    std::unique_ptr<ModelDocument> doc(new ModelDocument(std::move(model), {}, limits));
    doc->folder_ = folder.empty() ? std::filesystem::path(".") : std::move(folder);
    doc->timings_.parseMs = msSince(start);
    try {
        doc->build(nullptr);
    } catch (const Cancelled&) {
        throw;
    } catch (const Error& e) {
        throw Error(name + ": " + e.what());
    }
    return doc;
}

std::unique_ptr<ModelDocument> ModelDocument::fromProto(onnx::ModelProto model, std::filesystem::path folder,
                                                        const Limits& limits)
{
    std::unique_ptr<ModelDocument> doc(new ModelDocument(std::move(model), {}, limits));
    doc->folder_ = folder.empty() ? std::filesystem::path(".") : std::move(folder);
    if (!doc->model_.has_graph())
        throw Error("the model has no graph");
    doc->build(nullptr);
    return doc;
}

void ModelDocument::build(const Progress* progress)
{
    registerQonnxSchemas();
    auto start = Clock::now();
    if (progress)
        progress->step(0, 4, "indexing");
    index_ = GraphIndex::build(model_.graph(), limits_.maxNodes);
    validateInitializers();
    timings_.indexMs = msSince(start);

    if (progress)
        progress->step(1, 4, "checking and inferring shapes");
    start = Clock::now();
    ShapeInferenceReport report = checkAndInferShapes(model_);
    checkerResult_ = report.checkerResult;
    diagnostics_ = std::move(report.diagnostics);
    applyTypes();
    for (int t = 0; t < index_.tensorCount(); ++t)
        if (const auto it = report.types.find(index_.tensor(t).name); it != report.types.end())
            applyInferred(index_.tensor(t), it->second);
    for (int t = 0; t < index_.tensorCount(); ++t)
        checkShapeLimits(index_.tensor(t), limits_);
    timings_.shapeInferenceMs = msSince(start);

    if (progress)
        progress->step(2, 4, "extracting quantizers");
    start = Clock::now();
    refresh(false);
    timings_.quantizationMs = msSince(start);
    if (progress)
        progress->step(4, 4, "done");
}

void ModelDocument::refresh(bool topologyChanged)
{
    if (topologyChanged) {
        index_ = GraphIndex::build(model_.graph(), limits_.maxNodes);
        validateInitializers();
        ShapeInferenceReport report = checkAndInferShapes(model_);
        checkerResult_ = report.checkerResult;
        diagnostics_ = std::move(report.diagnostics);
        applyTypes();
        for (int t = 0; t < index_.tensorCount(); ++t)
            if (const auto it = report.types.find(index_.tensor(t).name); it != report.types.end())
                applyInferred(index_.tensor(t), it->second);
    }
    std::lock_guard lock(constantsMutex_);
    constants_ = std::make_unique<ConstantEvaluator>(model_.graph(), index_, folder_, limits_);
    view_ = std::make_unique<QuantizationView>(buildQuantizationView(model_, index_, *constants_));
}

void ModelDocument::validateInitializers() const
{
    std::int64_t externalBytes = 0;
    for (const auto& init : model_.graph().initializer()) {
        validateTensorProto(init, folder_, limits_);
        if (init.data_location() == onnx::TensorProto::EXTERNAL) {
            externalBytes += static_cast<std::int64_t>(tensorByteSize(init)); // validated: cannot overflow
            if (externalBytes > limits_.maxExternalDataBytes)
                throw Error("initializer '" + init.name() + "' brings the external data to more than "
                            + std::to_string(limits_.maxExternalDataBytes) + " bytes, above the limit");
        }
    }
    std::int64_t nodes = 0;
    validateAttributes(model_.graph(), folder_, limits_, 0, nodes);
}

void ModelDocument::applyTypes()
{
    const auto& g = model_.graph();
    auto declare = [&](const onnx::ValueInfoProto& info) {
        const auto id = index_.findTensor(info.name());
        if (!id || !info.type().has_tensor_type())
            return;
        TensorInfo& t = index_.tensor(*id);
        if (t.elemType == 0)
            t.elemType = info.type().tensor_type().elem_type();
        if (!t.dims)
            t.dims = dimsFromType(info.type());
    };
    for (const auto& init : g.initializer()) {
        TensorInfo& t = index_.tensor(*index_.findTensor(init.name()));
        t.elemType = init.data_type();
        std::vector<Dim> dims;
        for (auto d : init.dims())
            dims.push_back(Dim {d, {}});
        t.dims = std::move(dims);
    }
    for (const auto& v : g.input())
        declare(v);
    for (const auto& v : g.output())
        declare(v);
    for (const auto& v : g.value_info())
        declare(v);
}

int ModelDocument::opsetVersion(const std::string& domain) const
{
    for (const auto& opset : model_.opset_import()) {
        const std::string d = opset.domain() == "ai.onnx" ? "" : opset.domain();
        if (d == domain)
            return static_cast<int>(opset.version());
    }
    return -1;
}

ModelFormat ModelDocument::format() const
{
    bool qonnx = false;
    bool qcdq = false;
    for (const Quantizer& q : quantizers()) {
        if (q.kind == QuantizerKind::QCDQ || q.kind == QuantizerKind::QDQ)
            qcdq = true;
        else if (q.kind != QuantizerKind::DequantizeOnly)
            qonnx = true;
    }
    for (int n = 0; n < index_.nodeCount() && !qonnx; ++n)
        qonnx = index_.node(n).opType == "MultiThreshold";
    if (qonnx && qcdq)
        return ModelFormat::Mixed;
    return qonnx ? ModelFormat::Qonnx : (qcdq ? ModelFormat::Qcdq : ModelFormat::Float);
}

std::unordered_map<std::string, int> ModelDocument::opHistogram() const
{
    std::unordered_map<std::string, int> histogram;
    for (int n = 0; n < index_.nodeCount(); ++n) {
        const NodeInfo& node = index_.node(n);
        ++histogram[node.domain.empty() ? node.opType : node.domain + "::" + node.opType];
    }
    return histogram;
}

std::optional<Tensor> ModelDocument::initializerValue(TensorId id) const
{
    const TensorInfo& t = index_.tensor(id);
    if (!t.isInitializer())
        return std::nullopt;
    return tensorFromProto(model_.graph().initializer(t.initializerIndex), folder_, limits_);
}

std::optional<Tensor> ModelDocument::constantValue(TensorId id) const
{
    std::lock_guard lock(constantsMutex_);
    return constants_->value(id);
}

const std::vector<Quantizer>& ModelDocument::quantizers() const { return view_->quantizers; }
const std::vector<Layer>& ModelDocument::layers() const { return view_->layers; }
int ModelDocument::quantizerOfNode(NodeId id) const { return view_->quantizerOfNode.at(static_cast<std::size_t>(id)); }

std::string ModelDocument::serialize() const
{
    std::string bytes;
    if (!model_.SerializeToString(&bytes))
        throw Error("cannot serialize the model (is it larger than 2 GiB?)");
    return bytes;
}

void ModelDocument::save(const std::filesystem::path& target) const
{
    const std::filesystem::path targetFolder = target.has_parent_path() ? target.parent_path() : ".";
    std::error_code ec;
    const bool sameFolder = std::filesystem::equivalent(targetFolder, folder_, ec);
    bool hasExternal = false;
    for (const auto& init : model_.graph().initializer())
        hasExternal = hasExternal || init.data_location() == onnx::TensorProto::EXTERNAL;
    if (!hasExternal || sameFolder) {
        writeFileAtomically(target, serialize());
        return;
    }
    // Embed external tensors so the copy does not point at files it cannot reach.
    onnx::ModelProto copy = model_;
    for (auto& init : *copy.mutable_graph()->mutable_initializer())
        if (init.data_location() == onnx::TensorProto::EXTERNAL)
            tensorToProto(tensorFromProto(init, folder_, limits_), init.data_type(), init);
    std::string bytes;
    if (!copy.SerializeToString(&bytes))
        throw Error("cannot serialize the model (is it larger than 2 GiB?)");
    writeFileAtomically(target, bytes);
}

} // namespace qs
