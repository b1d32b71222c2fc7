// Calibration and sensitivity: a SPEC (a YAML file, docs/CALIBRATION.md) names a scenario, the
// parameters to vary (any --set key) with their priors, and the targets: sums of a series over
// chosen entities and days, compared with an observed value. The model is seen as a function from
// parameter values to target values (Model); the methods (ABC-SMC, history matching, Morris,
// Sobol) only call it, so they are tested on analytic models as well as on scenarios.
#pragma once

#include <atomic>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "migsim/comm.hpp"

namespace migsim {
struct Scenario;
struct DayTotals;
}   // namespace migsim

namespace migsim::calibration {

inline constexpr double infinity = std::numeric_limits<double>::infinity();

enum class PriorKind : std::uint8_t { uniform, log_uniform, normal, truncated_normal };
[[nodiscard]] const char* to_string(PriorKind kind);

struct Prior {
    PriorKind kind = PriorKind::uniform;
    double a = 0, b = 1;                       // uniform, log-uniform: low, high; normal kinds: mean, sd
    double low = -infinity, high = infinity;   // the support (a, b for the uniform kinds)

    // The value at cumulative probability u in (0, 1): how points are drawn from the prior.
    [[nodiscard]] double quantile(double u) const;
    [[nodiscard]] double cdf(double x) const;
    // Log density, normalised over the support; -infinity outside it.
    [[nodiscard]] double log_density(double x) const;
    [[nodiscard]] bool contains(double x) const { return x >= low && x <= high; }
};

struct Parameter {
    std::string key;   // a --set key: border:strait.patrol, behaviour.switching_cost, event:3.value
    Prior prior;
    std::optional<double> truth;   // the value that made synthetic targets (the SPEC's truth:)
};

// A sum of one series over chosen entities and days (inclusive, run days from 0).
struct Selection {
    std::string series;                  // a catalogue name (migsim/series.hpp)
    std::vector<std::string> entities;   // ids along the series' entity; empty: all
    int from_day = 0, to_day = -1;       // -1: the last day of the run
};

enum class Aggregation : std::uint8_t { sum, mean, ratio };
[[nodiscard]] const char* to_string(Aggregation aggregation);

struct Target {
    std::string name;
    Aggregation aggregation = Aggregation::sum;   // mean: the sum per day of the window
    Selection numerator;
    Selection denominator;   // ratio only: numerator sum / denominator sum (0 when both are 0)
    double observed = std::numeric_limits<double>::quiet_NaN();   // NaN: an output, not a target
    double error = 0;                                             // observation error, a standard deviation
    bool relative_error = false;                                  // `error` is a share of |observed|
    [[nodiscard]] double sd() const { return relative_error ? error * std::abs(observed) : error; }
};

struct AbcSettings {
    int population = 200;
    int generations = 8;            // at most; 0 generations past the prior is allowed
    double final_tolerance = 0;     // stop once the tolerance is at or below it (0: never)
    double quantile = 0.5;          // the next tolerance: this quantile of the distances
    double kernel_scale = 2;        // perturbation: normal with kernel_scale x the weighted covariance
    double min_acceptance = 0.01;   // stop when a generation accepts fewer of its simulations
};

struct HistoryMatchingSettings {
    int waves = 3;
    int design = 100;      // model runs per wave (a Latin hypercube in the part not ruled out)
    double cutoff = 3;     // implausibility above which a point is ruled out
    int posterior = 200;   // points kept from the last wave's non-implausible space
};

struct SensitivitySettings {
    bool morris = false, sobol = false;
    int trajectories = 10, levels = 4;   // Morris
    int base_samples = 128;              // Sobol (Saltelli): base_samples x (parameters + 2) runs
    int bootstrap = 200;                 // resamples for the 95% intervals
};

enum class Method : std::uint8_t { abc_smc, history_matching, sensitivity };

struct Spec {
    std::filesystem::path path;           // the SPEC file
    std::string text;                     // its bytes, kept in the output (and to resume)
    std::filesystem::path scenario;       // resolved against the SPEC's folder
    std::vector<std::string> overrides;   // set: KEY: VALUE, applied before the parameters
    std::vector<Parameter> parameters;
    std::vector<Target> targets;   // targets: (observed given) or outputs: (sensitivity)
    int replicates = 1;            // seeds per point; target values are their mean
    std::uint64_t seed = 1;        // the method's draws and the simulations' seeds
    Method method = Method::abc_smc;
    AbcSettings abc;
    HistoryMatchingSettings history;
    SensitivitySettings sensitivity;
};

// Reads and checks a SPEC. Throws ScenarioError naming the file, line, key, value and what
// was expected. The scenario is loaded once to check every key, series and entity id.
[[nodiscard]] Spec load_spec(const std::filesystem::path& path);

// Target values, one row per point: the model seen from a method.
class Model {
public:
    virtual ~Model() = default;
    // Row k: the target values at points[k] (the mean over the spec's replicates), simulated on
    // seeds seeds[k], seeds[k] + 1, ...; the same point and seed always give the same row.
    // `done(n)` (may be empty) is called on rank 0 as points finish.
    [[nodiscard]] virtual std::vector<std::vector<double>> evaluate(const std::vector<std::vector<double>>& points,
                                                                    const std::vector<std::uint64_t>& seeds,
                                                                    const std::function<void(int)>& done) = 0;
};

// A scenario as a Model: each point is the scenario with the parameters set (after the SPEC's
// overrides), run in memory, points side by side over threads (one thread each) and ranks
// (every rank calls evaluate() with the same arguments and gets every row).
class ScenarioModel final : public Model {
public:
    ScenarioModel(const Spec& spec, int threads, const Comm& comm);
    ~ScenarioModel() override;
    [[nodiscard]] std::vector<std::vector<double>> evaluate(const std::vector<std::vector<double>>& points,
                                                            const std::vector<std::uint64_t>& seeds,
                                                            const std::function<void(int)>& done) override;
    [[nodiscard]] const Scenario& base() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The targets' values over a run's days: what ScenarioModel computes from each day's totals.
// Days are given one at a time, in order; values() after the last.
class TargetMeter {
public:
    TargetMeter(const Scenario& scenario, const std::vector<Target>& targets);
    ~TargetMeter();
    void add_day(int day, const DayTotals& totals);
    [[nodiscard]] std::vector<double> values() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The distance between simulated and observed targets: the root mean square of
// (simulated - observed) / sd over the targets.
[[nodiscard]] double distance(const std::vector<Target>& targets, const std::vector<double>& simulated);

// A seed for point `index` of stage `stage` (a generation, a wave, a design), from the SPEC's
// seed: counter-based, so no point's seed depends on which process runs it.
[[nodiscard]] std::uint64_t point_seed(std::uint64_t seed, int stage, std::int64_t index);

struct CalibrationProgress {
    int generation = 0, generations = 0;        // generation (or wave) under way, of at most
    double tolerance = 0;                       // in force (infinity in the first generation)
    std::int64_t accepted = 0, simulated = 0;   // this generation
    int population = 0;
    double acceptance_rate = 0;                     // of the last finished generation
    double seconds_elapsed = 0, seconds_left = 0;   // estimate; 0 when unknown
};

struct CalibrationOptions {
    std::string output;   // HDF5 path
    int threads = 0;      // 0: all the cores TBB sees
    const Comm* comm = nullptr;
    bool force = false;   // replace a finished calibration or another SPEC's file
    std::function<void(const CalibrationProgress&)> progress;
    const std::atomic<bool>* stop = nullptr;   // checked between batches of simulations
};

struct CalibrationResult {
    int generations = 0;
    std::int64_t simulations = 0;
    bool resumed = false, interrupted = false, already_complete = false;
    double wall_seconds = 0;
};

// Runs the SPEC's method and writes the file (docs/CALIBRATION.md, "Output"). A file left by an
// interrupted calibration of the same SPEC continues from its last finished generation (the
// result is the same as an uninterrupted one). Throws ScenarioError / OutputError.
CalibrationResult calibrate(const Spec& spec, Model& model, const CalibrationOptions& options);

// What `migsim info` prints for a calibration file: each parameter's prior, posterior median and
// 90% interval (and truth), each target's observed value against its posterior-predictive
// interval.
[[nodiscard]] std::string describe_calibration(const std::string& path);
[[nodiscard]] bool is_calibration_file(const std::string& path);

}   // namespace migsim::calibration
