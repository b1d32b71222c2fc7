// Comparing two runs replicate by replicate (paired by seed): the outcomes of docs/COMPARE.md
// with the mean paired difference and its 95% interval.
#pragma once

#include <limits>
#include <string>
#include <vector>

namespace migsim {

enum class CompareBy { total, border, route, destination, profile, place, group };

struct CompareOptions {
    CompareBy by = CompareBy::total;
    std::string from, to;   // ISO dates, inclusive; empty: open
};

struct ComparisonRow {
    std::string group;   // empty for CompareBy::total
    std::string outcome;
    double base = 0, variant = 0, difference = 0, low = 0, high = 0, relative = 0;
    int replicates = 0;   // seeds (per draw in posterior runs)
    // Posterior runs (docs/COMPARE.md, "With parameter uncertainty"): the draws paired, and the
    // seed-only interval for comparison; low/high are then the interval under parameter and seed
    // uncertainty. 0 and NaN for plain runs.
    int draws = 0;
    double low_seed_only = std::numeric_limits<double>::quiet_NaN();
    double high_seed_only = std::numeric_limits<double>::quiet_NaN();
};

// The interval of docs/COMPARE.md, "With parameter uncertainty", from the paired differences
// `d` of `draws` draws, R = d.size() / draws seeds each, draw-major: m_d the mean of draw d,
// mean = mean of m_d, between = sample variance of m_d (N - 1), within = pooled variance of d
// around m_d (R - 1 each; 0 when R = 1), parameter = max(0, between - within / R), and
// mean -/+ 1.96 sqrt(parameter + between / N) (NaN with one draw).
struct PosteriorInterval {
    double mean = 0, between = 0, within = 0, parameter = 0;
    double low = std::numeric_limits<double>::quiet_NaN(), high = std::numeric_limits<double>::quiet_NaN();
};
[[nodiscard]] PosteriorInterval posterior_interval(const std::vector<double>& d, int draws);

// Throws OutputError (unreadable files) or ScenarioError (unpaired files, bad window).
[[nodiscard]] std::vector<ComparisonRow> compare_runs(const std::string& base, const std::string& variant,
                                                      const CompareOptions& options);

// The 0.975 quantile of Student's t with `df` degrees of freedom (df >= 1).
[[nodiscard]] double student_t_975(int df);

}   // namespace migsim
