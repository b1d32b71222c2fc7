// Pieces of flee_data.cpp that its tests reach directly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace migsim::detail {

// Days since 1970-01-01 of an ISO date YYYY-MM-DD; nullopt when it is not a real date.
[[nodiscard]] std::optional<std::int64_t> civil_day(const std::string& iso);

struct DataPoint {
    std::int64_t day;   // since the start date (negative: before it)
    double count;       // corrected, then divided by hasten
    long line;          // in the series file (0: a sum of files)
};

// Days 0..days-1 from `points` (at least one, days increasing) as Flee interpolates them.
[[nodiscard]] std::vector<std::int64_t> interpolate_daily(const std::vector<DataPoint>& points, int days);

}   // namespace migsim::detail
