// A calibration's posterior (migsim calibrate -o calib.h5), read back for runs under parameter
// uncertainty (migsim run --posterior calib.h5 --draws N): the particles' values of the --set
// keys, with their weights, and N draws from them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "migsim/run.hpp"

namespace migsim {

struct Posterior {
    std::vector<std::string> keys;             // the --set keys (the file's `parameter`)
    std::vector<std::vector<double>> values;   // [particle][key]: posterior_value(particle, parameter)
    std::vector<double> weights;               // [particle]: posterior_weight, as written (sum > 0)
    std::string path;
};

// Reads `posterior_value(particle, parameter)`, `posterior_weight(particle)`, the string
// coordinate `parameter` and the root attribute `method`. Throws OutputError naming the file
// and what is missing or wrong (not a calibration file; weights not finite, negative, or all 0).
[[nodiscard]] Posterior read_posterior(const std::string& path);

// `draws` rows of values (one per draw, each a particle's row) by weighted systematic
// resampling: one uniform u from the counter-based draw (seed, Purpose::posterior), positions
// (i + u) / draws against the normalised cumulative weights. A particle of weight 0 is never
// drawn; particle k appears floor or ceil of draws * w_k times; the rows come in particle order.
// A pure function of (posterior, draws, seed): the same in any process. Throws ScenarioError
// when draws < 1.
[[nodiscard]] std::vector<std::vector<double>> draw_posterior(const Posterior& posterior, int draws,
                                                              std::uint64_t seed);

// The SHA-256 of the file's bytes (hex), to tell two runs drew from the same posterior.
[[nodiscard]] std::string posterior_sha256(const std::string& path);

// migsim run SCENARIO --posterior FILE --draws N: the sweep (run_sweep) whose samples are N draws
// from FILE, drawn from `seed` (the scenario's seed after `overrides`), each applied after
// `overrides`. Throws ScenarioError when FILE does not exist or draws < 1, OutputError when it
// is not a calibration file.
[[nodiscard]] SweepPlan plan_posterior(const std::filesystem::path& scenario, const std::vector<std::string>& overrides,
                                       const std::string& posterior, int draws, std::uint64_t seed);

}   // namespace migsim
