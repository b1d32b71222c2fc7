// The logit over options: probabilities proportional to exp(-G / tau) with G including the
// cost-to-go, and alias sampling that reproduces them.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "model/draws.hpp"
#include "model/route_choice.hpp"
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
    }
    day.pathway_accepting.assign(s.pathways.size(), true);
    day.location_full.assign(s.locations.size(), false);
    return day;
}
}  // namespace

TEST(RouteChoice, CostToGoIsTheCheapestPath) {
    Scenario s = crossing(1, 0, true);
    s.profiles[0].weights = {1, 0.01, 10, 100};
    RouteChoice choice(s);
    auto day = conditions_for(s);
    day.perceived_interception[static_cast<int>(Passage::alone)][1] = 0.25;
    choice.update(s, day);
    // boat: 1 day + 10 * 0.25; walk: 2 days + 0.01 * cost 0.
    EXPECT_DOUBLE_EQ(choice.cost_to_go()(2, 0), 0.0);
    EXPECT_DOUBLE_EQ(choice.cost_to_go()(1, 0), 1 + 2.5);
    EXPECT_DOUBLE_EQ(choice.cost_to_go()(0, 0), 2 + 3.5);
}

TEST(RouteChoice, LogitOverTwoCrossingsAndStaying) {
    Scenario s = crossing(1, 0, true);
    s.borders.push_back(s.borders[0]);
    s.borders[1].id = "sea_b";
    s.links.push_back(link("boat_b", 1, 2, 150, Mode::sea, 1));
    s.links.back().alone = true;
    s.profiles[0].weights = {1, 0, 8, 0};
    s.profiles[0].tau = 2;
    RouteChoice choice(s);
    auto day = conditions_for(s);
    day.perceived_interception[static_cast<int>(Passage::alone)][1] = 0.5;   // G = 1 + 4
    day.perceived_interception[static_cast<int>(Passage::alone)][2] = 0.0;   // G = 1
    choice.update(s, day);
    // stay: 1 + V(coast) = 2
    std::map<int, double> p;
    for (auto [option, probability] : choice.probabilities(1, 0))
        p[option.kind == Option::Kind::stay ? -1 : option.index] = probability;
    const double w_stay = std::exp(-2 / 2.0), w_a = std::exp(-5 / 2.0), w_b = std::exp(-1 / 2.0);
    const double total = w_stay + w_a + w_b;
    EXPECT_NEAR(p[-1], w_stay / total, 1e-12);
    EXPECT_NEAR(p[1], w_a / total, 1e-12);
    EXPECT_NEAR(p[2], w_b / total, 1e-12);

    // Alias sampling with agents' own draws reproduces the probabilities.
    std::map<int, int> hits;
    const int n = 200000;
    for (std::uint32_t agent = 0; agent < n; ++agent) {
        auto words = draw(7, agent, 0, Purpose::choice);
        const Option& o = choice.sample(1, 0, words[0], words[1]);
        ++hits[o.kind == Option::Kind::stay ? -1 : o.index];
    }
    for (auto [key, probability] : p)
        EXPECT_NEAR(hits[key] / double(n), probability, 3 * std::sqrt(probability * (1 - probability) / n));
}

TEST(RouteChoice, FullLocationsAndClosedPathwaysAreNotChosen) {
    Scenario s = crossing(1, 0, true);
    RouteChoice choice(s);
    auto day = conditions_for(s);
    day.location_full[1] = true;   // the coast is full: from the origin one can only stay
    choice.update(s, day);
    for (auto [option, probability] : choice.probabilities(0, 0))
        EXPECT_DOUBLE_EQ(probability, option.kind == Option::Kind::stay ? 1.0 : 0.0);
}
