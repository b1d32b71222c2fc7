#include "parallel/selection.hpp"

#include <cassert>

namespace migsim::detail {

void find_thresholds(const std::vector<std::span<const Ask>>& asks,
                     std::span<const std::int64_t> demand, std::span<const std::int64_t> places,
                     const Comm& comm, Thresholds& out) {
    const std::size_t contests = demand.size();
    out.key.assign(contests, UINT64_MAX);
    out.none_win.assign(contests, false);
    // prefix[c]: the bytes of the answer fixed so far; rank[c]: 1-based rank still to find
    // among keys sharing that prefix.
    std::vector<std::uint64_t> prefix(contests, 0);
    std::vector<std::int64_t> rank(contests, 0);
    std::vector<bool> open(contests, false);
    bool any = false;
    for (std::size_t c = 0; c < contests; ++c) {
        if (places[c] <= 0 && demand[c] > 0) {
            out.none_win[c] = true;
            out.key[c] = 0;
        } else if (places[c] < demand[c]) {
            open[c] = true;
            rank[c] = places[c];
            any = true;
        }
    }
    if (!any) return;
    std::vector<std::int64_t> histogram(contests * 256);
    for (int shift = 56; shift >= 0; shift -= 8) {
        std::fill(histogram.begin(), histogram.end(), 0);
        const std::uint64_t high_mask = shift == 56 ? 0 : ~std::uint64_t{0} << (shift + 8);
        for (const auto& list : asks)
            for (const Ask& a : list)
                if (open[a.contest] && (a.key & high_mask) == prefix[a.contest])
                    ++histogram[a.contest * 256 + ((a.key >> shift) & 0xff)];
        comm.sum(histogram);
        for (std::size_t c = 0; c < contests; ++c) {
            if (!open[c]) continue;
            std::int64_t below = 0;
            std::uint64_t bucket = 0;
            for (; bucket < 256; ++bucket) {
                std::int64_t n = histogram[c * 256 + bucket];
                if (below + n >= rank[c]) break;
                below += n;
            }
            assert(bucket < 256);
            prefix[c] |= bucket << shift;
            rank[c] -= below;
        }
    }
    for (std::size_t c = 0; c < contests; ++c)
        if (open[c]) out.key[c] = prefix[c];
}

}  // namespace migsim::detail
