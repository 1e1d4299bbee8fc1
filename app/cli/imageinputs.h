#pragma once
// `--input NAME=a.png[,b.png...]` for `run`: PNG/JPEG files decoded (app/imageio) and turned into the
// input's tensor by core (core/tensorio/imagetensor.h), several images for one input making a batch,
// with the --image-* preprocessing options.
#include "core/model/modeldocument.h"
#include "core/tensorio/imagetensor.h"

#include <CLI/CLI.hpp>
#include <map>
#include <string>
#include <vector>

namespace qs::cli {

struct ImageInputArgs {
    std::string layout = "auto"; // auto | nchw | nhwc
    std::string size; // HEIGHTxWIDTH, empty: the input's declared size
    std::optional<double> scale;
    double offset = 0;
    std::vector<double> mean;
    std::vector<double> std;
    bool bgr = false;
};

// Registers --image-layout, --image-size, --image-scale, --image-offset, --image-mean, --image-std,
// --image-bgr on `cmd`.
void addImageOptions(CLI::App* cmd, ImageInputArgs& args);

// True when the file part of an --input spec names image files (.png, .jpg, .jpeg).
bool isImageSpec(const std::string& spec);

// Loads the image specs among `specs` (specs for one input are appended to its batch) and removes
// them from `specs`, leaving the other files for loadInputs(). Throws Error naming the spec, file or
// input at fault.
std::map<std::string, Tensor> loadImageInputs(
    const ModelDocument& doc, std::vector<std::string>& specs, const ImageInputArgs& args);

} // namespace qs::cli
