// Pieces of the research workflow that stand alone: Student's t quantile for the intervals of
// `compare`, and the sample plans of `sweep` (grid order, Latin hypercube strata).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "migsim/compare.hpp"
#include "migsim/errors.hpp"
#include "migsim/run.hpp"

using namespace migsim;

TEST(StudentT, QuantilesMatchReferenceValues) {
    // scipy.stats.t.ppf(0.975, df)
    const std::pair<int, double> reference[] = {{1, 12.706204736432095},  {2, 4.302652729911275},
                                                {3, 3.182446305284263},   {4, 2.7764451051977987},
                                                {9, 2.2621571627409915},  {29, 2.045229642132703},
                                                {99, 1.9842169515086827}, {999, 1.9623414611334487}};
    for (auto [df, t] : reference) EXPECT_NEAR(student_t_975(df), t, 1e-9 * t) << "df " << df;
}

namespace {
const std::string toy = std::string(MIGSIM_SOURCE_DIR) + "/scenarios/toy";
}

TEST(SweepPlan, GridIsEveryCombinationFirstParameterSlowest) {
    const auto plan =
        plan_sweep(toy, {}, {"border:strait.patrol=0.2:0.8:4", "market:strait_boats.price=500,900"}, 0, 1);
    ASSERT_EQ(plan.values.size(), 8u);
    EXPECT_EQ(plan.parameters[1], "market:strait_boats.price");
    EXPECT_DOUBLE_EQ(plan.values[0][0], 0.2);
    EXPECT_DOUBLE_EQ(plan.values[1][0], 0.2);
    EXPECT_DOUBLE_EQ(plan.values[1][1], 900);
    EXPECT_DOUBLE_EQ(plan.values[2][0], 0.4);
    EXPECT_DOUBLE_EQ(plan.values[7][0], 0.8);
}

TEST(SweepPlan, LatinHypercubePutsOneSampleInEveryStratum) {
    const int K = 20;
    const auto plan = plan_sweep(toy, {}, {"border:strait.patrol=0.1:0.9", "pathway:corridor.quota=0:200"}, K, 7);
    ASSERT_EQ(plan.values.size(), static_cast<std::size_t>(K));
    for (std::size_t p = 0; p < 2; ++p) {
        const double low = p == 0 ? 0.1 : 0, high = p == 0 ? 0.9 : 200;
        std::vector<int> hits(K, 0);
        for (const auto& row : plan.values) ++hits[static_cast<std::size_t>((row[p] - low) / (high - low) * K)];
        EXPECT_TRUE(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; })) << "parameter " << p;
    }
    EXPECT_EQ(plan_sweep(toy, {}, {"border:strait.patrol=0.1:0.9"}, K, 7).values,
              plan_sweep(toy, {}, {"border:strait.patrol=0.1:0.9"}, K, 7).values);   // deterministic
}

TEST(SweepPlan, MalformedSpecsAreScenarioErrors) {
    EXPECT_THROW((void)plan_sweep(toy, {}, {"border:strait.patrol"}, 0, 1), ScenarioError);
    EXPECT_THROW((void)plan_sweep(toy, {}, {"border:strait.patrol=0.1:0.9"}, 0, 1), ScenarioError);
    EXPECT_THROW((void)plan_sweep(toy, {}, {"border:strait.patrol=0.1:0.9:2.5"}, 0, 1), ScenarioError);
    EXPECT_THROW((void)plan_sweep(toy, {}, {"border:strait.patrol=0.1:0.9:3"}, 5, 1), ScenarioError);
    EXPECT_THROW((void)plan_sweep(toy, {}, {}, 0, 1), ScenarioError);
}
