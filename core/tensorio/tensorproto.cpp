#include "core/tensorio/tensorproto.h"

#include "core/model/tensordata.h"
#include "core/util/error.h"

#include <fstream>

namespace qs {

NamedTensor readTensorProtoFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("cannot open " + path.string());
    onnx::TensorProto proto;
    if (!proto.ParseFromIstream(&in))
        throw Error(path.filename().string() + " is not an ONNX TensorProto file");
    try {
        return {proto.name(), tensorFromProto(proto, path.parent_path())};
    } catch (const Error& e) {
        throw Error(path.filename().string() + ": " + e.what());
    }
}

} // namespace qs
