#include "core/layout/syntheticgraphs.h"

#include <algorithm>
#include <map>
#include <string>

namespace qs {
namespace {

class Builder {
public:
    explicit Builder(bool edgeLabels)
        : edgeLabels_(edgeLabels)
    {
    }

    // Node named like an ONNX export, "Op_k" with a counter per op type.
    int add(const std::string& op)
    {
        const std::string label = op + "_" + std::to_string(counters_[op]++);
        const double widthPt = std::max(60.0, 7.0 * static_cast<double>(label.size()) + 16);
        graph_.nodes.push_back({label, widthPt, 28});
        return static_cast<int>(graph_.nodes.size()) - 1;
    }
    void connect(int from, int to, const std::string& shape = "1x4x8x8")
    {
        graph_.edges.push_back({from, to, edgeLabels_ ? shape : std::string()});
    }
    int size() const { return static_cast<int>(graph_.nodes.size()); }
    LayoutGraph take() { return std::move(graph_); }

private:
    bool edgeLabels_;
    LayoutGraph graph_;
    std::map<std::string, int> counters_;
};

LayoutGraph makeBlocks(int nodeCount, bool residual, bool edgeLabels)
{
    Builder b(edgeLabels);
    static const char* const blockOps[] = {"Quant", "Conv", "Quant", "Relu"};
    int previous = -1; // the last node's output feeds the next node
    int skip = -1; // the tensor the next Add adds back; -1: the graph input
    int blocksSinceAdd = 0;
    while (b.size() < nodeCount) {
        for (const char* op : blockOps) {
            if (b.size() >= nodeCount)
                break;
            const int node = b.add(op);
            if (previous >= 0)
                b.connect(previous, node);
            previous = node;
        }
        if (residual && ++blocksSinceAdd == 3 && b.size() < nodeCount) {
            const int add = b.add("Add");
            if (skip >= 0)
                b.connect(skip, add);
            b.connect(previous, add);
            skip = previous = add;
            blocksSinceAdd = 0;
        }
    }
    return b.take();
}

// One adder layer: returns the node whose output continues the main path.
int adderLayer(Builder& b, int input, const std::string& shape)
{
    // Shape sub-graph: the output shape is computed from the input at run time.
    const int shapeOf = b.add("Shape");
    b.connect(input, shapeOf, "4");
    int concat = b.add("Concat");
    for (int i = 0; i < 3; ++i) {
        const int gather = b.add("Gather");
        const int unsqueeze = b.add("Unsqueeze");
        b.connect(shapeOf, gather, "4");
        b.connect(gather, unsqueeze, "1");
        b.connect(unsqueeze, concat, "1");
    }
    // Weight branch.
    const int quantW = b.add("Quant");
    const int reshapeW = b.add("Reshape");
    const int unsqueezeW = b.add("Unsqueeze");
    const int quantBias = b.add("Quant"); // the bias branch joins after the sum
    b.connect(quantW, reshapeW, "16x16x3x3");
    b.connect(reshapeW, unsqueezeW, "16x144");
    // Main path: im2col, |x - w| summed.
    int node = input;
    for (const char* op : {"Quant", "Pad", "Unfold", "Transpose", "Reshape", "Unsqueeze", "Sub", "Abs",
             "ReduceSum", "Neg", "Add"}) {
        const int next = b.add(op);
        b.connect(node, next, shape);
        node = next;
        if (std::string(op) == "Sub")
            b.connect(unsqueezeW, node, "1x16x144");
        if (std::string(op) == "Add")
            b.connect(quantBias, node, "16");
    }
    const int reshape = b.add("Reshape");
    b.connect(node, reshape, shape);
    b.connect(concat, reshape, "4");
    // Per-channel scale from its own quantised parameter, then the output quantiser.
    const int quantScale = b.add("Quant");
    const int scale = b.add("Mul");
    b.connect(reshape, scale, shape);
    b.connect(quantScale, scale, "16");
    const int norm = b.add("BatchNormalization");
    b.connect(scale, norm, shape);
    const int quantOut = b.add("Quant");
    b.connect(norm, quantOut, shape);
    return quantOut;
}

} // namespace

LayoutGraph makeSyntheticChain(int nodeCount, bool edgeLabels)
{
    return makeBlocks(nodeCount, false, edgeLabels);
}

LayoutGraph makeSyntheticResidual(int nodeCount, bool edgeLabels)
{
    return makeBlocks(nodeCount, true, edgeLabels);
}

LayoutGraph makeAdderNetLike(bool edgeLabels)
{
    Builder b(edgeLabels);
    int node = b.add("Quant");
    const int stem = b.add("Conv");
    b.connect(node, stem, "1x3x32x32");
    node = b.add("Relu");
    b.connect(stem, node, "1x16x32x32");
    static const char* const stageShapes[] = {"1x16x32x32", "1x32x16x16", "1x64x8x8"};
    for (int stage = 0; stage < 3; ++stage) {
        const std::string shape = stageShapes[stage];
        for (int block = 0; block < 3; ++block) {
            const int blockInput = node;
            int path = adderLayer(b, blockInput, shape);
            const int relu = b.add("Relu");
            b.connect(path, relu, shape);
            path = adderLayer(b, relu, shape);
            int shortcut = blockInput;
            if (stage > 0 && block == 0) { // strided shortcut to the new channel count
                const int conv = b.add("Conv");
                const int norm = b.add("BatchNormalization");
                b.connect(blockInput, conv, stageShapes[stage - 1]);
                b.connect(conv, norm, shape);
                shortcut = norm;
            }
            const int add = b.add("Add");
            b.connect(path, add, shape);
            b.connect(shortcut, add, shape);
            node = b.add("Relu");
            b.connect(add, node, shape);
        }
    }
    const int pool = b.add("GlobalAveragePool");
    b.connect(node, pool, "1x64x8x8");
    const int flatten = b.add("Flatten");
    b.connect(pool, flatten, "1x64x1x1");
    const int quant = b.add("Quant");
    b.connect(flatten, quant, "1x64");
    const int gemm = b.add("Gemm");
    b.connect(quant, gemm, "1x64");
    const int softmax = b.add("Softmax");
    b.connect(gemm, softmax, "1x10");
    return b.take();
}

} // namespace qs
