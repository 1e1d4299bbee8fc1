#include "widgets/analysisplots.h"

#include "widgets/plots/accumulatorplot.h"
#include "widgets/plots/bopsplot.h"
#include "widgets/plots/rangeboxplot.h"
#include "widgets/plots/sqnrplot.h"

#include <QScrollArea>
#include <QTabWidget>
#include <QVBoxLayout>

namespace qs::gui {
namespace {

const QStringList& names()
{
    static const QStringList list {QStringLiteral("sqnr"), QStringLiteral("bops"),
        QStringLiteral("accumulator"), QStringLiteral("ranges")};
    return list;
}

} // namespace

AnalysisPlots::AnalysisPlots(QWidget* parent)
    : QWidget(parent)
    , tabs_(new QTabWidget(this))
    , sqnr_(new SqnrPlot)
    , bops_(new BopsPlot)
    , accumulator_(new AccumulatorPlot)
    , ranges_(new RangeBoxPlot)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(tabs_);
    tabs_->setDocumentMode(true);
    tabs_->addTab(sqnr_, tr("SQNR"));
    tabs_->setTabToolTip(0, tr("Each layer's output against the float shadow"));
    tabs_->addTab(bops_, tr("BOPs"));
    tabs_->setTabToolTip(1, tr("Bit operations per layer, as loaded vs now"));
    tabs_->addTab(accumulator_, tr("Accumulator"));
    tabs_->setTabToolTip(2, tr("Accumulator bits each bound needs, against the register width P"));
    // One readable row per layer: long networks scroll instead of squeezing the boxes.
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(ranges_);
    tabs_->addTab(scroll, tr("Ranges"));
    tabs_->setTabToolTip(3, tr("hls4ml-style log2|x| profile of weights and activations"));

    for (AnalysisPlotBase* p : {static_cast<AnalysisPlotBase*>(sqnr_), static_cast<AnalysisPlotBase*>(bops_),
             static_cast<AnalysisPlotBase*>(accumulator_), static_cast<AnalysisPlotBase*>(ranges_)})
        connect(p, &AnalysisPlotBase::layerActivated, this, [this](int layer) {
            setCurrentLayer(layer);
            emit layerActivated(layer);
        });
}

void AnalysisPlots::setAnalysis(
    std::shared_ptr<const qs::ModelAnalysis> current, std::shared_ptr<const qs::ModelAnalysis> baseline)
{
    current_ = std::move(current);
    baseline_ = std::move(baseline);
    sqnr_->setAnalysis(current_);
    bops_->setAnalysis(current_, baseline_);
    accumulator_->setAnalysis(current_);
    ranges_->setAnalysis(current_);
}

void AnalysisPlots::setAccumulatorBits(int p)
{
    accumulator_->setAccumulatorBits(p);
}

void AnalysisPlots::setCurrentLayer(int layer)
{
    for (int i = 0; i < names().size(); ++i)
        plotAt(i)->setHighlightedLayer(layer);
}

QStringList AnalysisPlots::plotNames() const
{
    return names();
}

QCustomPlot* AnalysisPlots::plot(const QString& name) const
{
    const int index = static_cast<int>(names().indexOf(name));
    return index < 0 ? nullptr : plotAt(index);
}

void AnalysisPlots::showPlot(const QString& name)
{
    if (const int index = static_cast<int>(names().indexOf(name)); index >= 0)
        tabs_->setCurrentIndex(index);
}

QString AnalysisPlots::currentPlotName() const
{
    const int index = tabs_->currentIndex();
    return index >= 0 && index < names().size() ? names()[index] : QString();
}

AnalysisPlotBase* AnalysisPlots::plotAt(int index) const
{
    switch (index) {
    case 0:
        return sqnr_;
    case 1:
        return bops_;
    case 2:
        return accumulator_;
    case 3:
        return ranges_;
    default:
        return nullptr;
    }
}

} // namespace qs::gui
