#include "widgets/layertablemodel.h"

#include "core/analysis/modelanalysis.h"
#include "core/model/modeldocument.h"
#include "widgets/documentmodel.h"
#include "widgets/layerstats.h"
#include "widgets/metriccolours.h"

#include <QGuiApplication>
#include <QLocale>
#include <QPalette>

#include <cmath>

namespace qs::gui {
namespace {

QString bitsText(const std::optional<double>& bits)
{
    return bits ? QString::number(*bits, 'g', 4) : QString();
}

QString intText(const std::optional<int>& v)
{
    return v ? QString::number(*v) : QString();
}

QString countText(double value)
{
    // 1.2M style keeps the column narrow; the tooltip has the exact number.
    static const char* suffix[] = {"", "k", "M", "G", "T"};
    int i = 0;
    while (value >= 1000 && i < 4) {
        value /= 1000;
        ++i;
    }
    return QString::number(value, 'f', i == 0 ? 0 : 2) + QLatin1String(suffix[i]);
}

QString dbText(double db)
{
    if (std::isinf(db))
        return db > 0 ? QStringLiteral("∞") : QStringLiteral("−∞");
    return std::isnan(db) ? QString() : QString::number(db, 'f', 1);
}

template <class T> QVariant sortValue(const std::optional<T>& v)
{
    // Missing values sort before every number; infinities sort at their end.
    if (!v)
        return QVariant(-1e300);
    const auto d = static_cast<double>(*v);
    return QVariant(std::isinf(d) ? (d > 0 ? 1e299 : -1e299) : d);
}

std::optional<int> methodBits(int bits)
{
    return bits >= 0 ? std::optional<int>(bits) : std::nullopt;
}

} // namespace

std::vector<LayerRow> layerRowsFromDocument(const qs::ModelDocument& doc)
{
    std::vector<LayerRow> rows;
    rows.reserve(doc.layers().size());
    for (const qs::Layer& layer : doc.layers()) {
        LayerRow row;
        row.node = layer.node;
        row.layer = static_cast<int>(rows.size());
        row.name = QString::fromStdString(layer.name);
        row.opType = QString::fromStdString(layer.opType);
        row.inputQuantizer = layer.inputQuantizer;
        row.weightQuantizer = layer.weightQuantizer;
        row.outputQuantizer = layer.outputQuantizer;
        row.inputBits = quantizerBits(doc, layer.inputQuantizer);
        row.weightBits = quantizerBits(doc, layer.weightQuantizer);
        row.outputBits = quantizerBits(doc, layer.outputQuantizer);
        if (layer.dotProductLength)
            row.dotProductLength = static_cast<qint64>(*layer.dotProductLength);
        row.macs = layerMacs(layer);
        rows.push_back(std::move(row));
    }
    return rows;
}

void applyAnalysis(std::vector<LayerRow>& rows, const qs::ModelAnalysis& analysis)
{
    const int accBits = analysis.accumulator.options.accBits;
    for (LayerRow& row : rows) {
        if (row.layer < 0 || static_cast<std::size_t>(row.layer) >= analysis.layers.size())
            continue;
        const qs::LayerSummary& s = analysis.layers[static_cast<std::size_t>(row.layer)];
        if (QString::fromStdString(s.name) != row.name)
            continue; // another model state; the next analysis fills it
        row.bops = s.bopsQonnx;
        row.bopsUniq = s.bopsUniq;
        row.accBits = accBits;
        row.risk = s.risk;
        row.sqnrDb = s.sqnrDb;
        if (s.accApplicable) {
            row.accDataTypeBits = s.accDataTypeBits;
            row.accA2qBits = methodBits(s.accA2qBits);
            row.accA2qPlusBits = methodBits(s.accA2qPlusBits);
            row.accExactBits = s.accExactBits;
            row.accObservedBits = methodBits(s.accObservedBits);
            row.headroomBits = accBits - s.accExactBits;
            row.riskNote = s.overflowElements > 0
                ? QObject::tr("%1 accumulator values overflowed %2 bits in the run")
                      .arg(s.overflowElements)
                      .arg(accBits)
                : QString();
        } else {
            row.accDataTypeBits = row.accA2qBits = row.accA2qPlusBits = std::nullopt;
            row.accExactBits = row.accObservedBits = row.headroomBits = std::nullopt;
            row.riskNote = QString::fromStdString(s.accReason);
        }
    }
}

LayerTableModel::LayerTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void LayerTableModel::setRows(std::vector<LayerRow> rows)
{
    beginResetModel();
    rows_ = std::move(rows);
    endResetModel();
}

void LayerTableModel::updateRows(std::vector<LayerRow> rows)
{
    if (rows.size() != rows_.size()) {
        setRows(std::move(rows));
        return;
    }
    rows_ = std::move(rows);
    if (!rows_.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void LayerTableModel::setDivergenceThresholdDb(double thresholdDb)
{
    thresholdDb_ = thresholdDb;
    if (!rows_.empty())
        emit dataChanged(index(0, Sqnr), index(rowCount() - 1, Sqnr), {Qt::BackgroundRole});
}

void LayerTableModel::setAnalysisStale(bool stale)
{
    if (stale == stale_)
        return;
    stale_ = stale;
    if (!rows_.empty())
        emit dataChanged(index(0, Bops), index(rowCount() - 1, ColumnCount - 1), {Qt::ForegroundRole});
}

int LayerTableModel::quantizerAt(const QModelIndex& index) const
{
    const LayerRow& r = rows_[static_cast<std::size_t>(index.row())];
    switch (index.column()) {
    case InputBits:
        return r.inputQuantizer;
    case WeightBits:
        return r.weightQuantizer;
    case OutputBits:
        return r.outputQuantizer;
    default:
        return -1;
    }
}

Qt::ItemFlags LayerTableModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && document_ && quantizerAt(index) >= 0)
        f |= Qt::ItemIsEditable;
    return f;
}

bool LayerTableModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || !index.isValid() || !document_)
        return false;
    const int quantizer = quantizerAt(index);
    bool ok = false;
    const double bits = value.toDouble(&ok);
    if (quantizer < 0 || !ok)
        return false;
    qs::QuantizerEdit edit;
    edit.bitWidth = bits;
    // The document tells every view, this table included, once the edit landed.
    const QString error = document_->editQuantizer(quantizer, edit);
    if (!error.isEmpty()) {
        emit editRefused(error);
        return false;
    }
    return true;
}

