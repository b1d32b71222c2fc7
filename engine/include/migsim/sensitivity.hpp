// Global sensitivity analysis of a SPEC's outputs over its parameters (docs/CALIBRATION.md,
// "Sensitivity"): Morris elementary effects (screening) and Sobol first-order and total indices
// (Saltelli sampling), with bootstrap 95% intervals.
//
// Both designs live in u-space, the unit hypercube of the parameters' prior cumulative
// probabilities; a point's values are Prior::quantile(u), so any prior works. Every model run
// uses the SPEC's seed (common random numbers): two runs differ only by their parameters, not by
// their noise. All draws (starting points, orders, designs, bootstrap resamples) are
// counter-based from the SPEC's seed: same SPEC, same indices, bit for bit, on any thread or
// rank count.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "migsim/calibration.hpp"

namespace migsim::calibration {

using Matrix = std::vector<std::vector<double>>;   // [row][column]

// --- Morris -------------------------------------------------------------------------------
// r trajectories of k + 1 points on a grid of `levels` (even, >= 2) levels per parameter. Level
// j sits at u = (j + 0.5) / levels, the centre of the j-th of `levels` equal slices of (0, 1),
// so that no point is at u = 0 or 1 (where an unbounded prior's quantile is infinite). A step
// moves one parameter by levels / 2 levels (Morris' Delta = levels / (2 (levels - 1)) of the
// grid's range), that is by 1/2 in u, up or down. Trajectory t's points are rows
// t (k + 1) .. t (k + 1) + k; each step changes the parameter `order[t][m]`.
struct MorrisDesign {
    int parameters = 0, trajectories = 0, levels = 0;
    Matrix u;                              // [trajectory * (k + 1) + step][parameter]
    std::vector<std::vector<int>> order;   // [trajectory][step]: the parameter moved
};
[[nodiscard]] MorrisDesign morris_design(int parameters, int trajectories, int levels, std::uint64_t seed);

// Per (output, parameter): elementary effects in u-units, EE = (f(after) - f(before)) /
// (u_after - u_before), the change of the output per unit of prior probability moved; scale-free
// across parameters whatever their priors or units. mu: their mean; mu*: mean of |EE|; sigma:
// their standard deviation (n - 1); mu*_low/high: the bootstrap 95% percentile interval of mu*
// over trajectories resampled with replacement.
struct MorrisIndices {
    Matrix mu, mu_star, sigma, mu_star_low, mu_star_high;   // [output][parameter]
};
// `outputs`: [run][output], the runs of `design` in its order.
[[nodiscard]] MorrisIndices morris_indices(const MorrisDesign& design, const Matrix& outputs, int bootstrap,
                                           std::uint64_t seed);

// --- Sobol (Saltelli sampling) ----------------------------------------------------------------
// Two independent N x k matrices A and B, each a randomised Latin hypercube (each column is N
// strata of (0, 1) in a random order, one uniform point within each stratum); AB_i is A with
// column i taken from B. Runs: A's N rows, then B's, then AB_1's, ..., AB_k's: N (k + 2) runs.
struct SaltelliDesign {
    int parameters = 0, base_samples = 0;
    Matrix u;   // [run][parameter]
};
[[nodiscard]] SaltelliDesign saltelli_design(int parameters, int base_samples, std::uint64_t seed);

// First order S1_i = mean(f(B) (f(AB_i) - f(A))) / V (Saltelli 2010), total ST_i =
// mean((f(A) - f(AB_i))^2) / 2 / V (Jansen 1999), V the variance of f(A) and f(B) together.
// Intervals: bootstrap 95% percentile intervals resampling the N rows (A, B and every AB_i row
// together). An output that does not vary (V = 0) has NaN indices.
struct SobolIndices {
    Matrix first, total, first_low, first_high, total_low, total_high;   // [output][parameter]
};
[[nodiscard]] SobolIndices sobol_indices(const SaltelliDesign& design, const Matrix& outputs, int bootstrap,
                                         std::uint64_t seed);

// --- The analysis of a SPEC ---------------------------------------------------------------------
struct SensitivityResult {
    std::vector<std::string> parameters, outputs;   // keys, output (target) names
    Matrix samples;                                 // [run][parameter]: the values the model ran with
    Matrix values;                                  // [run][output]
    std::vector<std::string> design;                // [run]: "morris" or "sobol"
    std::optional<MorrisIndices> morris;
    std::optional<SobolIndices> sobol;
    std::int64_t simulations = 0;   // model runs: points x replicates
    double wall_seconds = 0;
};

struct SensitivityProgress {
    std::int64_t done = 0, total = 0;               // points
    double seconds_elapsed = 0, seconds_left = 0;   // 0 when not known yet
};

// Runs the SPEC's Morris and/or Sobol designs through `model` (one Model::evaluate call per
// design, every point on seed spec.seed) and computes the indices. Collective when the model is
// (ScenarioModel): every rank calls it and gets the same result. `progress` (may be empty) is
// called on rank 0 as points finish. Throws ScenarioError when the settings cannot be used.
[[nodiscard]] SensitivityResult analyse_sensitivity(const Spec& spec, Model& model,
                                                    const std::function<void(const SensitivityProgress&)>& progress);

// The file (docs/CALIBRATION.md, "Sensitivity"): netCDF-4 with coordinates output, parameter,
// run; sample_value(run, parameter), output_value(run, output), the indices (output, parameter).
// The caller checks the path first (check_output_path). Throws OutputError.
void write_sensitivity(const std::string& path, const Spec& spec, const SensitivityResult& result);

// The table `migsim sensitivity` prints: per output, the parameters by decreasing S_T (by mu*
// when there is no Sobol analysis), with S1, ST, mu*, sigma and the intervals.
[[nodiscard]] std::string sensitivity_table(const SensitivityResult& result);

// For `migsim info`: whether `path` is a sensitivity file (false for anything else, unreadable
// included), and what it holds: its settings and the table. describe throws OutputError.
[[nodiscard]] bool is_sensitivity_file(const std::string& path);
[[nodiscard]] std::string describe_sensitivity(const std::string& path);

// "morris", "sobol" or "morris sobol".
[[nodiscard]] std::string sensitivity_methods(const SensitivitySettings& settings);

}   // namespace migsim::calibration
