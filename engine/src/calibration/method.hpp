// What a calibration method is to the driver (calibrate(), calibration.cpp): a sequence of
// generations, each a pure function of the ones before it, the SPEC and its seed. The driver
// writes each generation to the file as it finishes; resuming a killed calibration is reading
// them back and asking for the next one, so it ends exactly as an uninterrupted one.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "migsim/calibration.hpp"

namespace migsim::calibration {

// One generation (ABC-SMC) or wave (history matching). The last one is the posterior.
struct Generation {
    std::vector<std::vector<double>> values;    // [particle][parameter]
    std::vector<double> weights;                // [particle], summing to 1 (0: not in the population)
    std::vector<double> distances;              // ABC: distance; history matching: implausibility
    std::vector<std::vector<double>> outputs;   // [particle][target]: the simulated values
    double tolerance = infinity;                // ABC: epsilon; history matching: the cut-off
    double acceptance_rate = 1;                 // accepted / simulated (kept / design)
    double ess = 0;                             // effective sample size of the weights
    std::int64_t simulations = 0;               // model runs this generation took (points x replicates)
};

// Thrown by a method when the stop flag is seen between batches: the generation is not finished.
struct Stopped {};

struct StepHooks {
    // (accepted so far, simulated so far) within the generation, on rank 0.
    std::function<void(std::int64_t, std::int64_t)> progress;
    const std::atomic<bool>* stop = nullptr;
    [[nodiscard]] bool stopping() const { return stop && stop->load(); }
};

class CalibrationMethod {
public:
    virtual ~CalibrationMethod() = default;
    [[nodiscard]] virtual const char* name() const = 0;   // "abc-smc", "history-matching"
    [[nodiscard]] virtual int max_generations() const = 0;
    // True when `before` is complete (the last generation is the posterior).
    [[nodiscard]] virtual bool finished(const std::vector<Generation>& before) const = 0;
    // The next generation. Throws Stopped when hooks.stop is set (checked between batches).
    [[nodiscard]] virtual Generation next(const std::vector<Generation>& before, Model& model,
                                          const StepHooks& hooks) = 0;
};

[[nodiscard]] std::unique_ptr<CalibrationMethod> make_abc_smc(const Spec& spec);
[[nodiscard]] std::unique_ptr<CalibrationMethod> make_history_matching(const Spec& spec);

// Effective sample size of weights: (sum w)^2 / sum w^2.
[[nodiscard]] double effective_sample_size(const std::vector<double>& weights);

}   // namespace migsim::calibration
