#pragma once
// Everything about the current node: op, domain, name, attributes, inputs and outputs with type and
// shape, its quantizer's parameters, and the histogram of the weights it uses.
#include <QWidget>

class QTreeWidget;
class QTreeWidgetItem;

namespace qs {
class ModelDocument;
}

namespace qs::gui {

class QuantDocument;
class QuantizerEditor;
class WeightHistogram;

class PropertyPanel : public QWidget {
    Q_OBJECT
public:
    explicit PropertyPanel(QuantDocument* document, QWidget* parent = nullptr);

    QTreeWidget* tree() const { return tree_; }
    WeightHistogram* histogram() const { return histogram_; }
    QuantizerEditor* editor() const { return editor_; }

private:
    void showNode(int node);
    void showModel(); // when no node is selected
    void addQuantizer(QTreeWidgetItem* parent, int quantizer);
    void showWeights(int node);

    QuantDocument* document_;
    QTreeWidget* tree_;
    WeightHistogram* histogram_;
    QuantizerEditor* editor_;
};

} // namespace qs::gui
