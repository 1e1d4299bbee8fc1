// AnalysisSession: after each edit (first, middle and last weight quantizer, an activation quantizer,
// undo back to the original) its incremental analysis equals analyzeModel() on the same snapshot —
// layer summaries, error report, ranges and observed accumulators compared exactly — on real models;
// a structure or input change gives a full analysis; a cancelled call leaves the session consistent.
// Also: the selection-based log2 statistics equal the sort-based ones.
#include "core/analysis/analysissession.h"
#include "core/analysis/snapshotdiff.h"
#include "core/util/error.h"
#include "support/modeledits.h"
#include "support/testdata.h"

#include <cmath>
#include <gtest/gtest.h>
#include <random>

using namespace qs;

namespace {

bool same(double a, double b)
{
    return a == b || (std::isnan(a) && std::isnan(b));
}

#define EXPECT_SAME(a, b) EXPECT_TRUE(same((a), (b))) << #a << ": " << (a) << " vs " << (b) << " at " << where

void expectSameMetrics(const ErrorMetrics& a, const ErrorMetrics& b, const std::string& where)
{
    EXPECT_EQ(a.count, b.count) << where;
    EXPECT_SAME(a.signalPower, b.signalPower);
    EXPECT_SAME(a.mse, b.mse);
    EXPECT_SAME(a.maxAbsError, b.maxAbsError);
    EXPECT_SAME(a.sqnrDb, b.sqnrDb);
    EXPECT_SAME(a.cosineSimilarity, b.cosineSimilarity);
}

void expectSameRange(
    const std::optional<TensorRange>& a, const std::optional<TensorRange>& b, const std::string& where)
{
    ASSERT_EQ(a.has_value(), b.has_value()) << where;
    if (!a)
        return;
    EXPECT_EQ(a->name, b->name) << where;
    EXPECT_EQ(a->shape, b->shape) << where;
    EXPECT_EQ(a->quantizer, b->quantizer) << where;
    const Log2Stats &x = a->stats, &y = b->stats;
    EXPECT_EQ(x.count, y.count) << where;
    EXPECT_EQ(x.zeroCount, y.zeroCount) << where;
    EXPECT_EQ(x.nonFiniteCount, y.nonFiniteCount) << where;
    for (auto [p, q] : {std::pair {x.minLog2, y.minLog2}, {x.p5Log2, y.p5Log2}, {x.p25Log2, y.p25Log2},
             {x.medianLog2, y.medianLog2}, {x.p75Log2, y.p75Log2}, {x.p95Log2, y.p95Log2},
             {x.maxLog2, y.maxLog2}})
        EXPECT_SAME(p, q);
    EXPECT_SAME(a->histogram.lowLog2, b->histogram.lowLog2);
    EXPECT_SAME(a->histogram.highLog2, b->histogram.highLog2);
    EXPECT_EQ(a->histogram.counts, b->histogram.counts) << where;
    EXPECT_EQ(a->representable.known, b->representable.known) << where;
    EXPECT_SAME(a->representable.lowLog2, b->representable.lowLog2);
    EXPECT_SAME(a->representable.highLog2, b->representable.highLog2);
}

// Everything but the timings.
void expectSameAnalysis(const ModelAnalysis& a, const ModelAnalysis& b, const std::string& context)
{
    ASSERT_EQ(a.layers.size(), b.layers.size()) << context;
    for (std::size_t i = 0; i < a.layers.size(); ++i) {
        const LayerSummary &x = a.layers[i], &y = b.layers[i];
        const std::string where = context + ", layer " + x.name;
        EXPECT_EQ(x.name, y.name) << where;
        EXPECT_EQ(x.inputBits, y.inputBits) << where;
        EXPECT_EQ(x.weightBits, y.weightBits) << where;
        EXPECT_EQ(x.outputBits, y.outputBits) << where;
        EXPECT_EQ(x.k, y.k) << where;
        EXPECT_SAME(x.macs, y.macs);
        EXPECT_SAME(x.bopsQonnx, y.bopsQonnx);
        EXPECT_SAME(x.bopsUniq, y.bopsUniq);
        EXPECT_EQ(x.accApplicable, y.accApplicable) << where;
        EXPECT_EQ(x.accReason, y.accReason) << where;
        EXPECT_EQ(x.accExactBits, y.accExactBits) << where;
        EXPECT_EQ(x.accA2qBits, y.accA2qBits) << where;
        EXPECT_EQ(x.accA2qPlusBits, y.accA2qPlusBits) << where;
        EXPECT_EQ(x.accDataTypeBits, y.accDataTypeBits) << where;
        EXPECT_EQ(x.accObservedBits, y.accObservedBits) << where;
        EXPECT_EQ(x.risk, y.risk) << where;
        EXPECT_EQ(x.overflowElements, y.overflowElements) << where;
        ASSERT_EQ(x.sqnrDb.has_value(), y.sqnrDb.has_value()) << where;
        if (x.sqnrDb) {
            EXPECT_SAME(*x.sqnrDb, *y.sqnrDb);
        }
    }
    ASSERT_EQ(a.error.has_value(), b.error.has_value()) << context;
    if (a.error) {
        const QuantErrorReport &x = *a.error, &y = *b.error;
        ASSERT_EQ(x.layers.size(), y.layers.size()) << context;
        for (std::size_t i = 0; i < x.layers.size(); ++i) {
            EXPECT_EQ(x.layers[i].available, y.layers[i].available) << context;
            expectSameMetrics(
                x.layers[i].output, y.layers[i].output, context + ", error of " + x.layers[i].name);
        }
        ASSERT_EQ(x.quantizers.size(), y.quantizers.size()) << context;
        for (std::size_t i = 0; i < x.quantizers.size(); ++i) {
            const QuantizerError &p = x.quantizers[i], &q = y.quantizers[i];
            const std::string where = context + ", quantizer " + p.name;
            EXPECT_EQ(p.available, q.available) << where;
            expectSameMetrics(p.output, q.output, where);
            EXPECT_EQ(p.localAvailable, q.localAvailable) << where;
            expectSameMetrics(p.local, q.local, where + " (local)");
            EXPECT_EQ(p.clipKnown, q.clipKnown) << where;
            EXPECT_EQ(p.clipChecked, q.clipChecked) << where;
            EXPECT_SAME(p.clipLowFraction, q.clipLowFraction);
            EXPECT_SAME(p.clipHighFraction, q.clipHighFraction);
        }
        ASSERT_EQ(x.outputs.size(), y.outputs.size()) << context;
        for (std::size_t i = 0; i < x.outputs.size(); ++i) {
            expectSameMetrics(
                x.outputs[i].metrics, y.outputs[i].metrics, context + ", output " + x.outputs[i].name);
            EXPECT_EQ(x.outputs[i].top1Agreements, y.outputs[i].top1Agreements) << context;
        }
        EXPECT_EQ(x.firstDivergence, y.firstDivergence) << context;
        expectSameMetrics(x.allOutputs, y.allOutputs, context + ", all outputs");
        EXPECT_EQ(x.notes, y.notes) << context;
    }
    ASSERT_EQ(a.ranges.layers.size(), b.ranges.layers.size()) << context;
    for (std::size_t i = 0; i < a.ranges.layers.size(); ++i) {
        const std::string where = context + ", ranges of " + a.ranges.layers[i].name;
        EXPECT_EQ(a.ranges.layers[i].layer, b.ranges.layers[i].layer) << where;
        expectSameRange(a.ranges.layers[i].weight, b.ranges.layers[i].weight, where + " (weight)");
        expectSameRange(a.ranges.layers[i].input, b.ranges.layers[i].input, where + " (input)");
    }
    ASSERT_EQ(a.accumulator.layers.size(), b.accumulator.layers.size()) << context;
    for (std::size_t i = 0; i < a.accumulator.layers.size(); ++i) {
        const LayerAccumulatorResult &x = a.accumulator.layers[i], &y = b.accumulator.layers[i];
        const std::string where = context + ", accumulator of layer " + std::to_string(i);
        EXPECT_EQ(x.observed, y.observed) << where;
        EXPECT_EQ(x.observedSummary.elements, y.observedSummary.elements) << where;
        EXPECT_EQ(x.observedSummary.overflowElements, y.observedSummary.overflowElements) << where;
        EXPECT_EQ(x.observedSummary.observedBits, y.observedSummary.observedBits) << where;
        EXPECT_EQ(x.observedSummary.maxExcessBits, y.observedSummary.maxExcessBits) << where;
        ASSERT_EQ(x.observations.size(), y.observations.size()) << where;
        for (std::size_t c = 0; c < x.observations.size(); ++c) {
            EXPECT_TRUE(x.observations[c].finalLo == y.observations[c].finalLo) << where;
            EXPECT_TRUE(x.observations[c].finalHi == y.observations[c].finalHi) << where;
        }
        EXPECT_EQ(x.risk.risk, y.risk.risk) << where;
        EXPECT_EQ(x.notes, y.notes) << where;
    }
}

AnalysisOptions smallBatch()
{
    AnalysisOptions options;
    options.batch = 2;
    options.seed = 11;
    return options;
}

std::shared_ptr<const ModelDocument> edited(const ModelDocument& base, int quantizer)
{
    auto copy = test::copyOf(base);
    if (!test::editQuantizerParameters(*copy, quantizer))
        throw std::runtime_error("quantizer " + std::to_string(quantizer) + " has no editable parameter");
    return copy;
}

int middleActivationQuantizer(const ModelDocument& doc)
{
    std::vector<int> ids;
    for (const Quantizer& q : doc.quantizers())
        if (q.role == QuantizerRole::Activation && q.kind != QuantizerKind::DequantizeOnly)
            ids.push_back(q.id);
    return ids.empty() ? -1 : ids[ids.size() / 2];
}

// The session with `threads` against full single-threaded analyses of the same snapshots: with 2 the
// executor runs on two threads (same bits, see test_executor_threads) and the error, range and
// accumulator analyses run side by side, sharing the session's cache from three threads.
void expectIncrementalEqualsFull(int threads)
{
    for (const std::string& path : test::incrementalTestModels()) {
        SCOPED_TRACE(path);
        const std::shared_ptr<const ModelDocument> base = test::copyOf(*ModelDocument::load(path));
        const AnalysisOptions options = smallBatch();
        AnalysisOptions sessionOptions = options;
        sessionOptions.threads = threads;
        AnalysisSession session(sessionOptions);
        const ModelAnalysis first = session.analyze(base);
        EXPECT_FALSE(first.incremental);
        const ModelAnalysis reference = analyzeModel(*base, options);
        expectSameAnalysis(first, reference, "first analysis");

        std::vector<std::pair<std::string, int>> edits;
        for (const Layer* layer : test::firstMiddleLast(test::weightQuantizedLayers(*base)))
            edits.emplace_back("weight of " + layer->name, layer->weightQuantizer);
        if (const int q = middleActivationQuantizer(*base); q >= 0)
            edits.emplace_back("activation " + base->quantizers()[static_cast<std::size_t>(q)].name, q);
        for (const auto& [what, quantizer] : edits) {
            const auto doc = edited(*base, quantizer);
            const ModelAnalysis incremental = session.analyze(doc);
            EXPECT_TRUE(incremental.incremental) << what;
            EXPECT_LT(incremental.recomputedNodes, first.recomputedNodes) << what;
            expectSameAnalysis(incremental, analyzeModel(*doc, options), what);
            // Undo: back to the original snapshot, again incrementally.
            const ModelAnalysis undone = session.analyze(base);
            EXPECT_TRUE(undone.incremental) << what;
            expectSameAnalysis(undone, reference, "undo of " + what);
        }
    }
}

} // namespace

