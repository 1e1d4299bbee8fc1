#pragma once
// A dense, row-major, owning tensor. The executor computes in Float32 / Float64 and does shape and
// index math in Int64; the other element types exist so that integer ONNX tensors (QuantizeLinear
// outputs, int8 zero points, bool masks) keep their type through the graph.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace qs {

enum class DType : std::uint8_t { Float32, Float64, Int64, Int32, Int16, Int8, UInt8, Bool };

using Shape = std::vector<std::int64_t>;

std::size_t dtypeSize(DType type);
const char* dtypeName(DType type); // "float32", "int64", ...
bool isFloating(DType type);

// Number of elements of a shape; throws Error when a dim is negative or the product overflows.
std::int64_t elementCount(const Shape& shape);
std::string shapeToString(const Shape& shape); // "[1,3,32,32]"

// Allocation guard: while an AllocationLimit is alive on this thread, constructing a Tensor larger
// than its byte limit throws Error. The executor installs one so that every kernel honours
// Limits::maxTensorBytes without checking sizes itself.
class AllocationLimit {
public:
    explicit AllocationLimit(std::int64_t maxBytes);
    ~AllocationLimit();
    AllocationLimit(const AllocationLimit&) = delete;
    AllocationLimit& operator=(const AllocationLimit&) = delete;
    static std::int64_t current(); // -1 when no limit is installed

private:
    std::int64_t previous_;
};

class Tensor {
public:
    Tensor() = default;
    Tensor(DType type, Shape shape); // zero-filled
    // Contents left undefined: for kernels that write every element (skips the zero-fill pass and
    // the page faults it causes on fresh memory). Same size checks and allocation limit.
    static Tensor uninitialized(DType type, Shape shape);
    Tensor(const Tensor& other);
    Tensor& operator=(const Tensor& other);
    Tensor(Tensor&&) noexcept = default;
    Tensor& operator=(Tensor&&) noexcept = default;

    static Tensor scalar(float value);
    static Tensor fromFloats(Shape shape, const std::vector<float>& values);
    static Tensor fromDoubles(Shape shape, const std::vector<double>& values);
    static Tensor fromInt64s(Shape shape, const std::vector<std::int64_t>& values);

    DType dtype() const { return type_; }
    const Shape& shape() const { return shape_; }
    int rank() const { return static_cast<int>(shape_.size()); }
    std::int64_t size() const { return count_; }
    std::size_t byteSize() const { return static_cast<std::size_t>(count_) * dtypeSize(type_); }
    bool empty() const { return count_ == 0; }

    template <class T> T* data() { return reinterpret_cast<T*>(bytes_.get()); }
    template <class T> const T* data() const { return reinterpret_cast<const T*>(bytes_.get()); }
    template <class T> std::span<T> values() { return {data<T>(), static_cast<std::size_t>(count_)}; }
    template <class T> std::span<const T> values() const
    {
        return {data<T>(), static_cast<std::size_t>(count_)};
    }
    std::byte* rawData() { return bytes_.get(); }
    const std::byte* rawData() const { return bytes_.get(); }

    // Element i converted to double / int64, whatever the storage type.
    double at(std::int64_t i) const;
    std::int64_t atInt(std::int64_t i) const;
    // All elements as doubles (convenient for small parameter tensors).
    std::vector<double> toDoubles() const;
    // A copy converted to another element type (float->int truncates toward zero, like a C cast).
    Tensor cast(DType type) const;
    // Same data, new shape with the same element count.
    Tensor reshaped(Shape shape) const&;
    Tensor reshaped(Shape shape) &&;

private:
    struct NoFill { };
    Tensor(DType type, Shape shape, NoFill);

    struct AlignedFree {
        void operator()(std::byte* p) const;
    };
    DType type_ = DType::Float32;
    Shape shape_;
    std::int64_t count_ = 0;
    std::unique_ptr<std::byte[], AlignedFree> bytes_;
};

} // namespace qs
