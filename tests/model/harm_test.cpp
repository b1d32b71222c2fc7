// Harm along the route (docs/HARM.md) on a tiny network, each harm against its analytic
// expectation: people waiting at a coast where nobody sells a seat (they cannot leave) face the
// coast's daily risks. Then tolls, bribes, groups, and the conservation of money.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "migsim/scenario.hpp"
#include "migsim/simulation.hpp"
#include "support/tiny_network.hpp"

using namespace migsim;
using namespace migsim::testing;

namespace {

constexpr int coast = 1;

// n agents created at the coast on day 0, with no way on: the boat's market sells no seats.
Scenario stuck_at_the_coast(std::int64_t n) {
    Scenario s = crossing(n, 0, false);
    add_market(s, market("boats", {1}, 100, 0));
    s.demand = {DemandRow{0, coast, 0, n, 1}};
    return s;
}

Harm harm(const std::string& id, HarmKind kind, double daily_risk) {
    Harm h;
    h.id = id;
    h.location = coast;
    h.kind = kind;
    h.daily_risk = daily_risk;
    return h;
}

// An event that ends harm `index`'s risk from `day` on (a cohort harmed on day 0, then watched).
Event risk_ends(int index, int day) {
    return Event{day, Assignment{TargetKind::harm, index, Parameter::daily_risk, 0}};
}

double sd(double n, double p) { return std::sqrt(n * p * (1 - p)); }

std::int64_t status(const Simulation& sim, Status st) {
    return sim.today()[Series::status_counts][static_cast<std::size_t>(st)];
}

}   // namespace

TEST(Harm, AbductionTakesTheRansomHoldsTheDaysAndKillsAtTheDailyRisk) {
    const std::int64_t n = 20000;
    Scenario s = stuck_at_the_coast(n);
    Harm h = harm("kidnap", HarmKind::abduction, 1.0);   // everyone on day 0, then nobody
    h.days = 10;
    h.ransom = 250;
    h.death_risk = 0.01;
    s.harms = {h};
    s.events = {risk_ends(0, 1)};
    Simulation sim(s, 2);
    sim.step();
    EXPECT_EQ(sim.today()[Series::harm_abductions][coast], n);
    EXPECT_DOUBLE_EQ(sim.today().amounts(Series::ransom_paid)[coast], 250.0 * n);   // budgets are far above the ransom
    EXPECT_EQ(status(sim, Status::held), n);
    std::int64_t dead = 0;
    for (int d = 1; d <= 10; ++d) {
        sim.step();
        dead += sim.today()[Series::harm_deaths][coast];
        const double expected = n * (1 - std::pow(0.99, d));   // a death check on each day held
        EXPECT_NEAR(static_cast<double>(dead), expected, 4 * sd(n, 1 - std::pow(0.99, d))) << "day " << d;
        EXPECT_EQ(status(sim, Status::dead_missing), dead);
    }
    EXPECT_EQ(status(sim, Status::held), 0);   // released on the tenth day
    EXPECT_EQ(status(sim, Status::waiting), n - dead);
}

TEST(Harm, AbductionsPerDayAreTheDailyRiskOfThoseWaiting) {
    const std::int64_t n = 40000;
    const double p = 0.03;
    Scenario s = stuck_at_the_coast(n);
    Harm h = harm("kidnap", HarmKind::abduction, p);
    h.days = 3;
    s.harms = {h};
    Simulation sim(s, 2);
    double expected = 0, variance = 0;
    std::int64_t abducted = 0, waiting = n;   // waiting at the start of the day
    for (int d = 0; d < 30; ++d) {
        sim.step();
        abducted += sim.today()[Series::harm_abductions][coast];
        expected += p * static_cast<double>(waiting);
        variance += p * (1 - p) * static_cast<double>(waiting);
        waiting = status(sim, Status::waiting);
    }
    EXPECT_NEAR(static_cast<double>(abducted), expected, 4 * std::sqrt(variance));
}

TEST(Harm, TraffickedPeopleGetOutAtTheExitRate) {
    const std::int64_t n = 20000;
    Scenario s = stuck_at_the_coast(n);
    Harm h = harm("forced_labour", HarmKind::trafficking, 1.0);
    h.exit_rate = 0.1;
    s.harms = {h};
    s.events = {risk_ends(0, 1)};
    Simulation sim(s, 2);
    for (int d = 0; d <= 20; ++d) {
        sim.step();
        const double expected = n * std::pow(0.9, d);   // an exit roll on each day after the first
        EXPECT_NEAR(static_cast<double>(status(sim, Status::trafficked)), expected, 4 * sd(n, std::pow(0.9, d)) + 1)
            << "day " << d;
    }
    EXPECT_EQ(sim.today()[Series::harm_trafficking][coast], 0);
}

