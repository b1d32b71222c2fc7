// Agents are never lost or made up: every day the agents created equal the sum over all
// statuses. And every status of the model is reached by the shipped toy scenario.
#include <gtest/gtest.h>

#include <numeric>

#include "migsim/simulation.hpp"

using namespace migsim;

namespace {
const std::string toy = std::string(MIGSIM_SOURCE_DIR) + "/scenarios/toy";
const std::string mediterranean = std::string(MIGSIM_SOURCE_DIR) + "/scenarios/mediterranean";

void expect_conservation(const Scenario& s, int days) {
    Simulation sim(s, 2);
    for (int d = 0; d < days; ++d) {
        sim.step();
        const auto& t = sim.today();
        const auto total =
            std::accumulate(t[Series::status_counts].begin(), t[Series::status_counts].end(), std::int64_t{0});
        ASSERT_EQ(total, t.agents_created) << s.settings.name << ", day " << d;
        // Everyone present somewhere is counted at one location.
        const auto present = std::accumulate(t[Series::location_population].begin(),
                                             t[Series::location_population].end(), std::int64_t{0});
        const auto away = t[Series::status_counts][static_cast<int>(Status::dead_missing)] +
                          t[Series::status_counts][static_cast<int>(Status::returned)];
        ASSERT_LE(present, total - away) << "day " << d;
    }
}
}   // namespace

TEST(Conservation, ToyEveryDay) { expect_conservation(load_scenario(toy), 120); }

TEST(Conservation, MediterraneanEveryDay) { expect_conservation(load_scenario(mediterranean, {"days=200"}), 200); }

TEST(Statuses, EveryStatusIsReached) {
    std::array<std::int64_t, status_count> seen{};
    for (const char* action : {"give_up_action=return", "give_up_action=settle"}) {
        Simulation sim(load_scenario(toy, {action, "days=200"}), 2);
        for (int d = 0; d < 200; ++d) {
            sim.step();
            for (int k = 0; k < status_count; ++k) seen[k] = std::max(seen[k], sim.today()[Series::status_counts][k]);
        }
    }
    for (int k = 0; k < status_count; ++k)
        EXPECT_GT(seen[k], 0) << "status " << to_string(static_cast<Status>(k)) << " never reached";
}
