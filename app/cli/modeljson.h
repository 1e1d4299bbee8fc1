#pragma once
// JSON views of the model document shared by the CLI's commands (info, and later cost/analyze).
#include "core/model/modeldocument.h"

#include <nlohmann/json.hpp>

namespace qs::cli {

using Json = nlohmann::ordered_json;

Json shapeJson(const TensorInfo& tensor); // [1,3,"N",32] or null when unknown
Json tensorJson(const ModelDocument& doc, TensorId id);
Json quantizerJson(const ModelDocument& doc, const Quantizer& q);
Json layerJson(const ModelDocument& doc, const Layer& layer);
Json modelInfoJson(const ModelDocument& doc);

} // namespace qs::cli
