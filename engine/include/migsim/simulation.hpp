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

namespace migsim {

// held: abducted for ransom; trafficked: out of the flow (forced labour, exploitation) until it
// gets out. Statuses from `arrived` on end the journey.
enum class Status : std::uint8_t {
    waiting, travelling, detained, held, trafficked, arrived, arrived_regular, dead_missing, settled, returned
};
inline constexpr int status_count = 10;
[[nodiscard]] const char* to_string(Status status);

// Everything recorded about one day. Counts are exact integers; prices and revenue are
// computed from them after reduction, so they do not depend on the thread count either.
struct DayTotals {
    int day = -1;
    std::int64_t agents_created = 0;                      // cumulative, up to and including today
    std::array<std::int64_t, status_count> status_counts{};   // end of day
    std::vector<std::int64_t> location_population;        // end of day, agents at each location
    std::vector<std::int64_t> arrivals;                   // today, at each location (irregular)
    std::vector<std::int64_t> arrivals_regular;           // today, through pathways or visas
    std::vector<std::int64_t> link_flow;                  // departures onto each link today
    std::vector<std::int64_t> link_deaths;                // dead or missing on each link today
    std::vector<std::int64_t> border_attempts;            // irregular attempts
    std::vector<std::int64_t> border_interceptions;
    std::vector<std::int64_t> border_deaths;
    std::vector<std::int64_t> border_crossings;           // irregular attempts that got through
    std::vector<std::int64_t> border_regular_crossings;   // permit holders
    std::vector<std::int64_t> market_seats;
    std::vector<std::int64_t> market_unmet_demand;
    std::vector<double> market_price;                     // money per seat today
    std::vector<double> market_revenue;                   // seats * price
    std::vector<std::int64_t> pathway_applications;
    std::vector<std::int64_t> pathway_admissions;
    std::vector<std::int64_t> arrival_transit_days;       // today's arrivals: days since created
    std::vector<std::int64_t> profile_arrivals;           // per profile, today
    std::vector<std::int64_t> profile_regular_arrivals;
    std::vector<std::int64_t> profile_deaths;
    std::vector<std::int64_t> profile_interceptions;
    std::vector<std::int64_t> profile_seats;              // smugglers' seats bought, by profile
    // Harm (docs/HARM.md): people who suffered each harm today at each location, by kind.
    std::vector<std::int64_t> harm_abductions, harm_trafficking, harm_violence, harm_detentions;
    std::vector<std::int64_t> harm_deaths;                // died while held for ransom
    std::vector<std::int64_t> harm_returns;               // sent home (or on) from detention
    // Money paid today, apart from smugglers' revenue: to armed groups and criminals (ransom per
    // location, tolls per link), to officials (bribes per link), fares and pathway fees.
    std::vector<double> ransom_paid, tolls_paid, bribes_paid, fares_paid, pathway_fees_paid;
    // What smugglers pass on for their passengers, out of market_revenue (per market).
    std::vector<double> protection_paid, smuggler_bribes_paid;
    // Only when the scenario splits its series by group (settings.output_by_group): for each of
    // grouped_series() (migsim/output.hpp), entity x group counts, entity-major.
    std::vector<std::vector<std::int64_t>> by_group;
};

// One sampled agent's journey (settings.journey_sample; docs/JOURNEYS.md). Money in cents.
struct Journey {
    std::int64_t id = 0;                 // global agent id
    int profile = 0, group = 0, origin = 0, born = 0;
    int end_day = -1;                    // day the journey ended; -1: still on the way
    Status outcome = Status::waiting;    // status at the end of the run
    int days_travelling = 0;             // days in status travelling (on links or in processing)
    int attempts = 0;                    // irregular crossing attempts
    int interceptions = 0;
    std::vector<std::uint16_t> route;    // places in order: origin, then each new place
    std::int64_t smugglers_cents = 0;    // seat prices
    std::int64_t officials_cents = 0;    // bribes
    std::int64_t armed_groups_cents = 0; // tolls and ransom
    std::int64_t fares_cents = 0;        // fares and pathway fees
    std::array<int, 4> harms{};          // abduction, trafficking, violence, detention (HarmKind order)
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

    void step();                                           // runs day `day()`
    [[nodiscard]] int day() const;                         // days completed
    [[nodiscard]] const DayTotals& today() const;          // totals of the last completed day
    [[nodiscard]] const Scenario& scenario() const;        // as loaded: no event applied
    [[nodiscard]] const DayParameters& parameters() const; // of the last day run (events to day() - 1)
    [[nodiscard]] std::uint64_t seed() const;              // the seed its draws are keyed on
    [[nodiscard]] std::int64_t agents() const;             // created so far, on all ranks
    [[nodiscard]] std::int64_t agents_here() const;        // held by this rank
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

}  // namespace migsim
