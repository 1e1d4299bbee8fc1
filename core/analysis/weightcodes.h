#pragma once
// The integer weights a layer accumulates with: the weight quantizer's codes (q - z, i.e. the
// dequantized weight divided by its scale), carried through the layout ops between the quantizer and
// the layer (Transpose, Reshape, ...), arranged as one row of K integers per output channel.
#include "core/exec/constantfolder.h"
#include "core/model/layer.h"

#include <optional>
#include <string>
#include <vector>

namespace qs {

struct IntegerWeights {
    Tensor codes; // Float64, in the layout the layer reads (e.g. [Cout, Cin/g, kH, kW])
    std::vector<double> channelScale; // s_w,c per output channel
    std::int64_t channels = 0;
    std::int64_t k = 0;
    std::vector<std::int64_t> rows; // channels x k, row-major, in the flattened weight order
    // Per entry of `rows`: the flat index of that weight in the weight quantizer's output tensor
    // (before the layout ops), so an edit can write a changed code back where it came from.
    std::vector<std::int64_t> sourceIndex;
};

// nullopt with `whyNot` set when the layer has no integer weights (float or dynamic weights, a
// weight scale that varies along the reduced axis, layouts this does not follow, ...).
std::optional<IntegerWeights> integerWeights(
    const ModelDocument& doc, const Layer& layer, const FoldedConstants& folded, std::string& whyNot);

// Axis of the layer's output that indexes output channels (NCHW: 1, channels-last: last, ...).
int outputChannelAxis(const ModelDocument& doc, const Layer& layer, int outputRank);

} // namespace qs
