#pragma once
// "Fit accumulator…": shrinks the integer weights so that each layer's accumulator bound fits the
// chosen width P (core/projection/accumulatorfit.h), by the exact, A2Q or A2Q+ bound, for every layer
// that overflows P or only the selected one. Applied as one undo step; refusals stay in the dialog.
#include "core/projection/accumulatorfit.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QRadioButton;

namespace qs::gui {

class QuantDocument;

// One line for the status bar, e.g. "Fitted 3 layers to 16 bits: 1 234 weight codes changed".
QString fitSummary(const qs::FitReport& report);

class FitAccumulatorDialog : public QDialog {
    Q_OBJECT
public:
    FitAccumulatorDialog(QuantDocument* document, int accBits, QWidget* parent = nullptr);

    qs::FitOptions options() const;
    const qs::FitReport& report() const { return report_; }
    void accept() override;

private:
    QuantDocument* document_;
    int accBits_;
    QString selectedLayer_;
    QComboBox* method_;
    QRadioButton* all_;
    QRadioButton* selected_;
    QLabel* error_;
    qs::FitReport report_;
};

} // namespace qs::gui
