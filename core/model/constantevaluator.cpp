#include "core/model/constantevaluator.h"

#include "core/model/nodeattributes.h"
#include "core/model/tensordata.h"
#include "core/util/broadcast.h"
#include "core/util/error.h"

#include <cmath>

namespace qs {
namespace {

// Results larger than this are not worth evaluating here (parameters are small); it also keeps a
// broadcast or Concat of two hostile constants from allocating without bound.
bool tooLarge(const Shape& shape)
{
    try {
        return elementCount(shape) > ConstantEvaluator::kMaxElements;
    } catch (const Error&) {
        return true;
    }
}

std::optional<Tensor> constantNodeValue(const onnx::NodeProto& node, const std::filesystem::path& folder,
                                        const Limits& limits)
{
    for (const auto& a : node.attribute()) {
        if (std::max(a.floats_size(), a.ints_size()) > limits.maxAttributeElements)
            throw Error("node '" + node.name() + "' attribute '" + a.name() + "' has more than "
                        + std::to_string(limits.maxAttributeElements) + " elements");
        if (a.name() == "value" && a.has_t())
            return tensorFromProto(a.t(), folder, limits);
        if (a.name() == "value_float")
            return Tensor::scalar(a.f());
        if (a.name() == "value_int")
            return Tensor::fromInt64s({}, {a.i()});
        if (a.name() == "value_floats")
            return Tensor::fromFloats({static_cast<std::int64_t>(a.floats_size())},
                                      std::vector<float>(a.floats().begin(), a.floats().end()));
        if (a.name() == "value_ints")
            return Tensor::fromInt64s({static_cast<std::int64_t>(a.ints_size())},
                                      std::vector<std::int64_t>(a.ints().begin(), a.ints().end()));
    }
    return std::nullopt;
}

// Elementwise ops in double; the result takes the first input's float type (int stays int64).
std::optional<Tensor> unary(const std::string& op, const Tensor& x)
{
    double (*f)(double) = nullptr;
    if (op == "Ceil")
        f = [](double v) { return std::ceil(v); };
    else if (op == "Floor")
        f = [](double v) { return std::floor(v); };
    else if (op == "Round")
        f = [](double v) { return std::nearbyint(v); };
    else if (op == "Neg")
        f = [](double v) { return -v; };
    else if (op == "Abs")
        f = [](double v) { return std::fabs(v); };
    else if (op == "Sqrt")
        f = [](double v) { return std::sqrt(v); };
    else if (op == "Exp")
        f = [](double v) { return std::exp(v); };
    else if (op == "Log")
        f = [](double v) { return std::log(v); };
    else if (op == "Reciprocal")
        f = [](double v) { return 1.0 / v; };
    else if (op == "Relu")
        f = [](double v) { return v > 0 ? v : 0.0; };
    if (!f)
        return std::nullopt;
    Tensor out(DType::Float64, x.shape());
    for (std::int64_t i = 0; i < x.size(); ++i)
        out.data<double>()[i] = f(x.at(i));
    return isFloating(x.dtype()) ? out.cast(x.dtype()) : out.cast(DType::Int64);
}

std::optional<Tensor> binary(const std::string& op, const Tensor& a, const Tensor& b)
{
    double (*f)(double, double) = nullptr;
    if (op == "Add")
        f = [](double x, double y) { return x + y; };
    else if (op == "Sub")
        f = [](double x, double y) { return x - y; };
    else if (op == "Mul")
        f = [](double x, double y) { return x * y; };
    else if (op == "Div")
        f = [](double x, double y) { return x / y; };
    else if (op == "Pow")
        f = [](double x, double y) { return std::pow(x, y); };
    else if (op == "Max")
        f = [](double x, double y) { return std::fmax(x, y); };
    else if (op == "Min")
        f = [](double x, double y) { return std::fmin(x, y); };
    if (!f)
        return std::nullopt;
    const Shape shape = broadcastShapes(a.shape(), b.shape());
    if (tooLarge(shape))
        return std::nullopt;
    Tensor out(DType::Float64, shape);
    const std::array<std::vector<std::int64_t>, 2> strides {broadcastStrides(a.shape(), shape),
                                                            broadcastStrides(b.shape(), shape)};
    forEachBroadcast<2>(shape, strides, [&](std::int64_t i, const std::array<std::int64_t, 2>& o) {
        out.data<double>()[i] = f(a.at(o[0]), b.at(o[1]));
    });
    const bool integer = !isFloating(a.dtype()) && !isFloating(b.dtype());
    if (integer && op == "Div") // ONNX integer division truncates
        for (double& v : out.values<double>())
            v = std::trunc(v);
    return out.cast(integer ? DType::Int64 : (isFloating(a.dtype()) ? a.dtype() : b.dtype()));
}

std::optional<Tensor> gather(const onnx::NodeProto& node, const Tensor& x, const Tensor& indices)
{
    std::int64_t axis = 0;
    if (const auto* a = findAttribute(node, "axis"))
        axis = a->i();
    if (axis < 0)
        axis += x.rank();
    if (axis < 0 || axis >= x.rank())
        return std::nullopt;
    const Shape& xs = x.shape();
    std::int64_t outer = 1, inner = 1;
    for (std::int64_t i = 0; i < axis; ++i)
        outer *= xs[static_cast<std::size_t>(i)];
    for (std::int64_t i = axis + 1; i < x.rank(); ++i)
        inner *= xs[static_cast<std::size_t>(i)];
    const std::int64_t axisSize = xs[static_cast<std::size_t>(axis)];
    Shape outShape(xs.begin(), xs.begin() + axis);
    outShape.insert(outShape.end(), indices.shape().begin(), indices.shape().end());
    outShape.insert(outShape.end(), xs.begin() + axis + 1, xs.end());
    if (tooLarge(outShape))
        return std::nullopt;
    const Tensor src = x.cast(DType::Float64);
    Tensor out(DType::Float64, outShape);
    std::int64_t o = 0;
    for (std::int64_t a = 0; a < outer; ++a)
        for (std::int64_t k = 0; k < indices.size(); ++k) {
            std::int64_t idx = indices.atInt(k);
            if (idx < 0)
                idx += axisSize;
            if (idx < 0 || idx >= axisSize)
                return std::nullopt;
            for (std::int64_t i = 0; i < inner; ++i)
                out.data<double>()[o++] = src.data<double>()[(a * axisSize + idx) * inner + i];
        }
    return out.cast(x.dtype());
}

std::optional<Tensor> concat(const onnx::NodeProto& node, const std::vector<std::optional<Tensor>>& inputs)
{
    const auto* a = findAttribute(node, "axis");
    if (!a || inputs.empty())
        return std::nullopt;
    const int rank = inputs[0]->rank();
    std::int64_t axis = a->i() < 0 ? a->i() + rank : a->i();
    if (axis < 0 || axis >= rank)
        return std::nullopt;
    Shape shape = inputs[0]->shape();
    shape[static_cast<std::size_t>(axis)] = 0;
    for (const auto& t : inputs) {
        if (!t || t->rank() != rank)
            return std::nullopt;
        shape[static_cast<std::size_t>(axis)] += t->shape()[static_cast<std::size_t>(axis)];
    }
    if (tooLarge(shape))
        return std::nullopt;
    std::int64_t outer = 1;
    for (std::int64_t i = 0; i < axis; ++i)
        outer *= shape[static_cast<std::size_t>(i)];
    Tensor out(DType::Float64, shape);
    std::int64_t o = 0;
    for (std::int64_t b = 0; b < outer; ++b)
        for (const auto& t : inputs) {
            const std::int64_t chunk = outer == 0 ? 0 : t->size() / outer;
            for (std::int64_t i = 0; i < chunk; ++i)
                out.data<double>()[o++] = t->at(b * chunk + i);
        }
    return out.cast(inputs[0]->dtype());
}

std::optional<Tensor> reshapeLike(const std::string& op, const onnx::NodeProto& node, const Tensor& x,
                                  const std::optional<Tensor>& second)
{
    Shape shape = x.shape();
    if (op == "Identity")
        return x;
    if (op == "Flatten") {
        std::int64_t axis = 1;
        if (const auto* a = findAttribute(node, "axis"))
            axis = a->i();
        if (axis < 0)
            axis += x.rank();
        if (axis < 0 || axis > x.rank())
            return std::nullopt;
        std::int64_t outer = 1;
        for (std::int64_t i = 0; i < axis; ++i)
            outer *= shape[static_cast<std::size_t>(i)];
        return x.reshaped({outer, outer == 0 ? 0 : x.size() / std::max<std::int64_t>(outer, 1)});
    }
    if (op == "Reshape" && second) {
        Shape target;
        std::int64_t known = 1;
        int inferred = -1;
        for (std::int64_t i = 0; i < second->size(); ++i) {
            std::int64_t d = second->atInt(i);
            if (d == 0 && i < x.rank())
                d = shape[static_cast<std::size_t>(i)];
            if (d == -1) {
                inferred = static_cast<int>(i);
                d = 1;
            } else {
                known *= d;
            }
            target.push_back(d);
        }
        if (inferred >= 0)
            target[static_cast<std::size_t>(inferred)] = known == 0 ? 0 : x.size() / known;
        return x.reshaped(target);
    }
    if (op == "Squeeze" || op == "Unsqueeze") {
        std::vector<std::int64_t> axes;
        if (const auto* a = findAttribute(node, "axes"))
            axes.assign(a->ints().begin(), a->ints().end());
        else if (second)
            for (std::int64_t i = 0; i < second->size(); ++i)
                axes.push_back(second->atInt(i));
        if (axes.size() > 64) // no real rank; also keeps the quadratic loops below short
            return std::nullopt;
        if (op == "Squeeze") {
            Shape out;
            for (std::size_t i = 0; i < shape.size(); ++i) {
                bool drop = axes.empty() ? shape[i] == 1 : false;
                for (std::int64_t a : axes)
                    drop = drop || (a < 0 ? a + x.rank() : a) == static_cast<std::int64_t>(i);
                if (!drop)
                    out.push_back(shape[i]);
            }
            return x.reshaped(out);
        }
        const std::int64_t outRank = x.rank() + static_cast<std::int64_t>(axes.size());
        Shape out;
        std::size_t next = 0;
        for (std::int64_t i = 0; i < outRank; ++i) {
            bool inserted = false;
            for (std::int64_t a : axes)
                inserted = inserted || (a < 0 ? a + outRank : a) == i;
            if (inserted)
                out.push_back(1);
            else if (next < shape.size())
                out.push_back(shape[next++]);
        }
        return x.reshaped(out);
    }
    return std::nullopt;
}

} // namespace

ConstantEvaluator::ConstantEvaluator(const onnx::GraphProto& graph, const GraphIndex& index,
                                     std::filesystem::path modelFolder, const Limits& limits)
    : graph_(graph), index_(index), folder_(std::move(modelFolder)), limits_(limits)
{
}

std::optional<Tensor> ConstantEvaluator::value(TensorId id) { return evaluate(id, 0); }

std::optional<Tensor> ConstantEvaluator::evaluate(TensorId id, int depth)
{
    if (id < 0 || depth > 64)
        return std::nullopt;
    if (const auto it = cache_.find(id); it != cache_.end())
        return it->second;
    const TensorInfo& info = index_.tensor(id);
    std::optional<Tensor> result;
    if (info.isInitializer()) {
        const auto& proto = graph_.initializer(info.initializerIndex);
        std::int64_t count = 1;
        for (auto d : proto.dims())
            count = d > 0 && count <= kMaxElements ? count * d : (d == 0 ? 0 : kMaxElements + 1);
        if (count <= kMaxElements)
            result = tensorFromProto(proto, folder_, limits_);
    } else if (info.isConstant && info.producer >= 0) {
        try {
            result = evaluateNode(info.producer, info.producerSlot, depth);
        } catch (const Error&) {
            result.reset(); // not evaluable here; the executor will report real problems
        }
    }
    cache_[id] = result;
    return result;
}

std::optional<Tensor> ConstantEvaluator::evaluateNode(NodeId nodeId, int outputSlot, int depth)
{
    const NodeInfo& node = index_.node(nodeId);
    const onnx::NodeProto& proto = graph_.node(nodeId);
    if (!node.domain.empty() || outputSlot != 0)
        return std::nullopt;
    if (node.opType == "Constant")
        return constantNodeValue(proto, folder_, limits_);
    std::vector<std::optional<Tensor>> inputs;
    for (TensorId t : node.inputs)
        inputs.push_back(t >= 0 ? evaluate(t, depth + 1) : std::nullopt);
    if (inputs.empty() || !inputs[0])
        return std::nullopt;
    const Tensor& x = *inputs[0];
    if (node.opType == "Concat")
        return concat(proto, inputs);
    if (node.opType == "Gather")
        return inputs.size() > 1 && inputs[1] ? gather(proto, x, *inputs[1]) : std::nullopt;
    if (node.opType == "Cast") {
        const auto* to = findAttribute(proto, "to");
        if (!to)
            return std::nullopt;
        return x.cast(dtypeFromOnnx(static_cast<int>(to->i()), "Cast target of node '" + node.name + "'"));
    }
    if (inputs.size() == 1)
        if (auto r = unary(node.opType, x))
            return r;
    const std::optional<Tensor> second = inputs.size() > 1 ? inputs[1] : std::nullopt;
    if (second)
        if (auto r = binary(node.opType, x, *second))
            return r;
    return reshapeLike(node.opType, proto, x, second);
}

} // namespace qs
