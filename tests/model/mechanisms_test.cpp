// Each mechanism of the model against what it must do on a tiny network: travel times,
// repeated attempts under interception, deaths per attempt, market capacity, pathway quota,
// the pull of a pathway, and displacement when one crossing is patrolled harder.
#include <gtest/gtest.h>

#include <cmath>

#include "migsim/simulation.hpp"
#include "support/tiny_network.hpp"

using namespace migsim;
using namespace migsim::testing;

namespace {
// Three standard deviations of a proportion estimated from n trials.
double three_sigma(double p, double n) { return 3 * std::sqrt(p * (1 - p) / n); }
}   // namespace

TEST(Travel, DaysAreDistanceOverSpeedRoundedUp) {
    Scenario s = crossing(10, 0, true);
    EXPECT_EQ(s.travel_days(s.links[0]), 2);   // 400 km by land at 200 km/day
    s.links[0].distance_km = 401;
    EXPECT_EQ(s.travel_days(s.links[0]), 3);
    EXPECT_EQ(s.travel_days(s.links[1]), 1);   // 150 km by sea at 300 km/day
    s.settings.speed_km_per_day[static_cast<int>(Mode::sea)] = 50;
    EXPECT_EQ(s.travel_days(s.links[1]), 3);
}

TEST(Travel, AgentsArriveAfterTheTravelDays) {
    Scenario s = crossing(100, 0, true);
    s.links[0].distance_km = 401;   // 3 days on land
    s.profiles[0].tau = 1e-3;       // nobody lingers
    Simulation sim(s, 2);
    // Depart day 0, reach the coast on day 3, sail on day 4 (one day), land on day 5.
    for (int d = 0; d <= 5; ++d) {
        sim.step();
        const auto& t = sim.today();
        EXPECT_EQ(t[Series::link_flow][0], d == 0 ? 100 : 0) << "day " << d;
        EXPECT_EQ(t[Series::link_flow][1], d == 4 ? 100 : 0) << "day " << d;
        EXPECT_EQ(t[Series::arrivals][2], d == 5 ? 100 : 0) << "day " << d;
    }
}

TEST(Border, InterceptionsPerSuccessApproachPOverOneMinusP) {
    const double p = 0.4;
    const std::int64_t n = 20000;
    Scenario s = crossing(n, p, true);
    s.profiles[0].tau = 1e-3;
    s.settings.behaviour.retry_penalty = 0;   // failures deter nobody: each tries again the next day
    Simulation sim(s, 2);
    std::int64_t intercepted = 0, crossed = 0, attempts = 0;
    for (int d = 0; d < 40; ++d) {
        sim.step();
        intercepted += sim.today()[Series::border_interceptions][0];
        crossed += sim.today()[Series::border_crossings][0];
        attempts += sim.today()[Series::border_attempts][0];
    }
    EXPECT_EQ(crossed, n);   // unlimited retries: everyone gets through
    EXPECT_EQ(attempts, crossed + intercepted);
    const double per_success = static_cast<double>(intercepted) / static_cast<double>(crossed);
    EXPECT_NEAR(per_success, p / (1 - p), 0.04 * p / (1 - p));
    EXPECT_NEAR(static_cast<double>(intercepted) / static_cast<double>(attempts), p, three_sigma(p, attempts));
}

TEST(Border, InterceptionReturnsDetainsAndCostsTheFare) {
    Scenario s = crossing(1000, 1.0, false);   // patrol certain: everyone is caught
    s.borders[0].detention_days = 3;
    s.borders[0].return_to = 0;   // taken back to the origin
    add_market(s, market("boats", {1}, 500, 1000000));
    s.profiles[0].budget_median = 1200;   // enough for two seats, not three
    s.profiles[0].tau = 1e-3;
    Simulation sim(s, 1);
    bool saw_detained_at_origin = false;
    for (int d = 0; d < 40; ++d) {
        sim.step();
        const auto& t = sim.today();
        if (t[Series::status_counts][static_cast<int>(Status::detained)] > 0) {
            EXPECT_EQ(t[Series::location_population][0], t[Series::status_counts][static_cast<int>(Status::detained)]);
            saw_detained_at_origin = true;
        }
    }
    EXPECT_TRUE(saw_detained_at_origin);
    // Two seats bought and lost each; nobody can pay a third, so everyone waits at the end.
    EXPECT_EQ(sim.today()[Series::status_counts][static_cast<int>(Status::arrived)], 0);
}

