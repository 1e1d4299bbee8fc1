// quantscope-cli fit-accumulator: projects resnet8's weights so every layer fits P bits, prints the
// table or JSON, writes the model atomically, and exits 2 with one line on bad input.
#include "support/cliprocess.h"
#include "support/testdata.h"

#include <gtest/gtest.h>

using namespace qs;
using nlohmann::json;

namespace {

std::string tempModel(const std::string& name)
{
    return (
        std::filesystem::temp_directory_path() / ("qs-cli-fit-" + std::to_string(::getpid()) + "-" + name))
        .string();
}

const std::string resnet8 = test::model("resnet8_cifar10_w4a4.onnx").string();

int lineCount(const std::string& s)
{
    return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

} // namespace

TEST(CliFitAccumulator, JsonReportAndTheSavedModelIsSafeAtP)
{
    const std::string out = tempModel("r8.onnx");
    const auto r = test::runCli("fit-accumulator " + resnet8 + " --acc-bits 14 --batch 2 --json -o " + out);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const json j = json::parse(r.out);
    EXPECT_EQ(j["acc_bits"], 14);
    EXPECT_EQ(j["method"], "exact");
    EXPECT_EQ(j["changed"], true);
    EXPECT_EQ(j["evaluated"], true);
    ASSERT_TRUE(j["output_sqnr_before"].is_number());
    ASSERT_TRUE(j["output_sqnr_after"].is_number());
    EXPECT_NE(j["output_sqnr_before"].get<double>(), j["output_sqnr_after"].get<double>());
    int projected = 0;
    for (const json& l : j["layers"]) {
        if (l["status"] != "projected")
            continue;
        ++projected;
        EXPECT_GT(l["exact_bits_before"].get<int>(), 14) << l["name"];
        EXPECT_LE(l["exact_bits_after"].get<int>(), 14) << l["name"];
        EXPECT_EQ(l["risk_after"], "safe") << l["name"];
        EXPECT_GT(l["codes_changed"].get<int>(), 0) << l["name"];
        EXPECT_GT(l["code_error"].get<double>(), 0.0) << l["name"];
        EXPECT_TRUE(l["sqnr_after"].is_number()) << l["name"];
    }
    EXPECT_GT(projected, 0);

    // The accumulator command agrees on the written file.
    const auto check = test::runCli("accumulator " + out + " -P 14 --static --json");
    ASSERT_EQ(check.exitCode, 0) << check.err;
    const json checked = json::parse(check.out); // a range-for over parse(...)["layers"] would outlive the temporary
    for (const json& l : checked["layers"]) {
        if (l["applicable"] == true) {
            EXPECT_EQ(l["risk"], "safe") << l["layer"];
        }
    }
    std::filesystem::remove(out);
}

TEST(CliFitAccumulator, TableNamesEveryLayerAndTheSqnrChange)
{
    const std::string out = tempModel("r8-a2q.onnx");
    const auto r = test::runCli("fit-accumulator " + resnet8 + " -P 14 --method a2q --batch 2 -o " + out);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("Fit to a 14-bit signed accumulator by the a2q bound"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("projected"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("model outputs SQNR:"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("wrote " + out), std::string::npos) << r.out;
    EXPECT_TRUE(std::filesystem::exists(out));
    std::filesystem::remove(out);
}

TEST(CliFitAccumulator, StaticNamedLayerThatAlreadyFitsIsLeftAlone)
{
    const std::string out = tempModel("r8-static.onnx");
    const auto r = test::runCli("fit-accumulator " + resnet8 + " -P 32 --static --json -o " + out);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const json j = json::parse(r.out);
    EXPECT_EQ(j["changed"], false);
    EXPECT_EQ(j["evaluated"], false);
    EXPECT_TRUE(j["output_sqnr_after"].is_null());
    for (const json& l : j["layers"])
        EXPECT_NE(l["status"], "projected") << l["name"];
    std::filesystem::remove(out);
}

TEST(CliFitAccumulator, BadInputExitsTwoWithOneLineAndWritesNothing)
{
    const std::string out = tempModel("bad.onnx");
    for (const std::string args :
        {" -P 14 --layer no_such_layer", " -P 14 --method l2", " -P 3 --method a2q"}) {
        SCOPED_TRACE(args);
        const auto r = test::runCli("fit-accumulator " + resnet8 + args + " --static -o " + out);
        EXPECT_EQ(r.exitCode, 2);
        EXPECT_EQ(lineCount(r.err), 1) << r.err;
        EXPECT_FALSE(std::filesystem::exists(out));
    }
    const auto missing = test::runCli("fit-accumulator " + resnet8 + " -o " + out);
    EXPECT_EQ(missing.exitCode, 2);
    EXPECT_FALSE(std::filesystem::exists(out));
}
