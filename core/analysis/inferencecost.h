#pragma once
// qonnx's inference_cost (qonnx-ops.md §8) — MACs per datatype pair, weight and output memory, BOPs,
// unsupported ops, totals, per op type and per node (named <OpType>_<k> as qonnx renames them) —
// with the same keys, so existing scripts keep working. Constant folding of weight quantizers
// is done by our executor's kernels and datatype inference by core (no Python).
//
// Differences from upstream, on purpose: channels-last Conv (qonnx.custom_op.channels_last) is costed
// with its real layout (upstream assumes NCHW and fails); a Conv without kernel_shape takes it from W.
#include "core/model/modeldocument.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace qs {

struct CostOptions {
    bool discountSparsity = true; // qonnx's command-line default
    bool cleaned = false;         // datatypes as after qonnx-cleanup (see qonnxdatatypes.h)
};

using CostDict = std::map<std::string, double>; // op_mac_<A>_<B>, mem_w_<dt>, mem_o_<dt>, total_*

// One Conv / ConvTranspose / Gemm / MatMul with UNIQ-style BOPs besides qonnx's numbers.
struct LayerCost {
    NodeId node = -1;
    std::string qonnxName;      // <OpType>_<k>
    std::string inputType;      // QONNX datatypes of the MAC operands and the output
    std::string weightType;
    std::string outputType;
    double macsDense = 0;
    double macs = 0;            // sparsity-discounted when discountSparsity
    double weightDensity = 1;
    double bopsQonnx = 0;       // macs * b_a * b_w ("mult only")
    double bopsUniq = 0;        // outElems * K * (b_a b_w + b_a + b_w + log2 K) ("mult + add"), dense
    double bopsUniqPruned = 0;  // same with the multiplication term scaled by the density
    std::int64_t dotProductLength = 0;
};

struct CostReport {
    CostDict total;                           // + total_macs, total_bops, total_mem_* (no unsupported)
    std::map<std::string, CostDict> perOpType;
    std::map<std::string, CostDict> perNode;  // by qonnx node name
    std::set<std::string> unsupported;        // op types that cost nothing because they are not modelled
    std::vector<LayerCost> layers;            // in graph order
    std::vector<std::string> notes;           // shapes missing, folding failures, deviations
};

CostReport computeInferenceCost(const ModelDocument& doc, const CostOptions& options = {});

} // namespace qs
