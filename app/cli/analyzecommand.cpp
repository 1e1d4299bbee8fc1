// quantscope-cli analyze MODEL [--acc-bits P] [--input NAME=FILE]... [--random SEED] [--batch N] [--static]
//   [--saturate] [--threshold DB] [--json | --csv]
// Cost, accumulator, quantization error and ranges per layer in one document (what the GUI shows).
#include "app/cli/accumulatorjson.h"
#include "app/cli/commands.h"
#include "app/cli/inputfiles.h"
#include "app/cli/texttable.h"
#include "core/analysis/modelanalysis.h"

#include <cmath>
#include <iostream>
#include <memory>

namespace qs::cli {
namespace {

using Json = nlohmann::ordered_json;

struct AnalyzeOptions {
    std::string model;
    int accBits = 32;
    std::vector<std::string> inputs;
    std::uint64_t seed = 0;
    std::int64_t batch = 8;
    bool staticOnly = false;
    bool saturate = false;
    double thresholdDb = 20.0;
    bool json = false;
    bool csv = false;
};

Json number(std::optional<double> v)
{
    if (!v || std::isnan(*v))
        return nullptr;
    if (std::isinf(*v))
        return *v > 0 ? "inf" : "-inf"; // JSON has no infinity
    return *v;
}

Json rangeJson(const std::optional<TensorRange>& r)
{
    if (!r)
        return nullptr;
    return {{"tensor", r->name},
            {"log2_min", r->stats.minLog2},
            {"log2_p05", r->stats.p5Log2},
            {"log2_p25", r->stats.p25Log2},
            {"log2_median", r->stats.medianLog2},
            {"log2_p75", r->stats.p75Log2},
            {"log2_p95", r->stats.p95Log2},
            {"log2_max", r->stats.maxLog2},
            {"zeros", r->stats.zeroCount},
            {"representable_log2", r->quantizer >= 0 && r->representable.known
                                       ? Json {r->representable.lowLog2, r->representable.highLog2}
                                       : Json(nullptr)}};
}

Json analysisJson(const ModelDocument& doc, const ModelAnalysis& a, const AnalyzeOptions& o)
{
    Json j;
    j["model"] = o.model;
    j["acc_bits"] = o.accBits;
    j["dynamic"] = !o.staticOnly;
    j["samples"] = o.staticOnly ? 0 : o.batch;
    Json layers = Json::array();
    for (const LayerSummary& s : a.layers) {
        Json l;
        l["layer"] = s.name;
        l["op"] = s.opType;
        l["input_bits"] = number(s.inputBits);
        l["weight_bits"] = number(s.weightBits);
        l["output_bits"] = number(s.outputBits);
        l["K"] = s.k;
        l["macs"] = s.macs;
        l["bops_qonnx"] = s.bopsQonnx;
        l["bops_uniq"] = s.bopsUniq;
        l["accumulator"] = accumulatorLayerJson(doc, a.accumulator.layers[static_cast<std::size_t>(s.layer)], false);
        l["sqnr_db"] = number(s.sqnrDb);
        for (const LayerRanges& r : a.ranges.layers)
            if (r.layer == s.layer)
                l["ranges"] = {{"weight", rangeJson(r.weight)}, {"input", rangeJson(r.input)}};
        layers.push_back(std::move(l));
    }
    j["layers"] = layers;
    j["total_cost"] = a.cost.total;
    if (a.error) {
        j["first_divergence"] = a.error->firstDivergence >= 0
            ? Json(a.error->layers[static_cast<std::size_t>(a.error->firstDivergence)].name)
            : Json(nullptr);
        Json outputs = Json::array();
        for (const OutputAgreement& out : a.error->outputs)
            outputs.push_back({{"name", out.name}, {"sqnr_db", number(out.metrics.sqnrDb)},
                               {"cosine", out.metrics.cosineSimilarity},
                               {"top1_agreement", out.classifier ? Json(out.top1Agreement) : Json(nullptr)}});
        j["outputs"] = outputs;
    }
    j["timing_ms"] = {{"static", a.staticMs}, {"dynamic", a.dynamicMs}};
    return j;
}

std::string cell(std::optional<double> v, int digits = 4)
{
    if (!v)
        return "";
    if (std::isinf(*v))
        return *v > 0 ? "inf" : "-inf";
    return formatNumber(*v, digits);
}

void printCsv(const ModelAnalysis& a)
{
    std::cout << "layer,op,input_bits,weight_bits,output_bits,K,macs,bops_qonnx,bops_uniq,acc_exact_bits,"
                 "acc_a2q_bits,acc_a2q_plus_bits,acc_datatype_bits,acc_observed_bits,risk,overflow_elements,sqnr_db\n";
    for (const LayerSummary& s : a.layers) {
        auto bits = [](int b) { return b >= 0 ? std::to_string(b) : std::string(); };
        std::cout << s.name << "," << s.opType << "," << cell(s.inputBits) << "," << cell(s.weightBits) << ","
                  << cell(s.outputBits) << "," << s.k << "," << formatNumber(s.macs, 12) << ","
                  << formatNumber(s.bopsQonnx, 12) << "," << formatNumber(s.bopsUniq, 12) << ","
                  << (s.accApplicable ? std::to_string(s.accExactBits) : "") << "," << bits(s.accA2qBits) << ","
                  << bits(s.accA2qPlusBits) << "," << (s.accApplicable ? std::to_string(s.accDataTypeBits) : "") << ","
                  << bits(s.accObservedBits) << "," << riskClassLabel(s.risk) << "," << s.overflowElements << ","
                  << cell(s.sqnrDb, 6) << "\n";
    }
}

void printTable(const ModelAnalysis& a, const AnalyzeOptions& o)
{
    TextTable t({"layer", "op", "bits in/w/out", "K", "MACs", "BOPs qonnx", "BOPs UNIQ", "acc exact", "A2Q", "A2Q+",
                 "observed", "risk @P", "SQNR dB"});
    for (const LayerSummary& s : a.layers) {
        auto bits = [](int b) { return b >= 0 ? std::to_string(b) : std::string("-"); };
        t.addRow({s.name, s.opType, cell(s.inputBits) + "/" + cell(s.weightBits) + "/" + cell(s.outputBits),
                  std::to_string(s.k), formatNumber(s.macs, 6), formatNumber(s.bopsQonnx, 6), formatNumber(s.bopsUniq, 6),
                  s.accApplicable ? std::to_string(s.accExactBits) : "n/a", bits(s.accA2qBits), bits(s.accA2qPlusBits),
                  bits(s.accObservedBits), riskClassLabel(s.risk), s.sqnrDb ? cell(s.sqnrDb, 4) : "-"});
    }
    std::cout << "P = " << o.accBits << " bits; " << (o.staticOnly ? "static analysis" : std::to_string(o.batch) + " samples")
              << "; static " << formatNumber(a.staticMs, 3) << " ms, dynamic " << formatNumber(a.dynamicMs, 4) << " ms\n";
    t.print(std::cout);
    if (a.error && a.error->firstDivergence >= 0)
        std::cout << "first divergence (SQNR < " << formatNumber(o.thresholdDb, 3)
                  << " dB): " << a.error->layers[static_cast<std::size_t>(a.error->firstDivergence)].name << "\n";
}

} // namespace

void addAnalyzeCommand(CLI::App& app)
{
    auto o = std::make_shared<AnalyzeOptions>();
    CLI::App* cmd = app.add_subcommand("analyze", "Cost, accumulator, error and ranges per layer in one document");
    cmd->add_option("model", o->model, "ONNX model file")->required();
    cmd->add_option("--acc-bits,-P", o->accBits, "Accumulator width P")->check(CLI::Range(2, 64));
    cmd->add_option("--input", o->inputs, "NAME=FILE (.npy, .npz, .pb); repeatable; default seeded random inputs");
    cmd->add_option("--random", o->seed, "Seed for random inputs");
    cmd->add_option("--batch", o->batch, "Random samples (default 8)")->check(CLI::Range(1, 4096));
    cmd->add_flag("--static", o->staticOnly, "Do not run the model (cost and bounds only)");
    cmd->add_flag("--saturate", o->saturate, "Saturating accumulator instead of wrap-around");
    cmd->add_option("--threshold", o->thresholdDb, "SQNR threshold for the first divergence (dB)");
    auto* json = cmd->add_flag("--json", o->json, "JSON output");
    cmd->add_flag("--csv", o->csv, "CSV output, one row per layer")->excludes(json);
    cmd->callback([o] {
        const auto doc = ModelDocument::load(o->model);
        AnalysisOptions options;
        options.accumulator.accBits = o->accBits;
        options.accumulator.mode = o->saturate ? OverflowMode::Saturate : OverflowMode::Wrap;
        options.dynamic = !o->staticOnly;
        options.seed = o->seed;
        options.batch = o->batch;
        options.divergenceThresholdDb = o->thresholdDb;
        if (!o->staticOnly)
            options.inputs = loadInputs(*doc, o->inputs, o->seed, o->batch);
        const ModelAnalysis analysis = analyzeModel(*doc, options);
        if (o->json)
            std::cout << analysisJson(*doc, analysis, *o).dump(2) << "\n";
        else if (o->csv)
            printCsv(analysis);
        else
            printTable(analysis, *o);
    });
}

} // namespace qs::cli
