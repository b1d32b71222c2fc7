// The day's conditions that every agent sees alike: market prices with their risk premium,
// true interception and death rates per link and passage, what migrants believe those rates
// are, which pathways accept applications, which locations are full.
#pragma once

#include <vector>

#include "migsim/scenario.hpp"
#include "common/bytes.hpp"
#include "model/counters.hpp"
#include "model/route_choice.hpp"

namespace migsim::detail {

class ConditionsTracker {
public:
    explicit ConditionsTracker(const Scenario& s);

    // Before agents act on `day`, from its parameters `now`: prices, true rates, pathway
    // periods, capacities.
    void begin_day(const Scenario& scenario, const DayParameters& now, int day,
                   const std::vector<std::int64_t>& population);
    // After the day: what borders recorded moves beliefs (exponential smoothing over the
    // information lag) and admissions use up the period's quota.
    void end_day(const Scenario& scenario, const Counters& totals);

    [[nodiscard]] const DayConditions& today() const { return day_; }
    [[nodiscard]] std::int64_t quota_left(std::size_t pathway) const { return quota_left_[pathway]; }

    // What carries over from day to day (beliefs, quota periods), for checkpoints; the rest
    // is recomputed by begin_day.
    void save(ByteWriter& out) const;
    void restore(ByteReader& in);

private:
    DayConditions day_;
    std::vector<std::int64_t> admitted_in_period_, quota_left_;
    std::vector<int> period_;
    bool first_day_ = true;
};

}   // namespace migsim::detail
