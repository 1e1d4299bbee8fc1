#include "core/exec/inputgenerator.h"

#include "core/model/tensordata.h"
#include "core/util/error.h"

#include <random>

namespace qs {

std::vector<InputSpec> inputSpecs(const ModelDocument& doc, std::int64_t batch)
{
    std::vector<InputSpec> specs;
    for (TensorId id : doc.graph().graphInputs()) {
        const TensorInfo& info = doc.tensor(id);
        InputSpec spec;
        spec.name = info.name;
        spec.type = dtypeFromOnnx(info.elemType == 0 ? int(onnx::TensorProto::FLOAT) : info.elemType,
                                  "graph input '" + info.name + "'");
        if (!info.dims)
            throw Error("graph input '" + info.name + "' has no declared shape; give it as a file");
        for (std::size_t i = 0; i < info.dims->size(); ++i) {
            const Dim& d = (*info.dims)[i];
            std::int64_t value = d.isKnown() ? d.value : (i == 0 && batch > 0 ? batch : 1);
            if (i == 0 && batch > 0)
                value = batch;
            spec.shape.push_back(value);
        }
        if (!isFloating(spec.type)) {
            spec.low = spec.type == DType::Int8 ? -128 : 0;
            spec.high = spec.type == DType::Int8 ? 127 : (spec.type == DType::UInt8 ? 255 : 10);
        }
        // A quantizer right on the input tells the range the network was trained for.
        for (const Quantizer& q : doc.quantizers()) {
            if (q.input != id || !q.scale.known || !q.qmin || !q.qmax || q.scale.values.empty())
                continue;
            const double s = std::abs(q.scale.values[0]);
            const double z = q.zeroPoint.known && !q.zeroPoint.values.empty() ? q.zeroPoint.values[0] : 0.0;
            spec.low = s * (*q.qmin - z);
            spec.high = s * (*q.qmax - z);
            break;
        }
        specs.push_back(std::move(spec));
    }
    return specs;
}

Tensor randomTensor(const InputSpec& spec, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    Tensor t(DType::Float64, spec.shape);
    if (isFloating(spec.type)) {
        std::uniform_real_distribution<double> dist(spec.low, spec.high);
        for (double& v : t.values<double>())
            v = dist(rng);
    } else {
        std::uniform_int_distribution<std::int64_t> dist(static_cast<std::int64_t>(spec.low),
                                                         static_cast<std::int64_t>(spec.high));
        for (double& v : t.values<double>())
            v = static_cast<double>(dist(rng));
    }
    return t.cast(spec.type);
}

std::map<std::string, Tensor> randomInputs(const ModelDocument& doc, std::uint64_t seed, std::int64_t batch)
{
    std::map<std::string, Tensor> inputs;
    std::uint64_t k = 0;
    for (const InputSpec& spec : inputSpecs(doc, batch))
        inputs.emplace(spec.name, randomTensor(spec, seed * 1000003ull + k++));
    return inputs;
}

} // namespace qs
