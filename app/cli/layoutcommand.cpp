// quantscope-cli layout MODEL [--collapse-quantizers] [--no-labels] [--svg OUT.svg] [--json OUT.json]
#include "app/cli/commands.h"
#include "app/cli/texttable.h"
#include "core/layout/layoutexport.h"
#include "core/modelgraph/modelgraph.h"
#include "core/util/atomicfile.h"

#include <chrono>
#include <iostream>
#include <memory>

namespace qs::cli {
namespace {

struct LayoutCommandOptions {
    std::string model;
    bool collapse = false;
    bool noLabels = false;
    int segmentNodes = 600;
    std::string svg;
    std::string json;
};

void execute(const LayoutCommandOptions& o)
{
    const auto start = std::chrono::steady_clock::now();
    const auto doc = ModelDocument::load(o.model);
    const auto loaded = std::chrono::steady_clock::now();
    ModelGraphOptions graphOptions;
    graphOptions.collapseQuantizers = o.collapse;
    graphOptions.edgeLabels = !o.noLabels;
    const ModelGraph graph = buildModelGraph(*doc, graphOptions);
    LayoutOptions layoutOptions;
    layoutOptions.maxSegmentNodes = o.segmentNodes;
    const GraphLayout layout = layoutGraph(graph.layout, layoutOptions);
    const auto done = std::chrono::steady_clock::now();
    const auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
    std::cout << o.model << ": " << graph.layout.nodes.size() << " boxes, " << graph.layout.edges.size() << " edges, "
              << layout.segmentCount << " segment(s); load " << formatNumber(ms(start, loaded), 4) << " ms, layout "
              << formatNumber(layout.layoutMs, 4) << " ms, total " << formatNumber(ms(start, done), 4) << " ms; "
              << formatNumber(layout.width, 5) << " x " << formatNumber(layout.height, 6) << " pt\n";
    if (!o.svg.empty())
        writeFileAtomically(o.svg, layoutToSvg(graph.layout, layout));
    if (!o.json.empty())
        writeFileAtomically(o.json, layoutToJson(graph.layout, layout));
}

} // namespace

void addLayoutCommand(CLI::App& app)
{
    auto o = std::make_shared<LayoutCommandOptions>();
    CLI::App* cmd = app.add_subcommand("layout", "Lay the graph out with Graphviz (segmented for big graphs)");
    cmd->add_option("model", o->model, "ONNX model file")->required();
    cmd->add_flag("--collapse-quantizers", o->collapse, "Draw quantizers as badges on edges instead of boxes");
    cmd->add_flag("--no-labels", o->noLabels, "No tensor shapes on edges (faster)");
    cmd->add_option("--segment-nodes", o->segmentNodes, "Largest segment given to one dot run (<= 0: never cut)");
    cmd->add_option("--svg", o->svg, "Write the drawing as SVG");
    cmd->add_option("--json", o->json, "Write node boxes and edge routes as JSON");
    cmd->callback([o] { execute(*o); });
}

} // namespace qs::cli
