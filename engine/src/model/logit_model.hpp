// migsim's own rules (LogitRules): the model's state over plain data (the agents as structure of
// arrays, flat tables derived from the scenario once, today's parameters and conditions) and its
// per-agent actions. No threads and no ranks here: the execution layer (parallel/logit_run.cpp)
// sweeps the agents in chunks on its threads, each chunk with its thread's Worker, sums the
// Workers over threads and ranks into `totals`, finds the winners of scarce places, and calls
// the day's phases below in order. Internal to the engine; the member functions are defined in
//   model/logit_day.cpp     the day's phases and one agent's actions (intent, resolution)
//   model/logit_harm.cpp    harm at places (docs/HARM.md)
//   model/logit_model.cpp   construction, events, agent creation
//   model/logit_output.cpp  the day's totals (DayTotals), the journey sample, checkpoints
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "model/agents.hpp"
#include "model/conditions.hpp"
#include "model/counters.hpp"
#include "model/draws.hpp"
#include "model/harm.hpp"
#include "model/model.hpp"
#include "model/outward.hpp"
#include "model/route_choice.hpp"
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

// The series split by group (DayTotals::by_group, in grouped_series() order): where each
// one's entity e lies in the counts (section, e * stride + offset).
struct GroupedSeries {
    Count section;
    std::size_t stride = 1, offset = 0;
};

inline bool journey_over(Status st) { return st >= Status::arrived; }

// Money as whole cents, so that sums over agents are exact in any order.
inline std::int64_t cents(double money) { return std::llround(money * 100); }

struct LogitRules : Simulation::Impl {
    const Scenario& current;   // the scenario as loaded (the name the output code reads it by): events never change it
    const std::size_t L, M;  // links, markets (contests 0..M-1 are markets, then pathways)
    // Agent decomposition: this rank holds the agents whose global id is rank (mod ranks), and
    // every draw is keyed on the global id, so who holds an agent never changes what it does.
    const std::uint32_t rank, ranks;
    AgentStore agents;
    RouteChoice choice;
    Outward outward;
    ConditionsTracker conditions;
    HarmPlaces harm_places;
    CounterLayout layout;
    const std::size_t split;   // groups counted apart: the scenario's groups with output_by_group, else 1
    Counters totals;                      // the day's, over threads and ranks (the execution layer sums them)
    std::vector<Counters> group_totals;   // when split
    Thresholds thresholds;                // who wins a scarce place (found by the execution layer)
    std::vector<std::int64_t> demand, places;   // per contest: askers on this rank, places
    std::vector<int> package_next;          // market x location -> next leg, or no_index
    std::vector<std::uint8_t> regular_arrival;   // link x profile: crossing it is regular
    std::int64_t budgets_cents = 0;   // money agents set out with, on this rank
    std::int64_t wages_cents = 0;     // and earned on the way
    // The journey sample (settings.journey_sample > 0 only): slot of agent i in `journeys_`, or
    // no_journey. Each agent writes only its own record, so the parallel sweep needs no lock;
    // with `tracking` false nothing is allocated and each hook is one predictable branch.
    static constexpr std::uint32_t no_journey = UINT32_MAX;
    const bool tracking;
    std::vector<std::uint32_t> journey_slot;
    std::vector<Journey> journeys_;

