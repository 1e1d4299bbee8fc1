#pragma once
// Shared helpers for the widget tests: load a test model into a QuantDocument and wait for layouts.
#include "core/model/modeldocument.h"
#include "widgets/documentmodel.h"
#include "widgets/graphwidget.h"

#include <QSignalSpy>
#include <QString>
#include <QTest>

namespace qs::gui::test {

inline QString modelPath(const char* name)
{
    return QStringLiteral(QS_TEST_DATA_DIR "/models/") + QLatin1String(name);
}

inline void load(QuantDocument& document, const char* name)
{
    document.reset(qs::ModelDocument::load(modelPath(name).toStdString()));
}

// Waits for the graph widget's pending layout (if any) to land in the scene.
inline bool waitForLayout(GraphWidget& graph, int timeoutMs = 120000)
{
    if (!graph.isLayoutPending())
        return true;
    QSignalSpy spy(&graph, &GraphWidget::layoutReady);
    return spy.wait(timeoutMs);
}

} // namespace qs::gui::test