TEST(Harm, DetentionReleasesOrSendsHomeWithTheReturnShare) {
    const std::int64_t n = 20000;
    Scenario s = stuck_at_the_coast(n);
    Harm h = harm("raids", HarmKind::detention, 1.0);
    h.days = 5;
    h.return_share = 0.3;
    s.harms = {h};
    s.events = {risk_ends(0, 1)};
    Simulation sim(s, 2);
    for (int d = 0; d < 5; ++d) {
        sim.step();
        EXPECT_EQ(status(sim, Status::detained), n) << "day " << d;
    }
    sim.step();   // day 5: released
    const std::int64_t home = status(sim, Status::returned);
    EXPECT_EQ(sim.today()[Series::harm_returns][coast], home);
    EXPECT_NEAR(static_cast<double>(home), 0.3 * n, 4 * sd(n, 0.3));
    EXPECT_EQ(status(sim, Status::waiting), n - home);
}

TEST(Harm, DetentionCanSendPeopleOnToAnotherPlace) {
    Scenario s = stuck_at_the_coast(1000);
    Harm h = harm("relocation", HarmKind::detention, 1.0);
    h.days = 2;
    h.return_share = 1.0;
    h.return_to = 0;   // the origin, where the walk starts again
    s.harms = {h};
    s.events = {risk_ends(0, 1)};
    Simulation sim(s, 1);
    for (int d = 0; d < 3; ++d) sim.step();
    EXPECT_EQ(sim.today()[Series::harm_returns][coast], 1000);
    EXPECT_EQ(status(sim, Status::returned), 0);   // not home: on the road again
}

TEST(Harm, ViolenceIsCountedAndChangesNothingAndAGroupRowOverridesThePlaceRow) {
    const std::int64_t n = 20000;
    Scenario s = stuck_at_the_coast(n);
    s.groups = {Group{"man", "male", "adult"}, Group{"woman", "female", "adult"}};
    s.profiles[0].group_shares = {0.5, 0.5};
    s.demand = {DemandRow{0, coast, 0, n, 1}};
    s.demand[0].group = 1;   // every agent a woman
    Harm all = harm("violence", HarmKind::violence, 0.1);
    Harm women = harm("violence_women", HarmKind::violence, 0.4);
    women.group = 1;
    s.harms = {all, women};
    Simulation sim(s, 2);
    sim.step();
    EXPECT_NEAR(static_cast<double>(sim.today()[Series::harm_violence][coast]), 0.4 * n, 4 * sd(n, 0.4));
    EXPECT_EQ(status(sim, Status::waiting), n);
    s.demand[0].group = 0;   // every agent a man: the place's row
    Simulation men(s, 2);
    men.step();
    EXPECT_NEAR(static_cast<double>(men.today()[Series::harm_violence][coast]), 0.1 * n, 4 * sd(n, 0.1));
}

TEST(Harm, GroupsAreDrawnFromTheProfileShares) {
    const std::int64_t n = 20000;
    Scenario s = stuck_at_the_coast(n);
    s.groups = {Group{"man", "male", "adult"}, Group{"woman", "female", "adult"}};
    s.profiles[0].group_shares = {0.75, 0.25};
    Harm women = harm("violence_women", HarmKind::violence, 1.0);   // counts the women
    women.group = 1;
    s.harms = {women};
    Simulation sim(s, 2);
    sim.step();
    EXPECT_NEAR(static_cast<double>(sim.today()[Series::harm_violence][coast]), 0.25 * n, 4 * sd(n, 0.25));
}

TEST(LinkCosts, TollsArePaidOnEveryDepartureUpToWhatOneHas) {
    const std::int64_t n = 1000;
    Scenario s = crossing(n, 0, true);
    s.profiles[0].tau = 1e-3;
    s.links[0].toll = 40;
    Simulation sim(s, 2);
    sim.step();
    EXPECT_EQ(sim.today()[Series::link_flow][0], n);
    EXPECT_DOUBLE_EQ(sim.today().amounts(Series::tolls_paid)[0], 40.0 * n);
    s.profiles[0].budget_median = 10;   // poorer than the toll: they pay what they have
    s.links[0].cost = 0;
    Simulation poor(s, 2);
    poor.step();
    EXPECT_NEAR(poor.today().amounts(Series::tolls_paid)[0], 10.0 * n, 1e-6 * n);
}

