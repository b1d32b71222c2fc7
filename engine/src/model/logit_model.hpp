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
#include "model/logit_agent.hpp"
#include "model/model.hpp"
#include "model/route_choice.hpp"
#include "model/route_plans.hpp"
#include "migsim/simulation.hpp"
#include "parallel/selection.hpp"

namespace migsim::detail::logit {


struct LogitRules : Simulation::Impl {
    const std::size_t L, M;   // links, markets (contests 0..M-1 are markets, then pathways)
    // Agent decomposition: this rank holds the agents whose global id is rank (mod ranks), and
    // every draw is keyed on the global id, so who holds an agent never changes what it does.
    const std::uint32_t rank, ranks;
    AgentStore agents;
    RouteChoice choice;
    RoutePlans plans;
    std::vector<std::uint8_t> occupied;       // places where agents may plan today
    const std::vector<std::int64_t> nobody;   // a population of 0 everywhere (before the first day)
    ConditionsTracker conditions;
    HarmPlaces harm_places;
    CounterLayout layout;
    const std::size_t split;              // groups counted apart: the scenario's groups with output_by_group, else 1
    Counters totals;                      // the day's, over threads and ranks (the execution layer sums them)
    std::vector<Counters> group_totals;   // when split
    Thresholds thresholds;                // who wins a scarce place (found by the execution layer)
    std::vector<std::int64_t> demand, places;    // per contest: askers on this rank, places
    std::vector<int> package_next;               // market x location -> next leg, or no_index
    std::vector<std::uint8_t> regular_arrival;   // link x profile: crossing it is regular
    std::int64_t budgets_cents = 0;              // money agents set out with, on this rank
    std::int64_t wages_cents = 0;                // and earned on the way
    // The journey sample (settings.journey_sample > 0 only; AgentRules writes it).
    const bool tracking;
    std::vector<std::uint32_t> journey_slot;
    std::vector<Journey> journeys_;

    LogitRules(std::shared_ptr<const Scenario> s, std::uint64_t replicate_seed, std::uint32_t rank,
               std::uint32_t ranks);   // logit_model.cpp

    // The rules for one agent on this day (a view of the state above: rebuilt after new agents).
    [[nodiscard]] AgentRules agent_rules();   // logit_day.cpp

    // ---- the day's phases, in the order the execution layer calls them (logit_day.cpp)

    void begin_day();   // events, new agents, the day's conditions and route choice
    void intent_sweep(std::uint32_t begin, std::uint32_t end, Worker& w);   // agents begin..end-1 act
    void contests();   // every contest's places, and the demand on this rank from `totals`
    void resolve_sweep(std::span<const Ask> asks, Worker& w);   // askers learn if they won
    void count_wages();   // wages paid on this rank today, from `totals` (before the ranks' sum)
    void end_day();       // beliefs and quotas from the day's totals, DayTotals; the day is done

    void apply_events();   // logit_model.cpp
    [[nodiscard]] std::uint8_t group_of(const DemandRow& row, const Profile& p,
                                        std::uint32_t g) const;     // logit_model.cpp
    void create_agents();                                           // logit_model.cpp
    void sample_journey(std::uint32_t g, const DemandRow& row);     // logit_model.cpp
    [[nodiscard]] std::vector<Journey> journeys() const override;   // logit_output.cpp

    // ---- checkpoints

    static constexpr std::uint64_t state_magic = 0x6d696773696d0005;   // "migsim", version 5 (route plans)

    // `ended`: the ended journeys' counts per group, summed over threads (the execution layer
    // keeps them in its Workers).
    void save_state(std::vector<std::byte>& bytes, const std::vector<Counters>& ended) const;   // logit_output.cpp
    void restore_state(std::span<const std::byte> bytes, std::vector<Counters>& ended);         // logit_output.cpp

    void publish();            // logit_output.cpp
    void publish_by_group();   // logit_output.cpp

    [[nodiscard]] std::int64_t agents_here() const override { return static_cast<std::int64_t>(agents.size()); }
    [[nodiscard]] double money_given() const override { return static_cast<double>(budgets_cents + wages_cents) / 100; }
    [[nodiscard]] double money_held() const override {
        double held = 0;
        for (float m : agents.money) held += m;
        return held;
    }
};

}   // namespace migsim::detail::logit
