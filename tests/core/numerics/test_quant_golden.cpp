// Runs every case of every golden-vector file (schema "qonnx-golden-vectors/1", see
// shared/spec/golden-sample/README.md) through the quantizer kernels: the Float32 path must reproduce
// `expected` and the Float64 path `expected_f64`, element by element with ==, and every error case
// must be rejected with qs::Error. Files come from the bundled copy, the shared spec folder when it is
// present, and the folder named by $QS_GOLDEN_DIR (the acceptance set).
#include "core/numerics/quantops.h"
#include "core/util/error.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

using namespace qs;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const char* precisionName(Precision p)
{
    return p == Precision::Float32 ? "float32" : "float64";
}

// JSON tensor -> Tensor in the given precision. Values are parsed as double; float32 values round-trip.
Tensor toTensor(const json& t, Precision p)
{
    const Shape shape = t.at("shape").get<Shape>();
    std::vector<double> values;
    for (const json& v : t.at("data"))
        values.push_back(v.get<double>());
    if (p == Precision::Float64)
        return Tensor::fromDoubles(shape, values);
    std::vector<float> floats(values.size());
    std::transform(
        values.begin(), values.end(), floats.begin(), [](double v) { return static_cast<float>(v); });
    return Tensor::fromFloats(shape, floats);
}

// Attribute readers that reject what upstream rejects, with qs::Error.
bool intFlag(const json& attrs, const char* name, const std::string& op, std::optional<bool> fallback,
    bool zeroOrOneOnly)
{
    if (!attrs.contains(name)) {
        if (!fallback)
            throw Error(op + " node lacks the required attribute '" + name + "'");
        return *fallback;
    }
    if (!attrs.at(name).is_number_integer())
        throw Error(op + " attribute '" + name + "' is not an integer");
    const auto v = attrs.at(name).get<long long>();
    if (zeroOrOneOnly && v != 0 && v != 1)
        throw Error(op + " attribute '" + name + "' must be 0 or 1, got " + std::to_string(v));
    return v != 0;
}

RoundingMode roundingAttr(const json& attrs, const std::string& op, const char* fallback)
{
    if (!attrs.contains("rounding_mode")) {
        if (!fallback)
            throw Error(op + " node lacks the required attribute 'rounding_mode'");
        return parseRoundingMode(fallback);
    }
    if (!attrs.at("rounding_mode").is_string())
        throw Error(op + " attribute 'rounding_mode' is not a string");
    return parseRoundingMode(attrs.at("rounding_mode").get<std::string>());
}

Tensor runCase(const json& c, const std::string& fileOp, Precision p)
{
    const std::string op = c.value("op", fileOp);
    const json& in = c.at("inputs");
    const json attrs = c.value("attrs", json::object());
    const auto input = [&](const char* name) {
        if (!in.contains(name))
            throw Error(op + " case lacks input '" + name + "'");
        return toTensor(in.at(name), p);
    };
    if (op == "Quant" || op == "IntQuant") {
        IntQuantAttributes a;
        // Upstream marks signed and narrow as required; rounding_mode defaults to ROUND.
        a.isSigned = intFlag(attrs, "signed", op, std::nullopt, false);
        a.narrow = intFlag(attrs, "narrow", op, std::nullopt, false);
        a.rounding = roundingAttr(attrs, op, "ROUND");
        return intQuant(input("x"), input("scale"), input("zeropt"), input("bitwidth"), a, p);
    }
    if (op == "BipolarQuant")
        return bipolarQuant(input("x"), input("scale"), p);
    if (op == "Trunc") {
        const int version
            = c.contains("version") ? c.at("version").get<int>() : (in.contains("out_scale") ? 2 : 1);
        TruncAttributes a;
        a.rounding = roundingAttr(attrs, op, nullptr);
        if (version == 1)
            return truncV1(input("x"), input("scale"), input("zeropt"), input("in_bitwidth"),
                input("out_bitwidth"), a, p);
        a.isSigned = intFlag(attrs, "signed", op, true, true);
        a.narrow = intFlag(attrs, "narrow", op, false, true);
        return truncV2(input("x"), input("scale"), input("zeropt"), input("in_bitwidth"), input("out_scale"),
            input("out_bitwidth"), a, p);
    }
    throw Error("unknown op '" + op + "' in golden file");
}

// Empty string when `got` matches `expected`, else a readable list of the differences.
std::string compare(const Tensor& got, const json& expected, Precision p)
{
    std::ostringstream out;
    const Shape shape = expected.at("shape").get<Shape>();
    const DType type = p == Precision::Float32 ? DType::Float32 : DType::Float64;
    if (got.dtype() != type)
        out << "dtype " << dtypeName(got.dtype()) << ", expected " << dtypeName(type) << "; ";
    if (got.shape() != shape) {
        out << "shape " << shapeToString(got.shape()) << ", expected " << shapeToString(shape);
        return out.str();
    }
    const json& data = expected.at("data");
    int shown = 0, bad = 0;
    out.precision(p == Precision::Float32 ? 9 : 17);
    for (std::int64_t i = 0; i < got.size(); ++i) {
        const double e = data.at(static_cast<std::size_t>(i)).get<double>();
        bool same;
        double g;
        if (p == Precision::Float32) {
            const float gf = got.data<float>()[i], ef = static_cast<float>(e);
            same = gf == ef || (std::isnan(gf) && std::isnan(ef));
            g = gf;
        } else {
            g = got.data<double>()[i];
            same = g == e || (std::isnan(g) && std::isnan(e));
        }
        if (!same && ++bad && shown++ < 6)
            out << "\n    [" << i << "] got " << g << ", expected " << e;
    }
    if (bad)
        out << "\n    " << bad << " of " << got.size() << " elements differ";
    return out.str();
}

