// Layout benchmark: segmented layout vs one plain dot run on synthetic QONNX-shaped graphs.
//   bench_layout            the table, plus SVGs of the residual graphs in /tmp/layout-*.svg
//   bench_layout --sweep    layout time of the 10 000-node residual graph by maxSegmentNodes
//   bench_layout --race     runs gvLayout on two threads at once WITHOUT the Graphviz lock and compares
//                           with serial results: the evidence that dot is not re-entrant (may crash)
#include "core/layout/graphlayout.h"
#include "core/layout/graphvizlock.h"
#include "core/layout/layoutexport.h"
#include "core/layout/syntheticgraphs.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <string>
#include <thread>
#include <vector>

using namespace qs;

namespace {

// Resets the peak-RSS counter (Linux >= 4.0) so each graph's peak is its own.
void resetPeakRss()
{
    std::ofstream("/proc/self/clear_refs") << "5";
}

double peakRssMb()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stod(line.substr(6)) / 1024.0;
    return 0;
}

double medianLayoutMs(const LayoutGraph& graph, const LayoutOptions& options, int runs, GraphLayout* last)
{
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        GraphLayout layout = layoutGraph(graph, options);
        ms.push_back(layout.layoutMs);
        if (last)
            *last = std::move(layout);
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

struct Case {
    std::string name;
    std::function<LayoutGraph()> make;
};

void runTable()
{
    const std::vector<Case> cases {
        {"addernet-like", [] { return makeAdderNetLike(); }},
        {"addernet-like+labels", [] { return makeAdderNetLike(true); }},
        {"residual-500", [] { return makeSyntheticResidual(500); }},
        {"chain-2000", [] { return makeSyntheticChain(2000); }},
        {"residual-2000", [] { return makeSyntheticResidual(2000); }},
        {"residual-2000+labels", [] { return makeSyntheticResidual(2000, true); }},
        {"residual-5000", [] { return makeSyntheticResidual(5000); }},
        {"chain-10000", [] { return makeSyntheticChain(10000); }},
        {"residual-10000", [] { return makeSyntheticResidual(10000); }},
        {"residual-10000+labels", [] { return makeSyntheticResidual(10000, true); }},
        {"residual-50000", [] { return makeSyntheticResidual(50000); }},
    };
    const GraphLayout warmUp = layoutGraph(makeSyntheticChain(4)); // loads the dot plugin once
    std::printf("first layout in the process (plugin load + 4 nodes): %.1f ms\n", warmUp.layoutMs);
    std::printf("%-22s %7s %7s %5s %10s %10s %8s %12s\n", "graph", "nodes", "edges", "segs", "ms(2 thr)",
        "ms(1 thr)", "peakMB", "plain dot ms");
    for (const Case& c : cases) {
        const LayoutGraph graph = c.make();
        resetPeakRss();
        GraphLayout layout = layoutGraph(graph); // warm-up: first-touch page faults, allocator growth
        LayoutOptions options;
        const double ms = medianLayoutMs(graph, options, 3, &layout);
        const double peakMb = peakRssMb();
        options.threads = 1;
        const double singleThreadMs = medianLayoutMs(graph, options, 3, nullptr);
        std::string plain = "-";
        if (graph.nodes.size() <= 2000) {
            LayoutOptions whole;
            whole.maxSegmentNodes = 0;
            plain = std::to_string(static_cast<int>(medianLayoutMs(graph, whole, 3, nullptr)));
        }
        std::printf("%-22s %7zu %7zu %5d %10.0f %10.0f %8.0f %12s\n", c.name.c_str(), graph.nodes.size(),
            graph.edges.size(), layout.segmentCount, ms, singleThreadMs, peakMb, plain.c_str());
        std::fflush(stdout);
        if (c.name == "residual-2000" || c.name == "residual-10000" || c.name == "addernet-like+labels")
            std::ofstream("/tmp/layout-" + c.name + ".svg") << layoutToSvg(graph, layout);
    }
}

void runSweep()
{
    for (const bool labels : {false, true}) {
        const LayoutGraph graph = makeSyntheticResidual(10000, labels);
        for (const int maxNodes : {100, 150, 200, 300, 400, 500, 700}) {
            LayoutOptions options;
            options.maxSegmentNodes = maxNodes;
            GraphLayout layout;
            const double ms = medianLayoutMs(graph, options, 1, &layout);
            std::printf("residual-10000%s maxSegmentNodes %4d: %3d segments, %6.0f ms\n",
                labels ? "+labels" : "", maxNodes, layout.segmentCount, ms);
            std::fflush(stdout);
        }
    }
}

// --- race experiment: raw Graphviz, two threads, no lock ---

std::vector<double> layoutRaw(GVC_t* gvc, const std::string& dot)
{
    std::vector<double> coords;
    Agraph_t* g = nullptr;
    {
        std::lock_guard lock(graphvizMutex()); // parsing is not what is measured
        g = agmemread(dot.c_str());
    }
    gvLayout(gvc, g, "dot");
    for (Agnode_t* n = agfstnode(g); n; n = agnxtnode(g, n)) {
        coords.push_back(ND_coord(n).x);
        coords.push_back(ND_coord(n).y);
    }
    {
        std::lock_guard lock(graphvizMutex());
        gvFreeLayout(gvc, g);
        agclose(g);
    }
    return coords;
}

std::string toDot(const LayoutGraph& graph)
{
    std::string dot = "digraph G { node [shape=box, fixedsize=true, width=1, height=0.4, label=\"\"];\n";
    for (const LayoutEdge& e : graph.edges)
        dot += "n" + std::to_string(e.from) + " -> n" + std::to_string(e.to) + ";\n";
    return dot + "}\n";
}

void runRace()
{
    const std::string a = toDot(makeSyntheticResidual(400)), b = toDot(makeAdderNetLike());
    GVC_t* gvcA = gvContext();
    GVC_t* gvcB = gvContext();
    const std::vector<double> refA = layoutRaw(gvcA, a), refB = layoutRaw(gvcB, b);
    int mismatches = 0;
    const int rounds = 20;
    for (int round = 0; round < rounds; ++round) {
        std::vector<double> gotA, gotB;
        std::thread t([&] { gotA = layoutRaw(gvcA, a); });
        gotB = layoutRaw(gvcB, b);
        t.join();
        mismatches += (gotA != refA) + (gotB != refB);
    }
    std::printf("concurrent gvLayout without the lock: %d of %d layouts differ from the serial result\n",
        mismatches, 2 * rounds);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc > 1 && std::strcmp(argv[1], "--race") == 0)
        runRace();
    else if (argc > 1 && std::strcmp(argv[1], "--sweep") == 0)
        runSweep();
    else
        runTable();
    return 0;
}
