// The output's series: names, entity dimensions, units (series_catalogue in output.hpp), and
// where each one's row lives in a DayTotals.
#pragma once

#include <string>

#include "migsim/output.hpp"
#include "migsim/simulation.hpp"

namespace migsim::detail {

[[nodiscard]] bool is_money(const std::string& name);               // float64, not int64
[[nodiscard]] const void* row_of(const DayTotals& totals, const std::string& name);

}  // namespace migsim::detail
