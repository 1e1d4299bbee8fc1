// quantscope-cli fit-accumulator MODEL --acc-bits P [--layer NAME]... [--method a2q|a2q-plus|exact]
//   [--input NAME=FILE]... [--random SEED] [--batch N] [--static] [--json] -o OUT
// Shrinks the integer weights of the chosen layers so their accumulator bound fits P bits, reports the
// weight error and the change in output SQNR, and writes OUT atomically.
#include "app/cli/commands.h"
#include "app/cli/inputfiles.h"
#include "app/cli/texttable.h"
#include "core/analysis/accumulatoranalysis.h"
#include "core/projection/accumulatorfit.h"
#include "core/util/error.h"

#include <cmath>
#include <iostream>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>

namespace qs::cli {
namespace {

struct FitCommandOptions {
    std::string model;
    int accBits = 0;
    std::vector<std::string> layers;
    std::string method = "exact";
    std::vector<std::string> inputs;
    std::uint64_t seed = 0;
    std::int64_t batch = 8;
    bool staticOnly = false;
    bool json = false;
    std::string output;
};

nlohmann::ordered_json dbJson(const std::optional<double>& v)
{
    if (!v || std::isnan(*v))
        return nullptr;
    if (std::isinf(*v))
        return *v > 0 ? "inf" : "-inf"; // JSON has no infinity
    return *v;
}

std::string dbText(const std::optional<double>& v)
{
    return v ? formatNumber(*v, 4) : "-";
}

std::optional<double> sqnr(const std::optional<ErrorMetrics>& m)
{
    return m ? std::optional<double>(m->sqnrDb) : std::nullopt;
}

std::string change(const std::string& before, const std::string& after)
{
    return before == after ? before : before + " -> " + after;
}

nlohmann::ordered_json integer(Int128 v)
{
    if (v >= std::numeric_limits<std::int64_t>::min() && v <= std::numeric_limits<std::int64_t>::max())
        return static_cast<std::int64_t>(v);
    return toString(v);
}

bool analysed(const LayerFit& l)
{
    return l.channels > 0;
}

nlohmann::ordered_json layerJson(const LayerFit& l)
{
    nlohmann::ordered_json j;
    j["name"] = l.name;
    j["status"] = fitStatusLabel(l.status);
    if (!l.reason.empty())
        j["reason"] = l.reason;
    if (!analysed(l))
        return j;
    j["channels"] = l.channels;
    j["channels_changed"] = l.channelsChanged;
    j["channels_zeroed"] = l.channelsZeroed;
    j["codes_changed"] = l.codesChanged;
    j["max_l1_before"] = integer(l.maxL1Before);
    j["max_l1_after"] = integer(l.maxL1After);
    j["bits_before"] = l.methodBitsBefore;
    j["bits_after"] = l.methodBitsAfter;
    j["exact_bits_before"] = l.exactBitsBefore;
    j["exact_bits_after"] = l.exactBitsAfter;
    j["risk_before"] = riskClassLabel(l.riskBefore);
    j["risk_after"] = riskClassLabel(l.riskAfter);
    j["code_error"] = l.codeError;
    j["weight_error"] = l.weightError;
    j["sqnr_before"] = dbJson(sqnr(l.outputBefore));
    j["sqnr_after"] = dbJson(sqnr(l.outputAfter));
    return j;
}

void printTable(const FitReport& r)
{
    // With --method exact the method's column would repeat the exact one.
    const bool methodColumn = r.options.method != FitMethod::Exact;
    std::vector<std::string> header {"layer", "status", "channels changed", "codes changed", "max L1"};
    if (methodColumn)
        header.push_back(std::string(fitMethodName(r.options.method)) + " bits");
    for (const char* h : {"exact bits", "risk", "code err", "weight err", "SQNR dB"})
        header.push_back(h);
    TextTable table(header);
    for (const LayerFit& l : r.layers) {
        std::vector<std::string> row {
            l.name, fitStatusLabel(l.status) + (l.reason.empty() ? "" : ": " + l.reason)};
        if (!analysed(l)) {
            row.resize(header.size());
            table.addRow(row);
            continue;
        }
        const bool projected = l.status == FitStatus::Projected;
        row.push_back(std::to_string(l.channelsChanged) + "/" + std::to_string(l.channels)
            + (l.channelsZeroed ? " (" + std::to_string(l.channelsZeroed) + " zeroed)" : ""));
        row.push_back(std::to_string(l.codesChanged));
        row.push_back(change(toString(l.maxL1Before), toString(l.maxL1After)));
        if (methodColumn)
            row.push_back(change(std::to_string(l.methodBitsBefore), std::to_string(l.methodBitsAfter)));
        row.push_back(change(std::to_string(l.exactBitsBefore), std::to_string(l.exactBitsAfter)));
        row.push_back(change(riskClassLabel(l.riskBefore), riskClassLabel(l.riskAfter)));
        row.push_back(projected ? formatNumber(l.codeError, 3) : "0");
        row.push_back(projected ? formatNumber(l.weightError, 3) : "0");
        row.push_back(r.evaluated ? change(dbText(sqnr(l.outputBefore)), dbText(sqnr(l.outputAfter))) : "-");
        table.addRow(row);
    }
    table.print(std::cout);
}

void execute(const FitCommandOptions& o)
{
    FitOptions options;
    options.accBits = o.accBits;
    options.layers = o.layers;
    const auto method = parseFitMethod(o.method);
    if (!method)
        throw Error("--method must be a2q, a2q-plus or exact, not '" + o.method + "'");
    options.method = *method;
    const auto doc = ModelDocument::load(o.model);
    std::optional<std::map<std::string, Tensor>> inputs;
    if (!o.staticOnly)
        inputs = loadInputs(*doc, o.inputs, o.seed, o.batch);
    const FitReport r = fitAccumulators(*doc, options, inputs ? &*inputs : nullptr);
    doc->save(o.output);
    if (o.json) {
        nlohmann::ordered_json j;
        j["acc_bits"] = o.accBits;
        j["method"] = fitMethodName(options.method);
        j["changed"] = !r.record.empty();
        j["evaluated"] = r.evaluated;
        j["output_sqnr_before"] = r.evaluated ? dbJson(r.outputsBefore.sqnrDb) : nullptr;
        j["output_sqnr_after"] = r.evaluated ? dbJson(r.outputsAfter.sqnrDb) : nullptr;
        nlohmann::ordered_json layers = nlohmann::ordered_json::array();
        for (const LayerFit& l : r.layers)
            layers.push_back(layerJson(l));
        j["layers"] = layers;
        j["notes"] = r.notes;
        j["output"] = o.output;
        std::cout << j.dump(2) << "\n";
        return;
    }
    std::cout << "Fit to a " << o.accBits << "-bit signed accumulator by the "
              << fitMethodName(options.method) << " bound";
    if (r.evaluated)
        std::cout << "; SQNR vs the float shadow of the original model on "
                  << (o.inputs.empty() ? std::to_string(o.batch) + " random sample(s)" : "the given inputs");
    std::cout << "\n";
    printTable(r);
    if (r.evaluated)
        std::cout << "model outputs SQNR: " << formatNumber(r.outputsBefore.sqnrDb, 4) << " dB -> "
                  << formatNumber(r.outputsAfter.sqnrDb, 4) << " dB ("
                  << formatNumber(r.outputsAfter.sqnrDb - r.outputsBefore.sqnrDb, 3) << " dB)\n";
    if (r.record.empty())
        std::cout << "no weight changed\n";
    for (const std::string& note : r.notes)
        std::cout << "note: " << note << "\n";
    std::cout << "wrote " << o.output << "\n";
}

} // namespace

void addFitAccumulatorCommand(CLI::App& app)
{
    auto o = std::make_shared<FitCommandOptions>();
    CLI::App* cmd = app.add_subcommand("fit-accumulator",
        "Shrink integer weights per output channel so each layer's accumulator bound fits P bits");
    cmd->add_option("model", o->model, "ONNX model file")->required();
    cmd->add_option("--acc-bits,-P", o->accBits, "Accumulator width P (signed register)")
        ->required()
        ->check(CLI::Range(2, 64));
    cmd->add_option(
        "--layer", o->layers, "Layer to fit (repeatable); default: every layer whose exact bound exceeds P");
    cmd->add_option("--method", o->method,
        "Bound to satisfy: a2q (L1 norm), a2q-plus (generalized zero-centred), exact (default)");
    cmd->add_option("--input", o->inputs, "NAME=FILE (.npy, .npz, .pb) for the SQNR evaluation; repeatable");
    cmd->add_option("--random", o->seed, "Seed for random inputs (default 0)");
    cmd->add_option("--batch", o->batch, "Random samples for the SQNR evaluation (default 8)")
        ->check(CLI::Range(1, 4096));
    cmd->add_flag("--static", o->staticOnly, "Do not run the model (no SQNR)");
    cmd->add_flag("--json", o->json, "JSON output");
    cmd->add_option("-o,--output", o->output, "Output file")->required();
    cmd->callback([o] { execute(*o); });
}

} // namespace qs::cli