int LayerTableModel::rowOfNode(int node) const
{
    for (std::size_t i = 0; i < rows_.size(); ++i)
        if (rows_[i].node == node)
            return static_cast<int>(i);
    return -1;
}

int LayerTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int LayerTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LayerTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const LayerRow& r = rows_[static_cast<std::size_t>(index.row())];
    const int column = index.column();
    switch (role) {
    case NodeRole:
        return r.node;
    case Qt::EditRole: {
        const int q = quantizerAt(index);
        const auto bits = column == InputBits ? r.inputBits
            : column == WeightBits            ? r.weightBits
                                              : r.outputBits;
        return q >= 0 && bits ? QVariant(static_cast<int>(*bits)) : QVariant();
    }
    case Qt::TextAlignmentRole:
        return column <= Op ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                            : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case SortRole:
        return sortData(r, column);
    case Qt::ToolTipRole:
        return toolTipData(r, column);
    case Qt::BackgroundRole:
        return backgroundData(r, column);
    case Qt::ForegroundRole:
        if (backgroundData(r, column).isValid())
            return textOnMetricColour();
        if (stale_ && isAnalysisColumn(column))
            return QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text);
        return {};
    case Qt::DisplayRole:
        return displayData(r, column);
    default:
        return {};
    }
}

QVariant LayerTableModel::displayData(const LayerRow& r, int column) const
{
    switch (column) {
    case Name:
        return r.name;
    case Op:
        return r.opType;
    case InputBits:
        return bitsText(r.inputBits);
    case WeightBits:
        return bitsText(r.weightBits);
    case OutputBits:
        return bitsText(r.outputBits);
    case K:
        return r.dotProductLength ? QString::number(*r.dotProductLength) : QString();
    case Macs:
        return r.macs ? countText(*r.macs) : QString();
    case Bops:
        return r.bops ? countText(*r.bops) : QString();
    case AccDataType:
        return intText(r.accDataTypeBits);
    case AccA2q:
        return intText(r.accA2qBits);
    case AccA2qPlus:
        return intText(r.accA2qPlusBits);
    case AccExact:
        return intText(r.accExactBits);
    case AccObserved:
        return intText(r.accObservedBits);
    case Headroom:
        return r.headroomBits ? QString::asprintf("%+d", *r.headroomBits) : QString();
    case Risk:
        return r.risk ? riskText(*r.risk) : QString();
    case Sqnr:
        return r.sqnrDb ? dbText(*r.sqnrDb) : QString();
    default:
        return {};
    }
}

