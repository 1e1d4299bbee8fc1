#include "widgets/plots/analysisplotbase.h"

#include <QApplication>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace qs::gui {
namespace {

constexpr int kMaxCategoryLabels = 64; // beyond that, every k-th layer is labelled
constexpr double kLabelledTicksPerPixel = 1.0 / 14.0;

} // namespace

AnalysisPlotBase::AnalysisPlotBase(Qt::Orientation categories, QWidget* parent)
    : QCustomPlot(parent)
    , categories_(categories)
    , title_(new QCPTextElement(this))
{
    addLayer(QStringLiteral("behind"), layer(QStringLiteral("grid")), limAbove);
    setMouseTracking(true);
    setMinimumSize(320, 220);

    QFont titleFont = font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    titleFont.setBold(true);
    title_->setFont(titleFont);
    plotLayout()->insertRow(0);
    plotLayout()->addElement(0, 0, title_);

    // The legend in its own row between the title and the axis rect, so it never hides data; centred
    // between two spacers (in the plot's own grid its maximum width would narrow the axis rect too).
    axisRect()->insetLayout()->take(legend);
    auto* legendRow = new QCPLayoutGrid;
    plotLayout()->insertRow(1);
    plotLayout()->addElement(1, 0, legendRow);
    legendRow->addElement(0, 0, new QCPLayoutElement(this));
    legendRow->addElement(0, 1, legend);
    legendRow->addElement(0, 2, new QCPLayoutElement(this));
    legendRow->setColumnStretchFactors({1.0, 0.001, 1.0});
    legendRow->setMargins(QMargins(0, 0, 0, 0));
    plotLayout()->setRowStretchFactor(0, 0.001);
    plotLayout()->setRowStretchFactor(1, 0.001);
    plotLayout()->setRowSpacing(0);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setMargins(QMargins(4, 0, 4, 2));
    legend->setIconSize(18, 10);
    legend->setRowSpacing(0);
    legend->setColumnSpacing(10);
    legend->setSelectableParts(QCPLegend::spNone);

    QFont tickFont = font();
    tickFont.setPointSizeF(std::max(7.0, tickFont.pointSizeF() * 0.85));
    categoryAxis()->setTickLabelFont(tickFont);
    categoryAxis()->setSubTicks(false);
    categoryAxis()->setTickLength(0, 4);
    categoryAxis()->grid()->setVisible(false);
    if (categories_ == Qt::Vertical)
        categoryAxis()->setRangeReversed(true); // first layer at the top, as hls4ml draws it
}

void AnalysisPlotBase::setHighlightedLayer(int layer)
{
    if (layer == highlightedLayer_)
        return;
    highlightedLayer_ = layer;
    placeHighlight();
    replot(QCustomPlot::rpQueuedReplot);
}

int AnalysisPlotBase::positionOfLayer(int layer) const
{
    for (std::size_t i = 0; i < layers_.size(); ++i)
        if (layers_[i] == layer)
            return static_cast<int>(i);
    return -1;
}

int AnalysisPlotBase::layerAtPosition(int position) const
{
    if (position < 0 || position >= layerCount())
        return -1;
    return layers_[static_cast<std::size_t>(position)];
}

int AnalysisPlotBase::layerAt(const QPoint& pixel) const
{
    if (!emptyText_.isEmpty() || !axisRect()->rect().contains(pixel))
        return -1;
    const double coord = categoryAxis()->pixelToCoord(categories_ == Qt::Horizontal ? pixel.x() : pixel.y());
    return layerAtPosition(static_cast<int>(std::lround(coord)));
}

QPoint AnalysisPlotBase::pixelOf(int layer, double value) const
{
    const double category = categoryAxis()->coordToPixel(positionOfLayer(layer));
    const double v = valueAxis()->coordToPixel(value);
    return categories_ == Qt::Horizontal ? QPointF(category, v).toPoint() : QPointF(v, category).toPoint();
}

QString AnalysisPlotBase::toolTipAt(const QPoint& pixel) const
{
    const int layer = layerAt(pixel);
    return layer < 0 ? QString() : layerToolTip(layer);
}

QString AnalysisPlotBase::titleText() const
{
    return title_->text();
}

