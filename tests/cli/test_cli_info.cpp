// quantscope-cli info: the JSON contract, the table, and exit status 2 with a one-line message on bad input.
#include "support/cliprocess.h"
#include "support/testdata.h"

#include <gtest/gtest.h>

using namespace qs;
using nlohmann::json;

TEST(CliInfo, JsonHasTheDocumentedKeysAndValues)
{
    const auto r = test::runCli("info --json " + test::model("kws_mlp_w3a3_mlperf.onnx").string());
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const json j = json::parse(r.out);
    for (const char* key : {"format", "ir_version", "opsets", "node_count", "op_histogram", "inputs", "outputs",
                            "quantizers", "layers"})
        EXPECT_TRUE(j.contains(key)) << key;
    EXPECT_EQ(j["format"], "qonnx");
    EXPECT_EQ(j["ir_version"], 6);
    EXPECT_EQ(j["opsets"]["ai.onnx"], 11);
    EXPECT_EQ(j["node_count"], 23);
    EXPECT_EQ(j["op_histogram"]["Quant"], 8);
    EXPECT_EQ(j["inputs"][0]["name"], "inp.1");
    EXPECT_EQ(j["inputs"][0]["dtype"], "FLOAT");
    EXPECT_EQ(j["inputs"][0]["shape"], json::parse("[1,1,10,49]"));
    ASSERT_EQ(j["quantizers"].size(), 8u);
    const json& weight = j["quantizers"][1];
    EXPECT_EQ(weight["role"], "weight");
    EXPECT_EQ(weight["bit_width"], 3.0);
    EXPECT_EQ(weight["scale"]["shape"], json::parse("[256,1]"));
    EXPECT_TRUE(weight["scale"]["per_channel"].get<bool>());
    EXPECT_LT(weight["scale"]["min"].get<double>(), weight["scale"]["max"].get<double>());
    ASSERT_EQ(j["layers"].size(), 4u);
    EXPECT_EQ(j["layers"][0]["K"], 490);
    EXPECT_EQ(j["layers"][0]["weight_quantizer"], weight["name"]);
}

TEST(CliInfo, TableNamesQuantizersAndLayers)
{
    const auto r = test::runCli("info " + test::model("vww_mobilenet128_qcdq.onnx").string());
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("format qcdq"), std::string::npos);
    EXPECT_NE(r.out.find("QCDQ"), std::string::npos);
    EXPECT_NE(r.out.find("Compute layers"), std::string::npos);
}

TEST(CliInfo, BadInputExitsTwoWithOneLineNamingTheProblem)
{
    const std::string path = "/tmp/qs-cli-bad-" + std::to_string(::getpid()) + ".onnx";
    std::FILE* f = std::fopen(path.c_str(), "wb");
    std::fputs("definitely not protobuf \x01\x02\x03", f);
    std::fclose(f);
    const auto r = test::runCli("info " + path);
    std::remove(path.c_str());
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find("qs-cli-bad-"), std::string::npos) << r.err;

    const auto missing = test::runCli("info /nonexistent/model.onnx");
    EXPECT_EQ(missing.exitCode, 2);
    EXPECT_NE(missing.err.find("/nonexistent/model.onnx"), std::string::npos) << missing.err;

    const auto usage = test::runCli("info");
    EXPECT_EQ(usage.exitCode, 2);
}
