#include "app/cli/inputfiles.h"

#include "core/exec/inputgenerator.h"
#include "core/tensorio/npy.h"
#include "core/tensorio/tensorproto.h"
#include "core/util/error.h"

#include <filesystem>

namespace qs::cli {
namespace {

std::string extensionOf(const std::string& file)
{
    std::string ext = std::filesystem::path(file).extension().string();
    for (char& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

bool isInputName(const ModelDocument& doc, const std::string& name)
{
    const auto id = doc.graph().findTensor(name);
    return id && doc.tensor(*id).isGraphInput();
}

} // namespace

std::string safeFileName(const std::string& tensorName)
{
    std::string out = tensorName.empty() ? "unnamed" : tensorName;
    for (char& c : out)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
            c = '_';
    return out;
}

std::map<std::string, Tensor> loadInputs(const ModelDocument& doc, const std::vector<std::string>& specs,
                                         std::uint64_t seed, std::int64_t batch)
{
    std::map<std::string, Tensor> given;
    const auto& inputs = doc.graph().graphInputs();
    for (const std::string& spec : specs) {
        const auto eq = spec.find('=');
        std::string name = eq == std::string::npos ? std::string() : spec.substr(0, eq);
        const std::string file = eq == std::string::npos ? spec : spec.substr(eq + 1);
        if (!name.empty() && !isInputName(doc, name))
            throw Error("--input " + spec + ": the model has no input named '" + name + "'");
        const std::string ext = extensionOf(file);
        if (ext == ".npz") {
            for (auto& [arrayName, tensor] : readNpz(file)) {
                const std::string target = !name.empty() ? name : arrayName;
                if (isInputName(doc, target))
                    given.insert_or_assign(target, std::move(tensor));
                else if (inputs.size() == 1 && given.empty())
                    given.insert_or_assign(doc.tensor(inputs[0]).name, std::move(tensor));
            }
            continue;
        }
        Tensor tensor;
        if (ext == ".npy") {
            tensor = readNpy(file);
        } else if (ext == ".pb") {
            NamedTensor named = readTensorProtoFile(file);
            if (name.empty() && isInputName(doc, named.name))
                name = named.name;
            tensor = std::move(named.tensor);
        } else {
            throw Error("--input " + spec + ": unsupported file type '" + ext + "' (use .npy, .npz or .pb)");
        }
        if (name.empty()) {
            if (inputs.size() != 1)
                throw Error("--input " + spec + ": the model has " + std::to_string(inputs.size())
                            + " inputs; write NAME=FILE");
            name = doc.tensor(inputs[0]).name;
        }
        given.insert_or_assign(name, std::move(tensor));
    }
    // Everything not given is random (seeded, within the input quantizer's range).
    std::map<std::string, Tensor> random = randomInputs(doc, seed, batch);
    for (auto& [name, tensor] : random)
        given.try_emplace(name, std::move(tensor));
    return given;
}

} // namespace qs::cli
