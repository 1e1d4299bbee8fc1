#pragma once
// Memoizes the per-tensor work of the dynamic analyses — error metrics, clip counts, log2 statistics
// and observed accumulator ranges — across successive analyses of runs that share tensors. An
// incremental re-run (RunOptions::reuse) passes the previous run's TensorRefs on for everything it
// did not recompute, so a run tensor at the same address holds the same values; other tensors (the
// weights the analyses read from the document) are recognised by content. Results are exactly those
// of the uncached computation.
//
// Protocol: bind() the runs before analysing them. Their tensors must stay alive until the next
// bind() or clear() (AnalysisSession keeps them); entries of tensors no longer in the bound runs, and
// of constants not used since the previous bind(), are dropped. The lookups may be called from several
// threads at once (the analyses of one run execute side by side); bind() and clear() may not overlap
// with anything.
#include "core/analysis/errorclipping.h"
#include "core/analysis/errormetrics.h"
#include "core/analysis/rangestats.h"
#include "core/exec/executor.h"
#include "core/numerics/overflow.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>

namespace qs {

class AnalysisCache {
public:
    void bind(const RunResult* quantized, const RunResult* floatShadow);
    void clear();

    // compareTensors(reference, test).
    ErrorMetrics compare(const Tensor& reference, const Tensor& test);
    // countClipped(q, x).
    std::optional<ClipCounts> clipCounts(const Quantizer& q, const Tensor& x);

    // log2Summary(t, bins).
    Log2Summary log2Summary(const Tensor& t, int bins);

    // The observer filled from layer input `x` by a computation that depends on nothing but `x` and
    // `context` (the caller encodes everything else it reads, e.g. weights, bias, register), or null.
    const OverflowObserver* observation(const Tensor& x, const std::string& context);
    void storeObservation(const Tensor& x, std::string context, OverflowObserver observer);

private:
    // A run tensor by address, or a constant by the hash of its content.
    struct Key {
        const Tensor* address = nullptr;
        std::uint64_t content = 0;
        auto operator<=>(const Key&) const = default;
    };
    struct Content {
        Tensor copy; // to tell hash collisions apart
        bool used = true;
    };
    std::optional<Key> keyOf(const Tensor& t);
    template <class Map> void prune(Map& map) const;
    template <class Map, class Compute>
    typename Map::mapped_type findOrCompute(Map& map, typename Map::key_type key, Compute&& compute);
    bool alive(const Key& key) const;

    std::mutex mutex_; // guards the maps below bound_ during lookups; the work runs unlocked
    std::unordered_set<const Tensor*> bound_;
    std::map<std::uint64_t, Content> contents_;
    std::map<std::pair<Key, Key>, ErrorMetrics> compares_;
    std::map<std::pair<Key, std::string>, std::optional<ClipCounts>> clips_;
    std::map<std::pair<Key, int>, Log2Summary> log2_;
    std::map<std::pair<Key, std::string>, OverflowObserver> observations_;
};

} // namespace qs
