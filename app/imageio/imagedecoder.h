#pragma once
// Decodes an image file (PNG, JPEG, or any format Qt's image plugins read) into 8-bit pixels: gray
// pictures as one channel, everything else as RGB. Alpha is dropped; EXIF orientation is applied.
#include "core/tensorio/imagetensor.h"

#include <filesystem>
#include <string>

namespace qs {

// Throws Error naming the file when it is missing or cannot be decoded.
DecodedImage decodeImage(const std::filesystem::path& path);

// The run-time version of the Qt that decodes the images, for quantscope-cli --version.
std::string imageDecoderQtVersion();

} // namespace qs
