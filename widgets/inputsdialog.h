#pragma once
// "Inputs…": what the live analysis feeds the executor — per graph input a data file (.npy, .npz,
// .pb) or one or more images, or seeded random data; the seed and the batch of the random data.
// Accepting checks that the files load for this model and stays open with the message if not.
#include "widgets/analysiscontroller.h"

#include <QDialog>

#include <vector>

class QLabel;
class QLineEdit;
class QSpinBox;

namespace qs::gui {

class InputsDialog : public QDialog {
    Q_OBJECT
public:
    InputsDialog(const qs::ModelDocument& doc, const AnalysisSettings& settings, QWidget* parent = nullptr);

    AnalysisSettings settings() const;
    void accept() override;

private:
    struct InputRow {
        QString name;
        QLineEdit* files;
    };
    void browse(const InputRow& row);

    const qs::ModelDocument& doc_;
    AnalysisSettings settings_;
    std::vector<InputRow> rows_;
    QSpinBox* seed_;
    QSpinBox* batch_;
    QLabel* error_;
};

} // namespace qs::gui
