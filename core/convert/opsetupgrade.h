#pragma once
// Raising the default ONNX opset of a model without changing what it computes. Every default-domain
// node whose schema changes between the model's opset and the target is either rewritten (attributes
// that became inputs, Softmax's new axis semantics where provably the same, Upsample -> Resize) or named
// as a blocker; a node the upgrade does not understand blocks it rather than being carried over
// unchecked. The IR version is raised with the opset when the new opset needs it.
#include "core/convert/conversionreport.h"
#include "core/convert/graphrewriter.h"
#include "core/model/modeldocument.h"

#include <string>
#include <vector>

namespace qs {

struct OpsetUpgrade {
    int from = -1;
    int to = -1;
    std::vector<NodeUpgrade> changes; // node rewrites (planned, or done when applied)
    std::vector<std::string> blockers; // "'name' (Op): why it cannot be upgraded"
    std::vector<OpsetChange> opsetChanges; // filled in when applied
    bool possible() const { return blockers.empty(); }
};

// What upgrading `doc` to default opset `target` would involve; changes nothing.
OpsetUpgrade planOpsetUpgrade(const ModelDocument& doc, int target);
// Performs the upgrade through `rewriter` (node rewrites in place, new initializers, opset import and
// IR version). Throws Error naming the blockers when it is not possible.
OpsetUpgrade applyOpsetUpgrade(const ModelDocument& doc, GraphRewriter& rewriter, int target);

// The lowest IR version that may declare the given default opset.
int minimumIrVersion(int defaultOpset);

} // namespace qs
