#pragma once
// Lays out the document's graph off the GUI thread and keeps the result per collapse mode, so
// toggling "collapse quantizers" back and forth and every parameter edit reuse the geometry; only a
// new model or a topology change drops the cache.
#include "core/layout/graphlayout.h"
#include "core/modelgraph/modelgraph.h"

#include <QObject>

#include <array>
#include <memory>

namespace qs::gui {

class QuantDocument;
class TaskRunner;

struct LaidOutGraph {
    std::shared_ptr<const qs::ModelGraph> graph;
    std::shared_ptr<const qs::GraphLayout> layout;
    explicit operator bool() const { return graph && layout; }
};

class GraphLayoutCache : public QObject {
    Q_OBJECT
public:
    explicit GraphLayoutCache(QuantDocument* document, QObject* parent = nullptr);

    // Emits ready() at once when cached, else after a background layout.
    void request(bool collapseQuantizers);
    void invalidate();
    TaskRunner* runner() const { return runner_; }
    int layoutsComputed() const { return layoutsComputed_; } // for tests: the cache is used

signals:
    void ready(bool collapseQuantizers, const qs::gui::LaidOutGraph& result);
    void failed(const QString& message);

private:
    QuantDocument* document_;
    TaskRunner* runner_;
    std::array<LaidOutGraph, 2> cache_;
    int layoutsComputed_ = 0;
};

} // namespace qs::gui