TEST(Border, DeathsPerAttemptAreDeathRiskTimesSafety) {
    const std::int64_t n = 20000;
    Scenario s = crossing(n, 0, false);
    s.links[1].death_risk = 0.02;
    add_market(s, market("boats", {1}, 100, 1000000));
    s.markets[0].safety = 1.5;
    s.profiles[0].tau = 1e-3;
    Simulation sim(s, 2);
    std::int64_t deaths = 0, attempts = 0;
    for (int d = 0; d < 10; ++d) {
        sim.step();
        deaths += sim.today()[Series::border_deaths][0];
        attempts += sim.today()[Series::border_attempts][0];
    }
    EXPECT_EQ(attempts, n);
    EXPECT_NEAR(static_cast<double>(deaths) / n, 0.03, three_sigma(0.03, n));
    EXPECT_EQ(sim.today()[Series::status_counts][static_cast<int>(Status::dead_missing)], deaths);
}

TEST(Market, SellsExactlyItsCapacityWhenDemandExceedsIt) {
    Scenario s = crossing(500, 0, false);
    add_market(s, market("boats", {1}, 100, 10));
    s.markets[0].risk_premium = 0.5;
    s.borders[0].patrol = 0.2;
    s.profiles[0].tau = 1e-3;
    Simulation sim(s, 3);
    std::int64_t sold = 0, attempts = 0;
    int scarce_days = 0;
    for (int d = 0; d < 80; ++d) {
        sim.step();
        const auto& t = sim.today();
        const std::int64_t demand = t[Series::market_seats][0] + t[Series::market_unmet_demand][0];
        EXPECT_LE(t[Series::market_seats][0], 10) << "day " << d;
        if (demand > 10) {
            EXPECT_EQ(t[Series::market_seats][0], 10) << "day " << d;
            ++scarce_days;
        } else {
            EXPECT_EQ(t[Series::market_seats][0], demand) << "day " << d;
        }
        EXPECT_DOUBLE_EQ(t.amounts(Series::market_price)[0], 100 * (1 + 0.5 * 0.2));
        EXPECT_DOUBLE_EQ(t.amounts(Series::market_revenue)[0],
                         static_cast<double>(t[Series::market_seats][0]) * t.amounts(Series::market_price)[0]);
        sold += t[Series::market_seats][0];
        attempts += t[Series::border_attempts][0];
    }
    EXPECT_GT(scarce_days, 20);
    EXPECT_EQ(sold, attempts);   // every seat sold is one attempt; nobody crosses without one
}

namespace {
// A crossing no one can make (patrol 1, no retries worth it) and a pathway beside it.
Scenario with_pathway(std::int64_t quota, int period) {
    Scenario s = crossing(1000, 1.0, true);
    Pathway w;
    w.id = w.name = "corridor";
    w.eligible = {0};
    w.from = {1};
    w.to = 2;
    w.quota = quota;
    w.period_days = period;
    w.processing_days = 3;
    w.cost = 50;
    w.open_day = 0;
    w.close_day = 1000;
    s.pathways = {w};
    s.profiles[0].weights.interception = 100;
    return s;
}
}   // namespace

