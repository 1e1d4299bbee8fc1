#pragma once
// The model document: one loaded ONNX model, its graph index, inferred shapes, diagnostics and
// quantization view. The protobuf is kept exactly as loaded, so an unchanged document saves
// losslessly; everything derived lives beside it and is rebuilt by refresh() after an edit.
#include "core/model/graphindex.h"
#include "core/model/layer.h"
#include "core/model/quantizer.h"
#include "core/util/limits.h"
#include "core/util/progress.h"
#include "core/util/tensor.h"

#include <filesystem>
#include <memory>
#include <mutex>
#include <onnx/onnx_pb.h>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace qs {

class ConstantEvaluator;
struct QuantizationView;

enum class ModelFormat { Float, Qonnx, Qcdq, Mixed };
const char* modelFormatName(ModelFormat format); // "float", "qonnx", "qcdq", "mixed"

struct LoadTimings {
    double parseMs = 0;
    double indexMs = 0;
    double shapeInferenceMs = 0;
    double quantizationMs = 0;
};

class ModelDocument {
public:
    ~ModelDocument();
    ModelDocument(const ModelDocument&) = delete;
    ModelDocument& operator=(const ModelDocument&) = delete;

    // Loads and indexes a model file. Throws Error with a one-line message naming the file and the
    // node/tensor at fault; throws Cancelled if `progress` is cancelled.
    static std::unique_ptr<ModelDocument> load(const std::filesystem::path& path, const Limits& limits = Limits::defaults(),
                                               const Progress* progress = nullptr);
    // Loads a serialized model from memory with the same parsing, limits and checks as load();
    // `name` stands for the file name in messages, external data resolves against `folder`.
    static std::unique_ptr<ModelDocument> loadFromBytes(std::string_view bytes, const std::string& name,
                                                        std::filesystem::path folder = {},
                                                        const Limits& limits = Limits::defaults());
    // Wraps an in-memory model (e.g. from ModelBuilder); external data resolves against `folder`.
    static std::unique_ptr<ModelDocument> fromProto(onnx::ModelProto model, std::filesystem::path folder = {},
                                                    const Limits& limits = Limits::defaults());

    const onnx::ModelProto& proto() const { return model_; }
    // Mutable access for the edit API in core; call refresh() afterwards.
    onnx::ModelProto& mutableProto() { return model_; }
    // Rebuilds index, shapes and quantization view from the protobuf. `topologyChanged` = false
    // keeps the index and shapes (parameter-only edits) and only rebuilds the quantization view.
    void refresh(bool topologyChanged = true);

    const std::filesystem::path& path() const { return path_; }
    const std::filesystem::path& folder() const { return folder_; }
    const LoadTimings& timings() const { return timings_; }
    // The limits the document was loaded with; analyses and runs on it use the same.
    const Limits& limits() const { return limits_; }

    // Graph.
    const GraphIndex& graph() const { return index_; }
    const NodeInfo& node(NodeId id) const { return index_.node(id); }
    const onnx::NodeProto& nodeProto(NodeId id) const { return model_.graph().node(id); }
    const TensorInfo& tensor(TensorId id) const { return index_.tensor(id); }
    int opsetVersion(const std::string& domain) const; // -1 when not imported
    ModelFormat format() const;
    std::unordered_map<std::string, int> opHistogram() const; // "domain::Op" (custom) or "Op"

    // Data. initializerValue() converts lazily and caches; constantValue() also evaluates small
    // constant subgraphs. Both return nullopt for non-constant tensors.
    std::optional<Tensor> initializerValue(TensorId id) const;
    std::optional<Tensor> constantValue(TensorId id) const;

    // Quantization view.
    const std::vector<Quantizer>& quantizers() const;
    const std::vector<Layer>& layers() const;
    int quantizerOfNode(NodeId id) const; // -1 when the node is not part of a quantizer

    // Checker verdict and non-fatal findings (undeclared domains, inference failures, ...).
    const std::string& checkerResult() const { return checkerResult_; }
    const std::vector<std::string>& diagnostics() const { return diagnostics_; }

    // Writes the model to `target` atomically (temp file + fsync + rename). Saving to another folder
    // embeds external data so the copy is self-contained.
    void save(const std::filesystem::path& target) const;
    std::string serialize() const;

private:
    ModelDocument(onnx::ModelProto model, std::filesystem::path path, const Limits& limits);
    void build(const Progress* progress);
    void applyTypes();
    void validateInitializers() const;

    onnx::ModelProto model_;
    std::filesystem::path path_;
    std::filesystem::path folder_;
    Limits limits_;
    GraphIndex index_;
    LoadTimings timings_;
    std::string checkerResult_;
    std::vector<std::string> diagnostics_;
    std::unique_ptr<QuantizationView> view_;
    mutable std::mutex constantsMutex_;
    mutable std::unique_ptr<ConstantEvaluator> constants_;
};

} // namespace qs
