#include "widgets/plotexport.h"

#include "core/util/error.h"

#include <QAbstractItemModel>
#include <QBuffer>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QTemporaryFile>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace qs::gui {
namespace {

[[noreturn]] void fail(const QString& message)
{
    throw qs::Error(message.toStdString());
}

QString describe(const QString& path)
{
    return QDir::toNativeSeparators(path);
}

// A plot that was never shown (another tab) may still have its default size: use a sensible one.
QSize exportSize(const QCustomPlot* plot)
{
    const QSize size = plot->size();
    if (size.width() < 200 || size.height() < 150)
        return QSize(std::max(size.width(), 900), std::max(size.height(), 520));
    return size;
}

void commit(QSaveFile& file, const QString& path)
{
    if (!file.commit())
        fail(QObject::tr("Cannot write %1: %2").arg(describe(path), file.errorString()));
}

void openSaveFile(QSaveFile& file, const QString& path)
{
    if (!file.open(QIODevice::WriteOnly))
        fail(QObject::tr("Cannot write %1: %2").arg(describe(path), file.errorString()));
}

void exportPng(QCustomPlot* plot, const QString& path)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    // savePng() writes to a file name only; render the same way into memory instead.
    const QSize size = exportSize(plot);
    const QPixmap pixmap = plot->toPixmap(size.width(), size.height(), 2.0);
    if (pixmap.isNull() || !pixmap.save(&buffer, "PNG"))
        fail(QObject::tr("Cannot render the plot for %1").arg(describe(path)));
    QSaveFile file(path);
    openSaveFile(file, path);
    if (file.write(buffer.data()) != buffer.data().size())
        fail(QObject::tr("Cannot write %1: %2").arg(describe(path), file.errorString()));
    commit(file, path);
}

void exportSvg(QCustomPlot* plot, const QString& path)
{
    QSaveFile file(path);
    openSaveFile(file, path);
    QSvgGenerator generator;
    generator.setOutputDevice(&file);
    const QSize size = exportSize(plot);
    generator.setSize(size);
    generator.setViewBox(QRect(QPoint(0, 0), size));
    generator.setResolution(plot->logicalDpiX()); // point-sized fonts as on screen (default: 72 dpi)
    generator.setTitle(QFileInfo(path).completeBaseName());
    generator.setDescription(QObject::tr("Quantscope analysis plot"));
    QCPPainter painter;
    if (!painter.begin(&generator))
        fail(QObject::tr("Cannot render the plot for %1").arg(describe(path)));
    painter.setMode(QCPPainter::pmVectorized);
    painter.setMode(QCPPainter::pmNoCaching);
    plot->toPainter(&painter, size.width(), size.height());
    painter.end();
    commit(file, path);
}

void exportPdf(QCustomPlot* plot, const QString& path)
{
    // savePdf() writes to a file name; give it a temporary one in the target's folder and rename.
    const QFileInfo target(path);
    QTemporaryFile temp(
        target.absoluteDir().filePath(QStringLiteral(".%1.XXXXXX.pdf").arg(target.fileName())));
    if (!temp.open())
        fail(QObject::tr("Cannot write %1: %2").arg(describe(path), temp.errorString()));
    temp.close();
    const QSize size = exportSize(plot);
    if (!plot->savePdf(temp.fileName(), size.width(), size.height(), QCP::epNoCosmetic,
            QStringLiteral("Quantscope"), target.completeBaseName()))
        fail(QObject::tr("Cannot render the plot to %1").arg(describe(path)));
    if (QFileInfo(temp.fileName()).size() == 0)
        fail(QObject::tr("Cannot write %1: the PDF came out empty").arg(describe(path)));
    if (QFile::exists(path) && !QFile::remove(path))
        fail(QObject::tr("Cannot replace %1").arg(describe(path)));
    if (!QFile::rename(temp.fileName(), path))
        fail(QObject::tr("Cannot write %1: renaming the temporary file failed").arg(describe(path)));
    temp.setAutoRemove(false);
}

QString cellText(const QModelIndex& index)
{
    const QVariant sortValue = index.data(Qt::UserRole);
    const QString display = index.data(Qt::DisplayRole).toString();
    // Numbers in full precision; a missing value (empty display) stays empty.
    if (!display.isEmpty() && sortValue.isValid()) {
        const int type = sortValue.metaType().id();
        const bool numeric = type == QMetaType::Double || type == QMetaType::Float || type == QMetaType::Int
            || type == QMetaType::LongLong || type == QMetaType::UInt || type == QMetaType::ULongLong;
        if (numeric) {
            const double value = sortValue.toDouble();
            if (std::isfinite(value)) {
                if (type == QMetaType::Double || type == QMetaType::Float)
                    return QString::number(value, 'g', QLocale::FloatingPointShortest);
                return sortValue.toString();
            }
        }
    }
    return display;
}

} // namespace

void exportPlot(QCustomPlot* plot, const QString& path)
{
    if (!plot)
        fail(QObject::tr("No plot to export to %1").arg(describe(path)));
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png"))
        exportPng(plot, path);
    else if (suffix == QLatin1String("svg"))
        exportSvg(plot, path);
    else if (suffix == QLatin1String("pdf"))
        exportPdf(plot, path);
    else
        fail(QObject::tr("Cannot export a plot to %1: unknown file type \"%2\" (use .png, .svg or .pdf)")
                 .arg(describe(path),
                     suffix.isEmpty() ? QObject::tr("no suffix") : QStringLiteral(".") + suffix));
}

QString csvField(const QString& text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"'))
        && !text.contains(QLatin1Char('\n')) && !text.contains(QLatin1Char('\r')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

void exportTableCsv(const QAbstractItemModel* model, const QString& path)
{
    if (!model)
        fail(QObject::tr("No table to export to %1").arg(describe(path)));
    QString csv;
    const int columns = model->columnCount();
    auto appendRow = [&](auto&& field) {
        for (int c = 0; c < columns; ++c) {
            if (c > 0)
                csv += QLatin1Char(',');
            csv += csvField(field(c));
        }
        csv += QLatin1String("\r\n");
    };
    appendRow([&](int c) { return model->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString(); });
    for (int r = 0; r < model->rowCount(); ++r)
        appendRow([&](int c) { return cellText(model->index(r, c)); });
    QSaveFile file(path);
    openSaveFile(file, path);
    const QByteArray bytes = csv.toUtf8();
    if (file.write(bytes) != bytes.size())
        fail(QObject::tr("Cannot write %1: %2").arg(describe(path), file.errorString()));
    commit(file, path);
}

} // namespace qs::gui
