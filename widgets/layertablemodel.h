#pragma once
// The layer table: one row per compute layer, fed from a plain struct per layer. The document fills
// the static columns (bits, K, MACs); an analysis (qs::ModelAnalysis) fills BOPs, the accumulator
// width each method needs, the headroom to the chosen P, the overflow risk and the SQNR.
#include "core/numerics/overflow.h"

#include <QAbstractTableModel>

#include <optional>
#include <vector>

namespace qs {
class ModelDocument;
struct ModelAnalysis;
} // namespace qs

namespace qs::gui {

class QuantDocument;

struct LayerRow {
    int node = -1; // NodeId, the link to the graph
    int layer = -1; // index into doc.layers(), the link to the analysis
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
    // From the analysis; empty until one arrives.
    std::optional<double> bops; // qonnx: MACs * b_a * b_w (dense)
    std::optional<double> bopsUniq; // UNIQ: mult + add
    std::optional<int> accDataTypeBits; // accumulator bits needed by each method
    std::optional<int> accA2qBits;
    std::optional<int> accA2qPlusBits;
    std::optional<int> accExactBits; // exact range of the integer weights: what P must hold
    std::optional<int> accObservedBits;
    std::optional<int> headroomBits; // P - accExactBits
    std::optional<int> accBits; // the P the risk is for
    std::optional<qs::RiskClass> risk;
    QString riskNote; // why n/a, or how many elements overflowed
    std::optional<double> sqnrDb;
};

// The columns the document alone can fill (name, op, bits, K, MACs).
std::vector<LayerRow> layerRowsFromDocument(const qs::ModelDocument& doc);
// Fills the analysis columns of `rows` (matched by layer index) from `analysis`.
void applyAnalysis(std::vector<LayerRow>& rows, const qs::ModelAnalysis& analysis);

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
        Sqnr,
        Risk,
        Headroom,
        AccDataType,
        AccA2q,
        AccA2qPlus,
        AccExact,
        AccObserved,
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

    // SQNR cells under the threshold are tinted.
    void setDivergenceThresholdDb(double thresholdDb);
    double divergenceThresholdDb() const { return thresholdDb_; }
    // Analysis values from before the latest edit are greyed until the next analysis lands.
    void setAnalysisStale(bool stale);
    bool isAnalysisStale() const { return stale_; }
    static bool isAnalysisColumn(int column) { return column >= Bops; }

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
    QVariant displayData(const LayerRow& r, int column) const;
    QVariant sortData(const LayerRow& r, int column) const;
    QVariant toolTipData(const LayerRow& r, int column) const;
    QVariant backgroundData(const LayerRow& r, int column) const;

    QuantDocument* document_ = nullptr;
    std::vector<LayerRow> rows_;
    double thresholdDb_ = 20.0;
    bool stale_ = false;
};

} // namespace qs::gui
