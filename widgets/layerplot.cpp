#include "widgets/layerplot.h"

#include "widgets/documentmodel.h"
#include "widgets/layertablemodel.h"

#include <QVBoxLayout>
#include <qcustomplot.h>

namespace qs::gui {

LayerPlot::LayerPlot(QuantDocument* document, QWidget* parent)
    : QWidget(parent)
    , document_(document)
    , plot_(new QCustomPlot(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    plot_->setMinimumHeight(120);
    connect(document_, &QuantDocument::modelReset, this, &LayerPlot::reload);
    connect(document_, &QuantDocument::quantizerChanged, this, &LayerPlot::reload);
    connect(document_, &QuantDocument::topologyChanged, this, &LayerPlot::reload);
}

void LayerPlot::reload()
{
    plot_->clearPlottables();
    plot_->legend->setVisible(false);
    if (!document_->isLoaded()) {
        plot_->replot();
        return;
    }
    const std::vector<LayerRow> rows = layerRowsFromDocument(document_->doc());
    QVector<double> x, inBits, wBits, macs;
    double maxBits = 8;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        x << static_cast<double>(i);
        inBits << rows[i].inputBits.value_or(0);
        wBits << rows[i].weightBits.value_or(0);
        macs << std::max(1.0, rows[i].macs.value_or(1));
        maxBits = std::max({maxBits, inBits.back(), wBits.back()});
    }
    const QPalette pal = palette();
    const QColor fg = pal.color(QPalette::WindowText);
    plot_->setBackground(pal.color(QPalette::Base));
    for (QCPAxis* axis : {plot_->xAxis, plot_->yAxis, plot_->yAxis2}) {
        axis->setBasePen(QPen(fg));
        axis->setTickPen(QPen(fg));
        axis->setSubTickPen(QPen(fg));
        axis->setTickLabelColor(fg);
        axis->setLabelColor(fg);
    }
    auto* group = new QCPBarsGroup(plot_);
    auto addBars = [&](const QVector<double>& values, const QColor& colour, const QString& name) {
        auto* bars = new QCPBars(plot_->xAxis, plot_->yAxis);
        bars->setName(name);
        bars->setData(x, values, true);
        bars->setWidth(0.38);
        bars->setPen(Qt::NoPen);
        bars->setBrush(colour);
        bars->setBarsGroup(group);
    };
    addBars(inBits, QColor(0x2e, 0x9a, 0x4a), tr("input bits"));
    addBars(wBits, QColor(0x7a, 0x3f, 0xd1), tr("weight bits"));
    auto* line = plot_->addGraph(plot_->xAxis, plot_->yAxis2);
    line->setName(tr("MACs"));
    line->setData(x, macs, true);
    line->setPen(QPen(QColor(0xe0, 0x6c, 0x00), 1.5));
    line->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 4));
    plot_->yAxis2->setVisible(true);
    plot_->yAxis2->setScaleType(QCPAxis::stLogarithmic);
    plot_->yAxis2->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    plot_->yAxis2->setLabel(tr("MACs"));
    plot_->yAxis2->rescale();
    // Log headroom above the line, for the legend.
    plot_->yAxis2->setRange(plot_->yAxis2->range().lower / 2, plot_->yAxis2->range().upper * 30);
    plot_->yAxis->setLabel(tr("bits"));
    plot_->yAxis->setRange(0, maxBits * 1.5); // headroom for the legend above the bars
    plot_->xAxis->setLabel(tr("layer (topological order)"));
    plot_->xAxis->setRange(-0.7, static_cast<double>(rows.size()) - 0.3);
    plot_->legend->setVisible(true);
    plot_->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot_->legend->setWrap(3);
    plot_->legend->setBorderPen(Qt::NoPen);
    plot_->legend->setBrush(Qt::NoBrush);
    plot_->legend->setTextColor(fg);
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignHCenter);
    plot_->replot();
}

} // namespace qs::gui
