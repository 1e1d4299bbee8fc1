#include "widgets/layertable.h"

#include "core/analysis/modelanalysis.h"
#include "widgets/documentmodel.h"
#include "widgets/layertablemodel.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace qs::gui {

LayerTable::LayerTable(QuantDocument* document, QWidget* parent)
    : QWidget(parent)
    , document_(document)
    , model_(new LayerTableModel(this))
    , proxy_(new QSortFilterProxyModel(this))
{
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(LayerTableModel::SortRole);
    proxy_->setFilterKeyColumn(-1);
    proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);

    filter_ = new QLineEdit(this);
    filter_->setPlaceholderText(tr("Filter layers…"));
    filter_->setClearButtonEnabled(true);
    view_ = new QTableView(this);
    view_->setModel(proxy_);
    view_->setSortingEnabled(true);
    view_->sortByColumn(-1, Qt::AscendingOrder); // model order (topological) until the user sorts
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setSelectionMode(QAbstractItemView::SingleSelection);
    view_->setAlternatingRowColors(true);
    view_->verticalHeader()->hide();
    view_->verticalHeader()->setDefaultSectionSize(view_->fontMetrics().height() + 6);
    view_->horizontalHeader()->setStretchLastSection(true);
    view_->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    model_->setDocument(document_);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    layout->addWidget(filter_);
    layout->addWidget(view_, 1);

    connect(filter_, &QLineEdit::textChanged, proxy_, &QSortFilterProxyModel::setFilterFixedString);
    connect(
        view_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &LayerTable::onRowSelected);
    connect(document_, &QuantDocument::modelReset, this, [this] {
        analysis_.reset();
        reload();
    });
    connect(document_, &QuantDocument::topologyChanged, this, [this] {
        model_->setAnalysisStale(analysis_ != nullptr);
        reload();
    });
    connect(document_, &QuantDocument::quantizerChanged, this, [this] {
        model_->setAnalysisStale(analysis_ != nullptr);
        model_->updateRows(currentRows()); // keeps selection and sorting
    });
    connect(document_, &QuantDocument::currentNodeChanged, this, &LayerTable::onCurrentNodeChanged);
}

std::vector<LayerRow> LayerTable::currentRows() const
{
    if (!document_->isLoaded())
        return {};
    std::vector<LayerRow> rows = layerRowsFromDocument(document_->doc());
    if (analysis_)
        applyAnalysis(rows, *analysis_); // rows whose layer no longer matches stay empty
    return rows;
}

void LayerTable::setAnalysis(std::shared_ptr<const qs::ModelAnalysis> analysis)
{
    analysis_ = std::move(analysis);
    model_->setAnalysisStale(false);
    const bool first = !model_->rows().empty() && !model_->rows().front().risk;
    model_->updateRows(currentRows());
    if (first)
        view_->resizeColumnsToContents();
}

void LayerTable::setDivergenceThresholdDb(double thresholdDb)
{
    model_->setDivergenceThresholdDb(thresholdDb);
}

void LayerTable::reload()
{
    syncing_ = true;
    model_->setRows(currentRows());
    view_->resizeColumnsToContents();
    syncing_ = false;
    onCurrentNodeChanged(document_->currentNode());
}

int LayerTable::currentLayerNode() const
{
    const QModelIndexList rows = view_->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.front().data(LayerTableModel::NodeRole).toInt();
}

void LayerTable::onCurrentNodeChanged(int node)
{
    if (syncing_)
        return;
    syncing_ = true;
    const int row = model_->rowOfNode(node);
    const QModelIndex index = row >= 0 ? proxy_->mapFromSource(model_->index(row, 0)) : QModelIndex();
    if (index.isValid()) {
        view_->selectionModel()->select(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        view_->setCurrentIndex(index);
        view_->scrollTo(index);
    } else {
        view_->clearSelection();
    }
    syncing_ = false;
}

void LayerTable::onRowSelected()
{
    if (syncing_)
        return;
    const int node = currentLayerNode();
    if (node < 0)
        return; // deselecting a row keeps the graph's selection
    syncing_ = true;
    document_->setCurrentNode(node);
    syncing_ = false;
}

} // namespace qs::gui
