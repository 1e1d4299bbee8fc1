#pragma once
// What changed between two snapshots of a document, for incremental re-analysis: whether the graph
// keeps its structure, and if so which nodes now compute something else (their attributes or the
// initializers they read differ). Parameter edits (bit width, scale, zero point, rounding mode, ...)
// change only those; anything that adds, removes or rewires a node or tensor is a structure change.
#include "core/model/modeldocument.h"

#include <set>
#include <string>

namespace qs {

struct SnapshotDiff {
    // Same nodes (names, op types, domains, inputs, outputs, in order), graph inputs and outputs
    // (with their declared types), opsets and IR version. A node input may name another
    // initializer than before (an edit un-sharing a parameter): the node then counts as changed.
    bool sameStructure = false;
    std::string structureChange; // the first difference found, when !sameStructure
    // With sameStructure: nodes whose attributes differ, that read another initializer or one whose
    // stored bytes differ. Empty when nothing changed.
    std::set<NodeId> changedNodes;
};

SnapshotDiff diffSnapshots(const ModelDocument& before, const ModelDocument& after);

} // namespace qs
