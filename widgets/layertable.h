#pragma once
// The layer table panel: a filter box over a sortable QTableView of LayerTableModel, linked to the
// document's current node in both directions. The analysis columns follow setAnalysis(); after an
// edit they are greyed until the next analysis arrives.
#include <QWidget>

#include <memory>
#include <vector>

class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace qs {
struct ModelAnalysis;
}

namespace qs::gui {

class LayerTableModel;
struct LayerRow;
class QuantDocument;

class LayerTable : public QWidget {
    Q_OBJECT
public:
    explicit LayerTable(QuantDocument* document, QWidget* parent = nullptr);

    LayerTableModel* model() const { return model_; }
    QSortFilterProxyModel* proxy() const { return proxy_; }
    QTableView* view() const { return view_; }
    int currentLayerNode() const; // NodeId of the selected row, -1 when none

    void setAnalysis(std::shared_ptr<const qs::ModelAnalysis> analysis);
    void setDivergenceThresholdDb(double thresholdDb);

private:
    void reload();
    std::vector<LayerRow> currentRows() const;
    void onCurrentNodeChanged(int node);
    void onRowSelected();

    QuantDocument* document_;
    LayerTableModel* model_;
    QSortFilterProxyModel* proxy_;
    QTableView* view_;
    QLineEdit* filter_;
    std::shared_ptr<const qs::ModelAnalysis> analysis_;
    bool syncing_ = false;
};

} // namespace qs::gui
