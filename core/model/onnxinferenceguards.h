#pragma once
// Guards around onnx 1.12's own shape inference functions where hostile models crash them.
namespace qs {

// Wraps the inference of the Conv family (Conv, ConvInteger, QLinearConv, every opset version) so that
// it refuses, as an ordinary inference error, an input X and weight W of different ranks or a rank
// below 3: onnx 1.12 derives the kernel shape from W and then indexes X-sized vectors with it (found by
// fuzzing; an out-of-bounds read, a crash). Call once (registerQonnxSchemas() does).
void guardOnnxShapeInference();

} // namespace qs
