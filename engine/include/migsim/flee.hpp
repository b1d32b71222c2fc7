// Flee's data and Flee's validation metric: the UNHCR camp registrations of a Flee scenario
// (source_data/data_layout.csv and the series it names), interpolated by day exactly as Flee
// does, the daily number of new agents that Flee's data-driven spawning derives from them, and
// the averaged relative difference (ARD) between simulated and registered camp populations.
// Spawning (at load) and `migsim validate-data` use the same code, so they cannot disagree.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "migsim/scenario.hpp"

namespace migsim {

// Reads `layout` (data_layout.csv: `total,refugees.csv` then `<camp name>,<file>[,<file>...]`;
// the `total` row is not used), each camp's `date,count` series (a header row of `#...`,
// `Date` or `DateTime` is skipped), applies `corrections` (registration_corrections.csv,
// `camp,date,normalize`; empty path: none) and returns, for each camp in layout order, its
// registrations on each day 0..days-1 from `start_date` (ISO): the first value before the first
// date, linear interpolation truncated to a whole number between dates, the last value after
// the last date; every count divided by `hasten` (as a real number, before interpolating).
// `location` of each series is no_index: the caller matches camps to locations by name.
// Throws ScenarioError naming the file, line, field and value on bad input.
[[nodiscard]] std::vector<CampSeries> read_registrations(const std::filesystem::path& layout,
                                                         const std::filesystem::path& corrections,
                                                         const std::string& start_date, int days, int hasten);

// Flee's data-driven spawning: element 0 is the day-0 total of the camps (placed in the camps
// when insert_day0, else 0); element t > 0 the rise of the camps' total from day t-1 to t, less
// any fall not yet made up (a fall spawns nobody and is carried as a debt).
[[nodiscard]] std::vector<std::int64_t> spawn_schedule(const std::vector<CampSeries>& camps, bool insert_day0);

// Flee's ARD. For each day t: err(t) = sum over camps |sim_c(t) - data_c(t)| / max(data(t), 1)
// with data(t) the camps' registered total; the ARD is the mean of err over the days. The
// rescaled ARD first multiplies each sim_c(t) by data(t) / sim(t) (0 if sim(t) = 0), so it
// measures only how agents are spread over the camps, not how many there are.
struct ArdResult {
    double ard = 0, rescaled = 0;
    std::vector<double> daily, daily_rescaled;   // err(t)
    std::vector<double> camp_share;              // per camp: mean over days of |sim_c - data_c| / max(data, 1)
};

// `simulated[c][t]`: agents at camp c at the end of day t (the series' order). Uses the days
// both have. Throws std::invalid_argument if the number of camps differs.
[[nodiscard]] ArdResult averaged_relative_difference(const std::vector<CampSeries>& data,
                                                     const std::vector<std::vector<std::int64_t>>& simulated);
// The same for a trajectory in real numbers (the mean over replicates).
[[nodiscard]] ArdResult averaged_relative_difference(const std::vector<CampSeries>& data,
                                                     const std::vector<std::vector<double>>& simulated);

// `migsim validate-data`: a run's replicates against the registrations.
struct Spread {
    double mean = 0, sd = 0, min = 0, max = 0, q05 = 0, q50 = 0, q95 = 0;   // sd: n-1; quantiles as numpy's default
};
[[nodiscard]] Spread spread_of(std::vector<double> values);

struct RunValidation {
    std::vector<std::string> camps;   // the series' order
    std::vector<ArdResult> replicates;
    Spread ard, rescaled;   // over the replicates' ARDs: the figure to quote
    // The ARD of the mean trajectory (camp counts averaged over replicates first): lower than
    // the mean ARD, since averaging cancels part of each replicate's noise.
    ArdResult ensemble_mean_trajectory;
    std::vector<double> camp_share;                     // per camp: mean over replicates of camp_share
    std::vector<std::vector<double>> mean_trajectory;   // [camp][day]
};
// `simulated[r][c][t]`: replicate r, camp c (the series' order), day t.
[[nodiscard]] RunValidation validate_replicates(const std::vector<CampSeries>& data,
                                                const std::vector<std::vector<std::vector<std::int64_t>>>& simulated);

// Each replicate's `location_population` of the camps in `data`, matched by location name, from
// a run file. Throws OutputError if the file cannot be read, ScenarioError naming a camp that
// is not a location of the run.
// The run's start date and the days it was asked for (the file's attributes).
struct RunPeriod {
    std::string start_date;
    int days = 0;
};
[[nodiscard]] RunPeriod read_run_period(const std::string& run_file);

[[nodiscard]] std::vector<std::vector<std::vector<std::int64_t>>> read_camp_populations(
    const std::string& run_file, const std::vector<CampSeries>& data);

}   // namespace migsim