void AnalysisPlotBase::beginRebuild()
{
    built_ = true;
    clearPlottables();
    clearItems();
    highlight_ = nullptr;
    emptyText_.clear();
    layers_.clear();

    const QPalette pal = palette();
    const QColor fg = foreground();
    setBackground(pal.color(QPalette::Base));
    axisRect()->setBackground(Qt::NoBrush);
    for (QCPAxis* axis : {xAxis, yAxis}) {
        axis->setBasePen(QPen(fg));
        axis->setTickPen(QPen(fg));
        axis->setSubTickPen(QPen(fg));
        axis->setTickLabelColor(fg);
        axis->setLabelColor(fg);
        axis->grid()->setPen(QPen(faintForeground(45), 0, Qt::DotLine));
        axis->grid()->setZeroLinePen(Qt::NoPen);
        axis->setLabel({});
        axis->setScaleType(QCPAxis::stLinear);
        axis->setTicker(QSharedPointer<QCPAxisTicker>::create());
        axis->setTickLabels(true);
        axis->setVisible(true);
    }
    categoryAxis()->grid()->setVisible(false);
    categoryAxis()->setSubTicks(false);
    valueAxis()->setSubTicks(true);
    title_->setTextColor(fg);
    title_->setText({});
    legend->setTextColor(fg);
    legend->setBrush(Qt::NoBrush);
    legend->setBorderPen(Qt::NoPen);
    legend->setVisible(false);
    setCategories({}, {});
}

void AnalysisPlotBase::setCategories(const std::vector<int>& layers, const QStringList& labels)
{
    layers_ = layers;
    labels_ = labels;
    categoryAxis()->setRange(-0.6, std::max(0, layerCount() - 1) + 0.6);
    updateCategoryLabels(categories_ == Qt::Horizontal ? width() : height());
}

void AnalysisPlotBase::updateCategoryLabels(int available)
{
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const int n = layerCount();
    const int fit = std::clamp(static_cast<int>(available * kLabelledTicksPerPixel), 8, kMaxCategoryLabels);
    const int every = std::max(1, (n + fit - 1) / fit);
    for (int i = 0; i < n; ++i)
        ticker->addTick(i, i % every == 0 && i < labels_.size() ? labels_[i] : QString());
    categoryAxis()->setTicker(ticker);
    if (categories_ != Qt::Horizontal)
        return;
    const QFontMetricsF metrics(categoryAxis()->tickLabelFont());
    qreal longest = 0;
    for (const QString& label : labels_)
        longest = std::max(longest, metrics.horizontalAdvance(label));
    // Rotate only when the labels would run into each other.
    const double perCategory = std::max(100.0, available - 90.0) / std::max(1.0, n + 0.2); // minus the y axis
    const bool rotate = longest + 8 > perCategory * every;
    categoryAxis()->setTickLabelRotation(rotate ? -45 : 0);
    // A label rotated by -45° ends at its tick and reaches down-left: keep the first ones inside.
    int leftMargin = 0;
    if (rotate)
        for (int i = 0; i < n && i < labels_.size(); i += every) {
            const double reach = (metrics.horizontalAdvance(labels_[i]) + metrics.height()) * M_SQRT1_2;
            leftMargin = std::max(leftMargin, static_cast<int>(reach - (i + 0.6) * perCategory) + 6);
        }
    axisRect()->setMinimumMargins(QMargins(std::max(leftMargin, 15), 12, 15, 15)); // QCustomPlot: 15 each
}

void AnalysisPlotBase::setTitle(const QString& text)
{
    title_->setText(text);
}

void AnalysisPlotBase::showEmptyState(const QString& text)
{
    emptyText_ = text;
    auto* item = new QCPItemText(this);
    item->position->setType(QCPItemPosition::ptAxisRectRatio);
    item->position->setCoords(0.5, 0.5);
    item->setPositionAlignment(Qt::AlignCenter);
    item->setTextAlignment(Qt::AlignCenter);
    item->setText(text);
    item->setColor(faintForeground(170));
    item->setClipToAxisRect(false);
    for (QCPAxis* axis : {xAxis, yAxis, xAxis2, yAxis2})
        axis->setVisible(false);
}

void AnalysisPlotBase::showLegend(int maxColumns)
{
    legendMaxColumns_ = maxColumns;
    fitLegend(width());
}

