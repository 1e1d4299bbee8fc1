#include "app/imageio/imagedecoder.h"

#include "core/util/error.h"

#include <QImage>
#include <QImageReader>

#include <cstring>

namespace qs {

DecodedImage decodeImage(const std::filesystem::path& path)
{
    const std::string name = path.string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw Error(name + ": no such image file");
    QImageReader reader(QString::fromStdString(name));
    reader.setAutoTransform(true);
    QImage image = reader.read();
    if (image.isNull())
        throw Error(name + ": cannot decode image (" + reader.errorString().toStdString() + ")");
    const bool gray = image.isGrayscale();
    image = image.convertToFormat(gray ? QImage::Format_Grayscale8 : QImage::Format_RGB888);
    if (image.isNull())
        throw Error(name + ": cannot convert the image to 8-bit pixels");

    DecodedImage out;
    out.name = name;
    out.width = image.width();
    out.height = image.height();
    out.channels = gray ? 1 : 3;
    const auto rowBytes = static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.channels);
    out.pixels.resize(rowBytes * static_cast<std::size_t>(out.height));
    for (int y = 0; y < out.height; ++y) // scan lines are padded to 4 bytes
        std::memcpy(
            out.pixels.data() + static_cast<std::size_t>(y) * rowBytes, image.constScanLine(y), rowBytes);
    return out;
}

std::string imageDecoderQtVersion()
{
    return qVersion();
}

} // namespace qs
