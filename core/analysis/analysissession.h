#pragma once
// Incremental re-analysis for an editor: analyze() takes an immutable snapshot of the document after
// each edit, works out what changed since the previous snapshot and re-runs only the nodes whose
// attributes or initializers changed plus everything downstream of them, reusing the previous runs'
// values for the rest (and the per-tensor statistics of the tensors that were reused). The result is
// exactly what analyzeModel() returns for the same document, options and inputs.
//
// A full analysis is made the first time, after setOptions()/setInputs()/reset(), and whenever the
// graph's structure or the inputs changed (random inputs follow the input quantizers' ranges, so
// editing an input quantizer changes them).
//
// Threads: one analyze() at a time per session, typically on a worker thread; the session shares no
// mutable state with the documents (it keeps the previous snapshot alive through its shared_ptr).
// A cancelled or failed analyze() leaves the session as it was before the call.
#include "core/analysis/analysiscache.h"
#include "core/analysis/modelanalysis.h"

#include <map>
#include <memory>
#include <string>
#include <thread>

namespace qs {

class AnalysisSession {
public:
    explicit AnalysisSession(AnalysisOptions options = {});
    ~AnalysisSession();
    AnalysisSession(const AnalysisSession&) = delete;
    AnalysisSession& operator=(const AnalysisSession&) = delete;

    const AnalysisOptions& options() const { return options_; }
    // Both make the next analyze() a full one.
    void setOptions(AnalysisOptions options);
    void setInputs(std::map<std::string, Tensor> inputs); // empty: seeded random inputs again

    // Forgets the previous snapshot and runs.
    void reset();

    // Throws Error on a null document or a failing run, Cancelled when `progress` is cancelled.
    ModelAnalysis analyze(std::shared_ptr<const ModelDocument> doc, const Progress* progress = nullptr);

private:
    struct Previous;
    void reserveForIncrementalRuns();

    AnalysisOptions options_;
    std::unique_ptr<Previous> previous_;
    AnalysisCache cache_; // bound to previous_'s runs between calls
    // Touches the memory the next incremental run will need, off the caller's path; joined by the
    // next analyze() and the destructor.
    std::jthread reservation_;
};

} // namespace qs
