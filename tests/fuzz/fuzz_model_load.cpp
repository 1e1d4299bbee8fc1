// Fuzz target (a): bytes -> ModelDocument::loadFromBytes (parse, index, checker + shape inference,
// quantization view), then every read-only accessor the GUI and the CLI touch. A qs::Error is the
// expected outcome for junk; any other exception escapes and counts as a crash.
#include "core/model/modeldocument.h"
#include "core/util/error.h"
#include "tests/fuzz/fuzzsupport.h"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    try {
        auto doc = qs::ModelDocument::loadFromBytes(bytes, "fuzz.onnx", qs::fuzz::scratchFolder(), qs::fuzz::fuzzLimits());
        (void)doc->format();
        (void)doc->opHistogram();
        for (int t = 0; t < doc->graph().tensorCount(); ++t) {
            (void)doc->tensor(t).shapeString();
            (void)doc->constantValue(t);
        }
        for (const qs::Quantizer& q : doc->quantizers())
            (void)qs::quantizerKindName(q.kind);
        (void)doc->layers();
        (void)doc->serialize();
    } catch (const qs::Error&) {
    }
    return 0;
}
