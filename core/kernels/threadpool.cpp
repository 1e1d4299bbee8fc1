#include "core/kernels/threadpool.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace qs::kernels {

namespace {

constexpr int kMaxWorkers = 63; // a sane ceiling whatever a caller asks for
constexpr std::chrono::microseconds kSpin {300}; // how long an idle worker polls before it sleeps

thread_local bool tInsideTask = false;

struct Job {
    const std::function<void(std::int64_t)>* fn = nullptr;
    std::atomic<std::int64_t> next {0};
    std::int64_t end = 0;
    int helpers = 0;
    std::mutex errorMutex;
    std::exception_ptr error;

    void run()
    {
        const bool wasInside = tInsideTask;
        tInsideTask = true;
        for (;;) {
            const std::int64_t i = next.fetch_add(1);
            if (i >= end)
                break;
            try {
                (*fn)(i);
            } catch (...) {
                std::lock_guard lock(errorMutex);
                if (!error)
                    error = std::current_exception();
                next.store(end); // stop handing out more work
            }
        }
        tInsideTask = wasInside;
    }
};

class Pool {
public:
    ~Pool()
    {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
            stopping_ = true;
        }
        wake_.notify_all();
        for (std::thread& t : threads_)
            t.join();
    }

    // Returns false when the pool is busy with another caller's job.
    bool run(int threads, std::int64_t begin, std::int64_t end, const std::function<void(std::int64_t)>& fn)
    {
        std::unique_lock busy(busy_, std::try_to_lock);
        if (!busy.owns_lock())
            return false;
        const int helpers = static_cast<int>(std::min<std::int64_t>({static_cast<std::int64_t>(threads) - 1,
            end - begin - 1, static_cast<std::int64_t>(kMaxWorkers)}));
        Job job;
        job.fn = &fn;
        job.next.store(begin);
        job.end = end;
        job.helpers = helpers;
        {
            std::lock_guard lock(mutex_);
            while (static_cast<int>(threads_.size()) < helpers) {
                const int id = static_cast<int>(threads_.size());
                threads_.emplace_back([this, id] { workerLoop(id); });
            }
            job_ = &job;
            running_ = 0;
            generation_.fetch_add(1, std::memory_order_release);
        }
        wake_.notify_all();
        job.run();
        {
            // Withdraw the job, then wait only for the helpers that took it: one that is still waking
            // up finds nothing to do instead of holding up the caller.
            std::unique_lock lock(mutex_);
            job_ = nullptr;
            done_.wait(lock, [&] { return running_ == 0; });
        }
        if (job.error)
            std::rethrow_exception(job.error);
        return true;
    }

    int workers()
    {
        std::lock_guard lock(mutex_);
        return static_cast<int>(threads_.size());
    }

private:
    void workerLoop(int id)
    {
        std::uint64_t seen = 0;
        {
            std::lock_guard lock(mutex_);
            seen = generation_ - 1; // a worker started for the current job takes part in it
        }
        for (;;) {
            // Kernels hand out jobs back to back (every Conv of a run): a short spin before sleeping
            // keeps a worker ready, where waking it from the condition variable can take longer than
            // the job itself and leave the calling thread to do all of it.
            const auto spinUntil = std::chrono::steady_clock::now() + kSpin;
            while (generation_.load(std::memory_order_acquire) == seen
                && !stopping_.load(std::memory_order_relaxed) && std::chrono::steady_clock::now() < spinUntil)
                std::this_thread::yield();
            Job* job = nullptr;
            {
                std::unique_lock lock(mutex_);
                wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
                if (stop_)
                    return;
                seen = generation_;
                job = job_;
                if (!job || id >= job->helpers)
                    continue;
                ++running_;
            }
            job->run();
            {
                std::lock_guard lock(mutex_);
                if (--running_ == 0)
                    done_.notify_all();
            }
        }
    }

    std::mutex busy_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable done_;
    std::vector<std::thread> threads_;
    Job* job_ = nullptr;
    std::atomic<std::uint64_t> generation_ {0};
    std::atomic<bool> stopping_ {false};
    int running_ = 0; // helpers inside the current job
    bool stop_ = false;
};

Pool& pool()
{
    static Pool instance;
    return instance;
}

} // namespace

void parallelFor(const KernelContext& ctx, std::int64_t begin, std::int64_t end,
    const std::function<void(std::int64_t)>& fn)
{
    if (end <= begin)
        return;
    if (ctx.threads > 1 && end - begin > 1 && !tInsideTask && pool().run(ctx.threads, begin, end, fn))
        return;
    for (std::int64_t i = begin; i < end; ++i)
        fn(i);
}

KernelContext contextForWork(const KernelContext& ctx, std::int64_t macs)
{
    constexpr std::int64_t kMinParallelMacs = std::int64_t(1) << 18;
    KernelContext local = ctx;
    if (macs < kMinParallelMacs)
        local.threads = 1;
    return local;
}

int threadPoolWorkers()
{
    return pool().workers();
}

} // namespace qs::kernels
