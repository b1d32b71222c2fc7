// The rule sets behind a Simulation: migsim's own (LogitRules, model/logit_model.hpp) and Flee's
// (FleeRules, flee/rules/flee_rules.hpp), each run by the execution layer (parallel/logit_run.cpp,
// parallel/flee_run.cpp). Each advances its agents a day at a time and fills the same
// DayTotals, so the writer, the runner and the front ends do not know which one runs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <stdexcept>
#include <utility>
#include <string>
#include <vector>

#include "common/bytes.hpp"

#include "migsim/simulation.hpp"
#include "model/flat_scenario.hpp"

namespace migsim {

struct Simulation::Impl {
    // The scenario as loaded, shared by every replicate of the run and never changed; what the
    // events change lives in `now`.
    const std::shared_ptr<const Scenario> shared;
    const Scenario& loaded;
    const std::uint64_t seed;          // this replicate's: the scenario's seed plus its replicate
    const detail::FlatScenario flat;   // the scenario's hot tables, flat (no strings), as the agent loops read them
    DayParameters now;                 // the parameters in force today (events up to today applied)
    std::size_t next_event = 0;        // the first event not applied yet
    int day = 0;                       // days completed
    std::int64_t created = 0;          // agents created so far, on all ranks
    DayTotals today;

    Impl(std::shared_ptr<const Scenario> scenario, std::uint64_t replicate_seed)
        : shared(std::move(scenario)), loaded(*shared), seed(replicate_seed), flat(loaded), now(loaded) {}
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
    Impl(Impl&&) = delete;
    Impl& operator=(Impl&&) = delete;
    virtual ~Impl() = default;

    // A restored state: the parameters as loaded, with its first `events` events applied again in
    // order. Throws std::runtime_error if the scenario has fewer.
    void replay_events(std::uint64_t events) {
        if (events > loaded.events.size()) throw std::runtime_error("the checkpoint's events do not fit");
        now = DayParameters(loaded);
        for (next_event = 0; next_event < events; ++next_event) apply(now, loaded.events[next_event].change);
    }

    // A checkpoint's head, alike for both rule sets: the rule set's magic number (`what` names
    // it in messages), the scenario's hash, the rank layout, the day, the agents created and the
    // events applied. take_state_head() checks that it fits this simulation and replays the events.
    void put_state_head(detail::ByteWriter& out, std::uint64_t magic, std::uint32_t rank, std::uint32_t ranks) const {
        out.put(magic);
        out.put(static_cast<std::uint64_t>(std::hash<std::string>{}(loaded.resolved_text)));
        out.put(ranks), out.put(rank), out.put(day), out.put(created);
        out.put(static_cast<std::uint64_t>(next_event));
    }
    void take_state_head(detail::ByteReader& in, std::uint64_t magic, std::uint32_t rank, std::uint32_t ranks,
                         const std::string& what) {
        std::uint64_t saved_magic = 0, scenario_hash = 0, events = 0;
        std::uint32_t saved_ranks = 0, saved_rank = 0;
        in.take(saved_magic);
        in.take(scenario_hash);
        if (saved_magic != magic)
            throw std::runtime_error("the checkpoint is not a state of " + what + " of this version");
        if (scenario_hash != std::hash<std::string>{}(loaded.resolved_text))
            throw std::runtime_error("the checkpoint is of another scenario");
        in.take(saved_ranks), in.take(saved_rank), in.take(day), in.take(created), in.take(events);
        if (saved_ranks != ranks || saved_rank != rank)
            throw std::runtime_error("the checkpoint was taken with another rank layout");
        replay_events(events);   // the events so far, applied again in order
    }

    virtual void step() = 0;
    [[nodiscard]] virtual std::int64_t agents_here() const = 0;
    [[nodiscard]] virtual double money_given() const { return 0; }
    [[nodiscard]] virtual double money_held() const { return 0; }
    [[nodiscard]] virtual std::vector<Journey> journeys() const { return {}; }
    virtual void save(std::vector<std::byte>& bytes) const = 0;
    virtual void restore(std::span<const std::byte> bytes) = 0;
};

namespace detail {
std::unique_ptr<Simulation::Impl> make_logit_model(std::shared_ptr<const Scenario> s, std::uint64_t seed, int threads,
                                                   const Comm& comm);
std::unique_ptr<Simulation::Impl> make_flee_model(std::shared_ptr<const Scenario> s, std::uint64_t seed, int threads,
                                                  const Comm& comm);
}   // namespace detail

}   // namespace migsim
