#pragma once
// Layout inputs built in code for tests and benchmarks, shaped like the networks Quantscope shows:
// the synthetic QONNX scaling graphs of /work/shared/synthetic and a model-zoo sized AdderNet.
#include "core/layout/graphlayout.h"

namespace qs {

// Chain of Quant → Conv → Quant → Relu blocks, cut off after nodeCount nodes (synth_chain_N.onnx).
LayoutGraph makeSyntheticChain(int nodeCount, bool edgeLabels = false);

// The same blocks with an Add after every 3 blocks, fed by the previous Add (the first by the graph input,
// which is not a node) and by the last Relu (synth_residual_N.onnx).
LayoutGraph makeSyntheticResidual(int nodeCount, bool edgeLabels = false);

// A ResNet-20 style AdderNet as QONNX exports it (~540 nodes): each adder layer is an im2col main path,
// a weight-quantisation side branch and a shape sub-graph feeding the final Reshape; residual Adds and
// strided shortcuts between stages.
LayoutGraph makeAdderNetLike(bool edgeLabels = false);

} // namespace qs
