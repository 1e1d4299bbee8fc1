#pragma once
// JSON and table rows for accumulator results, shared by `accumulator` and `analyze`.
#include "core/analysis/accumulatoranalysis.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace qs::cli {

nlohmann::ordered_json accumulatorLayerJson(const ModelDocument& doc, const LayerAccumulatorResult& l,
                                            bool perChannel);
// Columns: see accumulatorTableHeader().
std::vector<std::string> accumulatorTableHeader();
std::vector<std::string> accumulatorTableRow(const ModelDocument& doc, const LayerAccumulatorResult& l, int accBits);

} // namespace qs::cli
