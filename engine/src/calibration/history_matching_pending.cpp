// Replaced by history_matching.cpp when that branch is merged.
#include "calibration/method.hpp"
#include "migsim/errors.hpp"

namespace migsim::calibration {
std::unique_ptr<CalibrationMethod> make_history_matching(const Spec&) {
    throw ScenarioError("history_matching: not in this build yet");
}
}   // namespace migsim::calibration
