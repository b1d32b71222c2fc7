// The route logit: probabilities proportional to exp(-G / tau) with G the road to the crossing,
// the crossing and the cost-to-go after it, and alias sampling that reproduces them.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "model/draws.hpp"
#include "model/route_choice.hpp"
#include "model/route_plans.hpp"
#include "support/tiny_network.hpp"

using namespace migsim;
using namespace migsim::detail;
using namespace migsim::testing;

namespace {
DayConditions conditions_for(const Scenario& s) {
    DayConditions day;
    day.market_price.assign(s.markets.size(), 0);
    for (std::size_t k = 0; k < 3; ++k) {
        day.interception[k].assign(s.links.size(), 0);
        day.death[k].assign(s.links.size(), 0);
        day.perceived_interception[k].assign(s.links.size(), 0);
        day.perceived_death[k].assign(s.links.size(), 0);
        day.local_interception[k].assign(s.links.size(), 0);
        day.local_death[k].assign(s.links.size(), 0);
    }
    day.pathway_accepting.assign(s.pathways.size(), true);
    day.location_full.assign(s.locations.size(), false);
    return day;
}

// What everyone, and those at the crossing, believe about crossing `link` alone.
void believe(DayConditions& day, std::size_t link, double interception, double death) {
    const auto k = static_cast<std::size_t>(Passage::alone);
    day.perceived_interception[k][link] = day.local_interception[k][link] = interception;
    day.perceived_death[k][link] = day.local_death[k][link] = death;
}

// Today's route logit at (at, chooser), keyed by the crossing's link (-1: wait, -2 - d: the
// road to destination d, 1000 + w: pathway w).
std::map<int, double> route_logit(const Scenario& s, const RouteChoice& choice, int at, int chooser) {
    RoutePlans plans(s, choice);
    plans.update(DayParameters(s), conditions_for(s), choice, std::vector<std::uint8_t>(s.locations.size(), 1), 0, 1.0);
    std::map<int, double> p;
    for (auto [r, probability] : plans.probabilities(at, chooser)) {
        if (r == wait_a_day) {
            p[-1] += probability;
            continue;
        }
        const Route& route = plans.route(static_cast<std::size_t>(r));
        const int key = route.kind == Route::Kind::crossing  ? route.index
                        : route.kind == Route::Kind::pathway ? 1000 + route.index
                                                             : -2 - route.index;
        p[key] += probability;
    }
    return p;
}
}   // namespace

TEST(RouteChoice, CostToGoIsTheCheapestPath) {
    Scenario s = crossing(1, 0, true);
    s.profiles[0].weights = {1, 0.01, 10, 100};
    RouteChoice choice(s);
    auto day = conditions_for(s);
    believe(day, 1, 0.25, 0);
    choice.update(s, DayParameters(s), day);
    // boat: 1 day + 10 * 0.25; walk: 2 days + 0.01 * cost 0.
    EXPECT_DOUBLE_EQ(choice.cost_to_go()(2, 0), 0.0);
    EXPECT_DOUBLE_EQ(choice.cost_to_go()(1, 0), 1 + 2.5);
    EXPECT_DOUBLE_EQ(choice.cost_to_go()(0, 0), 2 + 3.5);
}

namespace {
// Two crossings alone from the coast (links 1 and 2, borders 0 and 1); interception weighs 8,
// a day 1, tau 2.
Scenario two_crossings() {
    Scenario s = crossing(1, 0, true);
    s.borders.push_back(s.borders[0]);
    s.borders[1].id = "sea_b";
    s.links.push_back(link("boat_b", 1, 2, 150, Mode::sea, 1));
    s.links.back().alone = true;
    s.profiles[0].weights = {1, 0, 8, 0};
    s.profiles[0].tau = 2;
    return s;
}
}   // namespace

