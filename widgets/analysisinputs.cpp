#include "widgets/analysisinputs.h"

#include "app/imageio/imagedecoder.h"
#include "core/exec/inputgenerator.h"
#include "core/tensorio/imagetensor.h"
#include "core/tensorio/npy.h"
#include "core/tensorio/tensorproto.h"
#include "core/util/error.h"

#include <QFileInfo>

#include <algorithm>
#include <vector>

namespace qs::gui {
namespace {

QString suffixOf(const QString& path)
{
    return QFileInfo(path).suffix().toLower();
}

qs::Tensor loadTensorFile(const std::string& input, const QString& file)
{
    const QString suffix = suffixOf(file);
    const std::filesystem::path path = file.toStdString();
    if (suffix == QLatin1String("npy"))
        return qs::readNpy(path);
    if (suffix == QLatin1String("pb"))
        return qs::readTensorProtoFile(path).tensor;
    if (suffix == QLatin1String("npz")) {
        std::map<std::string, qs::Tensor> arrays = qs::readNpz(path);
        if (const auto it = arrays.find(input); it != arrays.end())
            return std::move(it->second);
        if (arrays.size() == 1)
            return std::move(arrays.begin()->second);
        throw qs::Error(file.toStdString() + ": no array named '" + input + "' among "
            + std::to_string(arrays.size()) + " arrays");
    }
    throw qs::Error(file.toStdString() + ": unsupported file type (use .npy, .npz, .pb or an image)");
}

} // namespace

bool isImageFile(const QString& path)
{
    static const QStringList images {QStringLiteral("png"), QStringLiteral("jpg"), QStringLiteral("jpeg"),
        QStringLiteral("bmp"), QStringLiteral("gif"), QStringLiteral("pgm"), QStringLiteral("ppm"),
        QStringLiteral("webp")};
    return images.contains(suffixOf(path));
}

QString inputFileFilter()
{
    return QObject::tr("Input data (*.npy *.npz *.pb *.png *.jpg *.jpeg *.bmp *.pgm *.ppm);;"
                       "NumPy arrays (*.npy *.npz);;ONNX tensors (*.pb);;Images (*.png *.jpg *.jpeg *.bmp "
                       "*.pgm *.ppm);;All files (*)");
}

std::map<std::string, qs::Tensor> loadInputFiles(const qs::ModelDocument& doc, const InputFiles& files)
{
    std::map<std::string, qs::Tensor> tensors;
    for (auto it = files.begin(); it != files.end(); ++it) {
        if (it.value().isEmpty())
            continue;
        const std::string name = it.key().toStdString();
        const auto id = doc.graph().findTensor(name);
        if (!id || !doc.tensor(*id).isGraphInput())
            throw qs::Error("the model has no input named '" + name + "'");
        const QStringList& list = it.value();
        const bool images = std::all_of(list.begin(), list.end(), isImageFile);
        try {
            if (images) {
                std::vector<qs::DecodedImage> decoded;
                for (const QString& file : list)
                    decoded.push_back(qs::decodeImage(file.toStdString()));
                tensors.emplace(name, qs::imageTensor(decoded, doc.tensor(*id)));
            } else if (list.size() == 1) {
                tensors.emplace(name, loadTensorFile(name, list.front()));
            } else {
                throw qs::Error("several files that are not all images; give one .npy, .npz or .pb");
            }
        } catch (const qs::Cancelled&) {
            throw;
        } catch (const std::exception& e) {
            throw qs::Error("input '" + name + "': " + e.what());
        }
    }
    return tensors;
}

std::map<std::string, qs::Tensor> completeInputs(const qs::ModelDocument& doc,
    std::map<std::string, qs::Tensor> given, std::uint64_t seed, std::int64_t batch)
{
    std::map<std::string, qs::Tensor> random = qs::randomInputs(doc, seed, batch);
    for (auto& [name, tensor] : random)
        given.try_emplace(name, std::move(tensor));
    return given;
}

} // namespace qs::gui
