// TEMPORARY (branch sensitivity): the few Prior functions the sensitivity analysis calls, until
// the real engine/src/calibration/priors.cpp lands on main; removed when main is merged.
#include <cmath>
#include <stdexcept>

#include "migsim/calibration.hpp"

namespace migsim::calibration {

const char* to_string(PriorKind kind) {
    switch (kind) {
        case PriorKind::uniform: return "uniform";
        case PriorKind::log_uniform: return "log_uniform";
        case PriorKind::normal: return "normal";
        case PriorKind::truncated_normal: return "truncated_normal";
    }
    return "?";
}

double Prior::quantile(double u) const {
    switch (kind) {
        case PriorKind::uniform: return a + (b - a) * u;
        case PriorKind::log_uniform: return std::exp(std::log(a) + (std::log(b) - std::log(a)) * u);
        default: throw std::logic_error("priors_stub.cpp: only the uniform kinds until main's priors.cpp");
    }
}

}   // namespace migsim::calibration
