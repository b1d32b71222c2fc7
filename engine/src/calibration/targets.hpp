// The ids along each entity dimension of the output, as the file's coordinates hold them: what a
// SPEC's `entities:` names.
#pragma once

#include <string>
#include <vector>

#include "migsim/scenario.hpp"
#include "migsim/series.hpp"

namespace migsim::calibration {

[[nodiscard]] std::vector<std::string> entity_ids(const Scenario& scenario, Entity entity);

}   // namespace migsim::calibration
