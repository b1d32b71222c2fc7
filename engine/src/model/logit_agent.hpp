// migsim's rules for one agent (AgentRules): what the execution layer's sweeps call, one agent
// or one ask at a time, each with its thread's Worker. A value built each day by LogitRules
// (model/logit_model.hpp) from plain data: the agents as spans of their arrays (AgentSpans),
// the flat scenario tables, today's parameters, conditions and route tables, the thresholds of
// the scarce places. An agent's rules touch only that agent's entries and the Worker. The
// member functions are defined in
//   model/logit_day.cpp     one agent's day (intent), its outcome of an ask (resolve)
//   model/logit_harm.cpp    harm at places (docs/HARM.md)
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "model/agents.hpp"
#include "model/conditions.hpp"
#include "model/counters.hpp"
#include "model/draws.hpp"
#include "model/flat_scenario.hpp"
#include "model/harm.hpp"
#include "model/route_choice.hpp"
#include "model/route_plans.hpp"
#include "migsim/simulation.hpp"
#include "parallel/selection.hpp"

namespace migsim::detail::logit {

struct Worker {   // one per thread (the execution layer's): its partial counts and its asks of the day
    // One set of counts per group when the run splits its series by group, else one: the agent
    // being counted selects its group's (`now`), so a run that does not split pays nothing.
    std::vector<Counters> group_counts;
    // Agents whose journey ended (arrived, dead, settled, returned) never change again: they are
    // counted once, here, when they end, and these counts are never zeroed, so that the day's
    // sweep does not count them again every day (86% of the Mediterranean run's agent-days).
    std::vector<Counters> group_ended;
    std::size_t now = 0;
    std::vector<Ask> asks;

    std::int64_t& counts(Count c, std::size_t i) { return group_counts[now](c, i); }
    std::int64_t& ended(Count c, std::size_t i) { return group_ended[now](c, i); }
};

inline bool journey_over(Status st) { return st >= Status::arrived; }

// The section that counts each harm kind (HarmKind order).
inline Count harm_count(HarmKind kind) {
    static constexpr std::array<Count, harm_kinds> sections{Count::harm_abductions, Count::harm_trafficking,
                                                            Count::harm_violence, Count::harm_detentions};
    return sections[static_cast<std::size_t>(kind)];
}

// Money as whole cents, so that sums over agents are exact in any order.
inline std::int64_t cents(double money) { return std::llround(money * 100); }

// The journey sample's slot of an agent outside the sample.
inline constexpr std::uint32_t no_journey = UINT32_MAX;

struct AgentRules {
    const FlatScenario& flat;
    const DayParameters& now;
    const ConditionsTracker& conditions;
    const RouteChoice& choice;
    const RoutePlans& plans;
    const Behaviour& behaviour;
    const HarmPlaces& harm_places;
    const Thresholds& thresholds;
    std::span<const int> package_next;               // market x location -> next leg, or no_index
    std::span<const std::uint8_t> regular_arrival;   // link x profile: crossing it is regular
    AgentSpans agents;
    // The journey sample (settings.journey_sample > 0 only): slot of agent i in `journeys_`, or
    // no_journey. Each agent writes only its own record, so the parallel sweep needs no lock;
    // with `tracking` false nothing is allocated and each hook is one predictable branch.
    std::span<const std::uint32_t> journey_slot;
    std::span<Journey> journeys_;
    std::size_t L, M;   // links, markets (contests 0..M-1 are markets, then pathways)
    std::size_t profiles;
    std::size_t split;   // groups counted apart (1: none)
    std::uint32_t rank, ranks;
    std::uint64_t seed;
    int day;
    bool tracking;

    // The global id of this rank's agent i (ids are dealt round-robin over ranks).
    [[nodiscard]] std::uint32_t id(std::uint32_t i) const { return i * ranks + rank; }

    // ---- the journey sample (docs/JOURNEYS.md)

    // Agent i's record, or nullptr (not sampled, or no sample: then nothing is read at all).
    [[nodiscard]] Journey* journey(std::uint32_t i) {
        if (!tracking) return nullptr;
        const std::uint32_t slot = journey_slot[i];
        return slot == no_journey ? nullptr : &journeys_[slot];
    }

    // Agent i is now where agents.location says: a new place on its route (a return to where it
    // already was, as after an interception on the shore it left, adds nothing).
    void moved(std::uint32_t i) {
        if (Journey* j = journey(i); j != nullptr && j->route.back() != agents.location[i])
            j->route.push_back(agents.location[i]);
    }

    void note_paid(std::uint32_t i, Count to, std::int64_t amount) {
        Journey* j = journey(i);
        if (j == nullptr) return;
        switch (to) {
            case Count::tolls_paid:
            case Count::ransom_paid: j->armed_groups_cents += amount; break;
            case Count::bribes_paid: j->officials_cents += amount; break;
            case Count::fares_paid:
            case Count::pathway_fees_paid: j->fares_cents += amount; break;
            default: j->smugglers_cents += amount; break;   // market_seats: a seat's price
        }
    }