QVariant LayerTableModel::sortData(const LayerRow& r, int column) const
{
    switch (column) {
    case Name:
        return r.name;
    case Op:
        return r.opType;
    case InputBits:
        return sortValue(r.inputBits);
    case WeightBits:
        return sortValue(r.weightBits);
    case OutputBits:
        return sortValue(r.outputBits);
    case K:
        return sortValue(r.dotProductLength);
    case Macs:
        return sortValue(r.macs);
    case Bops:
        return sortValue(r.bops);
    case AccDataType:
        return sortValue(r.accDataTypeBits);
    case AccA2q:
        return sortValue(r.accA2qBits);
    case AccA2qPlus:
        return sortValue(r.accA2qPlusBits);
    case AccExact:
        return sortValue(r.accExactBits);
    case AccObserved:
        return sortValue(r.accObservedBits);
    case Headroom:
        return sortValue(r.headroomBits);
    case Risk: // by severity: n/a < safe < possible < unverified < observed
        return r.risk ? QVariant(static_cast<int>(*r.risk)) : QVariant(-1);
    case Sqnr:
        return sortValue(r.sqnrDb);
    default:
        return {};
    }
}

QVariant LayerTableModel::toolTipData(const LayerRow& r, int column) const
{
    switch (column) {
    case Macs:
        return r.macs ? QVariant(QLocale().toString(*r.macs, 'f', 0)) : QVariant();
    case Bops:
        if (!r.bops)
            return {};
        return tr("BOPs (qonnx, mult only): %1\nBOPs (UNIQ, mult + add): %2")
            .arg(QLocale().toString(*r.bops, 'f', 0), QLocale().toString(r.bopsUniq.value_or(0), 'f', 0));
    case Headroom:
        return r.headroomBits && r.accBits
            ? QVariant(tr("P = %1 bits, the integer weights need %2").arg(*r.accBits).arg(*r.accExactBits))
            : QVariant();
    case Risk:
        if (!r.risk)
            return {};
        return r.accBits ? QVariant(tr("For a %1-bit accumulator").arg(*r.accBits)
                   + (r.riskNote.isEmpty() ? QString() : QStringLiteral(": ") + r.riskNote))
                         : QVariant(r.riskNote);
    case Sqnr:
        return r.sqnrDb ? QVariant(tr("Layer output vs the float shadow; threshold %1 dB").arg(thresholdDb_))
                        : QVariant();
    default:
        return {};
    }
}

QVariant LayerTableModel::backgroundData(const LayerRow& r, int column) const
{
    switch (column) {
    case Risk:
        if (r.risk && riskColour(*r.risk).isValid())
            return riskColour(*r.risk);
        return {};
    case Headroom:
        if (r.headroomBits && *r.headroomBits < 0)
            return severityColour(1.0);
        return {};
    case Sqnr:
        if (r.sqnrDb && *r.sqnrDb < thresholdDb_)
            return severityColour(1.0);
        return {};
    default:
        return {};
    }
}

QVariant LayerTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case K:
            return tr("Dot-product length: multiply-accumulates per output value");
        case Macs:
            return tr("Multiply-accumulates: prod(output shape) × K");
        case Bops:
            return tr("Bit operations, qonnx definition (MACs × input bits × weight bits, dense); "
                      "the tooltip also has UNIQ's mult + add count");
        case AccDataType:
            return tr("Accumulator bits needed by the data types alone (exact worst case of the input and "
                      "weight ranges)");
        case AccA2q:
            return tr("Accumulator bits needed by A2Q's L1 bound on the integer weights");
        case AccA2qPlus:
            return tr("Accumulator bits needed by A2Q+ (generalised zero-centred bound)");
        case AccExact:
            return tr("Accumulator bits needed by the exact range of the actual integer weights");
        case AccObserved:
            return tr("Accumulator bits the values of the analysis run actually reached");
        case Headroom:
            return tr("P minus the exact bits: negative means the register can overflow");
        case Risk:
            return tr("Overflow risk for a P-bit accumulator: safe, possible (bound > P, not seen), "
                      "unverified (bound > P, no run), observed (overflowed in the run), n/a");
        case Sqnr:
            return tr("Signal-to-quantization-noise ratio of the layer output against the float shadow, "
                      "in dB (tinted under the threshold)");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    static const char* const titles[ColumnCount]
        = {QT_TR_NOOP("Layer"), QT_TR_NOOP("Op"), QT_TR_NOOP("In bits"), QT_TR_NOOP("W bits"),
            QT_TR_NOOP("Out bits"), QT_TR_NOOP("K"), QT_TR_NOOP("MACs"), QT_TR_NOOP("BOPs"),
            QT_TR_NOOP("SQNR dB"), QT_TR_NOOP("Risk"), QT_TR_NOOP("Headroom"), QT_TR_NOOP("Acc type"),
            QT_TR_NOOP("Acc A2Q"), QT_TR_NOOP("Acc A2Q+"), QT_TR_NOOP("Acc exact"), QT_TR_NOOP("Acc obs.")};
    return section >= 0 && section < ColumnCount ? tr(titles[section]) : QVariant();
}

} // namespace qs::gui
