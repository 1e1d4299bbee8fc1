#include "app/cli/imageinputs.h"

#include "app/imageio/imagedecoder.h"
#include "core/util/error.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace qs::cli {
namespace {

bool isImageFile(const std::string& file)
{
    std::string ext = std::filesystem::path(file).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

std::vector<std::string> splitCommas(const std::string& text)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t comma; (comma = text.find(',', start)) != std::string::npos; start = comma + 1)
        parts.push_back(text.substr(start, comma - start));
    parts.push_back(text.substr(start));
    return parts;
}

std::string filePart(const std::string& spec)
{
    const auto eq = spec.find('=');
    return eq == std::string::npos ? spec : spec.substr(eq + 1);
}

ImageTensorOptions tensorOptions(const ImageInputArgs& args)
{
    ImageTensorOptions o;
    o.layout = args.layout == "nchw" ? ImageLayout::Nchw
        : args.layout == "nhwc"      ? ImageLayout::Nhwc
                                     : ImageLayout::Auto;
    if (!args.size.empty()) {
        long long height = 0, width = 0;
        char x = 0, extra = 0;
        if (std::sscanf(args.size.c_str(), "%lld%c%lld%c", &height, &x, &width, &extra) != 3
            || (x != 'x' && x != 'X') || height <= 0 || width <= 0)
            throw Error("--image-size " + args.size + ": expected HEIGHTxWIDTH, e.g. 224x224");
        o.height = height;
        o.width = width;
    }
    o.scale = args.scale;
    o.offset = args.offset;
    o.mean = args.mean;
    o.std = args.std;
    o.order = args.bgr ? ChannelOrder::Bgr : ChannelOrder::Rgb;
    return o;
}

} // namespace

void addImageOptions(CLI::App* cmd, ImageInputArgs& args)
{
    cmd->add_option(
           "--image-layout", args.layout, "Image inputs: auto (from the declared shape), nchw or nhwc")
        ->check(CLI::IsMember({"auto", "nchw", "nhwc"}));
    cmd->add_option(
        "--image-size", args.size, "Image inputs: resize to HEIGHTxWIDTH (default: declared size)");
    cmd->add_option(
        "--image-scale", args.scale, "Image inputs: value = pixel * SCALE + OFFSET (default 1/255)");
    cmd->add_option("--image-offset", args.offset, "Image inputs: added after scaling (default 0)");
    cmd->add_option("--image-mean", args.mean, "Image inputs: per-channel mean subtracted after scaling")
        ->delimiter(',');
    cmd->add_option("--image-std", args.std, "Image inputs: per-channel std divided by last")->delimiter(',');
    cmd->add_flag("--image-bgr", args.bgr, "Image inputs: channels in B, G, R order");
}

bool isImageSpec(const std::string& spec)
{
    return isImageFile(splitCommas(filePart(spec)).front());
}

std::map<std::string, Tensor> loadImageInputs(
    const ModelDocument& doc, std::vector<std::string>& specs, const ImageInputArgs& args)
{
    std::map<std::string, std::vector<DecodedImage>> images; // by input name, in command-line order
    std::vector<std::string> rest;
    for (const std::string& spec : specs) {
        if (!isImageSpec(spec)) {
            rest.push_back(spec);
            continue;
        }
        const auto eq = spec.find('=');
        std::string name = eq == std::string::npos ? std::string() : spec.substr(0, eq);
        if (name.empty()) {
            const auto& inputs = doc.graph().graphInputs();
            if (inputs.size() != 1)
                throw Error("--input " + spec + ": the model has " + std::to_string(inputs.size())
                    + " inputs; write NAME=FILE");
            name = doc.tensor(inputs[0]).name;
        }
        const auto id = doc.graph().findTensor(name);
        if (!id || !doc.tensor(*id).isGraphInput())
            throw Error("--input " + spec + ": the model has no input named '" + name + "'");
        for (const std::string& file : splitCommas(filePart(spec))) {
            if (!isImageFile(file))
                throw Error("--input " + spec + ": '" + file + "' is not a .png or .jpg image");
            images[name].push_back(decodeImage(file));
        }
    }
    specs = std::move(rest);

    const ImageTensorOptions options = tensorOptions(args);
    std::map<std::string, Tensor> tensors;
    for (const auto& [name, batch] : images)
        tensors.emplace(name, imageTensor(batch, doc.tensor(*doc.graph().findTensor(name)), options));
    return tensors;
}

} // namespace qs::cli
