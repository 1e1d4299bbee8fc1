#include "widgets/overlaylegend.h"

#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace qs::gui {
namespace {

constexpr int kPad = 8;
constexpr int kRampWidth = 180;
constexpr int kBarHeight = 12;
constexpr int kSwatch = 12;

} // namespace

OverlayLegend::OverlayLegend(QWidget* parent)
    : QWidget(parent)
{
    setAttribute(Qt::WA_TransparentForMouseEvents);
    hide();
}

void OverlayLegend::setContents(const OverlayLegendData& legend)
{
    legend_ = legend;
    setVisible(!legend_.title.isEmpty());
    resize(sizeHint());
    update();
}

QSize OverlayLegend::sizeHint() const
{
    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics fm(font()), bm(bold);
    const int line = fm.height();
    int w = bm.horizontalAdvance(legend_.title);
    int h = kPad + bm.height();
    if (!legend_.ramp.empty()) {
        w = std::max(w, kRampWidth);
        w = std::max(
            w, fm.horizontalAdvance(legend_.lowLabel) + fm.horizontalAdvance(legend_.highLabel) + 16);
        h += 4 + kBarHeight + 2 + line;
    }
    for (const auto& [label, colour] : legend_.swatches) {
        w = std::max(w, kSwatch + 6 + fm.horizontalAdvance(label));
        h += 2 + std::max(line, kSwatch);
    }
    if (!legend_.note.isEmpty()) {
        w = std::max(w, fm.horizontalAdvance(legend_.note));
        h += 4 + line;
    }
    return {w + 2 * kPad, h + kPad};
}

void OverlayLegend::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = palette();
    QColor background = pal.color(QPalette::Base);
    background.setAlpha(230);
    p.setPen(QPen(pal.color(QPalette::Mid), 1));
    p.setBrush(background);
    p.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 5, 5);

    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics fm(font()), bm(bold);
    const int inner = width() - 2 * kPad;
    int y = kPad;
    p.setPen(pal.color(QPalette::Text));
    p.setFont(bold);
    p.drawText(QRect(kPad, y, inner, bm.height()), Qt::AlignLeft | Qt::AlignVCenter, legend_.title);
    y += bm.height();
    p.setFont(font());
    if (!legend_.ramp.empty()) {
        y += 4;
        const QRect bar(kPad, y, inner, kBarHeight);
        QLinearGradient gradient(bar.topLeft(), bar.topRight());
        const auto n = legend_.ramp.size();
        for (std::size_t i = 0; i < n; ++i)
            gradient.setColorAt(
                n > 1 ? static_cast<double>(i) / static_cast<double>(n - 1) : 0.0, legend_.ramp[i]);
        p.setPen(QPen(pal.color(QPalette::Mid), 1));
        p.setBrush(gradient);
        p.drawRect(bar);
        y += kBarHeight + 2;
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRect(kPad, y, inner, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, legend_.lowLabel);
        p.drawText(QRect(kPad, y, inner, fm.height()), Qt::AlignRight | Qt::AlignVCenter, legend_.highLabel);
        y += fm.height();
    }
    for (const auto& [label, colour] : legend_.swatches) {
        y += 2;
        const int rowH = std::max(fm.height(), kSwatch);
        p.setPen(QPen(pal.color(QPalette::Mid), 1));
        p.setBrush(colour);
        p.drawRoundedRect(QRect(kPad, y + (rowH - kSwatch) / 2, kSwatch, kSwatch), 2, 2);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(
            QRect(kPad + kSwatch + 6, y, inner - kSwatch - 6, rowH), Qt::AlignLeft | Qt::AlignVCenter, label);
        y += rowH;
    }
    if (!legend_.note.isEmpty()) {
        y += 4;
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(QRect(kPad, y, inner, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, legend_.note);
    }
}

} // namespace qs::gui
