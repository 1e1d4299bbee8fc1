#pragma once
// Conversion between ONNX TensorProto (raw_data, typed fields or external data) and qs::Tensor, with
// every size checked against the declared dims, so a truncated or lying initializer is an Error that
// names the tensor instead of a read past the end.
#include "core/util/limits.h"
#include "core/util/tensor.h"

#include <filesystem>
#include <onnx/onnx_pb.h>
#include <string>

namespace qs {

// ONNX element type (TensorProto::DataType) <-> DType. Unsupported types (string, complex, bfloat16)
// throw Error mentioning `what`.
DType dtypeFromOnnx(int elemType, const std::string& what);
// Bytes of the tensor's data as stored (no overflow check: call validateTensorProto first).
std::size_t tensorByteSize(const onnx::TensorProto& proto);
int onnxTypeFromDType(DType type);
std::string onnxTypeName(int elemType); // "FLOAT", "INT8", ... ("UNDEFINED" for 0)

// Reads the tensor's data. External data is resolved relative to `modelFolder` and must stay inside
// it (absolute paths and ".." are refused). FLOAT16 is widened to Float32, unsigned 16/32-bit to
// Int32/Int64.
Tensor tensorFromProto(const onnx::TensorProto& proto, const std::filesystem::path& modelFolder,
                       const Limits& limits = Limits::defaults());

// Checks that the tensor's data matches its declared type and dims (and that external data exists
// inside the folder and is long enough) without converting it. Throws Error naming the tensor.
void validateTensorProto(const onnx::TensorProto& proto, const std::filesystem::path& modelFolder,
                         const Limits& limits = Limits::defaults());

// Resolves an external-data location safely; throws Error for paths leaving the folder.
std::filesystem::path resolveExternalDataPath(const std::string& location, const std::filesystem::path& modelFolder,
                                              const std::string& tensorName);

// Writes `tensor` into `proto` as raw_data with the given ONNX element type (dims and data_type set,
// typed fields and external data cleared). The name is kept.
void tensorToProto(const Tensor& tensor, int elemType, onnx::TensorProto& proto);

} // namespace qs
