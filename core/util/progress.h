#pragma once
// Progress reporting and cooperative cancellation for long work (loading, layout, execution).
// The worker calls step() at natural boundaries (a node, a segment); step() throws Cancelled once
// another thread has called cancel(). Thread-safe; the callback runs on the worker's thread.
#include "core/util/error.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string_view>

namespace qs {

class Progress {
public:
    using Callback = std::function<void(std::int64_t done, std::int64_t total, std::string_view what)>;

    Progress() = default;
    explicit Progress(Callback callback) : callback_(std::move(callback)) {}

    void cancel() { cancelled_.store(true, std::memory_order_relaxed); }
    bool isCancelled() const { return cancelled_.load(std::memory_order_relaxed); }
    void throwIfCancelled() const
    {
        if (isCancelled())
            throw Cancelled();
    }

    // Reports progress and throws Cancelled if cancellation was requested.
    void step(std::int64_t done, std::int64_t total, std::string_view what = {}) const
    {
        throwIfCancelled();
        if (callback_)
            callback_(done, total, what);
    }

private:
    Callback callback_;
    std::atomic<bool> cancelled_ {false};
};

} // namespace qs
