#include "widgets/graphoverlay.h"

#include "widgets/layerstats.h"

#include <algorithm>
#include <cmath>

namespace qs::gui {

QStringList overlayNames()
{
    return {QStringLiteral("none"), QStringLiteral("bits"), QStringLiteral("macs")};
}

bool parseOverlay(const QString& name, GraphOverlay& out)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("none") || n.isEmpty())
        out = GraphOverlay::None;
    else if (n == QLatin1String("bits"))
        out = GraphOverlay::Bits;
    else if (n == QLatin1String("macs"))
        out = GraphOverlay::Macs;
    else
        return false;
    return true;
}

std::vector<double> overlayValues(
    const qs::ModelDocument& doc, const qs::ModelGraph& graph, GraphOverlay overlay)
{
    std::vector<double> heat(graph.items.size(), -1.0);
    if (overlay == GraphOverlay::None)
        return heat;
    const auto& quantizers = doc.quantizers();
    if (overlay == GraphOverlay::Bits) {
        // Fewer bits = hotter: 1 bit is red, 16 bits and more is green.
        auto bitsHeat = [](double bits) { return 1.0 - std::clamp((bits - 1.0) / 15.0, 0.0, 1.0); };
        for (std::size_t i = 0; i < graph.items.size(); ++i) {
            const qs::ModelGraphItem& item = graph.items[i];
            double bits = -1;
            auto consider = [&](int q) {
                if (q >= 0 && quantizers[static_cast<std::size_t>(q)].bitWidth)
                    bits = bits < 0 ? *quantizers[static_cast<std::size_t>(q)].bitWidth
                                    : std::min(bits, *quantizers[static_cast<std::size_t>(q)].bitWidth);
            };
            consider(item.quantizer);
            for (int q : item.weightQuantizers)
                consider(q);
            if (bits >= 0)
                heat[i] = bitsHeat(bits);
        }
        return heat;
    }
    // MACs on a log scale relative to the heaviest layer.
    double maxLog = 0;
    std::vector<std::pair<int, double>> values;
    for (const qs::Layer& layer : doc.layers()) {
        const auto macs = layerMacs(layer);
        if (!macs || *macs <= 0 || layer.node < 0
            || static_cast<std::size_t>(layer.node) >= graph.itemOfNode.size())
            continue;
        const int box = graph.itemOfNode[static_cast<std::size_t>(layer.node)];
        if (box < 0)
            continue;
        const double v = std::log10(*macs + 1);
        maxLog = std::max(maxLog, v);
        values.emplace_back(box, v);
    }
    for (auto [box, v] : values)
        heat[static_cast<std::size_t>(box)] = maxLog > 0 ? v / maxLog : 0;
    return heat;
}

} // namespace qs::gui
