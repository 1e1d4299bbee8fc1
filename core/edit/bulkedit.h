#pragma once
// Edits of many quantizers at once, each returned as one compound change record (one undo step).
// Quantizers whose kind has no such field (BipolarQuant, FloatQuant, Trunc and lone DequantizeLinear
// for a bit width) are skipped and listed in the record's notes; a refused value for any other
// quantizer refuses the whole edit and leaves the document untouched.
#include "core/edit/changerecord.h"
#include "core/edit/quantizeredit.h"
#include "core/model/modeldocument.h"

#include <string>
#include <vector>

namespace qs {

// Applies `edit` to every quantizer in `ids`.
ChangeRecord editQuantizers(ModelDocument& doc, const std::vector<int>& ids, const QuantizerEdit& edit,
    const std::string& description);

// The weight quantizers of Conv layers (channels-last Conv included).
std::vector<int> convWeightQuantizers(const ModelDocument& doc);
// Every weight quantizer (any layer).
std::vector<int> weightQuantizers(const ModelDocument& doc);
// Activation quantizers, graph-input quantizers included.
std::vector<int> activationQuantizers(const ModelDocument& doc);

ChangeRecord setConvWeightBits(ModelDocument& doc, double bitWidth);
ChangeRecord setActivationBits(ModelDocument& doc, double bitWidth);

// Sets every quantizer of `doc` back to the bit width, signedness, narrow range, rounding mode, scale
// and zero point of the quantizer with the same name in `reference` (usually the file as loaded).
// Values are restored, structure is not: an un-shared copy or an inserted Clip stays (at full range).
ChangeRecord restoreOriginal(ModelDocument& doc, const ModelDocument& reference);

} // namespace qs
