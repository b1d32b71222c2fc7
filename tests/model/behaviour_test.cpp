// Route plans, re-planning and give-ups (docs/BEHAVIOUR.md), each against what the mechanism
// says it must do: the share who leave a route when its patrol jumps is the logit's, with the
// switching cost in it; remembered failures deter; give-ups split as set.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "migsim/simulation.hpp"
#include "support/tiny_network.hpp"

using namespace migsim;
using namespace migsim::testing;

namespace {
constexpr int border_a = 0, border_b = 1;
constexpr double patrol_after = 0.8;   // A's patrol from day 5
constexpr double tau = 1, w_time = 1, w_interception = 4;

// Origin -- 10 days of road --> coast, and from the coast two crossings alone to the goal: A
// (border 0) without patrol, B (border 1) with patrol 0.5. On day 5, while every agent who set
// out on day 0 is still on the road, A's patrol jumps to 0.8; news travels in a day
// (information lags of 1), so each arrives on day 10 knowing it, with a plan made for A.
Scenario two_crossings(std::int64_t agents, double switching_cost) {
    Scenario s = crossing(agents, 0.0, true);
    s.settings.days = 14;
    s.settings.information_lag_days = 1;
    s.settings.behaviour.local_information_lag_days = 1;
    s.settings.behaviour.switching_cost = switching_cost;
    s.settings.behaviour.retry_penalty = 0;
    s.settings.journey_sample = 1;   // every journey, with its plans
    s.links[0].distance_km = 2000;   // 10 days at 200 km a day
    Border b = s.borders[0];
    b.id = "sea_b";
    b.patrol = 0.5;
    s.borders.push_back(b);
    s.links.push_back(link("boat_b", 1, 2, 150, Mode::sea, border_b));
    s.links.back().alone = true;
    s.profiles[0].weights = {w_time, 0, w_interception, 0};
    s.profiles[0].tau = tau;
    s.events = {Event{5, Assignment{TargetKind::border, border_a, Parameter::patrol, patrol_after}}};
    return s;
}

struct NewsReplans {
    std::int64_t replanned = 0, to_b = 0;
    int day = -1;
};

// The news re-plans of those who planned A on day 0, on the first day any is made.
NewsReplans news_replans(const Scenario& s) {
    Simulation sim(s, 2);
    for (int d = 0; d < s.settings.days; ++d) sim.step();
    NewsReplans out;
    for (const Journey& j : sim.journeys()) {
        if (j.plans.empty() || j.plans[0][0] != 0 || j.plans[0][2] != border_a) continue;
        for (std::size_t k = 1; k < j.plans.size(); ++k)
            if (j.plans[k][3] == 4 /* 1 + news */) {
                if (out.day < 0) out.day = j.plans[k][0];
                if (j.plans[k][0] == out.day) ++out.to_b;
            }
    }
    return out;
}

// Everyone who re-planned for the news on that day: kept A (no new plan noted) or took B.
std::int64_t replanned_on(const Scenario& s, int day) {
    Simulation sim(s, 2);
    std::int64_t n = 0;
    for (int d = 0; d <= day; ++d) {
        sim.step();
        if (d == day) n = sim.today()[Series::replans][3];   // replan_causes: failure, money, closed, news
    }
    return n;
}

// P(B | a route is kept) = e^{-G_B/tau} e^{-s/tau} / (e^{-G_A/tau} + e^{-G_B/tau} e^{-s/tau}).
double expected_share(double switching_cost) {
    const double g_a = w_time + w_interception * patrol_after, g_b = w_time + w_interception * 0.5;
    const double a = std::exp(-g_a / tau), b = std::exp(-g_b / tau) * std::exp(-switching_cost / tau);
    return b / (a + b);
}
}   // namespace

