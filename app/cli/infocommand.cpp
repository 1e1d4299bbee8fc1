#include "app/cli/commands.h"

#include "app/cli/modeljson.h"
#include "app/cli/texttable.h"

#include <iostream>
#include <memory>

namespace qs::cli {
namespace {

struct InfoOptions {
    std::string model;
    bool json = false;
};

std::string shapeText(const Json& shape)
{
    if (shape.is_null())
        return "?";
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += (i ? "," : "") + (shape[i].is_string() ? shape[i].get<std::string>() : std::to_string(shape[i].get<long long>()));
    return s + "]";
}

std::string parameterText(const Json& p)
{
    if (p.is_null())
        return "-";
    if (!p.value("known", true))
        return "(computed)";
    const double lo = p["min"];
    const double hi = p["max"];
    std::string s = lo == hi ? formatNumber(lo) : formatNumber(lo) + ".." + formatNumber(hi);
    if (p["per_channel"].get<bool>())
        s += " per-ch(axis " + std::to_string(p["axis"].get<int>()) + ")";
    return s;
}

void printTables(const Json& info)
{
    std::cout << info["file"].get<std::string>() << "\n";
    std::cout << "  format " << info["format"].get<std::string>() << ", IR " << info["ir_version"] << ", opsets ";
    bool first = true;
    for (const auto& [domain, version] : info["opsets"].items()) {
        std::cout << (first ? "" : ", ") << domain << ":" << version;
        first = false;
    }
    std::cout << ", producer " << info["producer"].get<std::string>() << "\n";
    std::cout << "  " << info["node_count"] << " nodes, " << info["initializer_count"] << " initializers, "
              << info["quantizers"].size() << " quantizers, " << info["layers"].size() << " compute layers\n";
    std::cout << "  checker: " << info["checker"].get<std::string>() << "\n";
    for (const auto& d : info["diagnostics"])
        std::cout << "  note: " << d.get<std::string>() << "\n";
    for (const char* key : {"inputs", "outputs"})
        for (const auto& t : info[key])
            std::cout << "  " << (std::string(key) == "inputs" ? "input  " : "output ") << t["name"].get<std::string>()
                      << " " << t["dtype"].get<std::string>() << " " << shapeText(t["shape"]) << "\n";

    std::cout << "\nOps\n";
    TextTable ops({"op", "count"});
    for (const auto& [op, count] : info["op_histogram"].items())
        ops.addRow({op, std::to_string(count.get<int>())});
    ops.print(std::cout);

    if (!info["quantizers"].empty()) {
        std::cout << "\nQuantizers\n";
        TextTable table({"name", "kind", "role", "datatype", "bits", "signed", "narrow", "rounding", "scale",
                         "zero point", "range"});
        for (const auto& q : info["quantizers"]) {
            const std::string range = q["qmin"].is_null() ? "-"
                                                          : formatNumber(q["qmin"].get<double>(), 10) + ".."
                                                              + formatNumber(q["qmax"].get<double>(), 10);
            table.addRow({q["name"], q["kind"], q["role"], q["datatype"],
                          q["bit_width"].is_null() ? "?" : formatNumber(q["bit_width"].get<double>()),
                          q["signed"].get<bool>() ? "yes" : "no", q["narrow"].get<bool>() ? "yes" : "no",
                          q["rounding_mode"], parameterText(q["scale"]), parameterText(q["zero_point"]), range});
        }
        table.print(std::cout);
    }
    if (!info["layers"].empty()) {
        std::cout << "\nCompute layers\n";
        TextTable table({"layer", "op", "K", "input", "weight", "output", "in quant", "w quant", "out quant"});
        auto ref = [](const Json& v) { return v.is_null() ? std::string("-") : v.get<std::string>(); };
        for (const auto& l : info["layers"])
            table.addRow({l["name"], l["op"], l["K"].is_null() ? "?" : std::to_string(l["K"].get<long long>()),
                          shapeText(l["input_shape"]), shapeText(l["weight_shape"]), shapeText(l["output_shape"]),
                          ref(l["input_quantizer"]), ref(l["weight_quantizer"]), ref(l["output_quantizer"])});
        table.print(std::cout);
    }
}

} // namespace

void addInfoCommand(CLI::App& app)
{
    auto options = std::make_shared<InfoOptions>();
    CLI::App* cmd = app.add_subcommand("info", "Summarise a model: format, ops, inputs/outputs, quantizers, layers");
    cmd->add_option("model", options->model, "ONNX model file")->required();
    cmd->add_flag("--json", options->json, "Print one JSON object instead of tables");
    cmd->callback([options] {
        const auto doc = ModelDocument::load(options->model);
        const Json info = modelInfoJson(*doc);
        if (options->json)
            std::cout << info.dump(2) << "\n";
        else
            printTables(info);
    });
}

} // namespace qs::cli
