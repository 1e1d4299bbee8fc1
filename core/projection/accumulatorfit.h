#pragma once
// Accumulator-aware weight projection (issue "Editing and export", item 4): shrinks the integer weight
// codes of chosen layers, per output channel, so that a weight-based accumulator bound of
// accumulator-and-bops.md §2 fits a P-bit signed register — as one undoable edit.
//
// Only the integer codes change: the weight quantizer's scale, zero point, bit width and rounding stay
// as they are, and each changed weight is written back as code * scale into the tensor the quantizer
// reads (see weightwriter.h). A per-tensor scale could not absorb a per-channel shrink anyway, and
// leaving the scale alone keeps every other channel bit-exact. The codes come from the minimal-L2
// projection of integerprojection.h; afterwards the codes are read back from the edited model and
// the accumulator analysis must confirm the method's bound <= P and SAFE, or the edit is undone.
//
// With inputs, both the model before and after are compared with the float shadow of the model
// *before* the edit (the edit also changes the float weights, which the shadow would otherwise follow).
#include "core/analysis/errormetrics.h"
#include "core/edit/changerecord.h"
#include "core/numerics/overflow.h"
#include "core/projection/channelbudget.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace qs {

struct FitOptions {
    int accBits = 32; // P, signed register
    FitMethod method = FitMethod::Exact;
    // Layers by name (Layer::name or the node's name). Empty: every layer whose accumulator analysis
    // applies and whose exact weight-based bound exceeds P.
    std::vector<std::string> layers;
    bool preloadBias = true; // as AccumulatorOptions::preloadBias
};

enum class FitStatus {
    Projected, // codes changed
    Fits, // selected or not, nothing had to change
    NotSelected, // layers were named and this was not one of them
    NotApplicable, // no integer accumulator, or weights that cannot be rewritten (see reason)
};
const char* fitStatusLabel(FitStatus status); // "projected", "fits", "not selected", "n/a"

struct LayerFit {
    int layer = -1; // index into doc.layers()
    std::string name;
    FitStatus status = FitStatus::NotApplicable;
    std::string reason;
    std::int64_t channels = 0;
    std::int64_t channelsChanged = 0;
    std::int64_t channelsZeroed = 0; // channels left with only zero weights
    std::int64_t codesChanged = 0;
    Int128 maxL1Before = 0, maxL1After = 0;
    int methodBitsBefore = 0, methodBitsAfter = 0; // the chosen method's bound, bias included
    int exactBitsBefore = 0, exactBitsAfter = 0;
    RiskClass riskBefore = RiskClass::NotApplicable, riskAfter = RiskClass::NotApplicable; // static
    double codeError = 0; // ||c - c'|| / ||c|| over the layer's integer codes
    double weightError = 0; // the same on the dequantized weights (scale per channel)
    std::optional<ErrorMetrics> outputBefore, outputAfter; // layer output vs float shadow
};

struct FitReport {
    FitOptions options;
    std::vector<LayerFit> layers; // one per doc.layers() entry
    ChangeRecord record; // already applied; empty when nothing changed
    bool evaluated = false; // inputs were given
    ErrorMetrics outputsBefore, outputsAfter; // every graph output pooled, vs the float shadow
    std::vector<std::string> notes;
};

// Projects and applies. Throws Error, leaving `doc` as it was, for an unknown or inapplicable named
// layer, P outside 2..64, a preloaded bias that alone overflows P, or a layer that would be left with
// no non-zero weight. `inputs` (optional) as for Executor::run; any batch size.
FitReport fitAccumulators(
    ModelDocument& doc, const FitOptions& options, const std::map<std::string, Tensor>* inputs = nullptr);

} // namespace qs