    LogitRules(std::shared_ptr<const Scenario> s, std::uint64_t replicate_seed, std::uint32_t rank,
               std::uint32_t ranks);   // logit_model.cpp

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
        if (Journey* j = journey(i); j != nullptr && j->route.back() != agents.location[i]) j->route.push_back(agents.location[i]);
    }

    void note_paid(std::uint32_t i, Count to, std::int64_t amount) {
        Journey* j = journey(i);
        if (j == nullptr) return;
        switch (to) {
            case Count::toll_cents: case Count::ransom_cents: j->armed_groups_cents += amount; break;
            case Count::bribe_cents: j->officials_cents += amount; break;
            case Count::fare_cents: case Count::pathway_fee_cents: j->fares_cents += amount; break;
            default: j->smugglers_cents += amount; break;   // market_seats: a seat's price
        }
    }

    // ---- per-agent actions (called from worker threads; touch only agent i and `w`)

    void count_end_of_day(std::uint32_t i, Worker& w) const {
        const Status st = agents.status[i];
        if (journey_over(st)) return;   // counted in `ended` when it ended
        w.counts(Count::status, static_cast<std::size_t>(st))++;
        // At a place: everyone not on a link (those in a pathway's processing wait where they applied).
        if (st != Status::travelling || agents.via[i] >= L) w.counts(Count::location_population, agents.location[i])++;
    }

    // Once, when agent i's journey ends (its status and place are final).
    void count_ended(std::uint32_t i, Worker& w) {
        const Status st = agents.status[i];
        if (Journey* j = journey(i)) j->end_day = day;
        w.ended(Count::status, static_cast<std::size_t>(st))++;
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

    void depart(std::uint32_t i, std::size_t l, Passage passage, Worker& w);   // logit_day.cpp
    void attempt(std::uint32_t i, std::size_t l, Passage passage, const Words& words, Worker& w);   // logit_day.cpp
    void give_up(std::uint32_t i, Worker& w);   // logit_day.cpp

    // ---- harm at places (docs/HARM.md)

    // The harm row of `kind` that applies to agent i at `at`, or no_index: its numbers are
    // today's (now.harms), its place and return_to the scenario's.
    [[nodiscard]] int harm_at(std::size_t at, std::uint32_t i, HarmKind kind) const {
        return harm_places.row(at, agents.group[i], kind);
    }

    bool suffer_harm(std::uint32_t i, std::size_t at, Worker& w);   // logit_harm.cpp
    void hold(std::uint32_t i, Worker& w);   // logit_harm.cpp
    void exploit(std::uint32_t i, Worker& w);   // logit_harm.cpp
    void release(std::uint32_t i, Worker& w);   // logit_harm.cpp
    const Option& choose(std::uint32_t i, int at) const;   // logit_day.cpp
    bool decide(std::uint32_t i, Worker& w);   // logit_day.cpp

    void ask(std::uint32_t i, std::size_t contest, std::size_t option, Worker& w) const {
        const Words words = draw(seed, id(i), day, Purpose::crossing);
        w.asks.push_back({priority_key(words[0], id(i)), i, static_cast<std::uint16_t>(contest),
                          static_cast<std::uint16_t>(option)});
    }

    void intent(std::uint32_t i, Worker& w);   // logit_day.cpp
    void resolve(const Ask& a, Worker& w);   // logit_day.cpp

    // ---- the day's phases, in the order the execution layer calls them (logit_day.cpp)

    void begin_day();   // events, new agents, the day's conditions and route choice
    void intent_sweep(std::uint32_t begin, std::uint32_t end, Worker& w);   // agents begin..end-1 act
    void contests();    // every contest's places, and the demand on this rank from `totals`
    void resolve_sweep(std::span<const Ask> asks, Worker& w);   // askers learn if they won
    void count_wages();   // wages paid on this rank today, from `totals` (before the ranks' sum)
    void end_day();     // beliefs and quotas from the day's totals, DayTotals; the day is done

    void apply_events();   // logit_model.cpp
    [[nodiscard]] std::uint8_t group_of(const DemandRow& row, const Profile& p, std::uint32_t g) const;   // logit_model.cpp
    void create_agents();   // logit_model.cpp
    void sample_journey(std::uint32_t g, const DemandRow& row);   // logit_model.cpp
    [[nodiscard]] std::vector<Journey> journeys() const override;   // logit_output.cpp

    // ---- checkpoints

    static constexpr std::uint64_t state_magic = 0x6d696773696d0003;   // "migsim", version 3 (+ journey sample)

    // `ended`: the ended journeys' counts per group, summed over threads (the execution layer
    // keeps them in its Workers).
    void save_state(std::vector<std::byte>& bytes, const std::vector<Counters>& ended) const;   // logit_output.cpp
    void restore_state(std::span<const std::byte> bytes, std::vector<Counters>& ended);   // logit_output.cpp

    template <class T>
    void copy_section(Count c, std::size_t n, std::vector<T>& out) const {
        out.resize(n);
        for (std::size_t k = 0; k < n; ++k) out[k] = static_cast<T>(totals(c, k));
    }

    void publish();   // logit_output.cpp
    void publish_by_group();   // logit_output.cpp

    [[nodiscard]] std::int64_t agents_here() const override { return static_cast<std::int64_t>(agents.size()); }
    [[nodiscard]] double money_given() const override { return static_cast<double>(budgets_cents + wages_cents) / 100; }
    [[nodiscard]] double money_held() const override {
        double held = 0;
        for (float m : agents.money) held += m;
        return held;
    }
};

}  // namespace migsim::detail::logit
