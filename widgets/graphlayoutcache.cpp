#include "widgets/graphlayoutcache.h"

#include "widgets/documentmodel.h"
#include "widgets/taskrunner.h"

namespace qs::gui {

GraphLayoutCache::GraphLayoutCache(QuantDocument* document, QObject* parent)
    : QObject(parent)
    , document_(document)
    , runner_(new TaskRunner(this))
{
}

void GraphLayoutCache::invalidate()
{
    runner_->cancel();
    cache_ = {};
}

void GraphLayoutCache::request(bool collapse)
{
    if (!document_->isLoaded())
        return;
    const LaidOutGraph& cached = cache_[collapse ? 1 : 0];
    if (cached) {
        runner_->cancel();
        emit ready(collapse, cached);
        return;
    }
    // The model graph reads the document, so it is built here on the GUI thread (linear and quick);
    // the worker only sees this plain copy.
    qs::ModelGraphOptions options;
    options.collapseQuantizers = collapse;
    auto graph = std::make_shared<const qs::ModelGraph>(qs::buildModelGraph(document_->doc(), options));
    runner_->start(
        tr("Laying out the graph"),
        [this, graph, collapse](const qs::Progress& progress) -> TaskRunner::Continuation {
            auto layout
                = std::make_shared<const qs::GraphLayout>(qs::layoutGraph(graph->layout, {}, &progress));
            return [this, graph, layout, collapse] {
                ++layoutsComputed_;
                cache_[collapse ? 1 : 0] = LaidOutGraph {graph, layout};
                emit ready(collapse, cache_[collapse ? 1 : 0]);
            };
        },
        [this](const QString& message) { emit failed(message); });
}

} // namespace qs::gui
