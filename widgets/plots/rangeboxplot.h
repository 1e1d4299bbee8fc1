#pragma once
// The hls4ml profiling plot: per layer (top to bottom) a horizontal box of log2|x| for its float
// weights and one for its input activations (the first layer's input included). Boxes span the 25–75 %
// quantiles with the median, whiskers reach 5 % and 95 %, dots mark min and max; zeros are left out, as
// log2 0 is −∞. Behind each box a grey band shows what the tensor's quantizer can represent, from one
// step (scale · 1) to its largest code (scale · qmax).
#include "core/analysis/modelanalysis.h"
#include "widgets/plots/analysisplotbase.h"

#include <memory>

namespace qs::gui {

class RangeBoxPlot : public AnalysisPlotBase {
    Q_OBJECT
public:
    enum Operand { Weight, Input };

    struct Band {
        int layer = -1;
        Operand operand = Weight;
        double lowLog2 = 0;
        double highLog2 = 0;
        QCPItemRect* item = nullptr;
    };

    explicit RangeBoxPlot(QWidget* parent = nullptr);

    void setAnalysis(std::shared_ptr<const qs::ModelAnalysis> analysis);

    static QColor color(Operand operand);
    QCPStatisticalBox* boxes(Operand operand) const { return operand == Weight ? weightBoxes_ : inputBoxes_; }
    // Box key of a layer's operand: its category position -0.2 (weights) or +0.2 (input).
    double boxKey(int layer, Operand operand) const;
    const std::vector<Band>& bands() const { return bands_; }
    // The height the plot needs to give every layer a readable row.
    int preferredHeight() const;

protected:
    void rebuild() override;
    QString layerToolTip(int layer) const override;

private:
    std::shared_ptr<const qs::ModelAnalysis> analysis_;
    QCPStatisticalBox* weightBoxes_ = nullptr;
    QCPStatisticalBox* inputBoxes_ = nullptr;
    std::vector<Band> bands_;
};

} // namespace qs::gui
