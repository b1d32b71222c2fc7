// Scarce seats and quota places: when D askers want C < D places, exactly C get them, the C
// whose keys are smallest. A key is (the agent's own 32-bit draw << 32 | agent id): unique,
// so "the C smallest" is one well-defined set whatever the thread or rank count.
//
// The C-th smallest key of each contest is found by radix selection: eight passes of a
// 256-bucket histogram over the askers' keys, each pass fixing one more byte of the answer.
// Histograms are integer counts reduced through Comm, so askers never move between ranks.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "migsim/comm.hpp"

namespace migsim::detail {

struct Ask {
    std::uint64_t key;       // priority: smaller wins
    std::uint32_t agent;     // index in the agent store
    std::uint16_t contest;   // which market or pathway
    std::uint16_t option;    // what was asked for (link or pathway index)
};

inline std::uint64_t priority_key(std::uint32_t draw_word, std::uint32_t agent) {
    return (static_cast<std::uint64_t>(draw_word) << 32) | agent;
}

// For every contest c with places[c] < demand[c], the largest key that wins (the
// places[c]-th smallest); contests with enough places get UINT64_MAX; with no places, 0 and
// `none_win[c]` set. `asks` are this rank's asks, in several lists (one per thread).
struct Thresholds {
    std::vector<std::uint64_t> key;
    std::vector<bool> none_win;
    [[nodiscard]] bool wins(const Ask& a) const { return !none_win[a.contest] && a.key <= key[a.contest]; }
};

void find_thresholds(const std::vector<std::span<const Ask>>& asks, std::span<const std::int64_t> demand,
                     std::span<const std::int64_t> places, const Comm& comm, Thresholds& out);

}   // namespace migsim::detail
