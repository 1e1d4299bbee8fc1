// Fuzz target (d): the .npy and .npz parsers (run inputs come from user files). The first byte picks
// the parser so that one corpus covers both.
#include "core/tensorio/npy.h"
#include "core/util/error.h"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        if (data[0] & 1)
            (void)qs::parseNpz(bytes, "fuzz.npz");
        else
            (void)qs::parseNpy(bytes, "fuzz.npy");
    } catch (const qs::Error&) {
    }
    return 0;
}
