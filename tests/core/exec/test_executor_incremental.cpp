// Incremental re-runs (RunOptions::reuse + dirtyNodes): after editing a quantizer's parameters, a run
// that recomputes only the edited nodes and what lies downstream equals a full run bit for bit, in
// the quantized network and in the float shadow, on real models; a reuse that does not fit is refused
// with a clear message.
#include "core/exec/executor.h"
#include "core/exec/inputgenerator.h"
#include "core/util/error.h"
#include "support/modeledits.h"
#include "support/runcompare.h"
#include "support/testdata.h"

#include <cstring>
#include <gtest/gtest.h>

using namespace qs;

namespace {

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

RunOptions captureAll(const std::set<int>& bypass = {})
{
    RunOptions run;
    run.captureAll = true;
    run.anyBatchSize = true;
    run.bypassQuantizers = bypass;
    return run;
}

std::set<int> allButDequantizeOnly(const ModelDocument& doc)
{
    std::set<int> ids;
    for (const Quantizer& q : doc.quantizers())
        if (q.kind != QuantizerKind::DequantizeOnly)
            ids.insert(q.id);
    return ids;
}

// Nodes whose parameters differ between two snapshots of the same graph (what the analysis session
// works out by itself): here, the nodes reading an initializer the edit added.
std::set<NodeId> editedNodes(const ModelDocument& before, const ModelDocument& after)
{
    std::set<NodeId> nodes;
    for (NodeId id = 0; id < after.graph().nodeCount(); ++id)
        for (std::size_t slot = 0; slot < after.node(id).inputs.size(); ++slot) {
            const TensorId t = after.node(id).inputs[slot];
            if (t >= 0 && !before.graph().findTensor(after.tensor(t).name))
                nodes.insert(id);
        }
    return nodes;
}

// Edits each of `quantizers` in turn on a copy of `base` and checks incremental against full runs,
// quantized and float shadow.
void checkEdits(const ModelDocument& base, const std::vector<int>& quantizers, const std::string& model)
{
    const auto inputs = randomInputs(base, 7, 2);
    const Executor baseExecutor(base);
    const std::set<int> shadowBypass = allButDequantizeOnly(base);
    const RunResult baseQuantized = baseExecutor.run(inputs, captureAll());
    const RunResult baseShadow = baseExecutor.run(inputs, captureAll(shadowBypass));
    for (int quantizer : quantizers) {
        const std::string what
            = model + ", quantizer '" + base.quantizers()[static_cast<std::size_t>(quantizer)].name + "'";
        auto edited = test::copyOf(base);
        ASSERT_TRUE(test::editQuantizerParameters(*edited, quantizer)) << what;
        const std::set<NodeId> dirty = editedNodes(base, *edited);
        ASSERT_FALSE(dirty.empty()) << what;
        const Executor executor(*edited);

        RunOptions partial = captureAll();
        partial.reuse = &baseQuantized;
        partial.dirtyNodes = dirty;
        const RunResult full = executor.run(inputs, captureAll());
        const RunResult incremental = executor.run(inputs, partial);
        test::expectIdenticalRuns(full, incremental, what);
        EXPECT_LT(incremental.executedSteps, full.executedSteps) << what;
        EXPECT_GT(incremental.executedSteps, 0) << what;

        RunOptions shadowPartial = captureAll(shadowBypass);
        shadowPartial.reuse = &baseShadow;
        shadowPartial.dirtyNodes = dirty;
        const RunResult shadowFull = executor.run(inputs, captureAll(shadowBypass));
        const RunResult shadowIncremental = executor.run(inputs, shadowPartial);
        test::expectIdenticalRuns(shadowFull, shadowIncremental, what + " (float shadow)");
        EXPECT_LT(shadowIncremental.executedSteps, shadowFull.executedSteps) << what;
    }
}

} // namespace

TEST(ExecutorIncremental, WeightQuantizerEditsMatchFullRunsBitForBit)
{
    for (const std::string& path : test::incrementalTestModels()) {
        SCOPED_TRACE(path);
        const auto doc = ModelDocument::load(path);
        std::vector<int> quantizers;
        for (const Layer* layer : test::firstMiddleLast(test::weightQuantizedLayers(*doc)))
            quantizers.push_back(layer->weightQuantizer);
        ASSERT_FALSE(quantizers.empty());
        checkEdits(*doc, quantizers, path);
    }
}

