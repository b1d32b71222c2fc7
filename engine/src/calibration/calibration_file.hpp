// The calibration file (docs/CALIBRATION.md, "Output"): every finished generation, the posterior
// (the last one) and its predictive values, the priors, the targets, and the SPEC. It is written
// whole after each generation, to a temporary file renamed over the old one, so that a
// calibration killed at any moment leaves the last finished generation readable.
#pragma once

#include <string>
#include <vector>

#include "calibration/method.hpp"

namespace migsim::calibration {

struct CalibrationRecord {
    std::string method;            // "abc-smc", "history-matching"
    std::string spec_text;         // the SPEC as read
    std::string scenario;          // its path
    std::string scenario_sha256;   // of the scenario as loaded (every input and override)
    std::uint64_t seed = 0;
    int replicates = 1;
    bool completed = false;
    double wall_seconds = 0;
    std::vector<Generation> generations;
};

void write_calibration(const std::string& path, const Spec& spec, const CalibrationRecord& record);
// Throws OutputError when `path` is not a calibration file or is damaged.
[[nodiscard]] CalibrationRecord read_calibration(const std::string& path);

}   // namespace migsim::calibration
