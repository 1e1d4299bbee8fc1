#include "widgets/layertablemodel.h"

#include "core/model/modeldocument.h"
#include "widgets/documentmodel.h"
#include "widgets/layerstats.h"

#include <QLocale>

namespace qs::gui {
namespace {

QString bitsText(const std::optional<double>& bits)
{
    return bits ? QString::number(*bits, 'g', 4) : QString();
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

template <class T> QVariant sortValue(const std::optional<T>& v)
{
    // Missing values sort before every number.
    return v ? QVariant(static_cast<double>(*v)) : QVariant(-1e300);
}

} // namespace

std::vector<LayerRow> layerRowsFromDocument(const qs::ModelDocument& doc)
{
    std::vector<LayerRow> rows;
    rows.reserve(doc.layers().size());
    for (const qs::Layer& layer : doc.layers()) {
        LayerRow row;
        row.node = layer.node;
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
    if (role == NodeRole)
        return r.node;
    if (role == Qt::EditRole) {
        const int q = quantizerAt(index);
        const auto bits = index.column() == InputBits ? r.inputBits
            : index.column() == WeightBits            ? r.weightBits
                                                      : r.outputBits;
        return q >= 0 && bits ? QVariant(static_cast<int>(*bits)) : QVariant();
    }
    if (role == Qt::TextAlignmentRole)
        return index.column() <= Op ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                    : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == SortRole) {
        switch (index.column()) {
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
        case AccBits:
            return sortValue(r.accumulatorBits);
        case Risk:
            return r.overflowRisk;
        case Sqnr:
            return sortValue(r.sqnrDb);
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole && index.column() == Macs && r.macs)
        return QLocale().toString(*r.macs, 'f', 0);
    if (role == Qt::ToolTipRole && index.column() == Bops && r.bops)
        return QLocale().toString(*r.bops, 'f', 0);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
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
    case AccBits:
        return r.accumulatorBits ? QString::number(*r.accumulatorBits) : QString();
    case Risk:
        return r.overflowRisk;
    case Sqnr:
        return r.sqnrDb ? QString::number(*r.sqnrDb, 'f', 1) : QString();
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
            return tr("Bit operations (filled by the cost analysis)");
        case AccBits:
            return tr("Accumulator bits needed (filled by the accumulator analysis)");
        case Risk:
            return tr("Overflow risk (filled by the accumulator analysis)");
        case Sqnr:
            return tr("Signal-to-quantization-noise ratio in dB (filled by the error analysis)");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Layer");
    case Op:
        return tr("Op");
    case InputBits:
        return tr("In bits");
    case WeightBits:
        return tr("W bits");
    case OutputBits:
        return tr("Out bits");
    case K:
        return tr("K");
    case Macs:
        return tr("MACs");
    case Bops:
        return tr("BOPs");
    case AccBits:
        return tr("Acc bits");
    case Risk:
        return tr("Risk");
    case Sqnr:
        return tr("SQNR dB");
    default:
        return {};
    }
}

} // namespace qs::gui
