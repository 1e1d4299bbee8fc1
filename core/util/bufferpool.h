#pragma once
// Tensor storage. A network run allocates and frees the same large buffers in every run; memory fresh
// from the operating system costs a page fault per 4 KB on first touch (and glibc returns large
// blocks to it on free), which showed up as 10-15% of a batched run. Buffers of 64 KB and more are
// therefore kept in a small process-wide cache (at most kPoolBytes in total) and handed out again for
// a request of about the same size. Fresh buffers of that size have their pages populated in one
// madvise(MADV_POPULATE_WRITE) call instead of a fault per page (resnet20's first analysis 0.53 ->
// 0.31 s in a VM). Thread-safe.
#include <cstddef>
#include <vector>

namespace qs::detail {

constexpr std::size_t kPoolMinBytes = std::size_t(64) << 10;
constexpr std::size_t kPoolBytes = std::size_t(256) << 20;

// 64-byte aligned, at least `bytes` (> 0) usable; nullptr when out of memory.
std::byte* allocateBuffer(std::size_t bytes);
// Returns a buffer from allocateBuffer (nullptr is ignored).
void freeBuffer(std::byte* buffer) noexcept;

// Puts buffers of the given sizes, their pages already touched, into the cache (as far as it has
// room), so that tensors of those sizes allocated later cost no page faults. For work whose next
// steps are known to need such memory while what it holds now stays alive (an incremental re-run).
void reserveBuffers(const std::vector<std::size_t>& sizes);

} // namespace qs::detail
