// The executor against the reference tensors that upstream ships with some models (copied into
// tests/data/models, sources in its README): the outputs their authors computed with PyTorch, CNTK,
// qonnx or FINN must come out of our kernels too. A missing file fails the test; nothing is skipped.
#include "core/exec/executor.h"
#include "core/tensorio/npy.h"
#include "core/tensorio/tensorproto.h"
#include "support/testdata.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <limits>

using namespace qs;

namespace {

// Reordered float32 sums (another framework's GEMM blocking and Conv algorithm) differ from each other
// by a few units in the last place of the largest partial sums; 8 ulps of max|ref| bounds that with
// margin, while a wrong kernel (a missed tap, a mis-rounded quantizer step) is off by orders more.
constexpr double kFloat32SumTolerance = 8 * std::numeric_limits<float>::epsilon(); // ~9.5e-7

std::unique_ptr<ModelDocument> loadModel(const std::string& file)
{
    const auto path = test::model(file);
    if (!std::filesystem::exists(path))
        throw Error("missing test file " + path.string());
    return ModelDocument::load(path);
}

Tensor npy(const std::string& file)
{
    return readNpy(test::model(file)); // throws (fails the test) when the file is missing
}

std::string onlyInput(const ModelDocument& doc)
{
    EXPECT_EQ(doc.graph().graphInputs().size(), 1u);
    return doc.tensor(doc.graph().graphInputs().at(0)).name;
}

const Tensor& onlyOutput(const RunResult& result)
{
    EXPECT_EQ(result.outputs.size(), 1u);
    return *result.outputs.begin()->second;
}

double maxAbs(const Tensor& t)
{
    double m = 0;
    for (std::int64_t i = 0; i < t.size(); ++i)
        m = std::max(m, std::abs(t.at(i)));
    return m;
}

double maxAbsDifference(const Tensor& a, const Tensor& b)
{
    double m = 0;
    for (std::int64_t i = 0; i < a.size(); ++i)
        m = std::max(m, std::abs(a.at(i) - b.at(i)));
    return m;
}

void expectClose(const Tensor& actual, const Tensor& reference, double relativeTolerance)
{
    ASSERT_EQ(actual.shape(), reference.shape());
    const double scale = maxAbs(reference);
    ASSERT_GT(scale, 0.0) << "an all-zero reference would prove nothing";
    const double error = maxAbsDifference(actual, reference);
    EXPECT_LE(error, relativeTolerance * scale) << "max |error| " << error << ", max |ref| " << scale;
}

} // namespace

TEST(ReferenceOutputs, RadiomlCnnMatchesPytorchOutput)
{
    const auto doc = loadModel("radioml_cnn_2mods.onnx");
    const Executor executor(*doc);
    const RunResult result = executor.run({{onlyInput(*doc), npy("radioml_cnn_2mods.input.npy")}});
    expectClose(onlyOutput(result), npy("radioml_cnn_2mods.output.npy"), kFloat32SumTolerance);
}

TEST(ReferenceOutputs, MnistConvFloatMatchesOnnxModelZooOutput)
{
    const auto doc = loadModel("mnist_conv_float.onnx");
    const Executor executor(*doc);
    const NamedTensor input = readTensorProtoFile(test::model("mnist_conv_float.input_0.pb"));
    const NamedTensor reference = readTensorProtoFile(test::model("mnist_conv_float.output_0.pb"));
    const RunResult result = executor.run({{onlyInput(*doc), input.tensor}});
    expectClose(onlyOutput(result), reference.tensor, kFloat32SumTolerance);
}

TEST(ReferenceOutputs, FloatQuantFp8FragmentIsExact)
{
    const auto doc = loadModel("frag_floatquant_fp8.onnx");
    const Executor executor(*doc);
    // The FP8 quantizers' outputs too (activation.npz holds qonnx's input_quant and weight_quant).
    RunOptions options;
    std::string inputQuant, weightQuant;
    const std::string input = onlyInput(*doc);
    for (NodeId id = 0; id < doc->graph().nodeCount(); ++id) {
        const NodeInfo& node = doc->node(id);
        if (node.opType != "FloatQuant")
            continue;
        (doc->tensor(node.inputs.at(0)).name == input ? inputQuant : weightQuant)
            = doc->tensor(node.outputs.at(0)).name;
    }
    ASSERT_FALSE(inputQuant.empty());
    ASSERT_FALSE(weightQuant.empty());
    options.capture = {inputQuant, weightQuant};
    const RunResult result = executor.run({{input, npy("frag_floatquant_fp8.input.npy")}}, options);

    const Tensor reference = npy("frag_floatquant_fp8.output.npy");
    const Tensor& output = onlyOutput(result);
    ASSERT_EQ(output.shape(), reference.shape());
    EXPECT_EQ(maxAbsDifference(output, reference), 0.0);

    const auto activations = readNpz(test::model("frag_floatquant_fp8.activation.npz"));
    for (const auto& [arrayName, tensorName] :
        {std::pair {"input_quant", inputQuant}, std::pair {"weight_quant", weightQuant}}) {
        SCOPED_TRACE(arrayName);
        ASSERT_TRUE(activations.count(arrayName));
        ASSERT_TRUE(result.captured.count(tensorName));
        const Tensor& expected = activations.at(arrayName);
        const Tensor actual = result.captured.at(tensorName)->reshaped(expected.shape());
        EXPECT_EQ(maxAbsDifference(actual, expected), 0.0);
    }
}

