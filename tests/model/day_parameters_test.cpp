// The loaded scenario is immutable: events change a simulation's own DayParameters, the
// replicates of a run share one Scenario, and a replicate's seed is given apart from it.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "migsim/scenario.hpp"
#include "migsim/simulation.hpp"
#include "parallel/day_exchange.hpp"

using namespace migsim;

namespace {

const std::string toy = std::string(MIGSIM_SOURCE_DIR) + "/scenarios/toy";

std::vector<std::byte> day_bytes(const Simulation& sim) {
    std::vector<std::byte> bytes;
    detail::append_day(sim.today(), bytes);
    return bytes;
}

}   // namespace

TEST(DayParameters, EventsChangeTheSimulationsParametersNotTheScenario) {
    const auto s = std::make_shared<const Scenario>(load_scenario(toy));
    ASSERT_FALSE(s->events.empty());
    const Event& event = s->events.front();   // border:strait.patrol = 0.6 on day 60
    const double loaded = value_of(*s, event.change);
    ASSERT_NE(loaded, event.change.value);
    Simulation sim(s, s->settings.seed + 1, 2);
    EXPECT_EQ(&sim.scenario(), s.get());   // shared, not copied
    EXPECT_EQ(sim.seed(), s->settings.seed + 1);
    while (sim.day() <= event.day) {
        EXPECT_EQ(value_of(sim.parameters(), event.change), loaded) << "day " << sim.day();
        sim.step();
    }
    EXPECT_EQ(value_of(sim.parameters(), event.change), event.change.value);
    EXPECT_EQ(value_of(*s, event.change), loaded);
    EXPECT_EQ(value_of(sim.scenario(), event.change), loaded);
}

TEST(DayParameters, ApplyAndValueOfAgreeWithTheScenarios) {
    Scenario s = load_scenario(toy);
    DayParameters p(s);
    const std::vector<Assignment> changes = {
        {TargetKind::border, 0, Parameter::patrol, 0.25},
        {TargetKind::border, 0, Parameter::detention_days, 4},
        {TargetKind::link, 1, Parameter::cost, 12.5},
        {TargetKind::link, 2, Parameter::open, 0},
        {TargetKind::link, 0, Parameter::toll, 3},
        {TargetKind::market, 0, Parameter::capacity, 17},
        {TargetKind::market, 1, Parameter::risk_premium, 0.5},
        {TargetKind::pathway, 0, Parameter::quota, 9},
        {TargetKind::pathway, 0, Parameter::cost, 700},
        {TargetKind::location, 1, Parameter::wage, 2},
        {TargetKind::location, 2, Parameter::capacity, 100},
        {TargetKind::profile, 1, Parameter::weight_death, 7},
        {TargetKind::profile, 0, Parameter::budget_sigma, 0.3},
        {TargetKind::profile, 1, Parameter::demand_factor, 2.5},
        {TargetKind::harm, 0, Parameter::ransom, 150},
    };
    for (const Assignment& c : changes) {
        apply(s, c);
        apply(p, c);
        EXPECT_EQ(value_of(p, c), c.value) << to_string(c.parameter);
        EXPECT_EQ(value_of(p, c), value_of(s, c)) << to_string(c.parameter);
    }
    // Every changeable value, after all the changes, as in the scenario they were applied to.
    const DayParameters again(s);
    for (const Assignment& c : changes) EXPECT_EQ(value_of(again, c), value_of(p, c)) << to_string(c.parameter);
}

// What the runner did before (a copy of the scenario with the replicate's seed) and does now
// (the shared scenario and the seed apart) give the same days.
TEST(DayParameters, AReplicatesSeedActsAsACopyWithThatSeed) {
    const auto shared = std::make_shared<const Scenario>(load_scenario(toy));
    Scenario copy = *shared;
    copy.settings.seed += 2;
    Simulation a(shared, shared->settings.seed + 2, 2), b(copy, 3);
    for (int d = 0; d < shared->settings.days; ++d) {
        a.step();
        b.step();
        ASSERT_EQ(day_bytes(a), day_bytes(b)) << "day " << d;
    }
}
