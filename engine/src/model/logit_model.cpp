// migsim's rules (LogitRules, model/logit_model.hpp): construction, the day's events, new agents.
#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>
#include <utility>

#include "model/logit_model.hpp"

namespace migsim::detail::logit {

LogitRules::LogitRules(std::shared_ptr<const Scenario> scenario, std::uint64_t replicate_seed, std::uint32_t rank_,
                       std::uint32_t ranks_)
    : Impl(std::move(scenario), replicate_seed), L(loaded.links.size()), M(loaded.markets.size()), rank(rank_),
      ranks(ranks_), choice(loaded), plans(loaded, choice), occupied(loaded.locations.size(), 0),
      nobody(loaded.locations.size(), 0), conditions(loaded), harm_places(loaded), layout(loaded),
      split(loaded.settings.output_by_group ? std::max<std::size_t>(1, loaded.groups.size()) : 1), totals(layout),
      group_totals(split > 1 ? split : 0, Counters(layout)), demand(M + loaded.pathways.size()),
      places(M + loaded.pathways.size()), tracking(loaded.settings.journey_sample > 0) {
    const Scenario& s = loaded;
    agents.reserve(static_cast<std::size_t>(s.total_agents() / ranks + 1));
    package_next.assign(M * s.locations.size(), no_index);
    for (std::size_t m = 0; m < M; ++m)
        if (s.markets[m].links.size() > 1)
            for (int l : s.markets[m].links)
                package_next[m * s.locations.size() +
                             static_cast<std::size_t>(s.links[static_cast<std::size_t>(l)].from)] = l;
    regular_arrival.assign(L * s.profiles.size(), 0);
    for (std::size_t l = 0; l < L; ++l)
        for (std::size_t p = 0; p < s.profiles.size(); ++p) {
            const auto& free = s.profiles[p].visa_free;
            regular_arrival[l * s.profiles.size() + p] =
                s.links[l].border != no_index && std::find(free.begin(), free.end(), s.links[l].border) != free.end();
        }
    totals.zero();
}

void LogitRules::apply_events() {
    while (next_event < loaded.events.size() && loaded.events[next_event].day <= day)
        apply(now, loaded.events[next_event++].change);
}

// The demand row's group, or one drawn from the profile's shares (one word, its own purpose:
// adding groups to a scenario leaves every other draw as it was).
std::uint8_t LogitRules::group_of(const DemandRow& row, const Profile& p, std::uint32_t g) const {
    if (row.group != no_index) return static_cast<std::uint8_t>(row.group);
    if (p.group_shares.empty()) return 0;
    const double u = unit(draw(seed, g, day, Purpose::group)[0]);
    double below = 0;
    for (std::size_t k = 0; k + 1 < p.group_shares.size(); ++k)
        if (u < (below += p.group_shares[k])) return static_cast<std::uint8_t>(k);
    return static_cast<std::uint8_t>(p.group_shares.size() - 1);
}

void LogitRules::create_agents() {
    for (const DemandRow& row : loaded.demand) {
        const int offset = day - row.day;
        if (offset < 0 || offset >= row.spread_days) continue;
        occupied[static_cast<std::size_t>(row.origin)] = 1;   // on every rank: some set out from there today
        const Profile& p = loaded.profiles[static_cast<std::size_t>(row.profile)];
        const DayParameters::ProfileValues& values = now.profiles[static_cast<std::size_t>(row.profile)];
        // The row's count times the day's demand factor (a factor of 1: the count as is), spread.
        const std::int64_t count = demand_count(row.count, values.demand_factor);
        const std::int64_t n = count / row.spread_days + (offset < count % row.spread_days ? 1 : 0);
        // Global ids created..created+n-1; this rank's are those equal to rank (mod ranks).
        const std::int64_t first = created + (rank + ranks - created % ranks) % ranks;
        for (std::int64_t g = first; g < created + n; g += ranks) {
            const Words words = draw(seed, static_cast<std::uint32_t>(g), day, Purpose::budget);
            const double z = std::sqrt(-2 * std::log(unit(words[0]))) * std::cos(2 * std::numbers::pi * unit(words[1]));
            const auto budget = static_cast<float>(values.budget_median * std::exp(values.budget_sigma * z));
            budgets_cents += cents(budget);
            agents.add(static_cast<std::uint16_t>(row.origin), static_cast<std::uint8_t>(row.profile),
                       group_of(row, p, static_cast<std::uint32_t>(g)), budget, static_cast<std::uint16_t>(day));
            if (tracking) sample_journey(static_cast<std::uint32_t>(g), row);
        }
        created += n;
    }
}

// A new agent (global id g): in the sample iff its own draw falls below the share, so the
// sample depends on neither threads nor ranks.
void LogitRules::sample_journey(std::uint32_t g, const DemandRow& row) {
    if (!happens(draw(seed, g, 0, Purpose::journey)[0], loaded.settings.journey_sample)) {
        journey_slot.push_back(no_journey);
        return;
    }
    journey_slot.push_back(static_cast<std::uint32_t>(journeys_.size()));
    Journey& j = journeys_.emplace_back();
    j.id = g;
    j.profile = row.profile;
    j.group = agents.group.back();
    j.origin = row.origin;
    j.born = day;
    j.route.push_back(static_cast<std::uint16_t>(row.origin));
}

}   // namespace migsim::detail::logit