TEST(AnalysisSession, IncrementalAnalysesEqualFullOnesAfterEachEdit)
{
    expectIncrementalEqualsFull(1);
}

TEST(AnalysisSession, AnalysesSideBySideOnTwoThreadsEqualSerialOnes)
{
    expectIncrementalEqualsFull(2);
}

TEST(AnalysisSession, SameSnapshotTwiceRecomputesNothing)
{
    const std::shared_ptr<const ModelDocument> doc
        = ModelDocument::load(test::model("resnet8_cifar10_w4a4.onnx"));
    AnalysisSession session(smallBatch());
    const ModelAnalysis first = session.analyze(doc);
    const ModelAnalysis second = session.analyze(doc);
    EXPECT_TRUE(second.incremental);
    EXPECT_EQ(second.recomputedNodes, 0);
    expectSameAnalysis(first, second, "unchanged");
}

TEST(AnalysisSession, StructureChangeGivesAFullAnalysis)
{
    const std::shared_ptr<const ModelDocument> base
        = ModelDocument::load(test::model("resnet8_cifar10_w4a4.onnx"));
    AnalysisSession session(smallBatch());
    const ModelAnalysis first = session.analyze(base);

    auto renamed = test::copyOf(*base);
    renamed->mutableProto().mutable_graph()->mutable_node(0)->set_name("renamed_by_test");
    renamed->refresh(true);
    const std::shared_ptr<const ModelDocument> changed = std::move(renamed);
    EXPECT_FALSE(diffSnapshots(*base, *changed).sameStructure);
    const ModelAnalysis analysis = session.analyze(changed);
    EXPECT_FALSE(analysis.incremental);
    EXPECT_EQ(analysis.recomputedNodes, first.recomputedNodes);
    expectSameAnalysis(analysis, analyzeModel(*changed, smallBatch()), "renamed node");

    // Another model entirely.
    const std::shared_ptr<const ModelDocument> other = ModelDocument::load(test::model("tfc_w2a2.onnx"));
    const ModelAnalysis otherAnalysis = session.analyze(other);
    EXPECT_FALSE(otherAnalysis.incremental);
    expectSameAnalysis(otherAnalysis, analyzeModel(*other, smallBatch()), "other model");
}