TEST(LinkCosts, SmugglersPayProtectionAndBribesForTheirPassengersOutOfTheirPrice) {
    const std::int64_t n = 5000;
    Scenario s = crossing(n, 0.3, false);   // the sea only with a smuggler
    add_market(s, market("boats", {1}, 100, n));
    s.markets[0].protection = 25;
    s.links[1].bribe = 30;
    s.profiles[0].tau = 1e-3;
    Simulation sim(s, 3);
    std::int64_t attempts = 0, set_out = 0;
    double protection = 0, smugglers_bribes = 0, migrants_bribes = 0, revenue = 0;
    for (int d = 0; d < 30; ++d) {
        sim.step();
        const DayTotals& t = sim.today();
        attempts += t[Series::border_attempts][0];
        set_out += t[Series::link_flow][1];
        protection += t.amounts(Series::protection_paid)[0];
        smugglers_bribes += t.amounts(Series::smuggler_bribes_paid)[0];
        migrants_bribes += t.amounts(Series::bribes_paid)[1];
        revenue += t.amounts(Series::market_revenue)[0];
    }
    ASSERT_GT(set_out, n / 2);
    ASSERT_GT(attempts, set_out);                                               // some were intercepted and tried again
    EXPECT_DOUBLE_EQ(protection, 25.0 * static_cast<double>(set_out));          // per passenger set out
    EXPECT_DOUBLE_EQ(smugglers_bribes, 30.0 * static_cast<double>(attempts));   // per passenger at the crossing
    EXPECT_EQ(migrants_bribes, 0.0);   // the passengers themselves pay only the price
    EXPECT_LT(protection + smugglers_bribes, revenue);
}

TEST(LinkCosts, ABribeCutsInterceptionForThoseWhoPay) {
    const std::int64_t n = 20000;
    const double patrol = 0.5, factor = 0.4;
    Scenario s = crossing(n, patrol, true);   // crossing alone is possible
    s.profiles[0].tau = 1e-3;
    s.links[1].bribe = 30;
    s.links[1].bribe_interception = factor;
    Simulation sim(s, 2);
    std::int64_t attempts = 0, intercepted = 0;
    double bribes = 0;
    for (int d = 0; d < 4; ++d) {   // first attempts only: the walk takes 2 days, the boat 1
        sim.step();
        attempts += sim.today()[Series::border_attempts][0];
        intercepted += sim.today()[Series::border_interceptions][0];
        bribes += sim.today().amounts(Series::bribes_paid)[1];
    }
    ASSERT_GT(attempts, n / 2);
    const double p = patrol * factor;
    EXPECT_NEAR(static_cast<double>(intercepted) / static_cast<double>(attempts), p,
                4 * std::sqrt(p * (1 - p) / static_cast<double>(attempts)));
    EXPECT_DOUBLE_EQ(bribes, 30.0 * static_cast<double>(attempts));
}

TEST(Money, WhatAgentsWereGivenIsWhatTheyPaidPlusWhatTheyHold) {
    // The toy scenario pays for everything: fares, smugglers' seats, a pathway, tolls, bribes,
    // ransom; and earns wages while waiting.
    Simulation sim(load_scenario(std::string(MIGSIM_SOURCE_DIR) + "/scenarios/toy"), 2);
    double paid = 0;
    auto sum = [](const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); };
    for (int d = 0; d < sim.scenario().settings.days; ++d) {
        sim.step();
        const DayTotals& t = sim.today();
        paid += sum(t.amounts(Series::market_revenue)) + sum(t.amounts(Series::ransom_paid)) +
                sum(t.amounts(Series::tolls_paid)) + sum(t.amounts(Series::bribes_paid)) +
                sum(t.amounts(Series::fares_paid)) + sum(t.amounts(Series::pathway_fees_paid));
    }
    const double given = sim.money_given();
    EXPECT_GT(paid, 0.1 * given);
    EXPECT_NEAR(given, paid + sim.money_held(), 1e-6 * given);
}

TEST(Groups, APathwayForSomeGroupsAdmitsOnlyThem) {
    const std::int64_t n = 2000;
    Scenario s = crossing(n, 0.9, false);   // the sea: almost always intercepted, no seats sold
    add_market(s, market("boats", {1}, 100, 0));
    s.groups = {Group{"man", "male", "adult"}, Group{"woman", "female", "adult"}};
    s.profiles[0].group_shares = {0.5, 0.5};
    Pathway p;
    p.id = p.name = "visa_for_women";
    p.eligible = {0};
    p.groups = {1};
    p.to = 2;
    p.quota = 1'000'000;
    p.close_day = 1000;
    s.pathways = {p};
    s.profiles[0].tau = 1e-3;
    for (int group : {0, 1}) {
        s.demand[0].group = group;
        Simulation sim(s, 2);
        std::int64_t admitted = 0;
        for (int d = 0; d < 10; ++d) {
            sim.step();
            admitted += sim.today()[Series::pathway_admissions][0];
        }
        if (group == 1) EXPECT_EQ(admitted, n);   // the cheapest way for those who may apply
        else EXPECT_EQ(admitted, 0);
    }
}
