#pragma once
// SQNR per layer: each layer output against the float shadow, in dB, as bars in layer order, with a
// dashed line at the divergence threshold; bars under it are drawn as warnings and the first one is
// marked. Static-only analyses have no error report: the plot says so instead of drawing nothing.
#include "core/analysis/modelanalysis.h"
#include "widgets/plots/analysisplotbase.h"

#include <memory>
#include <optional>

namespace qs::gui {

class SqnrPlot : public AnalysisPlotBase {
    Q_OBJECT
public:
    explicit SqnrPlot(QWidget* parent = nullptr);

    void setAnalysis(std::shared_ptr<const qs::ModelAnalysis> analysis);
    // Overrides the analysis's divergence threshold; nullopt goes back to it.
    void setThresholdDb(std::optional<double> thresholdDb);
    double thresholdDb() const; // the threshold in use (the analysis's, 20 dB without one)

    static QColor okColor() { return QColor(0x3b, 0x7d, 0xd8); }
    static QColor warningColor() { return QColor(0xe8, 0x5d, 0x2a); }
    QCPBars* okBars() const { return okBars_; } // at or above the threshold
    QCPBars* warningBars() const { return warningBars_; } // below it
    QCPGraph* thresholdLine() const { return thresholdLine_; }
    // Bars of +inf SQNR (identical outputs) are drawn this high and labelled "∞".
    double infiniteBarHeight() const { return infiniteBarHeight_; }

protected:
    void rebuild() override;
    QString layerToolTip(int layer) const override;

private:
    std::shared_ptr<const qs::ModelAnalysis> analysis_;
    std::optional<double> thresholdOverrideDb_;
    QCPBars* okBars_ = nullptr;
    QCPBars* warningBars_ = nullptr;
    QCPGraph* thresholdLine_ = nullptr;
    double infiniteBarHeight_ = 0;
};

} // namespace qs::gui
