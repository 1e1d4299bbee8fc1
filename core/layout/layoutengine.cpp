// layoutGraph: validation, segmentation, the dot runs on worker threads, and stitching.
#include "core/layout/dotsegment.h"
#include "core/layout/graphlayout.h"
#include "core/layout/segmentation.h"
#include "core/layout/stitching.h"
#include "core/layout/topology.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <thread>

namespace qs {
namespace {

// Lays out every segment; workers take segments in order. The first failure (including Cancelled from
// progress) stops the others and is rethrown on the calling thread.
std::vector<SegmentLayout> layoutSegments(const LayoutGraph& graph, const Topology& topo,
    const Segmentation& seg, const LayoutOptions& options, const Progress* progress)
{
    const int total = static_cast<int>(seg.segments.size());
    std::vector<SegmentLayout> parts(seg.segments.size());
    std::atomic<int> next {0};
    std::atomic<bool> failed {false};
    std::mutex reportMutex; // serialises progress callbacks and keeps `done` monotonic
    int done = 0;
    std::exception_ptr failure;

    const auto work = [&] {
        try {
            for (int k = next++; k < total && !failed; k = next++) {
                if (progress)
                    progress->throwIfCancelled();
                parts[static_cast<size_t>(k)] = layoutSegmentWithDot(graph, topo, seg, k, options);
                std::lock_guard lock(reportMutex);
                ++done;
                if (progress)
                    progress->step(done, total, "layout segments");
            }
        } catch (...) {
            std::lock_guard lock(reportMutex);
            if (!failure)
                failure = std::current_exception();
            failed = true;
        }
    };
    if (progress)
        progress->step(0, total, "layout segments");
    const int helpers = std::clamp(options.threads, 1, std::max(1, total)) - 1;
    {
        std::vector<std::jthread> workers;
        for (int i = 0; i < helpers; ++i)
            workers.emplace_back(work);
        work();
    }
    if (failure)
        std::rethrow_exception(failure);
    return parts;
}

} // namespace

GraphLayout layoutGraph(const LayoutGraph& graph, const LayoutOptions& options, const Progress* progress)
{
    const auto start = std::chrono::steady_clock::now();
    const Topology topo = computeTopology(graph);
    const Segmentation seg = segmentGraph(graph, topo, options.maxSegmentNodes);
    const std::vector<SegmentLayout> parts = layoutSegments(graph, topo, seg, options, progress);
    GraphLayout layout = stitchSegments(graph, topo, seg, parts, options);
    layout.segmentCount = static_cast<int>(seg.segments.size());
    layout.layoutMs
        = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return layout;
}

} // namespace qs
