#pragma once
// A small fixed pool of worker threads shared by the kernels. parallelFor() hands out indices one
// at a time (tasks are coarse: one batch image, group or output tile each), runs on the calling
// thread too, and rethrows the first exception a task threw.
#include "core/kernels/context.h"

#include <cstdint>
#include <functional>

namespace qs::kernels {

// Runs fn(i) for every i in [begin, end) on up to ctx.threads threads and waits for all of them.
// Calls from inside a task, or while another caller is using the pool, run inline instead of
// blocking, so nested and concurrent use cannot deadlock.
void parallelFor(const KernelContext& ctx, std::int64_t begin, std::int64_t end,
    const std::function<void(std::int64_t)>& fn);

// The context to use for a kernel call of about `macs` multiply-adds: below ~20 us of work, handing
// tasks to another thread costs more than it saves, so such calls run on the calling thread.
KernelContext contextForWork(const KernelContext& ctx, std::int64_t macs);

// Number of worker threads the shared pool has started so far (for tests).
int threadPoolWorkers();

} // namespace qs::kernels
