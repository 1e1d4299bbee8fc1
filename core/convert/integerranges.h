#pragma once
// Integer code ranges on both sides of the conversion: the four QONNX lo/hi shapes (qonnx-ops.md §2.2),
// the ranges of the ONNX integer storage types, and recognising a Clip range as one of the shapes.
#include "core/util/tensor.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace qs {

struct IntegerRange {
    int bits = 0;
    bool isSigned = true;
    bool narrow = false;
    double lo = 0;
    double hi = 0;
};

// The QONNX range of a `bits`-bit quantizer (not the 1-bit signed bipolar special case).
IntegerRange qonnxRange(int bits, bool isSigned, bool narrow);
// The standard shape that is exactly [lo, hi] (signed shapes from 2 bits, unsigned from 1 bit).
std::optional<IntegerRange> exactQonnxRange(double lo, double hi);
// The smallest standard shape containing [lo, hi] (non-narrow preferred on ties).
std::optional<IntegerRange> enclosingQonnxRange(double lo, double hi);

// An ONNX integer storage type (INT8, UINT8, INT16, UINT16, INT32): its value range, or nullopt.
struct StorageType {
    int onnxType = 0;
    int bits = 0;
    bool isSigned = true;
    double min = 0;
    double max = 0;
};
std::optional<StorageType> storageType(int onnxType);

// A tensor of integers stored as Int8 / UInt8 / Int16 for ONNX type INT8 / UINT8 / INT16.
Tensor integerTensor(int onnxType, Shape shape, const std::vector<std::int64_t>& values);

// "signed 4-bit [-8, 7]", "unsigned narrow 8-bit [0, 254]".
std::string rangeText(const IntegerRange& range);

} // namespace qs