TEST(AnalysisSession, InputQuantizerEditChangesTheRandomInputsAndRunsInFull)
{
    // The first model whose graph input is quantized.
    for (const std::string& path : test::incrementalTestModels()) {
        const std::shared_ptr<const ModelDocument> base = test::copyOf(*ModelDocument::load(path));
        for (const Quantizer& q : base->quantizers()) {
            if (q.role != QuantizerRole::GraphInput)
                continue;
            auto copy = test::copyOf(*base);
            if (!test::scaleQuantizerScale(*copy, q.id, 2.0))
                continue;
            SCOPED_TRACE(path);
            AnalysisSession session(smallBatch());
            session.analyze(base);
            const std::shared_ptr<const ModelDocument> doc = std::move(copy);
            const ModelAnalysis analysis = session.analyze(doc);
            EXPECT_FALSE(analysis.incremental);
            expectSameAnalysis(analysis, analyzeModel(*doc, smallBatch()), "input quantizer");
            return;
        }
    }
    FAIL() << "none of the session models has a quantized graph input whose scale can be edited";
}

TEST(AnalysisSession, CallerInputsAndOptionChangesAreHonoured)
{
    const std::shared_ptr<const ModelDocument> base
        = ModelDocument::load(test::model("kws_mlp_w3a3_mlperf.onnx"));
    AnalysisOptions options = smallBatch();
    AnalysisSession session(options);
    session.analyze(base);
    options.inputs = analysisInputs(*base, [] {
        AnalysisOptions other = smallBatch();
        other.seed = 99;
        return other;
    }());
    session.setInputs(options.inputs);
    const ModelAnalysis withInputs = session.analyze(base);
    EXPECT_FALSE(withInputs.incremental);
    expectSameAnalysis(withInputs, analyzeModel(*base, options), "caller inputs");

    options.accumulator.accBits = 16;
    session.setOptions(options);
    const ModelAnalysis narrow = session.analyze(base);
    EXPECT_FALSE(narrow.incremental);
    expectSameAnalysis(narrow, analyzeModel(*base, options), "16-bit accumulator");
    const auto doc = edited(*base, test::weightQuantizedLayers(*base).back()->weightQuantizer);
    const ModelAnalysis after = session.analyze(doc);
    EXPECT_TRUE(after.incremental);
    expectSameAnalysis(after, analyzeModel(*doc, options), "edit with caller inputs");
}

