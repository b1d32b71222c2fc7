// A profile's demand_factor (profile:ID.demand_factor): it multiplies the counts of the
// profile's demand rows, round(count x factor) spread over the row's days as before; an event
// changes it from its day on; a factor of 1 leaves everything as it was; whatever sizes a run
// counts the largest factor a profile gets.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <unistd.h>

#include "migsim/errors.hpp"
#include "migsim/run.hpp"
#include "migsim/scenario.hpp"
#include "migsim/simulation.hpp"
#include "parallel/day_exchange.hpp"
#include "scenario/validate.hpp"
#include "support/tiny_network.hpp"

using namespace migsim;
using namespace migsim::testing;
namespace fs = std::filesystem;

namespace {

const fs::path toy = fs::path(MIGSIM_SOURCE_DIR) / "scenarios/toy";
constexpr int days = 20;

DemandRow row(int day, int profile, std::int64_t count, int spread_days) {
    DemandRow r;
    r.day = day;
    r.origin = 0;
    r.profile = profile;
    r.count = count;
    r.spread_days = spread_days;
    return r;
}

// Two profiles set out from the same origin; rows with remainders to spread, and counts whose
// halves round up (7 x 1.5 = 10.5).
Scenario two_profiles() {
    Scenario s = crossing(0, 0, true);
    s.settings.days = days;
    s.settings.journey_sample = 1;   // every agent's journey: its profile and the day it was born
    Profile b = s.profiles[0];
    b.id = "other";
    s.profiles.push_back(b);
    s.demand = {row(0, 0, 7, 3), row(0, 1, 9, 2), row(5, 0, 11, 4), row(6, 1, 4, 1), row(10, 0, 5, 1)};
    return s;
}

// Agents created per profile and day, counted from the journeys (all sampled).
std::vector<std::vector<std::int64_t>> created(const Scenario& s) {
    Simulation sim(s, 2);
    for (int d = 0; d < s.settings.days; ++d) sim.step();
    std::vector<std::vector<std::int64_t>> out(s.profiles.size(), std::vector<std::int64_t>(days, 0));
    for (const Journey& j : sim.journeys())
        ++out[static_cast<std::size_t>(j.profile)][static_cast<std::size_t>(j.born)];
    std::int64_t all = 0;
    for (const auto& p : out)
        for (auto n : p) all += n;
    EXPECT_EQ(all, sim.agents());
    return out;
}

// What the rows must create per profile and day, the factor in force on a day given by `factor`.
std::vector<std::vector<std::int64_t>> expected(const Scenario& s,
                                                const std::function<double(int profile, int day)>& factor) {
    std::vector<std::vector<std::int64_t>> out(s.profiles.size(), std::vector<std::int64_t>(days, 0));
    for (const DemandRow& r : s.demand)
        for (int k = 0; k < r.spread_days && r.day + k < days; ++k) {
            const double f = factor(r.profile, r.day + k);
            const auto count = static_cast<std::int64_t>(std::round(static_cast<double>(r.count) * f));
            out[static_cast<std::size_t>(r.profile)][static_cast<std::size_t>(r.day + k)] +=
                count / r.spread_days + (k < count % r.spread_days ? 1 : 0);
        }
    return out;
}

std::int64_t sum(const std::vector<std::int64_t>& v) {
    std::int64_t total = 0;
    for (auto n : v) total += n;
    return total;
}

std::vector<std::byte> day_bytes(const Simulation& sim) {
    std::vector<std::byte> bytes;
    detail::append_day(sim.today(), bytes);
    return bytes;
}

}   // namespace

TEST(DemandFactor, OneCreatesWhatTheRowsSay) {
    const Scenario s = two_profiles();
    const auto got = created(s);
    EXPECT_EQ(got, expected(s, [](int, int) { return 1.0; }));
    EXPECT_EQ(sum(got[0]), 7 + 11 + 5);
    EXPECT_EQ(sum(got[1]), 9 + 4);
}

TEST(DemandFactor, TwoDoublesTheProfilesAgentsExactly) {
    Scenario s = two_profiles();
    const auto before = created(s);
    s.profiles[0].demand_factor = 2;
    const auto got = created(s);
    EXPECT_EQ(sum(got[0]), 2 * (7 + 11 + 5));
    EXPECT_EQ(got[0], expected(s, [](int p, int) { return p == 0 ? 2.0 : 1.0; })[0]);
    EXPECT_EQ(got[1], before[1]);   // the other profile's agents unchanged
    EXPECT_EQ(s.total_agents(), 2 * (7 + 11 + 5) + 9 + 4);
}

TEST(DemandFactor, AFractionRoundsEachRowsCountHalfAwayFromZero) {
    Scenario s = two_profiles();
    s.profiles[0].demand_factor = 1.5;
    const auto got = created(s);
    EXPECT_EQ(sum(got[0]), 11 + 17 + 8);   // round(10.5), round(16.5), round(7.5)
    EXPECT_EQ(got[0], expected(s, [](int p, int) { return p == 0 ? 1.5 : 1.0; })[0]);
    EXPECT_EQ(sum(got[1]), 9 + 4);
}

TEST(DemandFactor, ZeroCreatesNoneOfTheProfile) {
    Scenario s = two_profiles();
    const auto before = created(s);
    s.profiles[0].demand_factor = 0;
    const auto got = created(s);
    EXPECT_EQ(sum(got[0]), 0);
    EXPECT_EQ(got[1], before[1]);
    EXPECT_EQ(s.total_agents(), 9 + 4);
}

