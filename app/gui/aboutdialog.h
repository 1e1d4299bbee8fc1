#pragma once
// Help ▸ About: the version of Quantscope and of the libraries it runs on (as --version prints them),
// its licence, and the third-party licence notes (packaging/THIRD-PARTY-LICENSES.md, built in).
#include <QDialog>

namespace qs::gui {

class AboutDialog : public QDialog {
    Q_OBJECT
public:
    explicit AboutDialog(QWidget* parent = nullptr);
};

} // namespace qs::gui