TEST(AnalysisSession, CancelledCallsLeaveTheSessionConsistent)
{
    const std::shared_ptr<const ModelDocument> base
        = ModelDocument::load(test::model("resnet8_cifar10_w4a4.onnx"));
    const AnalysisOptions options = smallBatch();
    AnalysisSession session(options);
    session.analyze(base);
    const auto layers = test::weightQuantizedLayers(*base);
    const auto firstEdit = edited(*base, layers.front()->weightQuantizer);
    const auto lastEdit = edited(*base, layers.back()->weightQuantizer);

    Progress cancelled;
    cancelled.cancel();
    EXPECT_THROW(session.analyze(firstEdit, &cancelled), Cancelled);

    // Cancelled part-way through the runs, at several points.
    for (std::int64_t stopAt : {1, 10, 40}) {
        std::int64_t calls = 0;
        Progress* self = nullptr;
        Progress partway([&](std::int64_t, std::int64_t, std::string_view) {
            if (++calls == stopAt)
                self->cancel();
        });
        self = &partway;
        EXPECT_THROW(session.analyze(firstEdit, &partway), Cancelled) << stopAt;
    }
    const ModelAnalysis afterCancel = session.analyze(lastEdit);
    EXPECT_TRUE(afterCancel.incremental);
    expectSameAnalysis(afterCancel, analyzeModel(*lastEdit, options), "after cancellation");
    const ModelAnalysis next = session.analyze(firstEdit);
    expectSameAnalysis(next, analyzeModel(*firstEdit, options), "first layer after cancellation");
}

