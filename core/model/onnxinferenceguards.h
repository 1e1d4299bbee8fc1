#pragma once
// Guards around onnx 1.12's own shape inference functions where hostile models crash them.
namespace qs {

// Wraps the inference of the Conv family (Conv, ConvInteger, QLinearConv) and of MaxPool, AveragePool
// and LpPool (every opset version) so that it refuses, as an ordinary inference error, what onnx 1.12's
// shared convPoolShapeInference crashes on (found by fuzzing): an input X and weight W of different
// ranks or a rank below 3 (it takes the kernel shape from W and indexes X-sized vectors with it: an
// out-of-bounds read), and strides, dilations or kernel_shape below 1 (an integer division by zero).
// Call once (registerQonnxSchemas() does).
void guardOnnxShapeInference();

} // namespace qs
