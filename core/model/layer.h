#pragma once
// A compute layer (Conv, ConvTranspose, Gemm, MatMul, incl. channels-last Conv) with the quantizers
// around it and the shapes the accumulator and cost analyses need (accumulator-and-bops.md §1.4).
#include "core/model/graphindex.h"

#include <optional>
#include <string>
#include <vector>

namespace qs {

struct Layer {
    NodeId node = -1;
    std::string name;
    std::string opType;
    bool channelsLast = false;
    TensorId input = -1;   // the activation operand
    TensorId weight = -1;  // the constant operand, -1 for activation x activation MatMul
    TensorId bias = -1;
    TensorId output = -1;
    bool weightOnLeft = false; // MatMul with a constant A

    int inputQuantizer = -1;  // ids into the document's quantizer list, -1 when none
    int weightQuantizer = -1;
    int biasQuantizer = -1;
    int outputQuantizer = -1;
    std::vector<std::string> inputPath; // op types between the input quantizer and the layer

    std::optional<std::int64_t> dotProductLength; // K
    std::int64_t group = 1;
    std::optional<std::vector<std::int64_t>> inputShape;
    std::optional<std::vector<std::int64_t>> weightShape;
    std::optional<std::vector<std::int64_t>> outputShape;
};

} // namespace qs