    // ---- per-agent actions (called from worker threads; touch only agent i and `w`)

    void count_end_of_day(std::uint32_t i, Worker& w) const {
        const Status st = agents.status[i];
        if (journey_over(st)) return;   // counted in `ended` when it ended
        w.counts(Count::status_counts, static_cast<std::size_t>(st))++;
        // At a place: everyone not on a link (those in a pathway's processing wait where they applied).
        if (st != Status::travelling || agents.via[i] >= L) w.counts(Count::location_population, agents.location[i])++;
    }

    // Once, when agent i's journey ends (its status and place are final).
    void count_ended(std::uint32_t i, Worker& w) {
        const Status st = agents.status[i];
        if (Journey* j = journey(i)) j->end_day = day;
        w.ended(Count::status_counts, static_cast<std::size_t>(st))++;
        if (st == Status::arrived || st == Status::arrived_regular || st == Status::settled)
            w.ended(Count::location_population, agents.location[i])++;
    }

    void count_arrival(std::uint32_t i, std::size_t to, bool regular, Worker& w) const {
        w.counts(regular ? Count::arrivals_regular : Count::arrivals, to)++;
        w.counts(regular ? Count::profile_regular_arrivals : Count::profile_arrivals, agents.profile[i])++;
        w.counts(Count::arrival_transit_days, to) += day - agents.born[i];
    }

    void arrive_regular(std::uint32_t i, int to, Worker& w) {
        agents.location[i] = static_cast<std::uint16_t>(to);
        agents.status[i] = Status::arrived_regular;
        moved(i);
        count_arrival(i, static_cast<std::size_t>(to), true, w);
        count_ended(i, w);
    }

    void finish_trip(std::uint32_t i, Worker& w);   // logit_day.cpp

    // Pays up to `amount` (what it has, at most) to `to`; returns what was paid.
    float pay(std::uint32_t i, double amount, Count to, std::size_t where, Worker& w) {
        const float paid = std::min(agents.money[i], static_cast<float>(amount));
        agents.money[i] -= paid;
        w.counts(to, where) += cents(paid);
        note_paid(i, to, cents(paid));
        return paid;
    }

    void depart(std::uint32_t i, std::size_t l, Passage passage, Worker& w);                        // logit_day.cpp
    void attempt(std::uint32_t i, std::size_t l, Passage passage, const Words& words, Worker& w);   // logit_day.cpp
    void give_up(std::uint32_t i, Worker& w);                                                       // logit_day.cpp

    // ---- harm at places (docs/HARM.md)

    // The harm row of `kind` that applies to agent i at `at`, or no_index: its numbers are
    // today's (now.harms), its place and return_to the scenario's.
    [[nodiscard]] int harm_at(std::size_t at, std::uint32_t i, HarmKind kind) const {
        return harm_places.row(at, agents.group[i], kind);
    }

    bool suffer_harm(std::uint32_t i, std::size_t at, Worker& w);   // logit_harm.cpp
    void hold(std::uint32_t i, Worker& w);                          // logit_harm.cpp
    void exploit(std::uint32_t i, Worker& w);                       // logit_harm.cpp
    void release(std::uint32_t i, Worker& w);                       // logit_harm.cpp
    // ---- route plans (docs/BEHAVIOUR.md; logit_day.cpp)

    // Agent i plans (again, for `cause`) at `at`; false if it waits today instead.
    bool plan(std::uint32_t i, int at, int chooser, Replan cause, Worker& w);
    // Agent i takes the next step of its plan; true if it asked for a scarce place.
    bool follow(std::uint32_t i, int at, int chooser, Worker& w);
    // Agent i remembers a failure on link l; it will plan again.
    void failed(std::uint32_t i, std::size_t l);
    void later(std::uint32_t i, Replan cause) { agents.memory[i] = Memory::with_cause(agents.memory[i], cause); }
    void note_plan(std::uint32_t i, std::size_t r, Replan cause);
    bool decide(std::uint32_t i, Worker& w);   // logit_day.cpp

    void ask(std::uint32_t i, std::size_t contest, std::size_t option, Worker& w) const {
        const Words words = draw(seed, id(i), day, Purpose::crossing);
        w.asks.push_back({priority_key(words[0], id(i)), i, static_cast<std::uint16_t>(contest),
                          static_cast<std::uint16_t>(option)});
    }

    void intent(std::uint32_t i, Worker& w);   // logit_day.cpp
    void resolve(const Ask& a, Worker& w);     // logit_day.cpp
};

}   // namespace migsim::detail::logit