TEST(Replanning, ThePatrolJumpMovesTheLogitsShareToTheOtherCrossing) {
    for (double cost : {0.0, 1.0}) {
        const Scenario s = two_crossings(20000, cost);
        const NewsReplans news = news_replans(s);
        ASSERT_GE(news.day, 10) << "the news reaches them where they are, on arrival";
        const std::int64_t n = replanned_on(s, news.day);
        ASSERT_GT(n, 5000);
        const double share = static_cast<double>(news.to_b) / static_cast<double>(n), p = expected_share(cost);
        EXPECT_NEAR(share, p, 3 * std::sqrt(p * (1 - p) / static_cast<double>(n)) + 1e-9) << "switching cost " << cost;
    }
    EXPECT_GT(expected_share(0.0), 0.5);   // the test asks for a real move: most leave A at zero cost
}

TEST(Replanning, AnInfiniteSwitchingCostKeepsEveryoneOnTheirPlan) {
    const Scenario s = two_crossings(5000, 1e9);
    Simulation sim(s, 2);
    std::int64_t switches = 0, news = 0, crossed_a = 0;
    for (int d = 0; d < s.settings.days; ++d) {
        sim.step();
        for (std::int64_t v : sim.today()[Series::route_switches]) switches += v;
        news += sim.today()[Series::replans][3];
        crossed_a += sim.today()[Series::border_crossings][border_a];
    }
    EXPECT_GT(news, 1000);   // they heard the news, and kept their plan
    EXPECT_EQ(switches, 0);
    EXPECT_GT(crossed_a, 0);
}

TEST(Replanning, RouteSwitchesAreCountedFromTheOldBorderToTheNew) {
    const Scenario s = two_crossings(5000, 0.0);
    Simulation sim(s, 1);
    std::map<std::size_t, std::int64_t> switches;
    for (int d = 0; d < s.settings.days; ++d) {
        sim.step();
        const auto& today = sim.today()[Series::route_switches];
        for (std::size_t k = 0; k < today.size(); ++k) switches[k] += today[k];
    }
    const std::size_t a_to_b = border_switch_slot(border_a, border_b, s.borders.size());
    EXPECT_GT(switches[a_to_b], 1000);
    std::int64_t all = 0;
    for (auto [slot, n] : switches) all += n;
    // Those who went for B and were caught may go back to A: the rest of the switches.
    EXPECT_GT(switches[a_to_b], all / 2);
}

// A fence that catches 95%: with remembered failures deterring, people leave it for the boat
// after a few tries; without, they keep climbing.
TEST(Memory, RememberedFailuresMakePeopleLeaveAFence) {
    auto attempts_per_person = [](double penalty) {
        Scenario s = crossing(2000, 0.0, true);
        s.settings.days = 120;
        s.settings.behaviour.retry_penalty = penalty;
        s.borders[0].patrol = 0.95;   // the fence
        Border sea = s.borders[0];
        sea.id = "sea";
        sea.patrol = 0.3;
        s.borders.push_back(sea);
        s.links.push_back(link("boat", 1, 2, 150, Mode::sea, 1));
        s.links.back().alone = true;
        s.links.back().cost = 500;   // the boat costs money; the fence does not
        s.profiles[0].weights = {0.1, 0.004, 2, 0};
        Simulation sim(s, 2);
        std::int64_t attempts = 0, retries = 0;
        for (int d = 0; d < s.settings.days; ++d) {
            sim.step();
            attempts += sim.today()[Series::border_attempts][0];
            retries += sim.today()[Series::border_retries][0];
        }
        return static_cast<double>(attempts) / static_cast<double>(attempts - retries);
    };
    const double deterred = attempts_per_person(3), undeterred = attempts_per_person(0);
    EXPECT_LT(deterred, 2.0);
    EXPECT_GT(undeterred, 2 * deterred);
}

