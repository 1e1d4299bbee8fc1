#pragma once
// What a QCDQ <-> QONNX conversion did: every quantizer it rewrote, every quantizer it had to leave as
// it was (with the reason), and every opset / IR-version change and node upgrade that came with it.
// Nothing the target format cannot express is dropped silently: it ends up in `skipped`.
#include <string>
#include <vector>

namespace qs {

enum class ConversionTarget { Qcdq, Qonnx };
const char* conversionTargetName(ConversionTarget target); // "qcdq", "qonnx"

struct ConversionOptions {
    // QCDQ -> QONNX: a Clip range that is not one of the four standard lo/hi shapes is converted to
    // the smallest enclosing one (and the widening is reported) instead of being skipped.
    bool allowWiden = false;
};

struct ConvertedQuantizer {
    std::string name; // quantizer name in the input model
    std::string fromKind; // "Quant", "IntQuant", "QCDQ", "QDQ", "DequantizeLinear"
    std::string toKind; // "QCDQ", "QDQ", "Quant"
    std::vector<std::string> oldNodes; // node names removed
    std::vector<std::string> newNodes; // node names inserted
    double bits = 0;
    bool isSigned = true;
    bool narrow = false;
    int axis = -1; // per-channel axis in the data tensor, -1 for per-tensor
    bool nonZeroZeroPoint = false;
    std::string note; // caveats, e.g. a widened range
};

struct SkippedQuantizer {
    std::string name;
    std::string kind;
    std::vector<std::string> nodes;
    std::string reason;
};

struct OpsetChange {
    std::string what; // "ai.onnx", a custom domain, or "ir_version"
    int from = -1; // -1 when newly declared
    int to = -1;
};

// A node rewritten because the default opset was raised (e.g. Clip attributes moved to inputs).
struct NodeUpgrade {
    std::string node;
    std::string opType;
    std::string change;
};

struct ConversionReport {
    ConversionTarget target = ConversionTarget::Qcdq;
    std::vector<ConvertedQuantizer> converted;
    std::vector<SkippedQuantizer> skipped;
    std::vector<OpsetChange> opsetChanges;
    std::vector<NodeUpgrade> nodeUpgrades;

    bool modelChanged() const { return !converted.empty() || !opsetChanges.empty() || !nodeUpgrades.empty(); }
};

} // namespace qs
