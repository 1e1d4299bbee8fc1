// quantscope-cli convert: QCDQ <-> QONNX with a per-quantizer report of what was converted and what
// could not be (and why), plus the opset changes that came with it.
#include "app/cli/commands.h"
#include "app/cli/texttable.h"
#include "core/convert/modelconversion.h"
#include "core/util/error.h"

#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

namespace qs::cli {
namespace {

using Json = nlohmann::ordered_json;

struct ConvertOptions {
    std::string model;
    std::string target;
    std::string output;
    std::string reportJson;
    bool allowWiden = false;
    bool strict = false;
};

std::string join(const std::vector<std::string>& items, const char* separator = ", ")
{
    std::string s;
    for (const auto& item : items)
        s += (s.empty() ? "" : separator) + item;
    return s;
}

std::string versionText(int v)
{
    return v < 0 ? "(none)" : std::to_string(v);
}

Json reportJson(const ConversionReport& report, const ConvertOptions& options, bool written)
{
    Json j;
    j["input"] = options.model;
    j["output"] = options.output;
    j["target"] = conversionTargetName(report.target);
    j["written"] = written;
    j["converted"] = Json::array();
    for (const auto& c : report.converted)
        j["converted"].push_back({{"name", c.name}, {"from", c.fromKind}, {"to", c.toKind},
            {"old_nodes", c.oldNodes}, {"new_nodes", c.newNodes}, {"bit_width", c.bits},
            {"signed", c.isSigned}, {"narrow", c.narrow}, {"axis", c.axis < 0 ? Json() : Json(c.axis)},
            {"nonzero_zero_point", c.nonZeroZeroPoint}, {"note", c.note}});
    j["skipped"] = Json::array();
    for (const auto& s : report.skipped)
        j["skipped"].push_back(
            {{"name", s.name}, {"kind", s.kind}, {"nodes", s.nodes}, {"reason", s.reason}});
    j["opset_changes"] = Json::array();
    for (const auto& o : report.opsetChanges)
        j["opset_changes"].push_back(
            {{"what", o.what}, {"from", o.from < 0 ? Json() : Json(o.from)}, {"to", o.to}});
    j["node_upgrades"] = Json::array();
    for (const auto& u : report.nodeUpgrades)
        j["node_upgrades"].push_back({{"node", u.node}, {"op", u.opType}, {"change", u.change}});
    return j;
}

void printReport(const ConversionReport& report)
{
    std::cout << "converted " << report.converted.size() << " quantizer(s) to "
              << conversionTargetName(report.target) << ", skipped " << report.skipped.size() << "\n";
    if (!report.converted.empty()) {
        std::cout << "\nConverted\n";
        TextTable table({"quantizer", "from", "to", "bits", "signed", "narrow", "axis", "new nodes", "note"});
        for (const auto& c : report.converted)
            table.addRow({c.name, c.fromKind, c.toKind, formatNumber(c.bits), c.isSigned ? "yes" : "no",
                c.narrow ? "yes" : "no", c.axis < 0 ? "-" : std::to_string(c.axis), join(c.newNodes),
                c.note.empty() ? "-" : c.note});
        table.print(std::cout);
    }
    if (!report.skipped.empty()) {
        std::cout << "\nNot converted (left as they are)\n";
        TextTable table({"quantizer", "kind", "nodes", "reason"});
        for (const auto& s : report.skipped)
            table.addRow({s.name, s.kind, join(s.nodes), s.reason});
        table.print(std::cout);
    }
    if (!report.opsetChanges.empty()) {
        std::cout << "\nOpset changes\n";
        for (const auto& o : report.opsetChanges)
            std::cout << "  " << o.what << ": " << versionText(o.from) << " -> " << o.to << "\n";
    }
    if (!report.nodeUpgrades.empty()) {
        std::cout << "\nNodes upgraded for the new opset\n";
        TextTable table({"node", "op", "change"});
        for (const auto& u : report.nodeUpgrades)
            table.addRow({u.node, u.opType, u.change});
        table.print(std::cout);
    }
}

void writeJson(const std::string& path, const Json& j)
{
    std::ofstream out(path);
    out << j.dump(2) << "\n";
    if (!out)
        throw Error("cannot write report '" + path + "'");
}

void run(const ConvertOptions& options)
{
    const auto doc = ModelDocument::load(options.model);
    ConversionOptions conversion;
    conversion.allowWiden = options.allowWiden;
    const ConversionTarget target
        = options.target == "qcdq" ? ConversionTarget::Qcdq : ConversionTarget::Qonnx;
    const ConversionReport report = convertModel(*doc, target, conversion);
    printReport(report);
    if (options.strict && !report.skipped.empty()) {
        std::string names;
        for (const auto& s : report.skipped)
            names += (names.empty() ? "'" : ", '") + s.name + "' (" + s.reason + ")";
        throw Error(options.model + ": --strict: " + std::to_string(report.skipped.size())
            + " quantizer(s) cannot be converted, nothing written: " + names);
    }
    doc->save(options.output);
    std::cout << "\nwrote " << options.output << "\n";
    if (!options.reportJson.empty())
        writeJson(options.reportJson, reportJson(report, options, true));
}

} // namespace

void addConvertCommand(CLI::App& app)
{
    auto options = std::make_shared<ConvertOptions>();
    CLI::App* cmd
        = app.add_subcommand("convert", "Convert QCDQ <-> QONNX, reporting every quantizer left unconverted");
    cmd->add_option("model", options->model, "ONNX model file")->required();
    cmd->add_option("--to", options->target, "Target format")
        ->required()
        ->check(CLI::IsMember({"qcdq", "qonnx"}));
    cmd->add_option("-o,--output", options->output, "Output model file")->required();
    cmd->add_option("--report-json", options->reportJson, "Also write the report as JSON to this file");
    cmd->add_flag("--allow-widen", options->allowWiden,
        "QCDQ -> QONNX: convert Clip ranges that are no QONNX range with the enclosing one");
    cmd->add_flag(
        "--strict", options->strict, "Fail (exit 2, nothing written) if any quantizer cannot be converted");
    cmd->callback([options] { run(*options); });
}

} // namespace qs::cli
