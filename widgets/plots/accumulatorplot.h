#pragma once
// Accumulator bits needed per layer against the register width P: a bar per layer at the exact bound
// of its integer weights (the tightest static guarantee), coloured by the layer's overflow risk, with
// markers for the other methods (data-type bound, A2Q, A2Q+, observed in the run) and a dashed line
// at P.
#include "core/analysis/modelanalysis.h"
#include "widgets/plots/analysisplotbase.h"

#include <array>
#include <memory>

namespace qs::gui {

class AccumulatorPlot : public AnalysisPlotBase {
    Q_OBJECT
public:
    enum Method { DataType, A2Q, A2QPlus, Observed, MethodCount };

    explicit AccumulatorPlot(QWidget* parent = nullptr);

    void setAnalysis(std::shared_ptr<const qs::ModelAnalysis> analysis);
    // The chosen register width; 0 (the default) shows the analysis's own P.
    void setAccumulatorBits(int p);
    int accumulatorBits() const; // the P drawn

    // Safe green, possible amber, unverified orange, observed red, n/a grey.
    static QColor riskColor(qs::RiskClass risk);
    static QString riskLegend(qs::RiskClass risk);
    // The bars of the layers in one risk class (n/a layers have a bar of height 0 and an "n/a" label).
    QCPBars* riskBars(qs::RiskClass risk) const;
    QCPGraph* methodMarkers(Method method) const { return markers_[method]; }
    QCPGraph* pLine() const { return pLine_; }
    // Markers of a layer sit at its category position plus this offset, so equal values stay visible.
    static double markerOffset(Method method);

protected:
    void rebuild() override;
    QString layerToolTip(int layer) const override;

private:
    std::shared_ptr<const qs::ModelAnalysis> analysis_;
    int accBits_ = 0;
    std::array<QCPBars*, 5> riskBars_ {};
    std::array<QCPGraph*, MethodCount> markers_ {};
    QCPGraph* pLine_ = nullptr;
};

} // namespace qs::gui
