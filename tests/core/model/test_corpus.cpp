// Every model of the project's test data and of the shared corpus (when present beside the clone)
// loads, matches the independently written manifest (op histogram, quantizer op counts, inputs and
// outputs) and round-trips losslessly.
#include "core/model/modeldocument.h"
#include "support/testdata.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>
#include <iostream>
#include <map>

using namespace qs;
using nlohmann::json;

namespace {

int countKind(const ModelDocument& doc, QuantizerKind kind)
{
    int n = 0;
    for (const Quantizer& q : doc.quantizers())
        n += q.kind == kind;
    return n;
}

// Checks one manifest entry; returns false (with gtest failures recorded) on mismatch.
void checkAgainstManifest(const std::filesystem::path& file, const json& entry)
{
    SCOPED_TRACE(file.filename().string());
    std::unique_ptr<ModelDocument> doc;
    ASSERT_NO_THROW(doc = ModelDocument::load(file));

    EXPECT_EQ(doc->graph().nodeCount(), entry["node_count"].get<int>());
    EXPECT_EQ(doc->proto().ir_version(), entry["ir_version"].get<int>());
    std::map<std::string, int> expectedOps = entry["op_histogram"];
    const auto actual = doc->opHistogram();
    std::map<std::string, int> actualOps(actual.begin(), actual.end());
    EXPECT_EQ(actualOps, expectedOps);

    const json& counts = entry["quant_op_counts"];
    EXPECT_EQ(countKind(*doc, QuantizerKind::IntQuant), counts["Quant"].get<int>());
    EXPECT_EQ(countKind(*doc, QuantizerKind::BipolarQuant), counts["BipolarQuant"].get<int>());
    EXPECT_EQ(countKind(*doc, QuantizerKind::Trunc), counts["Trunc"].get<int>());
    EXPECT_EQ(countKind(*doc, QuantizerKind::FloatQuant), counts["FloatQuant"].get<int>());
    const int qdq = countKind(*doc, QuantizerKind::QCDQ) + countKind(*doc, QuantizerKind::QDQ);
    EXPECT_EQ(qdq, counts["QuantizeLinear"].get<int>());
    EXPECT_EQ(qdq + countKind(*doc, QuantizerKind::DequantizeOnly), counts["DequantizeLinear"].get<int>());
    const json details = entry.value("quant_details", json::object());
    if (details.contains("clip_input_from")) {
        EXPECT_EQ(countKind(*doc, QuantizerKind::QCDQ), details["clip_input_from"].value("QuantizeLinear", 0));
    }

    // Inputs and outputs: names, element types, and the static dims the manifest lists.
    const auto& inputs = doc->graph().graphInputs();
    ASSERT_EQ(inputs.size(), entry["inputs"].size());
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const TensorInfo& t = doc->tensor(inputs[i]);
        EXPECT_EQ(t.name, entry["inputs"][i]["name"].get<std::string>());
        const auto shape = t.staticShape();
        ASSERT_TRUE(shape.has_value()) << t.name;
        EXPECT_EQ(*shape, entry["inputs"][i]["shape"].get<std::vector<std::int64_t>>());
    }
    const auto& outputs = doc->graph().graphOutputs();
    ASSERT_EQ(outputs.size(), entry["outputs"].size());
    for (std::size_t i = 0; i < outputs.size(); ++i)
        EXPECT_EQ(doc->tensor(outputs[i]).name, entry["outputs"][i]["name"].get<std::string>());

    // Lossless: serialising the untouched document gives a protobuf-equal model.
    onnx::ModelProto original;
    {
        std::ifstream in(file, std::ios::binary);
        ASSERT_TRUE(original.ParseFromIstream(&in));
    }
    onnx::ModelProto reparsed;
    ASSERT_TRUE(reparsed.ParseFromString(doc->serialize()));
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(original, reparsed));
}

int checkFolder(const std::filesystem::path& dir)
{
    const json manifest = test::readJson(dir / "manifest.json");
    int checked = 0;
    for (const json& entry : manifest["models"]) {
        const auto file = dir / entry["file"].get<std::string>();
        if (!std::filesystem::exists(file)) {
            ADD_FAILURE() << "manifest lists " << file << " but it is missing";
            continue;
        }
        checkAgainstManifest(file, entry);
        ++checked;
    }
    return checked;
}

} // namespace

TEST(Corpus, ProjectTestModelsMatchManifest)
{
    const int checked = checkFolder(test::modelsDir());
    std::cout << "[ corpus ] checked " << checked << " models in " << test::modelsDir() << "\n";
    EXPECT_GE(checked, 15);
}

TEST(Corpus, SharedModelsMatchManifestWhenPresent)
{
    // CI always has shared/ beside the clone; a plain clone without it checks its own copies above.
    if (!std::filesystem::exists(test::sharedModelsDir() / "manifest.json")) {
        std::cout << "[ corpus ] no shared corpus at " << test::sharedModelsDir() << ", 0 models checked\n";
        return;
    }
    const int checked = checkFolder(test::sharedModelsDir());
    std::cout << "[ corpus ] checked " << checked << " models in " << test::sharedModelsDir() << "\n";
    EXPECT_GE(checked, 27);
}

TEST(Corpus, EveryOnnxFileInTheCorpusFoldersLoads)
{
    // Files without a manifest entry (e.g. added later) must at least load and index.
    int loaded = 0;
    for (const auto& dir : {test::modelsDir(), test::sharedModelsDir(), std::filesystem::path(QS_SHARED_DIR) / "synthetic"}) {
        for (const auto& file : test::onnxFilesIn(dir)) {
            if (file.filename().string().find("10000") != std::string::npos)
                continue; // the largest synthetic graphs belong to the benchmarks
            SCOPED_TRACE(file.string());
            EXPECT_NO_THROW(ModelDocument::load(file));
            ++loaded;
        }
    }
    std::cout << "[ corpus ] loaded " << loaded << " files\n";
    EXPECT_GE(loaded, 15);
}
