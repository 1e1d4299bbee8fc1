// Fuzz target (b): whatever loads goes through the static analyses (qonnx inference cost with its
// constant folding, accumulator bounds without a run, quantizer datatypes). A qs::Error is fine.
#include "core/analysis/accumulatoranalysis.h"
#include "core/analysis/inferencecost.h"
#include "core/model/modeldocument.h"
#include "core/model/quantizerdatatype.h"
#include "core/util/error.h"
#include "tests/fuzz/fuzzsupport.h"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    std::unique_ptr<qs::ModelDocument> doc;
    try {
        doc = qs::ModelDocument::loadFromBytes(bytes, "fuzz.onnx", qs::fuzz::scratchFolder(), qs::fuzz::fuzzLimits());
    } catch (const qs::Error&) {
        return -1; // not a model: keep it out of the corpus, the load target covers parsing
    }
    for (const qs::Quantizer& q : doc->quantizers())
        (void)qs::quantizerDataType(q);
    for (bool cleaned : {false, true}) {
        try {
            (void)qs::computeInferenceCost(*doc, {/*discountSparsity=*/true, cleaned});
        } catch (const qs::Error&) {
        }
    }
    try {
        qs::AccumulatorOptions options;
        options.accBits = 16;
        (void)qs::analyzeAccumulators(*doc, options, nullptr);
    } catch (const qs::Error&) {
    }
    return 0;
}
