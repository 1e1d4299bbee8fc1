#pragma once
// Guards around onnx 1.12's own shape inference functions where hostile models crash them.
namespace qs {

// Wraps onnx 1.12's shape inference of the Conv family (Conv, ConvInteger, QLinearConv), ConvTranspose
// and MaxPool, AveragePool, LpPool (every opset version) so that it refuses, as an ordinary inference
// error, what those functions crash on (found by fuzzing; upstream checks most of it since 1.16):
// an input X and weight W of different ranks or a rank below 3 (they take the kernel shape from W and
// index X-sized vectors with it; ConvTranspose dereferences W's missing dims, so it also needs both
// ranks known), and strides, dilations or kernel_shape below 1 (an integer division by zero).
// Call once (registerQonnxSchemas() does).
void guardOnnxShapeInference();

} // namespace qs