TEST(GiveUp, ASwitchShareOfOneSendsEveryoneOnAnotherRouteOnceThenTheySettle) {
    Scenario s = crossing(1000, 1.0, true);   // the crossing always fails
    s.settings.max_attempts = 2;
    s.settings.behaviour.give_up_switch = 1;
    s.settings.behaviour.retry_penalty = 0;
    s.settings.days = 60;
    Simulation sim(s, 2);
    std::int64_t give_ups = 0, switched = 0;
    for (int d = 0; d < s.settings.days; ++d) {
        sim.step();
        for (std::int64_t v : sim.today()[Series::give_ups]) give_ups += v;
        for (std::int64_t v : sim.today()[Series::give_ups_switch]) switched += v;
    }
    EXPECT_EQ(switched, 1000);   // each tries again once
    EXPECT_EQ(give_ups, 2000);   // and gives up for good the second time
    EXPECT_EQ(sim.today()[Series::status_counts][static_cast<std::size_t>(Status::settled)], 1000);
}

namespace {
const std::string toy = std::string(MIGSIM_SOURCE_DIR) + "/scenarios/toy";

// The most times one journey passed through one place, over every journey of a run of the toy
// (240 days: both waves, the strait's patrol rising on day 60), how many journeys went back to
// a place they had left, and how many came to one place three times or more (cycled).
struct Revisits {
    int most = 0;
    std::int64_t went_back = 0, cycled = 0;
};
Revisits revisits(const std::vector<std::string>& settings) {
    std::vector<std::string> all{"journey_sample=1", "days=240"};
    all.insert(all.end(), settings.begin(), settings.end());
    const Scenario s = load_scenario(toy, all);
    Simulation sim(s, 2);
    for (int d = 0; d < s.settings.days; ++d) sim.step();
    Revisits out;
    for (const Journey& j : sim.journeys()) {
        std::map<int, int> visits;
        int here = 0;
        for (int place : j.route) here = std::max(here, ++visits[place]);
        out.most = std::max(out.most, here);
        out.went_back += here > 1 ? 1 : 0;
        out.cycled += here > 2 ? 1 : 0;
    }
    return out;
}
}   // namespace

// The way back is open (no rule forbids it), and people do not walk to and fro: with the
// defaults no journey passes a place more than twice.
TEST(Replanning, NobodyCyclesBetweenPlaces) {
    const Revisits kept = revisits({});
    EXPECT_LE(kept.most, 2);
    EXPECT_EQ(kept.cycled, 0);
    EXPECT_GT(kept.went_back, 10) << "some go back the way they came, to another crossing";
}

// Two coasts a day apart, each with a crossing caught half the time: after each failure one plans
// again, and without a switching cost about half of them walk to the other coast. The switching
// cost is what keeps them where they are: with 4 (tau 1) the walks back from the second coast
// fall by far more than half.
TEST(Replanning, TheSwitchingCostKeepsPeopleFromWalkingBetweenCoasts) {
    auto walks = [](double switching_cost) {
        Scenario s = crossing(2000, 0.5, true);
        s.settings.days = 60;
        s.settings.behaviour.switching_cost = switching_cost;
        s.settings.behaviour.retry_penalty = 0;
        s.locations.push_back(place("coast_b", LocationKind::coast));   // 3
        s.links.push_back(link("along", 1, 3, 100, Mode::land));        // 2: a day
        s.links.push_back(link("back", 3, 1, 100, Mode::land));         // 3
        s.links.push_back(link("boat_b", 3, 2, 150, Mode::sea, 0));     // 4: same patrol
        s.links.back().alone = true;
        s.profiles[0].weights = {0.1, 0, 1, 0};
        Simulation sim(s, 2);
        std::int64_t n = 0;
        for (int d = 0; d < s.settings.days; ++d) {
            sim.step();
            n += sim.today()[Series::link_flow][3];   // back: no first plan takes it
        }
        return n;
    };
    const std::int64_t free = walks(0), kept = walks(4);
    EXPECT_GT(free, 300);
    EXPECT_LT(kept, free / 4) << free;
}
