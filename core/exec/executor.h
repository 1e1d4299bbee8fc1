#pragma once
// The reference executor. It builds a plan over the document's topological order (every node bound
// to a kernel up front, so an unsupported op is reported before anything runs), keeps initializers
// converted once, frees each intermediate after its last consumer, and can run a float shadow of
// the network with any subset of quantizers replaced by identity. A run can also reuse an earlier
// captureAll run and recompute only some nodes and what lies downstream of them (RunOptions::reuse).
#include "core/exec/opregistry.h"
#include "core/model/modeldocument.h"
#include "core/util/limits.h"
#include "core/util/progress.h"

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace qs {

using TensorRef = std::shared_ptr<const Tensor>;

struct ExecutorOptions {
    Precision precision = Precision::Float32; // Float64 computes every float tensor in double
    int threads = 1;
    Limits limits = Limits::defaults();
};

struct RunResult;

struct RunOptions {
    bool bypassAllQuantizers = false; // the float shadow
    std::set<int> bypassQuantizers; // quantizer ids replaced by identity
    bool captureAll = false; // keep every intermediate tensor
    std::set<std::string> capture; // or just these
    bool anyBatchSize = false; // accept a different first dim than declared (batching)

    // Incremental re-run: only the nodes in `dirtyNodes` and every node downstream of them are
    // executed; all other values are taken from `reuse` (shared, not copied). `reuse` must be a
    // captureAll run of the same graph (Executor::graphSignature) with the same inputs, the same
    // quantizers bypassed and the same precision, else Error. The caller guarantees that nodes
    // outside `dirtyNodes` have the same attributes and constant inputs as in `reuse`'s document; the
    // result is then bit for bit that of a full run. A bypassed quantizer is recomputed only when its
    // input changed (its own parameters do not matter in a bypassed run).
    const RunResult* reuse = nullptr;
    std::set<NodeId> dirtyNodes;
};

struct RunResult {
    std::map<std::string, TensorRef> outputs; // graph outputs by name
    std::unordered_map<std::string, TensorRef> captured; // captured intermediates by name
    double runMs = 0;
    std::int64_t executedSteps = 0; // nodes computed by this run (not folded, not reused)

    // How the run was made, checked when a later run reuses it.
    bool capturedAll = false;
    std::set<int> bypassed; // quantizer ids replaced by identity
    Precision precision = Precision::Float32;
    std::uint64_t graphSignature = 0;
};

class Executor {
public:
    // Throws Error listing every node without a kernel (name, op type, domain).
    explicit Executor(const ModelDocument& doc, ExecutorOptions options = {});

    // Inputs by graph-input name; they are cast to the declared float type (or to Float64 in
    // Float64 mode) and checked against the declared static dims. Throws Error naming the node on
    // a kernel failure, Cancelled when `progress` is cancelled.
    RunResult run(const std::map<std::string, Tensor>& inputs, const RunOptions& options = {},
        const Progress* progress = nullptr) const;

    const ExecutorOptions& options() const { return options_; }
    const ModelDocument& document() const { return doc_; }

    // Nodes that have no kernel, as "'name' (Op, domain d)".
    static std::vector<std::string> unsupportedNodes(const ModelDocument& doc);
    // A hash of the graph's structure (nodes with op, domain, inputs and outputs; graph inputs and
    // outputs; initializer inputs by position, not name; which nodes form which quantizer): runs of
    // documents with equal signatures can reuse each other's values.
    static std::uint64_t graphSignature(const ModelDocument& doc);
    std::uint64_t signature() const { return signature_; } // graphSignature(document())

private:
    struct Step {
        NodeId node;
        const KernelFn* kernel;
        int opset;
        int quantizer; // quantizer id this node belongs to, -1 if none
        bool quantizerOutput; // this node produces the quantizer's output tensor
    };

    // Runs step `s` on `values` and stores its outputs there; Error names the node.
    void runStep(std::size_t s, std::vector<TensorRef>& values, const kernels::KernelContext& context) const;
    void foldConstants();
    // Which steps an incremental run recomputes; checks that `options.reuse` fits this run.
    std::vector<bool> stepsToRecompute(
        const RunOptions& options, const std::set<int>& bypassed, const std::vector<TensorRef>& inputs) const;

    const ModelDocument& doc_;
    ExecutorOptions options_;
    std::vector<Step> steps_;
    std::vector<TensorRef> constants_; // by TensorId; initializers, converted once
    std::vector<int> lastUse_; // by TensorId; step index of the last consumer, -1 if none
    // Steps that read only constants (e.g. weight quantizers) run once up front; a plain run (nothing
    // bypassed or captured) skips them and starts from their results, the rest recompute them.
    std::vector<bool> folded_; // by step
    std::vector<std::pair<TensorId, TensorRef>> foldedValues_; // folded results read by other steps
    std::uint64_t signature_ = 0;
};

} // namespace qs
