// A day's counts as one flat vector of integers with named sections, so that per-thread
// partials combine with one loop and ranks with one all-reduce. Integer sums are exact in
// any order: the totals do not depend on how agents were split among threads or ranks.
//
// The sections are the catalogue's counted series (migsim/series.hpp), in its order and under
// its names, then a few counts the rules keep for themselves and never write.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "migsim/scenario.hpp"
#include "migsim/series.hpp"
#include "migsim/simulation.hpp"

namespace migsim::detail {

enum class Count : std::uint8_t {
#define MIGSIM_COUNT_NAME(name, ...) name,
    MIGSIM_SERIES(MIGSIM_COUNT_NAME)
#undef MIGSIM_COUNT_NAME
    // The rules' own, never written:
    market_demand,   // per market: buyers who asked
    passage_attempts,
    passage_interceptions,
    passage_deaths,   // per link x 3 passages
    wage_days,        // per location: days paid a wage
    sections
};

// The count section that holds a series' values (derived series have an empty one).
[[nodiscard]] constexpr Count section_of(Series s) { return static_cast<Count>(index(s)); }

class CounterLayout {
public:
    explicit CounterLayout(const Scenario& s) {
        std::size_t at = 0;
        for (std::size_t k = 0; k < offset_.size(); ++k) {
            offset_[k] = at;
            at += size_of(s, static_cast<Count>(k));
        }
        total_ = at;
    }
    [[nodiscard]] std::size_t offset(Count c) const { return offset_[static_cast<std::size_t>(c)]; }
    [[nodiscard]] std::size_t end(Count c) const { return offset_[static_cast<std::size_t>(c) + 1]; }
    [[nodiscard]] std::size_t size(Count c) const { return end(c) - offset(c); }
    [[nodiscard]] std::size_t total() const { return total_; }

private:
    static std::size_t size_of(const Scenario& s, Count c) {
        const auto k = static_cast<std::size_t>(c);
        if (k < series_count) {
            const SeriesInfo& series = series_catalogue[k];
            return series.made == Made::counted ? entity_count(s, series.entity) : 0;
        }
        switch (c) {
            case Count::market_demand: return s.markets.size();
            case Count::passage_attempts:
            case Count::passage_interceptions:
            case Count::passage_deaths: return 3 * s.links.size();
            case Count::wage_days: return s.locations.size();
            default: return 0;
        }
    }

    std::array<std::size_t, static_cast<std::size_t>(Count::sections) + 1> offset_{};
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

}   // namespace migsim::detail
