#pragma once
// The analysis plots of a model in one tabbed widget: SQNR per layer, BOPs before vs after,
// accumulator bits needed vs P, and the hls4ml-style log2|x| box plot. Fed with plain analysis results
// (qs::ModelAnalysis); a click on a layer's bar or box emits layerActivated().
#include "core/analysis/modelanalysis.h"

#include <QStringList>
#include <QWidget>

#include <memory>

class QCustomPlot;
class QTabWidget;

namespace qs::gui {

class AccumulatorPlot;
class AnalysisPlotBase;
class BopsPlot;
class RangeBoxPlot;
class SqnrPlot;

class AnalysisPlots : public QWidget {
    Q_OBJECT
public:
    explicit AnalysisPlots(QWidget* parent = nullptr);

    // current: the latest analysis; baseline: the analysis of the document as loaded (for "before vs
    // after"); either may be null.
    void setAnalysis(
        std::shared_ptr<const qs::ModelAnalysis> current, std::shared_ptr<const qs::ModelAnalysis> baseline);
    void setAccumulatorBits(int p); // the chosen accumulator width P (a line on the accumulator plot)
    void setCurrentLayer(int layer); // highlight a layer (index into doc.layers()), -1 for none

    QStringList plotNames() const; // "sqnr", "bops", "accumulator", "ranges"
    QCustomPlot* plot(const QString& name) const; // null for an unknown name
    void showPlot(const QString& name);
    QString currentPlotName() const;

    SqnrPlot* sqnrPlot() const { return sqnr_; }
    BopsPlot* bopsPlot() const { return bops_; }
    AccumulatorPlot* accumulatorPlot() const { return accumulator_; }
    RangeBoxPlot* rangePlot() const { return ranges_; }

signals:
    void layerActivated(int layer); // the user clicked a layer's bar or box

private:
    AnalysisPlotBase* plotAt(int index) const;

    QTabWidget* tabs_;
    SqnrPlot* sqnr_;
    BopsPlot* bops_;
    AccumulatorPlot* accumulator_;
    RangeBoxPlot* ranges_;
    std::shared_ptr<const qs::ModelAnalysis> current_;
    std::shared_ptr<const qs::ModelAnalysis> baseline_;
};

} // namespace qs::gui
