#pragma once
// Range and histogram data for the hls4ml-style profiling plot (issue "Per-layer analyses", item 5):
// per compute layer, log2|x| statistics of its float weights and of its input activations, next to
// the magnitudes the assigned quantizer can represent.
#include "core/analysis/rangestats.h"
#include "core/exec/executor.h"
#include "core/model/modeldocument.h"

#include <optional>
#include <string>
#include <vector>

namespace qs {

struct RangeOptions {
    int histogramBins = 64;
};

struct TensorRange {
    TensorId tensor = -1;
    std::string name;
    Shape shape;
    int quantizer = -1; // the quantizer whose representable range applies, -1 when none
    Log2Stats stats;
    Log2Histogram histogram;
    RepresentableRange representable;
};

struct LayerRanges {
    int layer = -1; // index into doc.layers()
    std::string name;
    std::string opType;
    // The weight before quantization (the weight quantizer's input, or the weight itself when it is
    // not quantized); nullopt when the layer has no constant weight.
    std::optional<TensorRange> weight;
    // The layer's activation operand as captured in the run, with the input quantizer's range;
    // nullopt without a run or when the run did not capture it.
    std::optional<TensorRange> input;
};

struct RangeReport {
    std::vector<LayerRanges> layers; // in topological order
};

// `run` may be null (weights only); it should have captured all intermediates (captureAll) so every
// layer's input is there; the first layer's input is a graph input, which captureAll includes.
// `cache` (optional) memoizes the per-tensor statistics across calls (AnalysisSession).
class AnalysisCache;
RangeReport analyzeRanges(const ModelDocument& doc, const RunResult* run, const RangeOptions& options = {},
    AnalysisCache* cache = nullptr);

} // namespace qs
