#pragma once
// "Set bit widths…": one bit width for a whole group of quantizers (conv weights, all weights,
// activations), applied as one undo step.
#include <QDialog>

#include <vector>

class QComboBox;
class QLabel;
class QSpinBox;

namespace qs::gui {

class QuantDocument;

enum class BulkTarget { ConvWeights, AllWeights, Activations };

// The quantizer ids a target covers in the document.
std::vector<int> bulkTargetQuantizers(const QuantDocument& document, BulkTarget target);
// Applies the bit width as one undo step; returns the refusal message or empty.
QString applyBulkBits(QuantDocument& document, BulkTarget target, int bits);

class BulkEditDialog : public QDialog {
    Q_OBJECT
public:
    explicit BulkEditDialog(QuantDocument* document, QWidget* parent = nullptr);

    void accept() override;

private:
    void updateCount();

    QuantDocument* document_;
    QComboBox* target_;
    QSpinBox* bits_;
    QLabel* count_;
    QLabel* error_;
};

} // namespace qs::gui
