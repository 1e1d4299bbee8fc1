#include "core/analysis/analysiscache.h"

#include <cstring>

namespace qs {
namespace {

std::uint64_t mix(std::uint64_t h, std::uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdull;
}

std::uint64_t contentHash(const Tensor& t)
{
    std::uint64_t h = mix(0, static_cast<std::uint64_t>(t.dtype()));
    for (std::int64_t d : t.shape())
        h = mix(h, static_cast<std::uint64_t>(d));
    const std::byte* bytes = t.rawData();
    const std::size_t n = t.byteSize();
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, bytes + i, 8);
        h = mix(h, word);
    }
    for (; i < n; ++i)
        h = mix(h, static_cast<std::uint64_t>(bytes[i]));
    return h;
}

bool sameContent(const Tensor& a, const Tensor& b)
{
    return a.dtype() == b.dtype() && a.shape() == b.shape()
        && (a.byteSize() == 0 || std::memcmp(a.rawData(), b.rawData(), a.byteSize()) == 0);
}

void addBytes(std::string& out, const void* data, std::size_t size)
{
    out.append(static_cast<const char*>(data), size);
}

template <class T> void addValue(std::string& out, const T& value)
{
    addBytes(out, &value, sizeof value);
}

void addParameter(std::string& out, const QuantParameter& p)
{
    addValue(out, p.tensor);
    addValue(out, p.known);
    addValue(out, p.axis);
    addValue(out, p.values.size());
    addBytes(out, p.values.data(), p.values.size() * sizeof(double));
}

// Everything of a quantizer countClipped() reads.
std::string clipContext(const Quantizer& q)
{
    std::string out;
    addValue(out, q.kind);
    addValue(out, q.qmin.has_value());
    addValue(out, q.qmin.value_or(0));
    addValue(out, q.qmax.has_value());
    addValue(out, q.qmax.value_or(0));
    addParameter(out, q.scale);
    addParameter(out, q.zeroPoint);
    return out;
}

} // namespace

void AnalysisCache::bind(const RunResult* quantized, const RunResult* floatShadow)
{
    bound_.clear();
    for (const RunResult* run : {quantized, floatShadow})
        if (run) {
            for (const auto& [name, tensor] : run->captured)
                bound_.insert(tensor.get());
            for (const auto& [name, tensor] : run->outputs)
                bound_.insert(tensor.get());
        }
    for (auto it = contents_.begin(); it != contents_.end();)
        if (!it->second.used) {
            it = contents_.erase(it);
        } else {
            it->second.used = false;
            ++it;
        }
    prune(compares_);
    prune(clips_);
    prune(log2_);
    prune(observations_);
}

void AnalysisCache::clear()
{
    bound_.clear();
    contents_.clear();
    compares_.clear();
    clips_.clear();
    log2_.clear();
    observations_.clear();
}

bool AnalysisCache::alive(const Key& key) const
{
    return key.address ? bound_.count(key.address) > 0 : contents_.count(key.content) > 0;
}

template <class Map> void AnalysisCache::prune(Map& map) const
{
    for (auto it = map.begin(); it != map.end();) {
        const auto& key = it->first;
        bool keep = alive(key.first);
        if constexpr (std::is_same_v<std::decay_t<decltype(key.second)>, Key>)
            keep = keep && alive(key.second);
        it = keep ? std::next(it) : map.erase(it);
    }
}

std::optional<AnalysisCache::Key> AnalysisCache::keyOf(const Tensor& t)
{
    if (bound_.count(&t)) // bound_ changes only in bind() and clear()
        return Key {&t, 0};
    const std::uint64_t hash = contentHash(t);
    const std::lock_guard lock(mutex_);
    const auto it = contents_.find(hash);
    if (it == contents_.end()) {
        contents_.emplace(hash, Content {t, true});
        return Key {nullptr, hash};
    }
    if (!sameContent(it->second.copy, t))
        return std::nullopt; // a hash collision: not cached
    it->second.used = true;
    return Key {nullptr, hash};
}

// The cached value of `key` in `map`, or compute() stored under it. compute() runs unlocked; when
// two threads race on one key both compute the same value and the first stored one wins.
template <class Map, class Compute>
typename Map::mapped_type AnalysisCache::findOrCompute(
    Map& map, typename Map::key_type key, Compute&& compute)
{
    {
        const std::lock_guard lock(mutex_);
        if (const auto it = map.find(key); it != map.end())
            return it->second;
    }
    auto value = compute();
    const std::lock_guard lock(mutex_);
    return map.emplace(std::move(key), std::move(value)).first->second;
}

ErrorMetrics AnalysisCache::compare(const Tensor& reference, const Tensor& test)
{
    const auto a = keyOf(reference);
    const auto b = keyOf(test);
    if (!a || !b)
        return compareTensors(reference, test);
    return findOrCompute(compares_, {*a, *b}, [&] { return compareTensors(reference, test); });
}

std::optional<ClipCounts> AnalysisCache::clipCounts(const Quantizer& q, const Tensor& x)
{
    const auto key = keyOf(x);
    if (!key)
        return countClipped(q, x);
    return findOrCompute(clips_, {*key, clipContext(q)}, [&] { return countClipped(q, x); });
}

Log2Summary AnalysisCache::log2Summary(const Tensor& t, int bins)
{
    const auto key = keyOf(t);
    if (!key)
        return qs::log2Summary(t, bins);
    return findOrCompute(log2_, {*key, bins}, [&] { return qs::log2Summary(t, bins); });
}

const OverflowObserver* AnalysisCache::observation(const Tensor& x, const std::string& context)
{
    const auto key = keyOf(x);
    if (!key)
        return nullptr;
    const std::lock_guard lock(mutex_);
    const auto it = observations_.find({*key, context});
    return it == observations_.end() ? nullptr : &it->second; // map nodes stay put until bind()
}

void AnalysisCache::storeObservation(const Tensor& x, std::string context, OverflowObserver observer)
{
    if (const auto key = keyOf(x)) {
        const std::lock_guard lock(mutex_);
        observations_.insert_or_assign({*key, std::move(context)}, std::move(observer));
    }
}

} // namespace qs
