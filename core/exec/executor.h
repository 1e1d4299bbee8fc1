#pragma once
// The reference executor. It builds a plan over the document's topological order (every node bound
// to a kernel up front, so an unsupported op is reported before anything runs), keeps initializers
// converted once, frees each intermediate after its last consumer, and can run a float shadow of
// the network with any subset of quantizers replaced by identity.
#include "core/exec/opregistry.h"
#include "core/model/modeldocument.h"
#include "core/util/limits.h"
#include "core/util/progress.h"

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

struct RunOptions {
    bool bypassAllQuantizers = false; // the float shadow
    std::set<int> bypassQuantizers; // quantizer ids replaced by identity
    bool captureAll = false; // keep every intermediate tensor
    std::set<std::string> capture; // or just these
    bool anyBatchSize = false; // accept a different first dim than declared (batching)
};

struct RunResult {
    std::map<std::string, TensorRef> outputs; // graph outputs by name
    std::unordered_map<std::string, TensorRef> captured; // captured intermediates by name
    double runMs = 0;
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

    const ModelDocument& doc_;
    ExecutorOptions options_;
    std::vector<Step> steps_;
    std::vector<TensorRef> constants_; // by TensorId; initializers, converted once
    std::vector<int> lastUse_; // by TensorId; step index of the last consumer, -1 if none
    // Steps that read only constants (e.g. weight quantizers) run once up front; a plain run (nothing
    // bypassed or captured) skips them and starts from their results, the rest recompute them.
    std::vector<bool> folded_; // by step
    std::vector<std::pair<TensorId, TensorRef>> foldedValues_; // folded results read by other steps
};

} // namespace qs
