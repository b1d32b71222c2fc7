// A day's counts as one flat vector of integers with named sections, so that per-thread
// partials combine with one loop and ranks with one all-reduce. Integer sums are exact in
// any order: the totals do not depend on how agents were split among threads or ranks.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "migsim/scenario.hpp"
#include "migsim/simulation.hpp"

namespace migsim::detail {

enum class Count : std::uint8_t {
    status,                // per Status
    location_population,   // per location
    arrivals, arrivals_regular,
    link_flow, link_deaths,
    border_attempts, border_interceptions, border_deaths, border_crossings, border_regular_crossings,
    market_demand, market_seats,
    pathway_applications, pathway_admissions,
    passage_attempts, passage_interceptions, passage_deaths,   // per link x 3 passages
    arrival_transit_days,                                      // per location
    profile_arrivals, profile_regular_arrivals, profile_deaths, profile_interceptions, profile_seats,
    harm_events,                       // per location x HarmKind: people who suffered it today
    harm_deaths, harm_returns,         // per location: died while held; sent home or on from detention
    ransom_cents, wage_days,           // per location: money taken in cents (integers: exact sums); days paid a wage
    bribe_cents, toll_cents, fare_cents,   // per link
    pathway_fee_cents,                 // per pathway
    protection_cents, smuggler_bribe_cents,   // per market: what smugglers pass on for their passengers
    sections
};

class CounterLayout {
public:
    explicit CounterLayout(const Scenario& s) {
        const std::size_t L = s.links.size(), B = s.borders.size();
        const std::size_t sizes[] = {status_count, s.locations.size(), s.locations.size(),
                                     s.locations.size(), L, L, B, B, B, B, B,
                                     s.markets.size(), s.markets.size(), s.pathways.size(),
                                     s.pathways.size(), 3 * L, 3 * L, 3 * L, s.locations.size(),
                                     s.profiles.size(), s.profiles.size(), s.profiles.size(),
                                     s.profiles.size(), s.profiles.size(),
                                     harm_kinds * s.locations.size(), s.locations.size(), s.locations.size(),
                                     s.locations.size(), s.locations.size(), L, L, L, s.pathways.size(),
                                     s.markets.size(), s.markets.size()};
        std::size_t at = 0;
        for (std::size_t k = 0; k < offset_.size(); ++k) {
            offset_[k] = at;
            at += sizes[k];
        }
        total_ = at;
    }
    [[nodiscard]] std::size_t offset(Count c) const { return offset_[static_cast<std::size_t>(c)]; }
    [[nodiscard]] std::size_t total() const { return total_; }

private:
    std::array<std::size_t, static_cast<std::size_t>(Count::sections)> offset_{};
    std::size_t total_ = 0;
};

struct Counters {
    const CounterLayout* layout = nullptr;
    std::vector<std::int64_t> values;

    explicit Counters(const CounterLayout& l) : layout(&l), values(l.total(), 0) {}
    std::int64_t& operator()(Count c, std::size_t i) { return values[layout->offset(c) + i]; }
    [[nodiscard]] std::int64_t operator()(Count c, std::size_t i) const { return values[layout->offset(c) + i]; }
    void zero() { std::fill(values.begin(), values.end(), 0); }
};

}  // namespace migsim::detail
