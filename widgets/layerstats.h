#pragma once
// Small derived numbers about a layer that the table and overlays share.
#include "core/model/layer.h"
#include "core/model/modeldocument.h"

#include <optional>

namespace qs::gui {

// prod(outputShape) * K, when both are known.
std::optional<double> layerMacs(const qs::Layer& layer);
// Bit width of a quantizer id, when it is a constant.
std::optional<double> quantizerBits(const qs::ModelDocument& doc, int quantizer);

} // namespace qs::gui