TEST(ExecutorIncremental, ActivationQuantizerEditsMatchFullRunsBitForBit)
{
    for (const std::string& path : test::incrementalTestModels()) {
        SCOPED_TRACE(path);
        const auto doc = ModelDocument::load(path);
        std::vector<int> activations;
        for (const Quantizer& q : doc->quantizers())
            if (q.role == QuantizerRole::Activation && q.kind != QuantizerKind::DequantizeOnly)
                activations.push_back(q.id);
        ASSERT_FALSE(activations.empty());
        checkEdits(*doc, test::firstMiddleLast(activations), path);
    }
}

TEST(ExecutorIncremental, NothingDirtyReusesEveryValue)
{
    const auto doc = ModelDocument::load(test::model("resnet8_cifar10_w4a4.onnx"));
    const auto inputs = randomInputs(*doc, 1, 2);
    const Executor executor(*doc);
    const RunResult first = executor.run(inputs, captureAll());
    RunOptions again = captureAll();
    again.reuse = &first;
    const RunResult second = executor.run(inputs, again);
    EXPECT_EQ(second.executedSteps, 0);
    test::expectIdenticalRuns(first, second, "no edit");
    for (const auto& [name, value] : first.captured)
        EXPECT_EQ(second.captured.at(name), value) << name; // shared, not copied
}

TEST(ExecutorIncremental, PlainRunsStillUseFoldedConstants)
{
    const auto doc = ModelDocument::load(test::model("resnet8_cifar10_w4a4.onnx"));
    const auto inputs = randomInputs(*doc, 3, 2);
    const Executor executor(*doc);
    RunOptions plain;
    plain.anyBatchSize = true;
    const RunResult folded = executor.run(inputs, plain);
    const RunResult full = executor.run(inputs, captureAll());
    EXPECT_LT(folded.executedSteps, full.executedSteps); // the weight quantizers were folded
    for (const auto& [name, value] : full.outputs)
        EXPECT_TRUE(test::identical(*value, *folded.outputs.at(name))) << name;
}

TEST(ExecutorIncremental, RefusesReuseThatDoesNotFit)
{
    const auto doc = ModelDocument::load(test::model("resnet8_cifar10_w4a4.onnx"));
    const auto inputs = randomInputs(*doc, 1, 2);
    const Executor executor(*doc);
    const RunResult full = executor.run(inputs, captureAll());
    auto expectError = [&](const RunOptions& options, const std::map<std::string, Tensor>& given,
                           const std::string& part, const Executor* on = nullptr) {
        try {
            (on ? *on : executor).run(given, options);
            ADD_FAILURE() << "no error, expected '" << part << "'";
        } catch (const Error& e) {
            EXPECT_TRUE(contains(e.what(), part)) << e.what();
        }
    };

    RunOptions outputsOnly;
    outputsOnly.anyBatchSize = true;
    const RunResult notCaptured = executor.run(inputs, outputsOnly);
    RunOptions options = captureAll();
    options.reuse = &notCaptured;
    expectError(options, inputs, "did not capture every intermediate");

    options.reuse = &full;
    expectError(options, randomInputs(*doc, 2, 2), "other inputs");

    RunOptions shadow = captureAll(allButDequantizeOnly(*doc));
    shadow.reuse = &full;
    expectError(shadow, inputs, "bypassed other quantizers");

    options.dirtyNodes = {doc->graph().nodeCount() + 5};
    expectError(options, inputs, "is not a node of the graph");

    const auto other = ModelDocument::load(test::model("tfc_w2a2.onnx"));
    const Executor otherExecutor(*other);
    const auto otherInputs = randomInputs(*other, 1, 2);
    const RunResult otherRun = otherExecutor.run(otherInputs, captureAll());
    RunOptions foreign = captureAll();
    foreign.reuse = &otherRun;
    expectError(foreign, inputs, "different graph");

    ExecutorOptions f64;
    f64.precision = Precision::Float64;
    const Executor doubleExecutor(*doc, f64);
    RunOptions precise = captureAll();
    precise.reuse = &full;
    expectError(precise, inputs, "another precision", &doubleExecutor);
}

TEST(ExecutorIncremental, CancelledIncrementalRunThrowsCancelled)
{
    const auto doc = ModelDocument::load(test::model("resnet8_cifar10_w4a4.onnx"));
    const auto inputs = randomInputs(*doc, 1, 2);
    const Executor executor(*doc);
    const RunResult full = executor.run(inputs, captureAll());
    RunOptions options = captureAll();
    options.reuse = &full;
    options.dirtyNodes = {doc->graph().topologicalOrder().front()};
    Progress progress;
    progress.cancel();
    EXPECT_THROW(executor.run(inputs, options, &progress), Cancelled);
}
