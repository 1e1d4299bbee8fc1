#pragma once
// The layer table: one row per compute layer, fed from a plain struct per layer so that analyses
// (BOPs, accumulator bits and overflow risk, SQNR) can fill their columns later through setRows().
#include <QAbstractTableModel>

#include <optional>
#include <vector>

namespace qs {
class ModelDocument;
}

namespace qs::gui {

class QuantDocument;

struct LayerRow {
    int node = -1; // NodeId, the link to the graph
    int inputQuantizer = -1; // quantizer ids: the bit columns edit these
    int weightQuantizer = -1;
    int outputQuantizer = -1;
    QString name;
    QString opType;
    std::optional<double> inputBits;
    std::optional<double> weightBits;
    std::optional<double> outputBits;
    std::optional<qint64> dotProductLength; // K
    std::optional<double> macs;
    std::optional<double> bops;
    std::optional<int> accumulatorBits;
    QString overflowRisk;
    std::optional<double> sqnrDb;
};

// The columns the document alone can fill (name, op, bits, K, MACs).
std::vector<LayerRow> layerRowsFromDocument(const qs::ModelDocument& doc);

class LayerTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Name,
        Op,
        InputBits,
        WeightBits,
        OutputBits,
        K,
        Macs,
        Bops,
        AccBits,
        Risk,
        Sqnr,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole;
    static constexpr int NodeRole = Qt::UserRole + 1;

    explicit LayerTableModel(QObject* parent = nullptr);

    // With a document, the bit columns are editable: setData() pushes an undoable quantizer edit.
    void setDocument(QuantDocument* document) { document_ = document; }
    void setRows(std::vector<LayerRow> rows);
    // Same layers, new values (after a parameter edit): updates cells in place, keeping selection.
    void updateRows(std::vector<LayerRow> rows);
    const std::vector<LayerRow>& rows() const { return rows_; }
    int rowOfNode(int node) const; // -1 when the node is not a layer

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;

signals:
    void editRefused(const QString& message);

private:
    int quantizerAt(const QModelIndex& index) const;

    QuantDocument* document_ = nullptr;
    std::vector<LayerRow> rows_;
};

} // namespace qs::gui
