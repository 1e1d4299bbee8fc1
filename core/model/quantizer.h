#pragma once
// One quantizer of the model, whatever its encoding: a QONNX Quant/IntQuant, BipolarQuant, Trunc or
// FloatQuant node, or a QCDQ triplet QuantizeLinear -> Clip -> DequantizeLinear (or a Q/DQ pair, or a
// lone DequantizeLinear on integer data). Everything the GUI and the analyses need to know about it.
#include "core/model/graphindex.h"
#include "core/util/tensor.h"

#include <optional>
#include <string>
#include <vector>

namespace qs {

enum class QuantizerKind { IntQuant, BipolarQuant, Trunc, FloatQuant, QCDQ, QDQ, DequantizeOnly };
enum class QuantizerRole { Weight, Bias, Activation, GraphInput };

const char* quantizerKindName(QuantizerKind kind); // "Quant", "BipolarQuant", "QCDQ", ...
const char* quantizerRoleName(QuantizerRole role); // "weight", "bias", "activation", "input"

// A scale or zero point: where it comes from and, when it could be read, its values.
struct QuantParameter {
    TensorId tensor = -1;        // -1 when absent (e.g. an omitted zero point)
    bool known = false;          // values could be read (initializer or constant subgraph)
    Shape shape;                 // as stored (QONNX: broadcastable full rank; QCDQ: 0-D or 1-D)
    std::vector<double> values;
    int axis = -1;               // channel axis in the data tensor for per-channel values, else -1

    bool isPerChannel() const { return axis >= 0; }
    double minValue() const;
    double maxValue() const;
    bool allEqual(double v) const;
};

struct Quantizer {
    int id = -1;
    QuantizerKind kind = QuantizerKind::IntQuant;
    QuantizerRole role = QuantizerRole::Activation;
    std::vector<NodeId> nodes; // all nodes of the quantizer (Q, Clip, DQ for QCDQ)
    NodeId mainNode = -1;      // the Quant node, or the DequantizeLinear of a QCDQ chain
    std::string name;          // display name of the main node
    std::string domain;
    TensorId input = -1;       // the tensor being quantized
    TensorId output = -1;      // the fake-quantized (dequantized) tensor

    std::optional<double> bitWidth; // nullopt when computed at run time
    bool bitWidthIs0D = true;       // qonnx only infers integer datatypes from a 0-D bit width
    bool isSigned = true;
    bool narrow = false;
    std::string roundingMode = "ROUND";
    bool attributesDefaulted = false; // signed/narrow/rounding_mode missing from the node

    QuantParameter scale;
    QuantParameter zeroPoint;
    std::optional<double> qmin; // integer range of the codes (Clip bounds for QCDQ)
    std::optional<double> qmax;
    std::string dataType;       // QONNX datatype (INT4, UINT8, BIPOLAR, SCALEDINT<8>, FLOAT32, ...)

    // Trunc only.
    int truncVersion = 0;
    std::optional<double> outBitWidth;
    // FloatQuant only.
    std::optional<double> exponentBitWidth;
    std::optional<double> mantissaBitWidth;
};

} // namespace qs
