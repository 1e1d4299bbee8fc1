// quantscope-cli set: old -> new per quantizer, atomic save, --node for any node of a quantizer,
// bulk selectors, --clean, and exit status 2 with a one-line message naming the quantizer.
#include "support/cliprocess.h"
#include "support/testdata.h"

#include <gtest/gtest.h>

using namespace qs;
using nlohmann::json;

namespace {

std::string tempModel(const std::string& name)
{
    return (
        std::filesystem::temp_directory_path() / ("qs-cli-set-" + std::to_string(::getpid()) + "-" + name))
        .string();
}

json quantizerNamed(const json& info, const std::string& name)
{
    for (const json& q : info["quantizers"])
        if (q["name"] == name)
            return q;
    return {};
}

json info(const std::string& path)
{
    const auto r = test::runCli("info --json " + path);
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return json::parse(r.out);
}

int lineCount(const std::string& s)
{
    return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

} // namespace

TEST(CliSet, BitsOfOneQuantizerPrintsOldToNewAndSaves)
{
    const std::string out = tempModel("r8.onnx");
    const auto r = test::runCli("set " + test::model("resnet8_cifar10_w4a4.onnx").string()
        + " --quantizer Quant_QuantizeLinear_2_param0 --bits 2 --narrow 0 -o " + out);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("Quant_QuantizeLinear_2_param0: bit width 4 -> 2"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Quant_QuantizeLinear_2_param0: narrow 1 -> 0"), std::string::npos) << r.out;
    const json q = quantizerNamed(info(out), "Quant_QuantizeLinear_2_param0");
    EXPECT_EQ(q["bit_width"], 2.0);
    EXPECT_EQ(q["narrow"], false);
    EXPECT_EQ(q["qmin"], -2.0);
    EXPECT_EQ(q["qmax"], 1.0);
    // The neighbour is untouched.
    EXPECT_EQ(quantizerNamed(info(out), "Quant_QuantizeLinear_3_param0")["bit_width"], 4.0);
    std::filesystem::remove(out);
}

TEST(CliSet, NodeSelectsTheQuantizerThroughItsClip)
{
    const std::string out = tempModel("vww.onnx");
    const std::string clip = "/features/features.0/weight_quant/export_handler/Clip";
    const auto r = test::runCli("set " + test::model("vww_mobilenet128_qcdq.onnx").string() + " --node "
        + clip + " --bits 4 -o " + out);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const std::string name = "/features/features.0/weight_quant/export_handler/QuantizeLinear";
    EXPECT_NE(r.out.find(name + ": bit width 8 -> 4"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("shared"), std::string::npos) << r.out; // the Clip bounds were shared
    const json q = quantizerNamed(info(out), name);
    EXPECT_EQ(q["kind"], "QCDQ");
    EXPECT_EQ(q["bit_width"], 4.0);
    EXPECT_EQ(q["qmin"], -7.0); // still narrow
    EXPECT_EQ(q["qmax"], 7.0);
    std::filesystem::remove(out);
}

TEST(CliSet, AllActivationsWithCleanExportPassesTheChecker)
{
    const std::string out = tempModel("vww-act.onnx");
    const auto r = test::runCli("set " + test::model("vww_mobilenet128_qcdq.onnx").string()
        + " --all-activations --bits 4 --clean -o " + out);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("checker: OK"), std::string::npos) << r.out;
    const json j = info(out);
    EXPECT_EQ(j["checker"], "OK");
    int fourBit = 0;
    for (const json& q : j["quantizers"])
        if (q["role"] == "activation" || q["role"] == "input") {
            EXPECT_EQ(q["bit_width"], 4.0) << q["name"];
            ++fourBit;
        }
    EXPECT_EQ(fourBit, 77);
    std::filesystem::remove(out);
}

TEST(CliSet, AllWeightsRoundingOnDefaultDomainQuant)
{
    const std::string out = tempModel("kws.onnx");
    const auto r = test::runCli("set " + test::model("kws_mlp_w3a3_mlperf.onnx").string()
        + " --all-weights --rounding FLOOR -o " + out);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const json summary = info(out); // a range-for over info(out)["quantizers"] would outlive the temporary
    for (const json& q : summary["quantizers"])
        EXPECT_EQ(q["rounding_mode"], q["role"] == "weight" ? "FLOOR" : "ROUND") << q["name"];
    std::filesystem::remove(out);
}

TEST(CliSet, InvalidValuesExitTwoWithOneLineNamingTheQuantizer)
{
    const std::string out = tempModel("bad.onnx");
    const std::string model = test::model("vww_mobilenet128_qcdq.onnx").string();
    const std::string name = "/features/features.0/weight_quant/export_handler/QuantizeLinear";
    for (const std::string& args : {std::string(" --bits 12"), std::string(" --rounding FLOOR"),
             std::string(" --scale -1"), std::string(" --zero-point 1000")}) {
        const auto r = test::runCli("set " + model + " --quantizer " + name + args + " -o " + out);
        EXPECT_EQ(r.exitCode, 2) << args;
        EXPECT_EQ(lineCount(r.err), 1) << r.err;
        EXPECT_NE(r.err.find("'" + name + "'"), std::string::npos) << r.err;
        EXPECT_FALSE(std::filesystem::exists(out)) << "a refused edit wrote a file";
    }
    const auto unknown = test::runCli("set " + model + " --quantizer nope --bits 4 -o " + out);
    EXPECT_EQ(unknown.exitCode, 2);
    EXPECT_NE(unknown.err.find("'nope'"), std::string::npos);
    const auto nothing = test::runCli("set " + model + " --quantizer " + name + " -o " + out);
    EXPECT_EQ(nothing.exitCode, 2);
    EXPECT_EQ(lineCount(nothing.err), 1) << nothing.err;
}
