#pragma once
// Builds the quantization view of a model: every quantizer (any encoding) as one Quantizer, and every
// compute layer with its weight / input / bias / output quantizers and dot-product length K.
#include "core/model/constantevaluator.h"
#include "core/model/graphindex.h"
#include "core/model/layer.h"
#include "core/model/quantizer.h"

#include <onnx/onnx_pb.h>
#include <vector>

namespace qs {

struct QuantizationView {
    std::vector<Quantizer> quantizers;
    std::vector<Layer> layers;
    std::vector<int> quantizerOfNode; // node id -> quantizer id (-1 when the node is not part of one)
};

QuantizationView buildQuantizationView(const onnx::ModelProto& model, const GraphIndex& index,
                                       ConstantEvaluator& constants);

// Is this node one of the QONNX quantizer ops (Quant, IntQuant, BipolarQuant, Trunc, FloatQuant)?
bool isQonnxQuantizerNode(const NodeInfo& node);

} // namespace qs