TEST(Pathway, NeverAdmitsMoreThanItsQuotaPerPeriod) {
    Scenario s = with_pathway(25, 10);
    Simulation sim(s, 2);
    std::int64_t in_period = 0, arrived_regular = 0, admitted = 0;
    for (int d = 0; d < 100; ++d) {
        sim.step();
        in_period += sim.today()[Series::pathway_admissions][0];
        admitted += sim.today()[Series::pathway_admissions][0];
        arrived_regular += sim.today()[Series::arrivals_regular][2];
        if (d % 10 == 9) {
            EXPECT_EQ(in_period, 25) << "period ending day " << d;   // demand is far above quota
            in_period = 0;
        }
    }
    EXPECT_EQ(admitted, 250);
    EXPECT_EQ(arrived_regular, 250);   // processing (3 days) is over for all of them
}

TEST(Pathway, AnEligibleProfilePrefersIt) {
    Scenario s = with_pathway(100000, 30);
    s.borders[0].patrol = 0.3;
    Profile other = s.profiles[0];
    other.id = "not_eligible";
    s.profiles.push_back(other);
    s.demand.push_back(DemandRow{0, 0, 1, 1000, 1});
    Simulation sim(s, 2);
    std::int64_t regular = 0, irregular = 0;
    for (int d = 0; d < 60; ++d) {
        sim.step();
        regular += sim.today()[Series::arrivals_regular][2];
        irregular += sim.today()[Series::arrivals][2];
    }
    // 1000 eligible agents take the corridor; the other 1000 can only cross irregularly.
    EXPECT_GT(regular, 900);
    EXPECT_LE(regular, 1000);
    EXPECT_GT(irregular, 900);
    EXPECT_EQ(sim.today()[Series::pathway_applications].size(), 1u);
}

TEST(Displacement, HarderPatrolOnOneCrossingMovesFlowToTheOther) {
    Scenario s = crossing(0, 0.2, true);
    Border second = s.borders[0];
    second.id = "sea_b";
    s.borders.push_back(second);
    s.links.push_back(link("boat_b", 1, 2, 150, Mode::sea, 1));
    s.links.back().alone = true;
    s.profiles[0].weights = {0.1, 0, 10, 0};
    s.demand = {DemandRow{0, 0, 0, 200 * 200, 200}};   // 200 new migrants a day
    s.events = {Event{100, Assignment{TargetKind::border, 0, Parameter::patrol, 0.9}}};
    s.settings.information_lag_days = 20;
    Simulation sim(s, 2);
    auto share_a = [&](int from, int to) {
        std::int64_t a = 0, b = 0;
        for (int d = from; d < to; ++d) {
            sim.step();
            a += sim.today()[Series::border_attempts][0];
            b += sim.today()[Series::border_attempts][1];
        }
        return static_cast<double>(a) / static_cast<double>(a + b);
    };
    const double before = share_a(0, 100);
    const double right_after = share_a(100, 103);
    share_a(103, 150);
    const double later = share_a(150, 200);
    EXPECT_NEAR(before, 0.5, 0.03);        // twin crossings share the flow
    EXPECT_LT(later, 0.25);                // people moved to the other crossing...
    EXPECT_GT(right_after, later + 0.1);   // ...with a delay: news travels slowly
}

// Who waits give_up_days without a way on gives up there: counted once, at that place (give_ups),
// and sent home. A boat market with one seat a day holds nearly all of them at the coast.
TEST(GiveUp, WhoWaitsTooLongGivesUpWhereItWaitedAndGoesHome) {
    Scenario s = crossing(500, 0, false);
    add_market(s, market("boats", {1}, 100, 1));
    s.settings.give_up_days = 5;
    s.settings.give_up_action = GiveUpAction::go_home;
    Simulation sim(s, 2);
    std::int64_t at_origin = 0, at_coast = 0, at_goal = 0;
    for (int d = 0; d < s.settings.days; ++d) {
        sim.step();
        const auto& gave_up = sim.today()[Series::give_ups];
        at_origin += gave_up[0], at_coast += gave_up[1], at_goal += gave_up[2];
    }
    EXPECT_GT(at_coast, 400);   // not at home, where they are sent
    EXPECT_EQ(at_goal, 0);
    EXPECT_EQ(sim.today()[Series::status_counts][static_cast<std::size_t>(Status::returned)], at_origin + at_coast);
}
