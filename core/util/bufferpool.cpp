#include "core/util/bufferpool.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace qs::detail {
namespace {

// Each buffer is preceded by one 64-byte block holding its capacity, so that freeing needs no size.
constexpr std::size_t kHeader = 64;
constexpr std::size_t kHugePage = std::size_t(2) << 20;
constexpr std::size_t kHugeMinBytes = std::size_t(4) << 20;

// Under AddressSanitizer every buffer goes back to the allocator, so that use-after-free is caught.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kPooling = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kPooling = false;
#else
constexpr bool kPooling = true;
#endif
#else
constexpr bool kPooling = true;
#endif

struct Pool {
    std::mutex mutex;
    std::multimap<std::size_t, std::byte*> free; // capacity -> buffer (the header's address)
    std::size_t bytes = 0;
};

Pool& pool()
{
    static Pool* p = new Pool; // never destroyed: tensors may be freed during static destruction
    return *p;
}

std::size_t capacityOf(std::size_t bytes)
{
    const std::size_t page = 4096;
    return bytes >= kPoolMinBytes ? (bytes + page - 1) / page * page : (bytes + 63) / 64 * 64;
}

// Faults the pages of [data, data + bytes) in: one madvise call where the kernel has
// MADV_POPULATE_WRITE (Linux 5.14; far cheaper than a fault per page in a VM), else a write per page.
void touchPages(std::byte* data, std::size_t bytes)
{
    constexpr std::size_t page = 4096;
#ifdef MADV_POPULATE_WRITE
    const auto first = (reinterpret_cast<std::uintptr_t>(data) + page - 1) / page * page;
    const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) / page * page;
    if (end > first && ::madvise(reinterpret_cast<void*>(first), end - first, MADV_POPULATE_WRITE) == 0) {
        data[0] = std::byte {0}; // the partial pages at either end
        data[bytes - 1] = std::byte {0};
        return;
    }
#endif
    for (std::size_t offset = 0; offset < bytes; offset += page)
        data[offset] = std::byte {0};
    data[bytes - 1] = std::byte {0};
}

} // namespace

std::byte* allocateBuffer(std::size_t bytes)
{
    const std::size_t capacity = capacityOf(bytes);
    if (capacity < bytes || capacity > std::size_t(-1) - kHeader)
        return nullptr;
    if (kPooling && capacity >= kPoolMinBytes) {
        Pool& p = pool();
        const std::lock_guard lock(p.mutex);
        // Within 1/8 of the request, so that a small tensor does not pin a much larger buffer.
        const auto it = p.free.lower_bound(capacity);
        if (it != p.free.end() && it->first <= capacity + capacity / 8) {
            std::byte* block = it->second;
            p.bytes -= it->first;
            p.free.erase(it);
            return block + kHeader;
        }
    }
    // Buffers of several MB are 2 MB-aligned and asked to use transparent huge pages: one page fault
    // per 2 MB instead of per 4 KB on first touch (faults are expensive, especially in a VM).
    const bool huge = capacity >= kHugeMinBytes;
    const std::size_t total
        = huge ? (capacity + kHeader + kHugePage - 1) / kHugePage * kHugePage : capacity + kHeader;
    auto* block = static_cast<std::byte*>(std::aligned_alloc(huge ? kHugePage : 64, total));
    if (!block)
        return nullptr;
#ifdef MADV_HUGEPAGE
    if (huge)
        ::madvise(block, total, MADV_HUGEPAGE); // advice only: failure changes nothing
#endif
    std::memcpy(block, &capacity, sizeof capacity);
    if (capacity >= kPoolMinBytes)
        touchPages(block + kHeader, capacity); // cheaper than the page-by-page faults of first use
    return block + kHeader;
}

void freeBuffer(std::byte* buffer) noexcept
{
    if (!buffer)
        return;
    std::byte* block = buffer - kHeader;
    std::size_t capacity = 0;
    std::memcpy(&capacity, block, sizeof capacity);
    if (kPooling && capacity >= kPoolMinBytes && capacity <= kPoolBytes / 4) {
        Pool& p = pool();
        const std::lock_guard lock(p.mutex);
        // Make room by dropping the largest cached buffers first.
        while (p.bytes + capacity > kPoolBytes && !p.free.empty()) {
            const auto last = std::prev(p.free.end());
            p.bytes -= last->first;
            std::free(last->second);
            p.free.erase(last);
        }
        p.free.emplace(capacity, block);
        p.bytes += capacity;
        return;
    }
    std::free(block);
}

void reserveBuffers(const std::vector<std::size_t>& sizes)
{
    if (!kPooling)
        return;
    std::vector<std::byte*> buffers;
    std::size_t total = 0;
    for (const std::size_t bytes : sizes) {
        const std::size_t capacity = capacityOf(bytes);
        if (capacity < kPoolMinBytes || capacity > kPoolBytes / 4 || total + capacity > kPoolBytes)
            continue;
        std::byte* buffer = allocateBuffer(bytes); // pooled, or fresh and populated: touched either way
        if (!buffer)
            break;
        buffers.push_back(buffer);
        total += capacity;
    }
    for (std::byte* buffer : buffers)
        freeBuffer(buffer);
}

} // namespace qs::detail
