#pragma once
// The find bar (Ctrl+F): type a node name, op type or tensor name; Enter selects the next hit
// (Shift+Enter the previous one), cycling through all of them.
#include <QWidget>

#include <vector>

class QLabel;
class QLineEdit;

namespace qs::gui {

class QuantDocument;

class FindBar : public QWidget {
    Q_OBJECT
public:
    explicit FindBar(QuantDocument* document, QWidget* parent = nullptr);

    void activate(); // show, focus and select the text
    void setText(const QString& text);
    void next();
    void previous();
    int hitCount() const { return static_cast<int>(hits_.size()); }
    int currentHit() const { return current_; } // index into the hits, -1 before the first

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void search();
    void step(int delta);
    void updateLabel();

    QuantDocument* document_;
    QLineEdit* edit_;
    QLabel* count_;
    std::vector<int> hits_;
    int current_ = -1;
};

} // namespace qs::gui