TEST(AnalysisSession, CancelledDuringTheAnalysesKeepsTheCacheConsistent)
{
    const AnalysisOptions options = smallBatch();
    for (const char* file : {"resnet8_cifar10_w4a4.onnx", "vww_mobilenet128_qonnx.onnx"}) {
        SCOPED_TRACE(file);
        const std::shared_ptr<const ModelDocument> base
            = test::copyOf(*ModelDocument::load(test::model(file)));
        const auto layers = test::weightQuantizedLayers(*base);
        AnalysisSession session(options);
        session.analyze(base);
        for (const Layer* layer : test::firstMiddleLast(layers)) {
            const auto doc = edited(*base, layer->weightQuantizer);
            for (const char* stopAfter : {"quantization error", "value ranges", "accumulators"}) {
                // Cancelled once the analyses have cached results for this call's (discarded) runs.
                Progress* self = nullptr;
                Progress progress([&](std::int64_t, std::int64_t, std::string_view what) {
                    if (what == stopAfter)
                        self->cancel();
                });
                self = &progress;
                EXPECT_THROW(session.analyze(doc, &progress), Cancelled) << stopAfter;
            }
            const ModelAnalysis analysis = session.analyze(doc);
            EXPECT_TRUE(analysis.incremental);
            expectSameAnalysis(analysis, analyzeModel(*doc, options), "after cancelled analyses");
            expectSameAnalysis(session.analyze(base), analyzeModel(*base, options), "back to the original");
        }
    }
}

TEST(AnalysisSession, RefusesANullDocument)
{
    AnalysisSession session;
    EXPECT_THROW(session.analyze(nullptr), Error);
}

