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

// Fails when an INTS attribute holds a value below 1 (onnx 1.12 divides by strides unchecked: SIGFPE).
void requirePositive(onnx::InferenceContext& ctx, const std::string& op, const char* name)
{
    if (const onnx::AttributeProto* a = ctx.getAttribute(name))
        for (const std::int64_t v : a->ints())
            if (v < 1)
                fail_shape_inference(op, ": attribute ", name, " holds ", v, " (must be at least 1)");
}

// weightIndex: the weight input whose rank must equal X's, or -1 (pooling). ranksRequired: also refuse
// while either rank is unknown (ConvTranspose's inference reads W's dims without checking it has them).
void guardConvPool(const std::string& op, int weightIndex, bool ranksRequired = false)
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
            [original, op, weightIndex, ranksRequired](onnx::InferenceContext& ctx) {
                for (const char* name : {"strides", "dilations", "kernel_shape"})
                    requirePositive(ctx, op, name);
                const int x = inputRank(ctx, 0);
                const int w = weightIndex >= 0 ? inputRank(ctx, static_cast<std::size_t>(weightIndex)) : x;
                const bool known = x >= 0 && w >= 0;
                if ((ranksRequired && !known) || (known && (x != w || x < 3)))
                    fail_shape_inference(op, ": input X has rank ", x, " and weight W rank ", w,
                        " (they must be equal and at least 3)");
                original(ctx);
            });
    }
}

} // namespace

void guardOnnxShapeInference()
{
    guardConvPool("Conv", 1);
    guardConvPool("ConvInteger", 1);
    guardConvPool("QLinearConv", 3);
    guardConvPool("ConvTranspose", 1, /*ranksRequired=*/true);
    for (const char* pool : {"MaxPool", "AveragePool", "LpPool"})
        guardConvPool(pool, -1);
}

} // namespace qs
