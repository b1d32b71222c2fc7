// Comparing two runs replicate by replicate (paired by seed): the outcomes of docs/COMPARE.md
// with the mean paired difference and its 95% interval.
#pragma once

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
    int replicates = 0;
};

// Throws OutputError (unreadable files) or ScenarioError (unpaired files, bad window).
[[nodiscard]] std::vector<ComparisonRow> compare_runs(const std::string& base, const std::string& variant,
                                                      const CompareOptions& options);

// The 0.975 quantile of Student's t with `df` degrees of freedom (df >= 1).
[[nodiscard]] double student_t_975(int df);

}   // namespace migsim
