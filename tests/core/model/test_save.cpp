// Saving: lossless for unchanged documents, atomic (temp file + rename), and self-contained when
// external data would be left behind.
#include "core/model/modelbuilder.h"
#include "core/model/modeldocument.h"
#include "core/util/error.h"
#include "support/testdata.h"

#include <fstream>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

using namespace qs;
using google::protobuf::util::MessageDifferencer;

namespace {

std::filesystem::path freshDir(const std::string& name)
{
    const auto dir = std::filesystem::temp_directory_path() / ("qs-save-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

std::string readBytes(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

} // namespace

TEST(Save, UnchangedDocumentReloadsProtobufEqualWithMetadataAndDocStrings)
{
    const auto dir = freshDir("lossless");
    // jettagger-like extras: metadata_props, doc strings, value_info, quantization annotations.
    const auto doc = ModelDocument::load(test::model("tfc_w1a1_finn_streamlined.onnx"));
    ASSERT_GT(doc->proto().graph().value_info_size(), 0);
    ASSERT_GT(doc->proto().graph().quantization_annotation_size(), 0);
    doc->save(dir / "copy.onnx");
    const auto again = ModelDocument::load(dir / "copy.onnx");
    EXPECT_TRUE(MessageDifferencer::Equals(doc->proto(), again->proto()));
    // Re-serialising the reloaded copy gives the same bytes (stable output).
    EXPECT_EQ(readBytes(dir / "copy.onnx"), again->serialize());
    std::filesystem::remove_all(dir);
}

TEST(Save, UnknownFieldsSurvive)
{
    const auto dir = freshDir("unknown");
    onnx::ModelProto model = ModelBuilder().input("x", {1}).output("y").node("Relu", {"x"}, {"y"}).build();
    model.mutable_metadata_props()->Add()->set_key("author");
    model.mutable_unknown_fields()->AddVarint(9999, 42); // a field from a future ONNX version
    std::ofstream(dir / "m.onnx", std::ios::binary) << model.SerializeAsString();
    const auto doc = ModelDocument::load(dir / "m.onnx");
    doc->save(dir / "out.onnx");
    onnx::ModelProto reloaded;
    ASSERT_TRUE(reloaded.ParseFromString(readBytes(dir / "out.onnx")));
    ASSERT_EQ(reloaded.unknown_fields().field_count(), 1);
    EXPECT_EQ(reloaded.unknown_fields().field(0).number(), 9999);
    EXPECT_EQ(reloaded.metadata_props(0).key(), "author");
    std::filesystem::remove_all(dir);
}

TEST(Save, FailedSaveLeavesTheExistingFileAndNoTempFiles)
{
    const auto dir = freshDir("atomic");
    const auto doc = ModelDocument::load(test::model("radioml_cnn_2mods.onnx"));
    const auto target = dir / "keep.onnx";
    std::ofstream(target) << "original";
    // A target whose parent is a file cannot be written: the error names it, nothing else changes.
    EXPECT_THROW(doc->save(target / "child.onnx"), Error);
    EXPECT_EQ(readBytes(target), "original");
    // A successful save replaces the file in one step and leaves no temporary behind.
    doc->save(target);
    EXPECT_EQ(readBytes(target), doc->serialize());
    int files = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir))
        ++files;
    EXPECT_EQ(files, 1);
    std::filesystem::remove_all(dir);
}

TEST(Save, ExternalDataIsReadAndEmbeddedWhenSavedElsewhere)
{
    const auto dir = freshDir("external");
    std::filesystem::create_directories(dir / "a" / "weights");
    std::filesystem::create_directories(dir / "b");
    const std::vector<float> values {1.5f, -2.0f, 3.25f, 0.0f};
    {
        std::ofstream bin(dir / "a" / "weights" / "w.bin", std::ios::binary);
        bin << std::string(8, '\0'); // offset 8
        bin.write(reinterpret_cast<const char*>(values.data()), 16);
    }
    ModelBuilder b;
    b.input("x", {4}).output("y");
    b.initializer("w", Tensor::fromFloats({4}, values));
    b.node("Add", {"x", "w"}, {"y"});
    auto model = b.build();
    auto* init = model.mutable_graph()->mutable_initializer(0);
    init->clear_raw_data();
    init->set_data_location(onnx::TensorProto::EXTERNAL);
    for (auto [key, value] : {std::pair {"location", "weights/w.bin"}, {"offset", "8"}, {"length", "16"}}) {
        auto* entry = init->add_external_data();
        entry->set_key(key);
        entry->set_value(value);
    }
    std::ofstream(dir / "a" / "m.onnx", std::ios::binary) << model.SerializeAsString();

    const auto doc = ModelDocument::load(dir / "a" / "m.onnx");
    const auto w = doc->initializerValue(*doc->graph().findTensor("w"));
    ASSERT_TRUE(w.has_value());
    EXPECT_EQ(w->toDoubles(), (std::vector<double> {1.5, -2.0, 3.25, 0.0}));

    doc->save(dir / "b" / "m.onnx"); // no weights/ folder there: the data must be embedded
    const auto copy = ModelDocument::load(dir / "b" / "m.onnx");
    EXPECT_EQ(copy->proto().graph().initializer(0).data_location(), onnx::TensorProto::DEFAULT);
    EXPECT_EQ(copy->initializerValue(*copy->graph().findTensor("w"))->toDoubles(), w->toDoubles());

    doc->save(dir / "a" / "m2.onnx"); // same folder: references stay as they are
    const auto sameFolder = ModelDocument::load(dir / "a" / "m2.onnx");
    EXPECT_EQ(sameFolder->proto().graph().initializer(0).data_location(), onnx::TensorProto::EXTERNAL);
    std::filesystem::remove_all(dir);
}
