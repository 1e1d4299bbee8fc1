#pragma once
// Error statistics of a tensor against a reference (quantized vs float shadow), accumulated in double
// so that float32 and float64 tensors compare alike and long tensors do not lose precision.
#include "core/util/tensor.h"

#include <cstdint>

namespace qs {

// SQNR conventions (so every pair of tensors has a defined value):
//   noise == 0                 -> +infinity (identical tensors, including two all-zero tensors)
//   signal == 0 and noise > 0  -> -infinity (there is only noise)
// Cosine similarity is 1 when both tensors are all zero and 0 when exactly one of them is.
struct ErrorMetrics {
    std::int64_t count = 0; // elements compared
    double signalPower = 0; // mean(reference^2)
    double mse = 0; // mean((test - reference)^2)
    double maxAbsError = 0; // max |test - reference|
    double sqnrDb = 0; // 10 log10(signal power / noise power), see above
    double cosineSimilarity = 1; // <test, reference> / (|test| |reference|)
};

// Running sums; add() as many tensor pairs as form one comparison, then finish().
class ErrorAccumulator {
public:
    // Throws Error when the shapes differ.
    void add(const Tensor& reference, const Tensor& test);
    void add(double reference, double test);
    ErrorMetrics finish() const;

private:
    std::int64_t count_ = 0;
    double signal_ = 0; // sum reference^2
    double noise_ = 0; // sum (test - reference)^2
    double testEnergy_ = 0;
    double dot_ = 0;
    double maxAbs_ = 0;
};

ErrorMetrics compareTensors(const Tensor& reference, const Tensor& test);

// The SQNR in dB from the two energies, with the conventions above.
double sqnrFromEnergies(double signal, double noise);

} // namespace qs
