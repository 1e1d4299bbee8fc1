// quantscope-cli error: the quantized network against its float shadow (every quantizer bypassed),
// per layer, per quantizer and per output, and the first layer whose SQNR falls below a threshold.
#include "app/cli/commands.h"
#include "app/cli/inputfiles.h"
#include "app/cli/modeljson.h"
#include "app/cli/texttable.h"
#include "core/analysis/quanterror.h"
#include "core/util/error.h"

#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>

namespace qs::cli {
namespace {

constexpr std::int64_t kDefaultBatch = 8; // enough random samples for statistically meaningful numbers

struct ErrorCommandOptions {
    std::string model;
    std::vector<std::string> inputs;
    std::uint64_t seed = 0;
    std::int64_t batch = 0; // 0: kDefaultBatch for random inputs, the files' own batch otherwise
    double thresholdDb = 20.0;
    bool isolation = false;
    bool json = false;
};

// JSON has no infinities: +-inf become the strings "inf" / "-inf", NaN becomes null.
Json number(double v)
{
    if (std::isnan(v))
        return nullptr;
    if (std::isinf(v))
        return v > 0 ? "inf" : "-inf";
    return v;
}

Json metricsJson(const ErrorMetrics& m)
{
    return Json {{"sqnr_db", number(m.sqnrDb)}, {"mse", number(m.mse)},
        {"max_abs_error", number(m.maxAbsError)}, {"cosine_similarity", number(m.cosineSimilarity)},
        {"signal_power", number(m.signalPower)}, {"count", m.count}};
}

Json reportJson(const ModelDocument& doc, const QuantErrorReport& report, const ErrorCommandOptions& o,
    std::int64_t batch)
{
    Json j;
    j["model"] = std::filesystem::path(o.model).filename().string();
    j["batch"] = batch;
    j["seed"] = o.seed;
    j["threshold_db"] = report.divergenceThresholdDb;
    j["layers"] = Json::array();
    for (const LayerError& l : report.layers) {
        Json e {{"name", l.name}, {"op", l.opType}, {"topological_position", l.topologicalPosition},
            {"output", doc.tensor(doc.layers()[static_cast<std::size_t>(l.layer)].output).name}};
        e.update(l.available ? metricsJson(l.output) : Json {{"sqnr_db", nullptr}});
        j["layers"].push_back(std::move(e));
    }
    j["quantizers"] = Json::array();
    for (const QuantizerError& q : report.quantizers) {
        const Quantizer& quantizer = doc.quantizers()[static_cast<std::size_t>(q.quantizer)];
        Json e {{"name", q.name}, {"kind", quantizerKindName(quantizer.kind)},
            {"role", quantizerRoleName(quantizer.role)}, {"datatype", quantizer.dataType},
            {"bit_width", quantizer.bitWidth ? Json(*quantizer.bitWidth) : Json()}};
        e.update(q.available ? metricsJson(q.output) : Json {{"sqnr_db", nullptr}});
        e["local"] = q.localAvailable ? metricsJson(q.local) : Json();
        e["clip_low_fraction"] = q.clipKnown ? Json(q.clipLowFraction) : Json();
        e["clip_high_fraction"] = q.clipKnown ? Json(q.clipHighFraction) : Json();
        if (q.isolated)
            e["isolated"] = metricsJson(*q.isolated);
        j["quantizers"].push_back(std::move(e));
    }
    j["outputs"] = Json::array();
    for (const OutputAgreement& out : report.outputs) {
        Json e {{"name", out.name}};
        e.update(metricsJson(out.metrics));
        e["classifier"] = out.classifier;
        e["samples"] = out.samples;
        e["top1_agreement"] = out.classifier ? Json(out.top1Agreement) : Json();
        j["outputs"].push_back(std::move(e));
    }
    j["all_outputs"] = metricsJson(report.allOutputs);
    if (report.firstDivergence >= 0) {
        const LayerError& l = report.layers[static_cast<std::size_t>(report.firstDivergence)];
        j["first_divergence"] = {{"layer", l.name}, {"op", l.opType}, {"sqnr_db", number(l.output.sqnrDb)}};
    } else {
        j["first_divergence"] = nullptr;
    }
    j["notes"] = report.notes;
    return j;
}

std::string db(double v)
{
    return formatNumber(v, 4);
}
std::string percent(double fraction)
{
    return formatNumber(100 * fraction, 3) + "%";
}

void printTables(const ModelDocument& doc, const QuantErrorReport& report, const ErrorCommandOptions& o,
    std::int64_t batch)
{
    std::cout << std::filesystem::path(o.model).filename().string() << ": quantized vs float shadow, "
              << (o.inputs.empty()
                         ? std::to_string(batch) + " random sample(s) (seed " + std::to_string(o.seed) + ")"
                         : std::string("given inputs"))
              << "\n\nOutputs\n";
    TextTable outputs({"output", "SQNR dB", "MSE", "max |d|", "cosine", "top-1 agreement"});
    for (const OutputAgreement& out : report.outputs)
        outputs.addRow({out.name, db(out.metrics.sqnrDb), formatNumber(out.metrics.mse),
            formatNumber(out.metrics.maxAbsError), formatNumber(out.metrics.cosineSimilarity, 6),
            out.classifier ? std::to_string(out.top1Agreements) + "/" + std::to_string(out.samples) + " ("
                    + percent(out.top1Agreement) + ")"
                           : "-"});
    outputs.print(std::cout);

    std::cout << "\nFirst divergence (layer output SQNR < " << formatNumber(report.divergenceThresholdDb)
              << " dB): ";
    if (report.firstDivergence >= 0) {
        const LayerError& l = report.layers[static_cast<std::size_t>(report.firstDivergence)];
        std::cout << l.name << " (" << l.opType << "), " << db(l.output.sqnrDb) << " dB\n";
    } else {
        std::cout << "none\n";
    }

    if (!report.layers.empty()) {
        std::cout << "\nLayers (topological order)\n";
        TextTable layers({"layer", "op", "SQNR dB", "MSE", "max |d|", "cosine"});
        for (const LayerError& l : report.layers)
            layers.addRow({l.name, l.opType, l.available ? db(l.output.sqnrDb) : "?",
                l.available ? formatNumber(l.output.mse) : "?",
                l.available ? formatNumber(l.output.maxAbsError) : "?",
                l.available ? formatNumber(l.output.cosineSimilarity, 6) : "?"});
        layers.print(std::cout);
    }

    if (!report.quantizers.empty()) {
        std::cout << "\nQuantizers (SQNR: accumulated at its output; local: the error it adds itself)\n";
        std::vector<std::string> header {
            "quantizer", "role", "datatype", "SQNR dB", "local dB", "clip low", "clip high"};
        if (o.isolation)
            header.push_back("alone: output dB");
        TextTable quantizers(header);
        for (const QuantizerError& q : report.quantizers) {
            const Quantizer& quantizer = doc.quantizers()[static_cast<std::size_t>(q.quantizer)];
            std::vector<std::string> row {q.name, quantizerRoleName(quantizer.role), quantizer.dataType,
                q.available ? db(q.output.sqnrDb) : "?", q.localAvailable ? db(q.local.sqnrDb) : "-",
                q.clipKnown ? percent(q.clipLowFraction) : "-",
                q.clipKnown ? percent(q.clipHighFraction) : "-"};
            if (o.isolation)
                row.push_back(q.isolated ? db(q.isolated->sqnrDb) : "-");
            quantizers.addRow(std::move(row));
        }
        quantizers.print(std::cout);
    }
    for (const std::string& note : report.notes)
        std::cout << "note: " << note << "\n";
}

std::int64_t firstDim(const std::map<std::string, Tensor>& inputs)
{
    return !inputs.empty() && inputs.begin()->second.rank() > 0 ? inputs.begin()->second.shape()[0] : 1;
}

void execute(const ErrorCommandOptions& o)
{
    const auto doc = ModelDocument::load(o.model);
    const Executor executor(*doc);
    QuantErrorOptions options;
    options.divergenceThresholdDb = o.thresholdDb;
    options.isolation = o.isolation;
    const bool defaultBatch = o.batch == 0 && o.inputs.empty();
    auto inputs = loadInputs(*doc, o.inputs, o.seed, defaultBatch ? kDefaultBatch : o.batch);
    QuantErrorReport report;
    try {
        report = runAndAnalyzeQuantizationError(executor, inputs, options);
    } catch (const Cancelled&) {
        throw;
    } catch (const Error& e) {
        // Models with batch-1 constants (e.g. a fixed Reshape) only run with their declared batch.
        if (!defaultBatch)
            throw;
        inputs = loadInputs(*doc, o.inputs, o.seed, 0);
        report = runAndAnalyzeQuantizationError(executor, inputs, options);
        report.notes.insert(report.notes.begin(),
            "the model does not run with a batch of " + std::to_string(kDefaultBatch) + " (" + e.what()
                + "); used its declared batch");
    }
    if (o.json)
        std::cout << reportJson(*doc, report, o, firstDim(inputs)).dump(2) << "\n";
    else
        printTables(*doc, report, o, firstDim(inputs));
}

} // namespace

void addErrorCommand(CLI::App& app)
{
    auto o = std::make_shared<ErrorCommandOptions>();
    CLI::App* cmd = app.add_subcommand("error", "Quantization error: quantized model vs its float shadow");
    cmd->add_option("model", o->model, "ONNX model file")->required();
    cmd->add_option(
        "--input", o->inputs, "NAME=FILE (.npy, .npz, .pb); repeatable; missing inputs are random");
    cmd->add_option("--random", o->seed, "Seed for random inputs (default 0)");
    cmd->add_option("--batch", o->batch, "Samples in the batch (default 8 for random inputs)")
        ->check(CLI::Range(1, 1 << 20));
    cmd->add_option(
        "--threshold", o->thresholdDb, "SQNR in dB below which a layer has diverged (default 20)");
    cmd->add_flag("--isolation", o->isolation, "Also run each quantizer alone (one extra run per quantizer)");
    cmd->add_flag("--json", o->json, "Print one JSON object");
    cmd->callback([o] { execute(*o); });
}

} // namespace qs::cli
