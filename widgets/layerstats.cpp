#include "widgets/layerstats.h"

namespace qs::gui {

std::optional<double> layerMacs(const qs::Layer& layer)
{
    if (!layer.outputShape || !layer.dotProductLength)
        return std::nullopt;
    double macs = static_cast<double>(*layer.dotProductLength);
    for (std::int64_t d : *layer.outputShape)
        macs *= static_cast<double>(d);
    return macs;
}

std::optional<double> quantizerBits(const qs::ModelDocument& doc, int quantizer)
{
    if (quantizer < 0 || static_cast<std::size_t>(quantizer) >= doc.quantizers().size())
        return std::nullopt;
    return doc.quantizers()[static_cast<std::size_t>(quantizer)].bitWidth;
}

} // namespace qs::gui
