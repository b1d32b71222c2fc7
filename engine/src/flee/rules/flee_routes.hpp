// Flee's choices as tables (docs/FLEE.md, "Flee's rules"). Flee's route choice depends only on
// the place and the day (with its demographic rules off), never on the agent, so each day one
// table per place holds the probabilities of every candidate route and each agent there draws
// from it with its own random words: the same draws give the same routes on any thread count.
//   score(E)    1 x foreign_weight (abroad) x camp_weight (camp)
//                 x conflict_weight ^ (decay(days since the conflict began) x intensity)
//   route to E  ((weight_softening + score(E)) / (softening + km)^distance_power x capmult(E))^weight_power
//   capmult(E)  1 up to capacity_buffer x capacity, falling linearly to 0 at capacity
// Candidate routes: every loop-free path of 1..awareness_level open links from the place.
#pragma once

#include <cstdint>
#include <vector>

#include "migsim/scenario.hpp"
#include "model/alias.hpp"

namespace migsim::detail {

inline constexpr int no_conflict = -1;   // conflict start day of a place at peace

// Flee's decay of a conflict's pull and push: factor for `days` since it began.
[[nodiscard]] double conflict_decay(const FleeSettings& flee, int days);

// The daily chance to move on from a place of this kind.
[[nodiscard]] double move_chance_of(const FleeSettings& flee, LocationKind kind);

class FleeRoutes {
public:
    // Enumerates the candidate paths of every place (throws ScenarioError beyond 10^7).
    explicit FleeRoutes(const Scenario& scenario);

    // Today's tables, from today's parameters `now`. `conflict_start[E]`: day E's conflict
    // began (no_conflict: none); `occupancy[E]`: the agents that fill E's capacity today.
    void update(const Scenario& scenario, const DayParameters& now, int day, const std::vector<int>& conflict_start,
                const std::vector<std::int64_t>& occupancy);

    [[nodiscard]] double move_chance(std::size_t at) const { return move_chance_[at]; }
    [[nodiscard]] double log_stay(std::size_t at) const { return log_stay_[at]; }   // ln(1 - move chance)
    // A camp so full (capmult < 0.5) that agents drop a route that ends there.
    [[nodiscard]] bool refuses(std::size_t at) const { return refuses_[at] != 0; }
    // A route from `at` (an index for path_*), or -1 when no route is open.
    [[nodiscard]] std::int64_t choose(std::size_t at, std::uint32_t word_column, std::uint32_t word_coin) const;

    [[nodiscard]] int path_end(std::int64_t path) const { return end_[static_cast<std::size_t>(path)]; }
    [[nodiscard]] int path_links(std::int64_t path) const { return links_in_[static_cast<std::size_t>(path)]; }
    [[nodiscard]] int path_link(std::int64_t path, int step) const {
        return link_[static_cast<std::size_t>(path) * static_cast<std::size_t>(depth_) +
                     static_cast<std::size_t>(step)];
    }

    // For tests and tools: score, capmult and the probability of each route from `at` today.
    [[nodiscard]] double score(std::size_t at) const { return score_[at]; }
    [[nodiscard]] double capacity_multiplier(std::size_t at) const { return capmult_[at]; }
    [[nodiscard]] std::vector<std::pair<std::int64_t, double>> probabilities(std::size_t at) const;

private:
    int depth_;                                // links per path slot (awareness_level, at least 1)
    bool uniform_;                             // awareness_level 0: a random neighbour
    std::vector<std::size_t> first_;           // per place: its paths are [first_[at], first_[at + 1])
    std::vector<int> end_, links_in_, link_;   // per path: where it ends, its links, the links in order
    std::vector<double> km_;                   // per path: its length
    std::vector<double> score_, capmult_, move_chance_, log_stay_, probability_;
    std::vector<std::uint8_t> refuses_, open_;
    std::vector<std::uint8_t> any_open_;   // per place: some route is open today
    std::vector<std::uint8_t> foreign_;    // per place: in another country than the first place
    AliasTables alias_;
};

}   // namespace migsim::detail
