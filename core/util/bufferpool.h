#pragma once
// Tensor storage. A network run allocates and frees the same large buffers in every run; memory fresh
// from the operating system costs a page fault per 4 KB on first touch (and glibc returns large
// blocks to it on free), which showed up as 10-15% of a batched run. Buffers of 64 KB and more are
// therefore kept in a small process-wide cache (at most kPoolBytes in total) and handed out again for
// a request of about the same size. Thread-safe.
#include <cstddef>

namespace qs::detail {

constexpr std::size_t kPoolMinBytes = std::size_t(64) << 10;
constexpr std::size_t kPoolBytes = std::size_t(256) << 20;

// 64-byte aligned, at least `bytes` (> 0) usable; nullptr when out of memory.
std::byte* allocateBuffer(std::size_t bytes);
// Returns a buffer from allocateBuffer (nullptr is ignored).
void freeBuffer(std::byte* buffer) noexcept;

} // namespace qs::detail
