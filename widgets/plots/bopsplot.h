#pragma once
// BOPs per layer before and after: grouped bars of the baseline (the document as loaded) and the
// current analysis on a log axis, with both totals and the relative change in the title. BOPs are
// UNIQ's "mult + add" count (LayerSummary::bopsUniq), dense.
#include "core/analysis/modelanalysis.h"
#include "widgets/plots/analysisplotbase.h"

#include <memory>

namespace qs::gui {

class BopsPlot : public AnalysisPlotBase {
    Q_OBJECT
public:
    explicit BopsPlot(QWidget* parent = nullptr);

    // `baseline` may be null or the same analysis as `current`: then only the current bars are drawn.
    void setAnalysis(
        std::shared_ptr<const qs::ModelAnalysis> current, std::shared_ptr<const qs::ModelAnalysis> baseline);

    bool hasBaseline() const;
    double totalBefore() const; // sum of the baseline's bopsUniq (0 without one)
    double totalAfter() const; // sum of the current bopsUniq
    // "BOPs 1.23 G → 0.81 G (−34 %)", or "BOPs 1.23 G" without a baseline.
    static QString totalsTitle(double after, const std::optional<double>& before);

    static QColor baselineColor() { return QColor(0xa7, 0xb0, 0xbc); }
    static QColor currentColor() { return QColor(0x3b, 0x7d, 0xd8); }
    QCPBars* baselineBars() const { return baselineBars_; } // null without a baseline
    QCPBars* currentBars() const { return currentBars_; }

protected:
    void rebuild() override;
    QString layerToolTip(int layer) const override;

private:
    // The baseline row of the current row at `position`: same index and name, else same name.
    const qs::LayerSummary* baselineRow(int position) const;

    std::shared_ptr<const qs::ModelAnalysis> current_;
    std::shared_ptr<const qs::ModelAnalysis> baseline_;
    QCPBars* baselineBars_ = nullptr;
    QCPBars* currentBars_ = nullptr;
};

} // namespace qs::gui
