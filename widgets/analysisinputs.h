#pragma once
// The executor's inputs for the live analysis: files chosen per graph input — .npy, .npz, ONNX .pb,
// or images (PNG, JPEG, anything Qt reads; one batch entry per image, see core/tensorio/imagetensor.h)
// — and seeded random data for every input without files.
#include "core/model/modeldocument.h"

#include <QMap>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <map>
#include <string>

namespace qs::gui {

using InputFiles = QMap<QString, QStringList>; // graph input name -> files

bool isImageFile(const QString& path);
QString inputFileFilter(); // for QFileDialog

// The tensors of `files` only. Throws qs::Error naming the input and the file at fault: an unknown
// input, an unsupported suffix, several tensor files for one input, an .npz without a matching array.
std::map<std::string, qs::Tensor> loadInputFiles(const qs::ModelDocument& doc, const InputFiles& files);

// `given`, plus seeded random data (randomInputs) for every graph input not in it.
std::map<std::string, qs::Tensor> completeInputs(const qs::ModelDocument& doc,
    std::map<std::string, qs::Tensor> given, std::uint64_t seed, std::int64_t batch);

} // namespace qs::gui
