// quantscope-cli accumulator MODEL --acc-bits P [--input NAME=FILE]... [--random SEED] [--batch N]
//   [--static] [--saturate] [--unsigned-register] [--no-bias] [--per-channel] [--json]
#include "app/cli/accumulatorjson.h"
#include "app/cli/commands.h"
#include "app/cli/inputfiles.h"
#include "app/cli/texttable.h"

#include <iostream>
#include <memory>

namespace qs::cli {
namespace {

struct AccumulatorCommandOptions {
    std::string model;
    int accBits = 32;
    std::vector<std::string> inputs;
    std::uint64_t seed = 0;
    std::int64_t batch = 8;
    bool staticOnly = false;
    bool saturate = false;
    bool unsignedRegister = false;
    bool noBias = false;
    bool perChannel = false;
    bool json = false;
};

void execute(const AccumulatorCommandOptions& o)
{
    const auto doc = ModelDocument::load(o.model);
    AccumulatorOptions options;
    options.accBits = o.accBits;
    options.mode = o.saturate ? OverflowMode::Saturate : OverflowMode::Wrap;
    options.signedRegister = !o.unsignedRegister;
    options.preloadBias = !o.noBias;
    std::optional<RunResult> run;
    if (!o.staticOnly) {
        const Executor executor(*doc);
        RunOptions runOptions;
        runOptions.capture = accumulatorCaptureNames(*doc);
        runOptions.anyBatchSize = true;
        run = executor.run(loadInputs(*doc, o.inputs, o.seed, o.batch), runOptions);
    }
    const AccumulatorReport report = analyzeAccumulators(*doc, options, run ? &*run : nullptr);
    if (o.json) {
        nlohmann::ordered_json j;
        j["acc_bits"] = o.accBits;
        j["register"] = o.unsignedRegister ? "unsigned" : "signed";
        j["mode"] = o.saturate ? "saturate" : "wrap";
        j["observed"] = run.has_value();
        nlohmann::ordered_json layers = nlohmann::ordered_json::array();
        for (const LayerAccumulatorResult& l : report.layers)
            layers.push_back(accumulatorLayerJson(*doc, l, o.perChannel));
        j["layers"] = layers;
        std::cout << j.dump(2) << "\n";
        return;
    }
    std::cout << "Accumulator widths needed (bits, signed register) vs P = " << o.accBits << ", "
              << (o.saturate ? "saturating" : "wrap-around") << " register"
              << (run ? ", observed on " + std::to_string(o.batch) + " input(s)" : ", static only") << "\n";
    TextTable table(accumulatorTableHeader());
    for (const LayerAccumulatorResult& l : report.layers)
        table.addRow(accumulatorTableRow(*doc, l, o.accBits));
    table.print(std::cout);
}

} // namespace

void addAccumulatorCommand(CLI::App& app)
{
    auto o = std::make_shared<AccumulatorCommandOptions>();
    CLI::App* cmd = app.add_subcommand("accumulator", "Accumulator width per layer and overflow risk at P bits");
    cmd->add_option("model", o->model, "ONNX model file")->required();
    cmd->add_option("--acc-bits,-P", o->accBits, "Accumulator width P")->check(CLI::Range(2, 64));
    cmd->add_option("--input", o->inputs, "NAME=FILE (.npy, .npz, .pb) for the observed ranges; repeatable");
    cmd->add_option("--random", o->seed, "Seed for random inputs (default 0)");
    cmd->add_option("--batch", o->batch, "Random samples for the observed ranges (default 8)")->check(CLI::Range(1, 4096));
    cmd->add_flag("--static", o->staticOnly, "Bounds only; do not run the model");
    cmd->add_flag("--saturate", o->saturate, "Saturating register instead of wrap-around");
    cmd->add_flag("--unsigned-register", o->unsignedRegister, "Unsigned accumulator register");
    cmd->add_flag("--no-bias", o->noBias, "Never preload the bias into the accumulator");
    cmd->add_flag("--per-channel", o->perChannel, "Per-channel results in the JSON");
    cmd->add_flag("--json", o->json, "JSON output");
    cmd->callback([o] { execute(*o); });
}

} // namespace qs::cli
