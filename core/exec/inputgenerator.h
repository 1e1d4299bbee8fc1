#pragma once
// Seeded random inputs for a model: every graph input gets its declared element type and shape
// (symbolic dims: the batch size for the first dim, 1 elsewhere; `batch` > 0 also overrides a static
// first dim), with values uniform over the input quantizer's representable range when the input is
// quantized, and over [-1, 1] (floats) or the type's range (integers) otherwise.
#include "core/model/modeldocument.h"

#include <cstdint>
#include <map>
#include <string>

namespace qs {

struct InputSpec {
    std::string name;
    DType type = DType::Float32;
    Shape shape;
    double low = -1.0;
    double high = 1.0;
};

std::vector<InputSpec> inputSpecs(const ModelDocument& doc, std::int64_t batch = 0);
Tensor randomTensor(const InputSpec& spec, std::uint64_t seed);
std::map<std::string, Tensor> randomInputs(const ModelDocument& doc, std::uint64_t seed, std::int64_t batch = 0);

} // namespace qs