TEST(RouteChoice, LogitOverTwoCrossingsAndStaying) {
    const Scenario s = two_crossings();
    RouteChoice choice(s);
    auto day = conditions_for(s);
    believe(day, 1, 0.5, 0);   // G = 1 + 4
    believe(day, 2, 0.0, 0);   // G = 1
    choice.update(s, DayParameters(s), day);
    // wait: 1 + the best route = 2
    const std::map<int, double> p = route_logit(s, choice, 1, 0);
    const double w_stay = std::exp(-2 / 2.0), w_a = std::exp(-5 / 2.0), w_b = std::exp(-1 / 2.0);
    const double total = w_stay + w_a + w_b;
    EXPECT_NEAR(p.at(-1), w_stay / total, 1e-12);
    EXPECT_NEAR(p.at(1), w_a / total, 1e-12);
    EXPECT_NEAR(p.at(2), w_b / total, 1e-12);

    // Alias sampling with agents' own draws reproduces the probabilities.
    RoutePlans plans(s, choice);
    plans.update(DayParameters(s), conditions_for(s), choice, std::vector<std::uint8_t>(s.locations.size(), 1), 0, 1.0);
    std::map<int, int> hits;
    const int n = 200000;
    for (std::uint32_t agent = 0; agent < n; ++agent) {
        auto words = draw(7, agent, 0, Purpose::choice);
        const int r = plans.sample(1, 0, words[0], words[1]);
        ++hits[r == wait_a_day ? -1 : plans.route(static_cast<std::size_t>(r)).index];
    }
    for (auto [key, probability] : p)
        EXPECT_NEAR(hits[key] / double(n), probability, 3 * std::sqrt(probability * (1 - probability) / n));
}

// From the origin the routes are the two crossings at the coast, two days' road away: each costs
// the road, the crossing and nothing after it (both land at the destination).
TEST(RouteChoice, RoutesFromAfarAddTheRoadToTheirStart) {
    const Scenario s = two_crossings();
    RouteChoice choice(s);
    auto day = conditions_for(s);
    believe(day, 1, 0.5, 0);
    choice.update(s, DayParameters(s), day);
    const std::map<int, double> p = route_logit(s, choice, 0, 0);
    const double road = 2;   // walk: 2 days
    const double w_a = std::exp(-(road + 5) / 2.0), w_b = std::exp(-(road + 1) / 2.0);
    const double w_wait = std::exp(-(1 + road + 1) / 2.0);
    const double total = w_a + w_b + w_wait;
    EXPECT_NEAR(p.at(1), w_a / total, 1e-12);
    EXPECT_NEAR(p.at(2), w_b / total, 1e-12);
    EXPECT_NEAR(p.at(-1), w_wait / total, 1e-12);
}

TEST(RouteChoice, FullLocationsAndClosedPathwaysAreNotChosen) {
    Scenario s = crossing(1, 0, true);
    RouteChoice choice(s);
    auto day = conditions_for(s);
    day.location_full[1] = true;   // the coast is full: from the origin one can only wait
    choice.update(s, DayParameters(s), day);
    for (auto [key, probability] : route_logit(s, choice, 0, 0)) EXPECT_DOUBLE_EQ(probability, key == -1 ? 1.0 : 0.0);
}

namespace {
// Two boats from the coast, one deadlier; men, and women and girls who weigh death more.
Scenario two_boats_and_groups() {
    Scenario s = crossing(1, 0, true);
    s.links.push_back(link("boat_b", 1, 2, 150, Mode::sea, 0));
    s.links.back().alone = true;
    s.profiles[0].weights = {1, 0, 0, 10};
    s.profiles[0].tau = 2;
    s.groups = {Group{"man", "male", "adult"}, Group{"woman", "female", "adult"}, Group{"girl", "female", "child"}};
    s.groups[1].weight_factors.death = 4;
    s.groups[2].weight_factors.death = 4;
    s.profiles[0].group_shares = {0.5, 0.3, 0.2};
    return s;
}

}   // namespace

