#pragma once
// Find: the nodes whose name, op type or any input/output tensor name contains the text
// (case-insensitive), in topological order.
#include "core/model/modeldocument.h"

#include <QString>

#include <vector>

namespace qs::gui {

std::vector<qs::NodeId> findNodes(const qs::ModelDocument& doc, const QString& text);

} // namespace qs::gui
