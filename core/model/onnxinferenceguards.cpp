#include "core/model/onnxinferenceguards.h"

#include <onnx/defs/schema.h>
#include <onnx/defs/shape_inference.h>
#include <set>
#include <string>

namespace qs {
namespace {

// Rank of input `index`, or -1 when it has no shape (yet).
int inputRank(onnx::InferenceContext& ctx, std::size_t index)
{
    if (index >= ctx.getNumInputs())
        return -1;
    const onnx::TypeProto* type = ctx.getInputType(index);
    if (!type || !type->has_tensor_type() || !type->tensor_type().has_shape())
        return -1;
    return type->tensor_type().shape().dim_size();
}

void guardConvFamily(const std::string& op, std::size_t weightIndex)
{
    constexpr int kNewestOpset = 30; // above every opset onnx 1.12 knows
    std::set<const onnx::OpSchema*> versions;
    for (int opset = 1; opset <= kNewestOpset; ++opset)
        if (const onnx::OpSchema* schema = onnx::OpSchemaRegistry::Schema(op, opset, ""))
            versions.insert(schema);
    for (const onnx::OpSchema* schema : versions) {
        const onnx::InferenceFunction original = schema->GetTypeAndShapeInferenceFunction();
        // The registry's schemas are not const objects; onnx offers no other way to replace one's
        // inference. Done once, before any inference runs.
        const_cast<onnx::OpSchema*>(schema)->TypeAndShapeInferenceFunction(
            [original, op, weightIndex](onnx::InferenceContext& ctx) {
                const int x = inputRank(ctx, 0);
                const int w = inputRank(ctx, weightIndex);
                if (x >= 0 && w >= 0 && (x != w || x < 3))
                    fail_shape_inference(op, ": input X has rank ", x, " and weight W rank ", w,
                        " (they must be equal and at least 3)");
                original(ctx);
            });
    }
}

} // namespace

void guardOnnxShapeInference()
{
    guardConvFamily("Conv", 1);
    guardConvFamily("ConvInteger", 1);
    guardConvFamily("QLinearConv", 3);
}

} // namespace qs
