// Flee's rules (`rules: flee`, docs/FLEE.md). A day, in Flee's order:
//   events      conflicts begin or end, links close or open (the policy timeline)
//   spawning    new agents: day 0's registrations in the camps, then the day's rise in
//               registrations at conflict zones (or a number per conflict zone and day)
//   tables      scores, capacity multipliers and route tables from the start-of-day counts
//   agents      each agent, on its own draws: the move roll, a route, travel of max_move_speed
//               km; one who arrives having gone less than that rolls again at once (Flee's
//               same-day hops), up to max_hops
// Flee reads camp occupancy live while agents move one after another, so its result depends on
// agent order; here every agent sees the same start-of-day table, so the result depends on
// neither thread nor rank count.
// Here: the day's phases (FleeRules, flee/rules/flee_rules.hpp), called in order by the execution
// layer (parallel/flee_run.cpp).
//
// Speed: most agent-days are spent in camps (move chance 0.001). Instead of a roll every day,
// an agent that settles draws the day of its next successful roll (a geometric number of
// failures, exact because the rolls are independent) and is skipped until then.
#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>

#include "common/bytes.hpp"
#include "flee/rules/flee_rules.hpp"

namespace migsim::detail::flee {

FleeRules::FleeRules(std::shared_ptr<const Scenario> scenario, std::uint64_t replicate_seed, std::uint32_t rank_,
                     std::uint32_t ranks_)
    : Impl(std::move(scenario), replicate_seed), N(loaded.locations.size()), L(loaded.links.size()), rank(rank_),
      ranks(ranks_), speed(static_cast<float>(loaded.flee.max_move_speed)), routes(loaded), spawning(loaded),
      totals(N, L), chance_changed(N, 0), occupancy(N, 0) {
    agents.reserve(static_cast<std::size_t>(loaded.total_agents() / ranks + 1));
    for (const Location& l : loaded.locations) conflict_start.push_back(l.conflict > 0 ? 0 : no_conflict);
    today.reset(loaded);   // every series of the catalogue sized, zero: publish() fills Flee's own
}

void FleeRules::apply_events() {
    std::fill(chance_changed.begin(), chance_changed.end(), 0);
    while (next_event < loaded.events.size() && loaded.events[next_event].day <= day) {
        const Assignment& change = loaded.events[next_event++].change;
        if (change.parameter != Parameter::conflict) {
            apply(now, change);
            continue;
        }
        const auto e = static_cast<std::size_t>(change.index);
        const LocationKind before = now.locations[e].kind;
        const bool was_at_war = now.locations[e].conflict > 0;
        apply(now, change);
        const bool at_war = now.locations[e].conflict > 0;
        if (at_war != was_at_war) conflict_start[e] = at_war ? day : no_conflict;
        if (now.locations[e].kind != before) chance_changed[e] = 1;
    }
}

void FleeRules::create_agents() {
    const auto placed = spawning.place(loaded, now, seed, day, conflict_start, created);
    const std::int64_t first = created + (rank + ranks - created % ranks) % ranks;
    for (std::int64_t g = first; g < created + static_cast<std::int64_t>(placed.size()); g += ranks) {
        const auto at = placed[static_cast<std::size_t>(g - created)];
        const std::uint32_t word = draw(seed, static_cast<std::uint32_t>(g), day, Purpose::spawn)[2];
        agents.add(at, static_cast<std::uint16_t>(day),
                   wake_day(day, failures_before_success(word, std::log1p(-move_chance_of(loaded.flee,
                                                                                          now.locations[at].kind)))));
    }
    for (auto at : placed) occupancy[at]++;   // today's newcomers fill their places too
    created += static_cast<std::int64_t>(placed.size());
}

void FleeRules::begin_day() {
    apply_events();
    create_agents();
    routes.update(loaded, now, day, conflict_start, occupancy);
}

void FleeRules::end_day() {
    const bool incoming = loaded.flee.capacity_occupancy == FleeSettings::Occupancy::present_and_incoming;
    for (std::size_t e = 0; e < N; ++e) occupancy[e] = totals.place()[e] + (incoming ? totals.incoming()[e] : 0);
    publish();
    ++day;
}

void FleeRules::save(std::vector<std::byte>& bytes) const {
    ByteWriter out(bytes);
    put_state_head(out, state_magic, rank, ranks);
    out.put(agents.location), out.put(agents.via), out.put(agents.km), out.put(agents.wake);
    out.put(agents.path), out.put(agents.step), out.put(agents.born);
    out.put(conflict_start), out.put(occupancy);
    spawning.save(out);
}

void FleeRules::restore(std::span<const std::byte> bytes) {
    ByteReader in(bytes, "the checkpoint");
    take_state_head(in, state_magic, rank, ranks, "Flee's rules");
    in.take(agents.location);
    const auto n = static_cast<std::int64_t>(agents.location.size());
    in.take(agents.via, n), in.take(agents.km, n), in.take(agents.wake, n);
    in.take(agents.path, n), in.take(agents.step, n), in.take(agents.born, n);
    in.take(conflict_start, static_cast<std::int64_t>(N)), in.take(occupancy, static_cast<std::int64_t>(N));
    spawning.restore(in);
    if (!in.rest().empty()) throw std::runtime_error("the checkpoint has bytes left over");
}

}   // namespace migsim::detail::flee