TEST(DemandFactor, AnEventChangesCreationFromItsDayOnOnly) {
    Scenario s = two_profiles();
    const auto before = created(s);
    // Day 6 falls inside the row of day 5 (11 over 4 days): its first day at 1, the rest at 3.
    s.events.push_back(Event{6, Assignment{TargetKind::profile, 0, Parameter::demand_factor, 3}, "up", "test"});
    const auto got = created(s);
    for (int d = 0; d < 6; ++d) EXPECT_EQ(got[0][static_cast<std::size_t>(d)], before[0][static_cast<std::size_t>(d)]);
    EXPECT_EQ(got[0], expected(s, [](int p, int d) { return p == 0 && d >= 6 ? 3.0 : 1.0; })[0]);
    EXPECT_EQ(got[0][5], 3);        // 11 over 4 days: 3, at factor 1
    EXPECT_EQ(got[0][6], 8);        // 33 over 4 days: 9, 8, 8, 8; day 6 is the row's second
    EXPECT_EQ(got[0][10], 15);      // 5 x 3
    EXPECT_EQ(got[1], before[1]);   // the other profile's agents unchanged
    // Sized for the largest factor the profile gets over the run.
    EXPECT_EQ(s.largest_demand_factors(), (std::vector<double>{3, 1}));
    EXPECT_EQ(s.total_agents(), 3 * (7 + 11 + 5) + 9 + 4);
}

TEST(DemandFactor, OneIsIdenticalToNoOverride) {
    const Scenario plain = load_scenario(toy);
    const Scenario one = load_scenario(toy, {"profile:migrant.demand_factor=1", "profile:refugee.demand_factor=1"});
    EXPECT_EQ(one.total_agents(), plain.total_agents());
    Simulation a(plain, 2), b(one, 2);
    for (int d = 0; d < plain.settings.days; ++d) {
        a.step();
        b.step();
        ASSERT_EQ(day_bytes(a), day_bytes(b)) << "day " << d;
    }
    EXPECT_EQ(a.agents(), b.agents());
}

TEST(DemandFactor, TheKeyWorksInSetVariantsAndEvents) {
    const Scenario s = load_scenario(toy, {"profile:refugee.demand_factor=2.5"});
    EXPECT_EQ(s.profiles[1].demand_factor, 2.5);
    EXPECT_EQ(s.profiles[0].demand_factor, 1);
    EXPECT_EQ(s.total_agents(), 900 + 600 + 750);

    const fs::path dir = fs::temp_directory_path() / ("migsim_demand_factor_test_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "yearly.csv") << "day,target,parameter,value\n"
                                      << "30,profile:migrant,demand_factor,0.5\n"
                                      << "90,profile:migrant,demand_factor,4\n";
    std::ofstream(dir / "v.yml") << "extends: " << (toy / "scenario.yml").string()
                                 << "\nset:\n  profile:refugee.demand_factor: 0\nevents: yearly.csv\n";
    const Scenario v = load_scenario(dir / "v.yml");
    fs::remove_all(dir);
    EXPECT_EQ(v.profiles[1].demand_factor, 0);
    ASSERT_EQ(v.events.size(), 3u);
    EXPECT_EQ(v.largest_demand_factors(), (std::vector<double>{4, 0}));
    EXPECT_EQ(v.total_agents(), 4 * (900 + 600));
    const PolicyTimeline timeline = policy_timeline(v);
    const auto key = std::find(timeline.keys.begin(), timeline.keys.end(), "profile:migrant.demand_factor");
    ASSERT_NE(key, timeline.keys.end());
    const auto k = static_cast<std::size_t>(key - timeline.keys.begin());
    EXPECT_EQ(timeline.values[29][k], 1);
    EXPECT_EQ(timeline.values[30][k], 0.5);
    EXPECT_EQ(timeline.values[90][k], 4);
}

TEST(DemandFactor, OutOfRangeOrUnderFleeRulesIsAScenarioError) {
    EXPECT_THROW((void)load_scenario(toy, {"profile:migrant.demand_factor=-1"}), ScenarioError);
    EXPECT_THROW((void)load_scenario(toy, {"profile:migrant.demand_factor=1000001"}), ScenarioError);
    EXPECT_THROW((void)load_scenario(toy, {"profile:migrant.demand_factor=nan"}), ScenarioError);
    try {
        (void)load_scenario(fs::path(MIGSIM_SOURCE_DIR) / "scenarios/flee-mali2012", {"profile:x.demand_factor=2"});
        FAIL() << "no error";
    } catch (const ScenarioError& e) {
        EXPECT_NE(std::string(e.what()).find("profile:ID only with migsim's own rules"), std::string::npos) << e.what();
    }
}

TEST(DemandFactor, AgentIdsAndEstimatesCountTheLargestFactor) {
    // 3e9 agents fit 32-bit ids; doubled by an event later in the run they do not.
    Scenario s = crossing(3'000'000'000, 0, true);
    EXPECT_NO_THROW(detail::validate(s));
    s.events.push_back(Event{30, Assignment{TargetKind::profile, 0, Parameter::demand_factor, 2}, "up", "test"});
    EXPECT_EQ(s.total_agents(), 6'000'000'000);
    EXPECT_THROW(detail::validate(s), ScenarioError);

    Scenario small = crossing(100000, 0, true), tripled = small;
    tripled.profiles[0].demand_factor = 3;
    RunOptions options;
    options.output = "unused.h5";
    EXPECT_GT(estimate_memory(tripled, options, 1), estimate_memory(small, options, 1));
    EXPECT_EQ(tripled.total_agents(), 3 * small.total_agents());
}