void AnalysisPlotBase::fitLegend(int available)
{
    // The grid may hold empty cells (items removed from a wrapped legend).
    std::vector<QCPAbstractLegendItem*> items;
    for (int i = 0; i < legend->itemCount(); ++i)
        if (QCPAbstractLegendItem* item = legend->item(i))
            items.push_back(item);
    const int count = static_cast<int>(items.size());
    legend->setVisible(count > 0);
    if (count == 0)
        return;
    // The most columns whose rows fit the width, then rows as even as possible (5 + 4, not 7 + 2).
    int columns = std::min(count, std::max(1, legendMaxColumns_));
    for (; columns > 1; --columns) {
        std::vector<int> widths(static_cast<std::size_t>(columns), 0);
        for (int i = 0; i < count; ++i) {
            int& w = widths[static_cast<std::size_t>(i % columns)];
            w = std::max(w, items[static_cast<std::size_t>(i)]->minimumOuterSizeHint().width());
        }
        int total
            = (columns - 1) * legend->columnSpacing() + legend->margins().left() + legend->margins().right();
        for (int w : widths)
            total += w;
        if (total <= available - 20)
            break;
    }
    const int rows = (count + columns - 1) / columns;
    columns = (count + rows - 1) / rows;
    legend->setWrap(columns);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true); // re-flows the items, closing gaps
}

void AnalysisPlotBase::finishRebuild()
{
    placeHighlight();
    replot();
}

QColor AnalysisPlotBase::foreground() const
{
    return palette().color(QPalette::WindowText);
}

QColor AnalysisPlotBase::faintForeground(int alpha) const
{
    QColor c = foreground();
    c.setAlpha(alpha);
    return c;
}

void AnalysisPlotBase::placeHighlight()
{
    const int position = positionOfLayer(highlightedLayer_);
    if (position < 0 || !emptyText_.isEmpty()) {
        if (highlight_)
            removeItem(highlight_);
        highlight_ = nullptr;
        return;
    }
    if (!highlight_) {
        highlight_ = new QCPItemRect(this);
        highlight_->setLayer(behindLayer());
        QColor fill = palette().color(QPalette::Highlight);
        fill.setAlpha(45);
        highlight_->setBrush(fill);
        fill.setAlpha(140);
        highlight_->setPen(QPen(fill, 1));
    }
    const bool across = categories_ == Qt::Horizontal;
    for (QCPItemPosition* corner : {highlight_->topLeft, highlight_->bottomRight}) {
        corner->setTypeX(across ? QCPItemPosition::ptPlotCoords : QCPItemPosition::ptAxisRectRatio);
        corner->setTypeY(across ? QCPItemPosition::ptAxisRectRatio : QCPItemPosition::ptPlotCoords);
    }
    if (across) {
        highlight_->topLeft->setCoords(position - 0.5, 0);
        highlight_->bottomRight->setCoords(position + 0.5, 1);
    } else {
        highlight_->topLeft->setCoords(0, position - 0.5);
        highlight_->bottomRight->setCoords(1, position + 0.5);
    }
}

void AnalysisPlotBase::mouseMoveEvent(QMouseEvent* event)
{
    QCustomPlot::mouseMoveEvent(event);
    const QString text = toolTipAt(event->position().toPoint());
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

void AnalysisPlotBase::mousePressEvent(QMouseEvent* event)
{
    QCustomPlot::mousePressEvent(event);
    pressed_ = event->button() == Qt::LeftButton;
    pressPos_ = event->position().toPoint();
}

void AnalysisPlotBase::mouseReleaseEvent(QMouseEvent* event)
{
    QCustomPlot::mouseReleaseEvent(event);
    const QPoint pos = event->position().toPoint();
    const bool click = pressed_ && event->button() == Qt::LeftButton
        && (pos - pressPos_).manhattanLength() <= QApplication::startDragDistance();
    pressed_ = false;
    if (!click)
        return;
    if (const int layer = layerAt(pos); layer >= 0)
        emit layerActivated(layer);
}

void AnalysisPlotBase::leaveEvent(QEvent* event)
{
    QCustomPlot::leaveEvent(event);
    QToolTip::hideText();
}

void AnalysisPlotBase::resizeEvent(QResizeEvent* event)
{
    updateCategoryLabels(categories_ == Qt::Horizontal ? event->size().width() : event->size().height());
    fitLegend(event->size().width());
    QCustomPlot::resizeEvent(event);
}

void AnalysisPlotBase::changeEvent(QEvent* event)
{
    QCustomPlot::changeEvent(event);
    if (built_ && (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange))
        rebuild();
}

} // namespace qs::gui