struct FileSummary {
    int cases = 0;
    int errorCases = 0;
    int failures = 0;
};

FileSummary runFile(const fs::path& file)
{
    FileSummary s;
    const std::string label = file.filename().string();
    std::ifstream stream(file);
    json doc;
    try {
        doc = json::parse(stream);
    } catch (const json::exception& e) {
        ADD_FAILURE() << label << ": not valid JSON: " << e.what();
        ++s.failures;
        return s;
    }
    if (doc.value("schema", "") != "qonnx-golden-vectors/1") {
        ADD_FAILURE() << label << ": unknown schema '" << doc.value("schema", "") << "'";
        ++s.failures;
        return s;
    }
    const std::string fileOp = doc.value("op", "");
    for (const json& c : doc.value("cases", json::array())) {
        ++s.cases;
        const std::string id = c.value("id", "?");
        for (Precision p : {Precision::Float32, Precision::Float64}) {
            const char* key = p == Precision::Float32 ? "expected" : "expected_f64";
            std::string problem;
            try {
                problem = compare(runCase(c, fileOp, p), c.at(key), p);
            } catch (const std::exception& e) {
                problem = std::string("threw: ") + e.what();
            }
            if (!problem.empty()) {
                ++s.failures;
                ADD_FAILURE() << label << " " << id << " [" << precisionName(p) << "] ("
                              << c.value("desc", "") << "): " << problem;
            }
        }
    }
    for (const json& c : doc.value("error_cases", json::array())) {
        ++s.errorCases;
        const std::string id = c.value("id", "?");
        for (Precision p : {Precision::Float32, Precision::Float64}) {
            std::string problem;
            try {
                runCase(c, fileOp, p);
                problem = "no error raised";
            } catch (const Error&) {
            } catch (const std::exception& e) {
                problem = std::string("threw a non-qs::Error exception: ") + e.what();
            }
            if (!problem.empty()) {
                ++s.failures;
                ADD_FAILURE() << label << " " << id << " [" << precisionName(p) << "] ("
                              << c.value("desc", "") << ", upstream " << c.value("expected_error", "?")
                              << "): " << problem;
            }
        }
    }
    std::cout << "[golden] " << file.string() << ": " << s.cases << " cases, " << s.errorCases
              << " error cases, " << s.failures << " failures" << std::endl;
    return s;
}

std::vector<fs::path> vectorFiles(const fs::path& dir)
{
    std::vector<fs::path> files;
    if (!fs::is_directory(dir))
        return files;
    for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file() && name.ends_with("_vectors.json"))
            files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::map<std::string, FileSummary> runFolder(const fs::path& dir)
{
    std::map<std::string, FileSummary> results;
    for (const fs::path& file : vectorFiles(dir))
        results[file.filename().string()] = runFile(file);
    return results;
}

} // namespace

TEST(QuantGolden, BundledVectors)
{
    const auto results = runFolder(fs::path(QS_TEST_DATA_DIR) / "golden");
    // Case counts of the sample set, from its README: the test must fail if files or cases vanish.
    const std::map<std::string, std::pair<int, int>> bundled {
        {"quant_vectors.json", {47, 1}},
        {"trunc_vectors.json", {42, 0}},
        {"bipolar_quant_vectors.json", {40, 0}},
    };
    for (const auto& [name, counts] : bundled) {
        const auto it = results.find(name);
        ASSERT_NE(it, results.end()) << name << " is missing from " << QS_TEST_DATA_DIR "/golden";
        EXPECT_GE(it->second.cases, counts.first) << name;
        EXPECT_GE(it->second.errorCases, counts.second) << name;
    }
}

// The shared sample (present in CI beside the clone) and an acceptance set named by $QS_GOLDEN_DIR run
// through the same checks; absent folders simply contribute no files, and the count is printed.
TEST(QuantGolden, SharedAndExternalVectors)
{
    std::vector<fs::path> dirs {fs::path(QS_SHARED_DIR) / "spec" / "golden-sample"};
    if (const char* env = std::getenv("QS_GOLDEN_DIR"); env && *env) {
        ASSERT_TRUE(fs::is_directory(env)) << "QS_GOLDEN_DIR=" << env << " is not a directory";
        dirs.emplace_back(env);
    }
    for (const fs::path& dir : dirs) {
        int cases = 0;
        for (const auto& [name, summary] : runFolder(dir))
            cases += summary.cases + summary.errorCases;
        std::cout << "[ golden ] " << cases << " cases from " << dir << "\n";
        if (fs::is_directory(dir)) {
            EXPECT_GT(cases, 0) << "no golden cases in " << dir;
        }
    }
}
