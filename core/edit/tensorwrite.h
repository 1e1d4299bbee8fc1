#pragma once
// Writes new values into an existing initializer without changing its element type or its storage
// form (raw_data stays raw_data, typed fields stay typed fields), so an edited int64 bit width stays
// int64 and an int8 zero point stays int8. External data is embedded.
#include "core/util/tensor.h"

#include <onnx/onnx_pb.h>
#include <optional>
#include <string>
#include <vector>

namespace qs {

// Shortest text that reads back as the same double ("0.1", "4", "1.52587890625e-05").
std::string formatValue(double v);

// Why `value` cannot be stored exactly (or, for floats, without overflow or underflow to zero) as
// `elemType`, or nullopt when it can.
std::optional<std::string> representabilityProblem(double value, int elemType);

// The value as it will read back after storing it as `elemType` (float32 rounding, for example).
double storedValue(double value, int elemType);

// Replaces the data and dims of `proto` (`values.size()` must equal the element count of `shape`).
// Throws Error naming `what` when a value is not representable in the initializer's element type.
void writeTensorValues(
    onnx::TensorProto& proto, const std::vector<double>& values, const Shape& shape, const std::string& what);

// As above, but stores the values as `elemType` (for a zero point or Clip bound that changes from
// int8 to uint8).
void writeTensorValuesAs(onnx::TensorProto& proto, int elemType, const std::vector<double>& values,
    const Shape& shape, const std::string& what);

} // namespace qs