TEST(ReferenceOutputs, FinnStreamlinedTfcClassifiesFinnsSamples)
{
    const auto doc = loadModel("tfc_w1a1_finn_streamlined.onnx");
    const Executor executor(*doc);
    const Tensor samples = npy("tfc_w1a1_finn_streamlined.input.npy"); // [4,1,28,28]
    const Tensor expected = npy("tfc_w1a1_finn_streamlined.expected_output.npy"); // [4] class labels
    ASSERT_EQ(samples.rank(), 4);
    ASSERT_EQ(expected.size(), samples.shape()[0]);
    ASSERT_GT(expected.size(), 1);
    const std::int64_t per = samples.size() / samples.shape()[0];
    for (std::int64_t n = 0; n < samples.shape()[0]; ++n) {
        SCOPED_TRACE("sample " + std::to_string(n));
        // The model is declared with batch 1: one run per sample.
        Tensor sample(samples.dtype(), {1, samples.shape()[1], samples.shape()[2], samples.shape()[3]});
        std::copy_n(samples.data<float>() + n * per, per, sample.data<float>());
        const RunResult result = executor.run({{onlyInput(*doc), sample}});
        const Tensor& output = onlyOutput(result);
        // The graph ends in TopK (k = 1): its output is the class index itself; take the argmax should
        // it ever carry scores instead.
        std::int64_t predicted = 0;
        if (output.size() == 1) {
            predicted = static_cast<std::int64_t>(output.at(0));
        } else {
            for (std::int64_t i = 1; i < output.size(); ++i)
                if (output.at(i) > output.at(predicted))
                    predicted = i;
        }
        EXPECT_EQ(predicted, expected.atInt(n));
    }
}

TEST(ReferenceOutputs, EspcnQuantRunsItsTestInputOntoTheOutputQuantizerGrid)
{
    // Upstream ships only the input (no reference output): the run must succeed, give the x2
    // super-resolved image, and every value must be a code of the final quantizer (k * scale, k in
    // [qmin, qmax]) — a kernel mistake would still land on the grid, but not with this spread of codes.
    const auto doc = loadModel("espcn_bsd300_quant.onnx");
    const Executor executor(*doc);
    const NamedTensor input = readTensorProtoFile(test::model("espcn_bsd300_quant.input_0.pb"));
    ASSERT_EQ(input.tensor.shape(), (Shape {1, 3, 128, 128}));
    const RunResult result = executor.run({{onlyInput(*doc), input.tensor}});
    const Tensor& output = onlyOutput(result);
    ASSERT_EQ(output.shape(), (Shape {1, 3, 256, 256}));

    const TensorId outputId = doc->graph().graphOutputs().at(0);
    const Quantizer* last = nullptr;
    for (const Quantizer& q : doc->quantizers())
        if (q.output == outputId)
            last = &q;
    ASSERT_NE(last, nullptr);
    ASSERT_TRUE(last->scale.known && last->scale.values.size() == 1 && last->qmin && last->qmax);
    const double scale = last->scale.values[0];
    std::vector<int> histogram(static_cast<std::size_t>(*last->qmax - *last->qmin + 1));
    for (std::int64_t i = 0; i < output.size(); ++i) {
        const double code = output.at(i) / scale;
        ASSERT_NEAR(code, std::round(code), 1e-3) << "element " << i;
        ASSERT_GE(std::round(code), *last->qmin);
        ASSERT_LE(std::round(code), *last->qmax);
        ++histogram[static_cast<std::size_t>(std::round(code) - *last->qmin)];
    }
    const auto used = std::count_if(histogram.begin(), histogram.end(), [](int c) { return c > 0; });
    EXPECT_GT(used, static_cast<long>(histogram.size() / 4)) << "a natural image uses most codes";
}
