#pragma once
// The layer table panel: a filter box over a sortable QTableView of LayerTableModel, linked to the
// document's current node in both directions.
#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace qs::gui {

class LayerTableModel;
class QuantDocument;

class LayerTable : public QWidget {
    Q_OBJECT
public:
    explicit LayerTable(QuantDocument* document, QWidget* parent = nullptr);

    LayerTableModel* model() const { return model_; }
    QSortFilterProxyModel* proxy() const { return proxy_; }
    QTableView* view() const { return view_; }
    int currentLayerNode() const; // NodeId of the selected row, -1 when none

private:
    void reload();
    void onCurrentNodeChanged(int node);
    void onRowSelected();

    QuantDocument* document_;
    LayerTableModel* model_;
    QSortFilterProxyModel* proxy_;
    QTableView* view_;
    QLineEdit* filter_;
    bool syncing_ = false;
};

} // namespace qs::gui
