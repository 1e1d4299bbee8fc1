// Real models: the VWW MobileNet exists in both formats, so each converted file must compute exactly
// what the other file computes; and every model of the corpus converts both ways, or names every
// quantizer it left alone, and still loads, checks and runs with the same outputs.
#include "convertsupport.h"
#include "core/convert/modelconversion.h"
#include "support/testdata.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <iostream>
#include <set>
#include <unistd.h>

using namespace qs;
namespace fs = std::filesystem;

namespace {

bool isQcdqKind(QuantizerKind k)
{
    return k == QuantizerKind::QCDQ || k == QuantizerKind::QDQ || k == QuantizerKind::DequantizeOnly;
}

// Quantizers of `doc` that are in the other format than `target` (what a conversion must account for).
int sourceQuantizers(const ModelDocument& doc, ConversionTarget target)
{
    int n = 0;
    for (const Quantizer& q : doc.quantizers())
        n += isQcdqKind(q.kind) == (target == ConversionTarget::Qonnx) ? 1 : 0;
    return n;
}

std::vector<fs::path> corpus()
{
    std::vector<fs::path> files = test::onnxFilesIn(test::modelsDir());
    std::set<std::string> seen;
    for (const auto& f : files)
        seen.insert(f.filename().string());
    for (const auto& f : test::onnxFilesIn(test::sharedModelsDir()))
        if (seen.insert(f.filename().string()).second)
            files.push_back(f);
    return files;
}

void checkVwwDirection(const std::string& from, const std::string& to, ConversionTarget target)
{
    const auto source = ModelDocument::load(test::model(from));
    const auto reference = ModelDocument::load(test::model(to));
    const auto inputs = randomInputs(*reference, 20240611);
    const auto expected = test::runOutputs(*reference, inputs);
    // Not vacuous: the network's output depends on its input.
    EXPECT_GT(
        test::maxAbsDifference(test::runOutputs(*reference, randomInputs(*reference, 7)), expected), 0.0);

    auto converted = ModelDocument::load(test::model(from));
    const ConversionReport report = convertModel(*converted, target);
    EXPECT_EQ(report.converted.size(), source->quantizers().size());
    EXPECT_TRUE(report.skipped.empty())
        << report.skipped.front().name << ": " << report.skipped.front().reason;
    EXPECT_EQ(converted->format(), target == ConversionTarget::Qcdq ? ModelFormat::Qcdq : ModelFormat::Qonnx);

    const auto actual = test::runOutputs(*converted, test::inputsByPosition(inputs, *reference, *converted));
    const double diff = test::maxAbsDifference(actual, expected);
    std::cout << "[ vww ] " << from << " -> " << conversionTargetName(target) << " vs " << to
              << ": max |diff| = " << diff << "\n";
    EXPECT_EQ(diff, 0.0);
}

} // namespace

TEST(ConvertVww, QcdqToQonnxComputesWhatTheQonnxFileComputes)
{
    checkVwwDirection("vww_mobilenet128_qcdq.onnx", "vww_mobilenet128_qonnx.onnx", ConversionTarget::Qonnx);
}

TEST(ConvertVww, QonnxToQcdqComputesWhatTheQcdqFileComputes)
{
    checkVwwDirection("vww_mobilenet128_qonnx.onnx", "vww_mobilenet128_qcdq.onnx", ConversionTarget::Qcdq);
}

TEST(ConvertVww, QonnxToQcdqRaisesTheOpsetForTheNarrowWeightClips)
{
    auto doc = ModelDocument::load(test::model("vww_mobilenet128_qonnx.onnx"));
    const ConversionReport report = convertModel(*doc, ConversionTarget::Qcdq);
    EXPECT_EQ(doc->opsetVersion(""), 13); // signed narrow weights need Clip [-127, 127]
    EXPECT_GE(doc->proto().ir_version(), 7);
    EXPECT_EQ(test::countOp(*doc, "Clip"), 26); // one per conv weight, as in the QCDQ file
    EXPECT_EQ(test::countOp(*doc, "Quant"), 0);
}

TEST(ConvertCorpus, EveryModelConvertsBothWaysOrNamesWhatItLeftAlone)
{
    const std::uint64_t seed = 99;
    const fs::path tmp = fs::temp_directory_path() / ("qs-convert-corpus-" + std::to_string(::getpid()));
    fs::create_directories(tmp);
    for (const fs::path& file : corpus()) {
        const auto original = ModelDocument::load(file);
        bool executable = true;
        std::vector<Tensor> expected;
        std::map<std::string, Tensor> inputs;
        try {
            inputs = randomInputs(*original, seed);
            expected = test::runOutputs(*original, inputs);
        } catch (const Error& e) {
            executable = false; // e.g. an op without a kernel: compared structurally only
            std::cout << "[ corpus ] " << file.filename().string() << ": not executable (" << e.what()
                      << ")\n";
        }
        for (ConversionTarget target : {ConversionTarget::Qcdq, ConversionTarget::Qonnx}) {
            SCOPED_TRACE(file.filename().string() + " -> " + conversionTargetName(target));
            auto doc = ModelDocument::load(file);
            const ConversionReport report = convertModel(*doc, target);

            // Accounted for: every source-format quantizer is converted or skipped with a reason, and
            // exactly the skipped ones remain in the source format.
            EXPECT_EQ(report.converted.size() + report.skipped.size(),
                static_cast<std::size_t>(sourceQuantizers(*original, target)));
            EXPECT_EQ(static_cast<std::size_t>(sourceQuantizers(*doc, target)), report.skipped.size());
            for (const auto& s : report.skipped) {
                EXPECT_FALSE(s.reason.empty());
                for (const auto& n : s.nodes)
                    EXPECT_TRUE(doc->graph().findNode(n)) << "skipped node vanished: " << n;
            }

            const fs::path out = tmp / (file.stem().string() + "." + conversionTargetName(target) + ".onnx");
            doc->save(out);
            const auto reloaded = ModelDocument::load(out);
            if (original->checkerResult() == "OK") {
                EXPECT_EQ(reloaded->checkerResult(), "OK");
            }

            double diff = -1;
            if (executable) {
                const auto actual
                    = test::runOutputs(*reloaded, test::inputsByPosition(inputs, *original, *reloaded));
                diff = test::maxAbsDifference(actual, expected);
                EXPECT_EQ(diff, 0.0);
            }
            std::cout << "[ corpus ] " << file.filename().string() << " -> " << conversionTargetName(target)
                      << ": converted " << report.converted.size() << ", skipped " << report.skipped.size()
                      << ", opset changes " << report.opsetChanges.size() << ", max |diff| " << diff << "\n";
            std::set<std::string> reasons;
            for (const auto& s : report.skipped)
                reasons.insert(s.kind + ": " + s.reason);
            for (const auto& r : reasons)
                std::cout << "[ corpus ]     skipped " << r << "\n";
        }
    }
    fs::remove_all(tmp);
}
