#pragma once
// Text for the property panel: tensor types and shapes, attribute values, quantization parameters.
#include "core/model/modeldocument.h"

#include <QString>

namespace qs::gui {

QString elemTypeName(int onnxElemType); // "FLOAT", "INT8", ... ("?" when unknown)
QString tensorSummary(const qs::ModelDocument& doc, qs::TensorId tensor); // "FLOAT [1,3,32,32]"
QString attributeText(const onnx::AttributeProto& attribute);
QString parameterText(const qs::QuantParameter& p); // "0.0123", "per-channel (axis 0) 0.001…0.02"

} // namespace qs::gui
