// Running a scenario: a Simulation advances one day per step() and exposes what happened that
// day as DayTotals. The agents themselves stay inside; recorders and front ends see totals.
#pragma once

#include <array>
#include <cstdint>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "migsim/comm.hpp"
#include "migsim/scenario.hpp"
#include "migsim/series.hpp"

namespace migsim {

// held: abducted for ransom; trafficked: out of the flow (forced labour, exploitation) until it
// gets out. Statuses from `arrived` on end the journey.
enum class Status : std::uint8_t {
    waiting,
    travelling,
    detained,
    held,
    trafficked,
    arrived,
    arrived_regular,
    dead_missing,
    settled,
    returned
};
inline constexpr int status_count = 10;
[[nodiscard]] const char* to_string(Status status);

// Everything recorded about one day: a row of every series of the catalogue
// (migsim/series.hpp), entity by entity. Counts are exact integers; prices and revenue are
// computed from them after reduction, so they do not depend on the thread count either.
struct DayTotals {
    int day = -1;
    std::int64_t agents_created = 0;   // cumulative, up to and including today
    // By Series: the int64 series (counts, migrant-days) in `counts`, the money series in `money`;
    // the other vector of each series stays empty.
    std::array<std::vector<std::int64_t>, series_count> counts;
    std::array<std::vector<double>, series_count> money;
    // Only when the scenario splits its series by group (settings.output_by_group): for each
    // series the catalogue marks `grouped`, entity x group counts, entity-major.
    std::array<std::vector<std::int64_t>, series_count> by_group;

    [[nodiscard]] std::vector<std::int64_t>& operator[](Series s) { return counts[index(s)]; }
    [[nodiscard]] const std::vector<std::int64_t>& operator[](Series s) const { return counts[index(s)]; }
    [[nodiscard]] std::vector<double>& amounts(Series s) { return money[index(s)]; }
    [[nodiscard]] const std::vector<double>& amounts(Series s) const { return money[index(s)]; }
    // Every series sized to its entities in `scenario`, all zero (by_group left empty).
    void reset(const Scenario& scenario);
};

// One sampled agent's journey (settings.journey_sample; docs/JOURNEYS.md). Money in cents.
struct Journey {
    std::int64_t id = 0;   // global agent id
    int profile = 0, group = 0, origin = 0, born = 0;
    int end_day = -1;                   // day the journey ended; -1: still on the way
    Status outcome = Status::waiting;   // status at the end of the run
    int days_travelling = 0;            // days in status travelling (on links or in processing)
    int attempts = 0;                   // irregular crossing attempts
    int interceptions = 0;
    std::vector<std::uint16_t> route;   // places in order: origin, then each new place
    // Each plan it made (docs/BEHAVIOUR.md): day, the place its route starts (-1: a pathway applied
    // for anywhere), the border it crosses (-1: none), why (0: first plan, else 1 + the index in
    // replan_causes, migsim/series.hpp).
    std::vector<std::array<std::int32_t, 4>> plans;
    std::int64_t smugglers_cents = 0;      // seat prices
    std::int64_t officials_cents = 0;      // bribes
    std::int64_t armed_groups_cents = 0;   // tolls and ransom
    std::int64_t fares_cents = 0;          // fares and pathway fees
    std::array<int, 4> harms{};            // abduction, trafficking, violence, detention (HarmKind order)
};

class Simulation {
public:
    // `threads` = 0: as many as TBB's default arena allows. With a `comm` of several ranks the
    // agents are split over them (agent decomposition; every rank calls step() together and
    // sees the same totals). The result depends on neither.
    // Keeps its own copy of `scenario` (tests, one-off runs); its seed is the scenario's.
    explicit Simulation(const Scenario& scenario, int threads = 0, const Comm& comm = single_process());
    // Shares `scenario` (never changed; the replicates of a run share one) and draws on `seed`
    // (a replicate's: the scenario's seed plus the replicate number).
    Simulation(std::shared_ptr<const Scenario> scenario, std::uint64_t seed, int threads = 0,
               const Comm& comm = single_process());
    ~Simulation();
    Simulation(const Simulation&) = delete;
    Simulation& operator=(const Simulation&) = delete;

    void step();                                             // runs day `day()`
    [[nodiscard]] int day() const;                           // days completed
    [[nodiscard]] const DayTotals& today() const;            // totals of the last completed day
    [[nodiscard]] const Scenario& scenario() const;          // as loaded: no event applied
    [[nodiscard]] const DayParameters& parameters() const;   // of the last day run (events to day() - 1)
    [[nodiscard]] std::uint64_t seed() const;                // the seed its draws are keyed on
    [[nodiscard]] std::int64_t agents() const;               // created so far, on all ranks
    [[nodiscard]] std::int64_t agents_here() const;          // held by this rank
    [[nodiscard]] static std::size_t hot_bytes_per_agent();
    // Money: what this rank's agents were given (budgets, wages) and hold now, for the
    // conservation check (given = paid out + held).
    [[nodiscard]] double money_given() const;
    [[nodiscard]] double money_held() const;
    // The sampled journeys on this rank (settings.journey_sample), by id; empty when none.
    [[nodiscard]] std::vector<Journey> journeys() const;

    // Checkpoints: everything that carries over to the next day (agents, beliefs, quota
    // periods, counts of ended journeys, yesterday's places), as bytes. restore_state() on a
    // new Simulation of the same scenario, seed and ranks continues bit for bit; it throws
    // std::runtime_error on a state of another scenario or a cut one.
    [[nodiscard]] std::vector<std::byte> save_state() const;
    void restore_state(std::span<const std::byte> state);

    struct Impl;   // the rule set (engine/src/model/model.hpp): migsim's logit or Flee's

private:
    std::unique_ptr<Impl> impl_;
};

}   // namespace migsim
