#pragma once
// Shared helpers of the conversion tests: wrap a built model, run it in the reference executor on the
// same inputs as another model (inputs matched by position), and compare outputs.
#include "core/exec/executor.h"
#include "core/exec/inputgenerator.h"
#include "core/model/modelbuilder.h"
#include "core/model/modeldocument.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace qs::test {

inline std::unique_ptr<ModelDocument> document(const ModelBuilder& builder)
{
    return ModelDocument::fromProto(builder.build());
}

inline std::unique_ptr<ModelDocument> copyOf(const ModelDocument& doc)
{
    return ModelDocument::fromProto(doc.proto(), doc.folder());
}

// Inputs generated for `from`, renamed by position to the graph inputs of `to`.
inline std::map<std::string, Tensor> inputsByPosition(
    const std::map<std::string, Tensor>& inputs, const ModelDocument& from, const ModelDocument& to)
{
    std::map<std::string, Tensor> renamed;
    const auto& a = from.graph().graphInputs();
    const auto& b = to.graph().graphInputs();
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
        renamed[to.tensor(b[i]).name] = inputs.at(from.tensor(a[i]).name);
    return renamed;
}

// Graph outputs in declaration order.
inline std::vector<Tensor> runOutputs(const ModelDocument& doc, const std::map<std::string, Tensor>& inputs)
{
    const Executor executor(doc);
    const RunResult result = executor.run(inputs);
    std::vector<Tensor> outputs;
    for (TensorId t : doc.graph().graphOutputs())
        outputs.push_back(*result.outputs.at(doc.tensor(t).name));
    return outputs;
}

// Max |a - b| over all outputs (infinity on a shape mismatch; NaNs compare equal to NaNs).
inline double maxAbsDifference(const std::vector<Tensor>& a, const std::vector<Tensor>& b)
{
    if (a.size() != b.size())
        return INFINITY;
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].shape() != b[i].shape())
            return INFINITY;
        const auto x = a[i].toDoubles();
        const auto y = b[i].toDoubles();
        for (std::size_t k = 0; k < x.size(); ++k)
            if (!(std::isnan(x[k]) && std::isnan(y[k])))
                worst = std::max(worst, std::fabs(x[k] - y[k]));
    }
    return worst;
}

inline int countOp(const ModelDocument& doc, const std::string& op)
{
    return static_cast<int>(std::count_if(doc.proto().graph().node().begin(),
        doc.proto().graph().node().end(), [&](const onnx::NodeProto& n) { return n.op_type() == op; }));
}

inline const onnx::NodeProto* findOp(const ModelDocument& doc, const std::string& op)
{
    for (const auto& n : doc.proto().graph().node())
        if (n.op_type() == op)
            return &n;
    return nullptr;
}

inline std::optional<Tensor> initializer(const ModelDocument& doc, const std::string& name)
{
    const auto id = doc.graph().findTensor(name);
    return id ? doc.initializerValue(*id) : std::nullopt;
}

} // namespace qs::test
