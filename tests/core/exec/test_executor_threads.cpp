// The executor gives the same bits whatever the number of threads: kernels cut their work into pieces
// that do not depend on the thread count, so every float sum is taken in the same order. Checked on
// every intermediate tensor of real conv, depthwise, MLP and QCDQ models, quantized and float shadow,
// at batch 1 (where convolutions are cut into column tiles) and batch 3.
#include "core/exec/executor.h"
#include "core/exec/inputgenerator.h"
#include "support/runcompare.h"
#include "support/testdata.h"

#include <gtest/gtest.h>

using namespace qs;

TEST(ExecutorThreads, EveryTensorIsTheSameOnOneTwoAndFiveThreads)
{
    for (const char* file :
        {"resnet8_cifar10_w4a4.onnx", "vww_mobilenet128_qcdq.onnx", "mnist_qkeras_cnn.onnx",
            "espcn_bsd300_float.onnx", "kws_mlp_w3a3_mlperf.onnx", "radioml_cnn_2mods.onnx"}) {
        SCOPED_TRACE(file);
        const auto doc = ModelDocument::load(test::model(file));
        for (const std::int64_t batch : {1, 3}) {
            const auto inputs = randomInputs(*doc, 5, batch);
            for (const bool floatShadow : {false, true}) {
                RunOptions run;
                run.captureAll = true;
                run.anyBatchSize = true;
                run.bypassAllQuantizers = floatShadow;
                ExecutorOptions one;
                one.threads = 1;
                const RunResult expected = Executor(*doc, one).run(inputs, run);
                for (const int threads : {2, 5}) {
                    ExecutorOptions options;
                    options.threads = threads;
                    test::expectIdenticalRuns(expected, Executor(*doc, options).run(inputs, run),
                        std::string(floatShadow ? "float shadow" : "quantized") + ", batch "
                            + std::to_string(batch) + ", " + std::to_string(threads) + " threads");
                }
            }
        }
    }
}
