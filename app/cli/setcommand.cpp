// quantscope-cli set: change quantizer settings (one quantizer, or all weight / activation quantizers)
// through the same edit API the GUI uses, print old -> new, and save atomically (optionally cleaned).
#include "app/cli/commands.h"
#include "core/edit/bulkedit.h"
#include "core/edit/cleanexport.h"
#include "core/edit/quantizeredit.h"
#include "core/util/error.h"

#include <iostream>
#include <memory>
#include <sstream>

namespace qs::cli {
namespace {

struct SetOptions {
    std::string model;
    std::string quantizer;
    std::string node;
    bool allWeights = false;
    bool allActivations = false;
    std::optional<double> bits;
    std::optional<int> isSigned;
    std::optional<int> narrow;
    std::optional<std::string> rounding;
    std::optional<std::string> scale;
    std::optional<int> scaleAxis;
    std::optional<double> zeroPoint;
    bool clean = false;
    int raiseOpset = 0;
    std::string output;
};

std::vector<double> parseScale(const std::string& text)
{
    std::vector<double> values;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        std::size_t used = 0;
        double v = 0;
        try {
            v = std::stod(item, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != item.size())
            throw Error("--scale: '" + item + "' is not a number");
        values.push_back(v);
    }
    if (values.empty())
        throw Error("--scale needs a value");
    return values;
}

QuantizerEdit editFrom(const SetOptions& o)
{
    QuantizerEdit e;
    e.bitWidth = o.bits;
    if (o.isSigned)
        e.isSigned = *o.isSigned != 0;
    if (o.narrow)
        e.narrow = *o.narrow != 0;
    e.roundingMode = o.rounding;
    if (o.scale)
        e.scale = parseScale(*o.scale);
    e.scaleAxis = o.scaleAxis;
    e.zeroPoint = o.zeroPoint;
    return e;
}

std::vector<int> targets(const ModelDocument& doc, const SetOptions& o)
{
    const int selectors
        = int(!o.quantizer.empty()) + int(!o.node.empty()) + int(o.allWeights) + int(o.allActivations);
    if (selectors != 1)
        throw Error("choose exactly one of --quantizer, --node, --all-weights, --all-activations");
    if (o.allWeights)
        return weightQuantizers(doc);
    if (o.allActivations)
        return activationQuantizers(doc);
    if (!o.quantizer.empty()) {
        const int id = findQuantizer(doc, o.quantizer);
        if (id < 0)
            throw Error("no quantizer named '" + o.quantizer + "' (quantscope-cli info lists them)");
        return {id};
    }
    const int id = findQuantizerByNode(doc, o.node);
    if (id < 0)
        throw Error("node '" + o.node + "' is not part of a quantizer");
    return {id};
}

void run(const SetOptions& o)
{
    const auto doc = ModelDocument::load(o.model);
    const QuantizerEdit edit = editFrom(o);
    if (edit.empty())
        throw Error("nothing to set: give --bits, --signed, --narrow, --rounding, --scale or --zero-point");
    const std::vector<int> ids = targets(*doc, o);
    const ChangeRecord record = ids.size() == 1 && o.quantizer.size() + o.node.size() > 0
        ? editQuantizer(*doc, ids[0], edit)
        : editQuantizers(*doc, ids, edit, "set");
    for (const FieldChange& f : record.fields)
        std::cout << f.quantizer << ": " << quantizerFieldName(f.field) << " " << f.oldValue << " -> "
                  << f.newValue << "\n";
    if (record.fields.empty())
        std::cout << "no quantizer setting changed\n";
    for (const std::string& note : record.notes)
        std::cout << "note: " << note << "\n";
    if (!o.clean && o.raiseOpset == 0) {
        doc->save(o.output);
        std::cout << "wrote " << o.output << "\n";
        return;
    }
    ExportOptions options;
    options.raiseDefaultOpsetTo = o.raiseOpset;
    const ExportReport report = exportClean(*doc, o.output, options);
    for (const std::string& action : report.actions)
        std::cout << "clean: " << action << "\n";
    std::cout << "checker: " << report.checkerResult << "\n";
    std::cout << "wrote " << o.output << "\n";
}

} // namespace

void addSetCommand(CLI::App& app)
{
    auto o = std::make_shared<SetOptions>();
    CLI::App* cmd = app.add_subcommand("set", "Change quantizer settings and save the model");
    cmd->add_option("model", o->model, "ONNX model file")->required();
    cmd->add_option("--quantizer", o->quantizer, "Quantizer name (as quantscope-cli info lists it)");
    cmd->add_option("--node", o->node, "Any node of the quantizer (e.g. the Clip of a QCDQ chain)");
    cmd->add_flag("--all-weights", o->allWeights, "Every weight quantizer");
    cmd->add_flag("--all-activations", o->allActivations, "Every activation (and input) quantizer");
    cmd->add_option("--bits", o->bits, "Bit width");
    cmd->add_option("--signed", o->isSigned, "Signed range (0 or 1)")->check(CLI::Range(0, 1));
    cmd->add_option("--narrow", o->narrow, "Narrow range (0 or 1)")->check(CLI::Range(0, 1));
    cmd->add_option(
        "--rounding", o->rounding, "Rounding mode (ROUND, FLOOR, CEIL, UP, DOWN, HALF_UP, HALF_DOWN)");
    cmd->add_option("--scale", o->scale, "Scale: one value, or comma-separated values per channel");
    cmd->add_option("--scale-axis", o->scaleAxis, "Channel axis when a per-tensor scale becomes per-channel");
    cmd->add_option("--zero-point", o->zeroPoint, "Zero point");
    cmd->add_flag("--clean", o->clean,
        "Clean export: fold parameter subgraphs, drop unused initializers and stale value_info, declare "
        "custom opsets, sort nodes, write inferred shapes");
    cmd->add_option("--raise-opset", o->raiseOpset,
        "With a clean export: raise the default opset (refused if an op of the model would change)");
    cmd->add_option("-o,--output", o->output, "Output file")->required();
    cmd->callback([o] { run(*o); });
}

} // namespace qs::cli
