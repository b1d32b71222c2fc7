// Where Flee's new agents appear. With `spawning: registrations` (Flee's default) the day's
// number comes from the camps' registrations (Scenario::spawns_per_day): on day 0 the day's
// registrations start in their camps (insert_day0), later each new agent appears at a conflict
// zone drawn in proportion to population x intensity x decay. With `spawning: conflict` each
// conflict zone sends a number a day (constant: rate x intensity; pop_ratio: rate x population x
// intensity; poisson: a Poisson number of mean rate x intensity).
#pragma once

#include <cstdint>
#include <vector>

#include "common/bytes.hpp"
#include "migsim/scenario.hpp"
#include "model/alias.hpp"

namespace migsim::detail {

class FleeSpawning {
public:
    explicit FleeSpawning(const Scenario& scenario);

    // The places of the agents created today, in the order of their ids (from `created` on).
    // Every rank computes all of them (a draw per new agent, keyed on its global id), so the
    // populations taken from stay the same on every rank.
    // `now`: today's parameters (conflicts); `seed`: the replicate's.
    [[nodiscard]] std::vector<std::uint16_t> place(const Scenario& scenario, const DayParameters& now,
                                                   std::uint64_t seed, int day, const std::vector<int>& conflict_start,
                                                   std::int64_t created);

    // Agents due on days without any conflict zone to come from, waiting for one.
    [[nodiscard]] std::int64_t pending() const { return pending_; }

    void save(ByteWriter& out) const;
    void restore(ByteReader& in);

private:
    std::vector<std::int64_t> population_;   // per place: lowered by spawns with take_from_population
    std::int64_t pending_ = 0;
    std::vector<std::uint16_t> zones_;
    std::vector<double> weight_;
    AliasTables alias_;
};

}   // namespace migsim::detail
