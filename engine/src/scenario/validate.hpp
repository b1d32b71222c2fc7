// Whole-scenario checks that no single row can make: every profile can reach a destination
// from every origin where it starts.
#pragma once

#include "migsim/scenario.hpp"

namespace migsim::detail {

void validate(const Scenario& scenario);   // throws ScenarioError

}   // namespace migsim::detail
