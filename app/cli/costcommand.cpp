// quantscope-cli cost MODEL [--json] [--no-sparsity] [--breakdown] [--cleaned]
// qonnx inference_cost semantics and JSON keys; UNIQ BOPs per layer as an extra field.
#include "app/cli/commands.h"
#include "app/cli/texttable.h"
#include "core/analysis/inferencecost.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

namespace qs::cli {
namespace {

using Json = nlohmann::json; // sorted keys, as qonnx writes them

struct CostCommandOptions {
    std::string model;
    bool json = false;
    bool noSparsity = false;
    bool breakdown = false;
    bool cleaned = false;
};

Json costJson(const ModelDocument& doc, const CostReport& report, const CostOptions& options, bool breakdown)
{
    Json j;
    Json total(report.total);
    total["unsupported"] = std::vector<std::string>(report.unsupported.begin(), report.unsupported.end());
    total["discount_sparsity"] = options.discountSparsity;
    j["total_cost"] = total;
    if (breakdown) {
        j["optype_cost"] = report.perOpType;
        j["node_cost"] = report.perNode;
    }
    Json layers = Json::array();
    for (const LayerCost& l : report.layers)
        layers.push_back({{"node", l.qonnxName}, {"name", doc.node(l.node).name}, {"op", doc.node(l.node).opType},
                          {"input_datatype", l.inputType}, {"weight_datatype", l.weightType},
                          {"output_datatype", l.outputType}, {"K", l.dotProductLength}, {"macs_dense", l.macsDense},
                          {"macs", l.macs}, {"weight_density", l.weightDensity}, {"bops_qonnx", l.bopsQonnx},
                          {"bops_uniq", l.bopsUniq}, {"bops_uniq_pruned", l.bopsUniqPruned}});
    j["quantscope"] = {{"layers", layers},
                       {"datatypes", options.cleaned ? "cleaned (as after qonnx-cleanup)" : "raw (qonnx default)"},
                       {"notes", report.notes}};
    return j;
}

void printTables(const ModelDocument& doc, const CostReport& report, const CostOptions& options)
{
    TextTable layers({"layer", "qonnx name", "in x w -> out", "K", "MACs", "density", "BOPs qonnx (mult)",
                      "BOPs UNIQ (mult+add)"});
    for (const LayerCost& l : report.layers)
        layers.addRow({doc.node(l.node).name, l.qonnxName, l.inputType + " x " + l.weightType + " -> " + l.outputType,
                       std::to_string(l.dotProductLength), formatNumber(l.macs, 8), formatNumber(l.weightDensity, 4),
                       formatNumber(l.bopsQonnx, 8), formatNumber(l.bopsUniq, 8)});
    layers.print(std::cout);
    std::cout << "\nTotals (qonnx inference_cost, sparsity discount " << (options.discountSparsity ? "on" : "off")
              << ", datatypes " << (options.cleaned ? "cleaned" : "raw") << ")\n";
    TextTable totals({"key", "value"});
    for (const auto& [key, value] : report.total)
        totals.addRow({key, formatNumber(value, 10)});
    std::string unsupported;
    for (const std::string& op : report.unsupported)
        unsupported += (unsupported.empty() ? "" : ", ") + op;
    totals.addRow({"unsupported", unsupported.empty() ? "-" : unsupported});
    totals.print(std::cout);
    for (const std::string& note : report.notes)
        std::cout << "note: " << note << "\n";
}

} // namespace

void addCostCommand(CLI::App& app)
{
    auto o = std::make_shared<CostCommandOptions>();
    CLI::App* cmd = app.add_subcommand("cost", "MACs, BOPs and memory per layer (qonnx inference_cost semantics)");
    cmd->add_option("model", o->model, "ONNX model file")->required();
    cmd->add_flag("--json", o->json, "qonnx-compatible JSON (total_cost, optype_cost, node_cost)");
    cmd->add_flag("--no-sparsity", o->noSparsity, "Do not discount MACs and weight memory by weight density");
    cmd->add_flag("--breakdown", o->breakdown, "Add optype_cost and node_cost to the JSON");
    cmd->add_flag("--cleaned", o->cleaned, "Datatypes as after qonnx-cleanup (computed parameters folded first)");
    cmd->callback([o] {
        const auto doc = ModelDocument::load(o->model);
        CostOptions options;
        options.discountSparsity = !o->noSparsity;
        options.cleaned = o->cleaned;
        const CostReport report = computeInferenceCost(*doc, options);
        if (o->json)
            std::cout << costJson(*doc, report, options, o->breakdown).dump(2) << "\n";
        else
            printTables(*doc, report, options);
    });
}

} // namespace qs::cli
