#include "parallel/selection.hpp"

#include <cassert>
#include <cstdint>

namespace migsim::detail {

void find_thresholds(const std::vector<std::span<const Ask>>& asks, std::span<const std::int64_t> demand,
                     std::span<const std::int64_t> places, const Comm& comm, Thresholds& out) {
    const std::size_t contests = demand.size();
    out.key.assign(contests, UINT64_MAX);
    out.none_win.assign(contests, false);
    // prefix[c]: the bytes of the answer fixed so far; rank[c]: 1-based rank still to find
    // among keys sharing that prefix.
    std::vector<std::uint64_t> prefix(contests, 0);
    std::vector<std::int64_t> rank(contests, 0);
    // Only contests with fewer places than askers are histogrammed (and their histograms
    // reduced over ranks): slot[c] is the contest's row in the histogram, or `closed`.
    constexpr std::size_t closed = SIZE_MAX;
    std::vector<std::size_t> slot(contests, closed);
    std::vector<std::size_t> open;
    for (std::size_t c = 0; c < contests; ++c) {
        if (places[c] <= 0 && demand[c] > 0) {
            out.none_win[c] = true;
            out.key[c] = 0;
        } else if (places[c] < demand[c]) {
            slot[c] = open.size();
            open.push_back(c);
            rank[c] = places[c];
        }
    }
    if (open.empty()) return;
    std::vector<std::int64_t> histogram(open.size() * 256);
    for (int shift = 56; shift >= 0; shift -= 8) {
        std::fill(histogram.begin(), histogram.end(), 0);
        const std::uint64_t high_mask = shift == 56 ? 0 : ~std::uint64_t{0} << (shift + 8);
        for (const auto& list : asks)
            for (const Ask& a : list)
                if (slot[a.contest] != closed && (a.key & high_mask) == prefix[a.contest])
                    ++histogram[slot[a.contest] * 256 + ((a.key >> shift) & 0xff)];
        comm.sum(histogram);
        for (std::size_t c : open) {
            std::int64_t below = 0;
            std::uint64_t bucket = 0;
            for (; bucket < 256; ++bucket) {
                std::int64_t n = histogram[slot[c] * 256 + bucket];
                if (below + n >= rank[c]) break;
                below += n;
            }
            assert(bucket < 256);
            prefix[c] |= bucket << shift;
            rank[c] -= below;
        }
    }
    for (std::size_t c : open) out.key[c] = prefix[c];
}

}   // namespace migsim::detail
