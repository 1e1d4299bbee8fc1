#include "widgets/graphtheme.h"

#include <array>

namespace qs::gui {
namespace {

bool isOneOf(std::string_view op, std::initializer_list<std::string_view> names)
{
    for (std::string_view n : names)
        if (op == n)
            return true;
    return false;
}

} // namespace

OpCategory opCategory(std::string_view op, bool isQuantizer)
{
    if (isQuantizer
        || isOneOf(op,
            {"Quant", "IntQuant", "BipolarQuant", "Trunc", "FloatQuant", "QuantizeLinear", "DequantizeLinear",
                "MultiThreshold"}))
        return OpCategory::Quantizer;
    if (isOneOf(op,
            {"Conv", "ConvTranspose", "Gemm", "MatMul", "MatMulInteger", "ConvInteger", "QLinearConv",
                "QLinearMatMul", "Einsum"}))
        return OpCategory::Compute;
    if (isOneOf(op,
            {"Relu", "LeakyRelu", "PRelu", "Sigmoid", "Tanh", "Softmax", "LogSoftmax", "HardSigmoid",
                "HardSwish", "Elu", "Selu", "Gelu", "Clip", "Softplus", "Mish", "Erf"}))
        return OpCategory::Activation;
    if (isOneOf(op,
            {"MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "LpPool", "ReduceMean",
                "ReduceMax", "ReduceSum"}))
        return OpCategory::Pooling;
    if (isOneOf(op,
            {"BatchNormalization", "LayerNormalization", "InstanceNormalization", "GroupNormalization",
                "LRN"}))
        return OpCategory::Normalization;
    if (isOneOf(op,
            {"Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze", "Concat", "Split", "Slice", "Gather",
                "Shape", "Pad", "Expand", "Tile", "Identity", "Constant", "Cast", "DepthToSpace",
                "SpaceToDepth", "Resize", "Upsample"}))
        return OpCategory::Shape;
    if (isOneOf(op,
            {"Add", "Sub", "Mul", "Div", "Pow", "Sqrt", "Neg", "Abs", "Floor", "Ceil", "Round", "Min", "Max",
                "Sum", "Where", "Equal", "Less", "Greater", "Not", "And", "Or"}))
        return OpCategory::Elementwise;
    return OpCategory::Other;
}

GraphTheme GraphTheme::fromPalette(const QPalette& palette)
{
    GraphTheme t;
    t.dark = palette.color(QPalette::Window).lightness() < 128;
    t.background = t.dark ? QColor(0x1e, 0x20, 0x24) : QColor(0xfa, 0xfa, 0xfb);
    t.text = t.dark ? QColor(0xe8, 0xe8, 0xea) : QColor(0x1d, 0x1f, 0x24);
    t.mutedText = t.dark ? QColor(0xa8, 0xac, 0xb4) : QColor(0x5a, 0x5f, 0x69);
    t.edge = t.dark ? QColor(0x8a, 0x8f, 0x99) : QColor(0x7a, 0x80, 0x8a);
    t.edgeHighlight = t.dark ? QColor(0xff, 0xb3, 0x40) : QColor(0xe0, 0x6c, 0x00);
    t.selection = palette.color(QPalette::Highlight);
    t.neighbour = t.edgeHighlight;
    t.badgeFill = t.dark ? QColor(0x5b, 0x3f, 0x8c) : QColor(0xe9, 0xdd, 0xfb);
    t.badgeText = t.dark ? QColor(0xf0, 0xe6, 0xff) : QColor(0x4a, 0x23, 0x86);
    t.labelBackground = t.background;
    t.labelBackground.setAlpha(210);

    // Order follows OpCategory. Light: soft fills with darker borders; dark: deep fills, light borders.
    static constexpr std::array<QRgb, kOpCategoryCount> lightFill
        = {0xcfe2ff, 0xd7f5dd, 0xfff0c2, 0xffe0cc, 0xe6e8eb, 0xd9f2f2, 0xe4d4fa, 0xffffff, 0xf1f1f1};
    static constexpr std::array<QRgb, kOpCategoryCount> lightBorder
        = {0x2f6fd6, 0x2e9a4a, 0xc99a06, 0xd36b27, 0x8a9099, 0x2b9b9b, 0x7a3fd1, 0x3a3f47, 0x9aa0a8};
    static constexpr std::array<QRgb, kOpCategoryCount> darkFill
        = {0x1f3a66, 0x1e4a2a, 0x4d4012, 0x5a341a, 0x383c43, 0x184646, 0x43286e, 0x2a2d33, 0x33363c};
    static constexpr std::array<QRgb, kOpCategoryCount> darkBorder
        = {0x6fa3ff, 0x5fd07f, 0xe6c24a, 0xff9a57, 0x9aa0a8, 0x5cc8c8, 0xb48cff, 0xc8ccd2, 0x8a9099};
    for (std::size_t i = 0; i < kOpCategoryCount; ++i) {
        t.fill[i] = QColor(t.dark ? darkFill[i] : lightFill[i]);
        t.border[i] = QColor(t.dark ? darkBorder[i] : lightBorder[i]);
    }
    for (std::size_t i = 0; i < kOpCategoryCount; ++i) {
        t.borderPen[i] = QPen(t.border[i], 1.1);
        t.fillBrush[i] = QBrush(t.fill[i]);
    }
    t.selectionPen = QPen(t.selection, 3.0);
    t.neighbourPen = QPen(t.neighbour, 2.2);
    t.edgePen = QPen(t.edge, 1.0);
    t.edgeHighlightPen = QPen(t.edgeHighlight, 2.2);
    t.edgeBrush = QBrush(t.edge);
    t.edgeHighlightBrush = QBrush(t.edgeHighlight);
    t.badgeBrush = QBrush(t.badgeFill);
    t.labelBrush = QBrush(t.labelBackground);
    // Pixel sizes, because scene units are the layout's points and core sizes boxes for ~6 pt per char.
    t.titleFont.setPixelSize(11);
    t.titleFont.setBold(true);
    t.subtitleFont.setPixelSize(9);
    t.edgeFont.setPixelSize(9);
    return t;
}

} // namespace qs::gui
