#pragma once
// In-place editing of one quantizer: bit width, signedness, narrow range and rounding mode. Every
// change goes through the document (validated by core, one undo step; spin-box drags merge); a
// refused value is explained in place and the controls snap back to the document's state.
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QSpinBox;

namespace qs::gui {

class QuantDocument;

class QuantizerEditor : public QWidget {
    Q_OBJECT
public:
    explicit QuantizerEditor(QuantDocument* document, QWidget* parent = nullptr);

    // -1 hides the editor.
    void setQuantizer(int quantizer);
    int quantizer() const { return quantizer_; }
    QSpinBox* bitsBox() const { return bits_; }
    QString lastError() const;

private:
    void reload();
    void apply(const char* field);

    QuantDocument* document_;
    int quantizer_ = -1;
    QLabel* title_;
    QSpinBox* bits_;
    QCheckBox* signed_;
    QCheckBox* narrow_;
    QComboBox* rounding_;
    QLabel* error_;
    bool loading_ = false;
};

} // namespace qs::gui