TEST(RouteChoice, AGroupsWeightFactorsScaleItsProfilesWeights) {
    Scenario s = two_boats_and_groups();
    RouteChoice choice(s);
    ASSERT_TRUE(choice.groups_choose_apart());
    EXPECT_EQ(choice.chooser(0, 1), choice.chooser(0, 2));   // same factors, same pathways: one table
    EXPECT_NE(choice.chooser(0, 0), choice.chooser(0, 1));
    auto day = conditions_for(s);
    believe(day, 1, 0, 0.05);
    believe(day, 2, 0, 0.20);
    choice.update(s, DayParameters(s), day);

    // A woman chooses exactly as a profile whose death weight is 4 x 10 would.
    Scenario scaled = s;
    scaled.groups.clear();
    scaled.profiles[0].group_shares.clear();
    scaled.profiles[0].weights.death = 40;
    RouteChoice reference(scaled);
    reference.update(scaled, DayParameters(scaled), day);
    const auto women = route_logit(s, choice, 1, choice.chooser(0, 1));
    const auto men = route_logit(s, choice, 1, choice.chooser(0, 0));
    const auto expected = route_logit(scaled, reference, 1, 0);
    for (auto [key, probability] : expected) EXPECT_DOUBLE_EQ(women.at(key), probability);
    // Analytically: G(boat a) = 1 + 40 x 0.05 = 3, G(boat b) = 1 + 40 x 0.2 = 9, stay = 1 + 3.
    const double a = std::exp(-3 / 2.0), b = std::exp(-9 / 2.0), stay = std::exp(-4 / 2.0);
    EXPECT_NEAR(women.at(2), b / (a + b + stay), 1e-12);
    EXPECT_GT(men.at(2), 2 * women.at(2));   // men, weighing death less, take the deadlier boat more
    EXPECT_DOUBLE_EQ(choice.cost_to_go()(1, choice.chooser(0, 1)), 3.0);
    EXPECT_DOUBLE_EQ(choice.cost_to_go()(1, choice.chooser(0, 0)), 1 + 10 * 0.05);
}

TEST(RouteChoice, GroupsChooseAlikeUnlessTheirFactorsOrPathwaysDiffer) {
    Scenario s = two_boats_and_groups();
    s.groups[1].weight_factors.death = s.groups[2].weight_factors.death = 1;
    EXPECT_FALSE(RouteChoice(s).groups_choose_apart());   // no cost for groups that choose alike

    // A visa for girls only: their cost-to-go counts it, the others' does not.
    Pathway visa;
    visa.id = visa.name = "visa";
    visa.eligible = {0};
    visa.groups = {2};
    visa.to = 2;
    visa.processing_days = 30;
    s.pathways = {visa};
    RouteChoice choice(s);
    ASSERT_TRUE(choice.groups_choose_apart());
    EXPECT_EQ(choice.chooser(0, 0), choice.chooser(0, 1));
    auto day = conditions_for(s);
    believe(day, 1, 0, 10);   // the boats: a cost of 101
    believe(day, 2, 0, 10);
    choice.update(s, DayParameters(s), day);
    EXPECT_DOUBLE_EQ(choice.cost_to_go()(1, choice.chooser(0, 2)), 30.0);   // the visa, from anywhere
    EXPECT_DOUBLE_EQ(choice.cost_to_go()(1, choice.chooser(0, 0)), 101.0);
    EXPECT_DOUBLE_EQ(choice.cost_to_go()(0, choice.chooser(0, 0)), 2 + 101.0);   // walk 2 days, then a boat
    for (auto [key, probability] : route_logit(s, choice, 0, choice.chooser(0, 0))) EXPECT_LT(key, 1000);
    // Girls: the visa (30) against waiting (1 + 30) and the boats (2 + 101), tau 2.
    const double by_visa = 1, wait = std::exp(-1 / 2.0), boat = std::exp(-73 / 2.0);
    EXPECT_NEAR(route_logit(s, choice, 0, choice.chooser(0, 2)).at(1000), by_visa / (by_visa + wait + 2 * boat), 1e-12);
}