namespace {

// log2Summary() (by counting distinct values or by selection) equals sorting every log2|x|.
void expectSummaryEqualsSorting(const Tensor& t, const std::string& where)
{
    const Log2Summary fast = log2Summary(t, 64);
    const std::vector<double> sorted = sortedLog2Magnitudes(t);
    const Log2Histogram histogram = log2Histogram(sorted, 64);
    EXPECT_EQ(fast.stats.count, t.size()) << where;
    if (!sorted.empty()) {
        EXPECT_SAME(fast.stats.minLog2, sorted.front());
        EXPECT_SAME(fast.stats.maxLog2, sorted.back());
        EXPECT_SAME(fast.stats.p5Log2, quantileSorted(sorted, 0.05));
        EXPECT_SAME(fast.stats.p25Log2, quantileSorted(sorted, 0.25));
        EXPECT_SAME(fast.stats.medianLog2, quantileSorted(sorted, 0.5));
        EXPECT_SAME(fast.stats.p75Log2, quantileSorted(sorted, 0.75));
        EXPECT_SAME(fast.stats.p95Log2, quantileSorted(sorted, 0.95));
    }
    EXPECT_EQ(fast.stats.nonzeroCount(), static_cast<std::int64_t>(sorted.size())) << where;
    EXPECT_EQ(fast.histogram.counts, histogram.counts) << where;
    EXPECT_SAME(fast.histogram.lowLog2, histogram.lowLog2);
    EXPECT_SAME(fast.histogram.highLog2, histogram.highLog2);
}

} // namespace

TEST(Log2Summary, SelectionEqualsSorting)
{
    std::mt19937_64 random(5);
    std::normal_distribution<double> normal(0.0, 3.0);
    for (std::int64_t n : {0, 1, 2, 3, 7, 100, 1001, 65536}) {
        std::vector<double> values(static_cast<std::size_t>(n));
        for (std::size_t i = 0; i < values.size(); ++i) {
            values[i] = std::ldexp(normal(random), static_cast<int>(random() % 9) - 4);
            if (i % 17 == 3)
                values[i] = 0;
            if (i % 23 == 5)
                values[i] = values[i / 2]; // ties
            if (i % 101 == 7)
                values[i] = i % 2 ? INFINITY : NAN;
        }
        expectSummaryEqualsSorting(Tensor::fromDoubles({n}, values), "n = " + std::to_string(n));
    }
}

// Quantized tensors take the distinct-value path (at most 4096 magnitudes); more magnitudes than
// that, even late in the tensor, fall back to selection. Both must give the sorted answer.
TEST(Log2Summary, QuantizedDataEqualsSorting)
{
    std::mt19937_64 random(11);
    const auto quantized = [&](std::int64_t n, int levels, double scale) {
        std::vector<float> values(static_cast<std::size_t>(n));
        for (float& v : values)
            v = static_cast<float>(scale * (static_cast<int>(random() % (2 * levels + 1)) - levels));
        return values;
    };
    for (const int levels : {1, 7, 127, 4095, 4096, 4097, 20000}) {
        std::vector<float> values = quantized(65536, levels, 0.0375);
        values[100] = NAN;
        values[200] = -INFINITY;
        expectSummaryEqualsSorting(Tensor::fromFloats({65536}, values), "levels " + std::to_string(levels));
    }
    // 4000 magnitudes, then new ones only at the very end: the count overflows after most of the work.
    std::vector<double> late(100000);
    for (std::size_t i = 0; i < late.size(); ++i)
        late[i] = i + 5000 < late.size() ? static_cast<double>(1 + i % 4000) / 64 : static_cast<double>(i);
    expectSummaryEqualsSorting(Tensor::fromDoubles({100000}, late), "late overflow");
    // Integer tensors (a zero point, say) and runs of one value.
    expectSummaryEqualsSorting(Tensor::fromInt64s({6}, {0, -3, -3, -3, 5, 0}), "int64");
    expectSummaryEqualsSorting(Tensor::fromFloats({4}, {0.5f, 0.5f, 0.5f, 0.5f}), "constant");
}
