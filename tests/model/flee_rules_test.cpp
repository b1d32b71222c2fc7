// Flee's rules (docs/FLEE.md) on networks small enough to work out by hand: route weights,
// the capacity multiplier, the conflict decay, travel timing with same-day hops, closures,
// the move chance (through the geometric skip), conservation and determinism.
#include <gtest/gtest.h>

#include <cmath>

#include "migsim/simulation.hpp"
#include "flee/rules/flee_routes.hpp"
#include "support/tiny_network.hpp"

namespace migsim {
namespace {

using testing::link;
using testing::place;

Location flee_place(const std::string& id, LocationKind kind, const std::string& country = "Home",
                    std::int64_t population = 1000, std::int64_t capacity = 0) {
    Location l = place(id, kind);
    l.country = country;
    l.population = population;
    l.capacity = capacity;
    l.conflict = kind == LocationKind::conflict_zone ? 1 : 0;
    return l;
}

// Two-way Flee route between locations a and b.
void route(Scenario& s, int a, int b, double km) {
    const auto& A = s.locations[static_cast<std::size_t>(a)].id;
    const auto& B = s.locations[static_cast<std::size_t>(b)].id;
    s.links.push_back(link(A + "__" + B, a, b, km, Mode::land));
    s.links.push_back(link(B + "__" + A, b, a, km, Mode::land));
}

// zone (conflict) -- 98 km -- camp (abroad); zone -- 150 km -- town; town -- 305 km -- camp
Scenario triangle() {
    Scenario s;
    s.rules = Rules::flee;
    s.settings.name = "triangle";
    s.settings.days = 40;
    s.settings.seed = 7;
    s.flee.max_move_speed = 200;
    s.flee.camp_weight = 5;
    s.flee.conflict_weight = 0.25;
    s.flee.capacity_buffer = 0.75;
    s.locations = {flee_place("zone", LocationKind::conflict_zone), flee_place("town", LocationKind::town),
                   flee_place("camp", LocationKind::camp, "Abroad", 0, 0)};
    route(s, 0, 2, 98);
    route(s, 0, 1, 150);
    route(s, 1, 2, 305);
    return s;
}

double probability_to(const detail::FleeRoutes& routes, std::size_t at, int end) {
    double p = 0;
    for (const auto& [path, prob] : routes.probabilities(at))
        if (routes.path_end(path) == end) p += prob;
    return p;
}

TEST(FleeRoutes, WeightsAreScoreOverSoftenedDistance) {
    Scenario s = triangle();
    detail::FleeRoutes routes(s);
    routes.update(s, DayParameters(s), 0, {0, detail::no_conflict, detail::no_conflict}, {0, 0, 0});
    EXPECT_DOUBLE_EQ(routes.score(0), 0.25);   // conflict_weight ^ (decay 1 x intensity 1)
    EXPECT_DOUBLE_EQ(routes.score(1), 1.0);
    EXPECT_DOUBLE_EQ(routes.score(2), 5.0);   // foreign x camp_weight
    // From the zone: camp 5 / (10 + 98) against town 1 / (10 + 150).
    const double camp = 5.0 / 108, town = 1.0 / 160;
    EXPECT_NEAR(probability_to(routes, 0, 2), camp / (camp + town), 1e-12);
    EXPECT_NEAR(probability_to(routes, 0, 1), town / (camp + town), 1e-12);
    // From the town: zone 0.25 / 160 against camp 5 / 315.
    const double zone = 0.25 / 160, camp2 = 5.0 / 315;
    EXPECT_NEAR(probability_to(routes, 1, 2), camp2 / (zone + camp2), 1e-12);
    EXPECT_DOUBLE_EQ(routes.move_chance(0), s.flee.conflict_movechance);
    EXPECT_DOUBLE_EQ(routes.move_chance(1), s.flee.default_movechance);
    EXPECT_DOUBLE_EQ(routes.move_chance(2), s.flee.camp_movechance);
}

TEST(FleeRoutes, CapacityMultiplierTapersFromTheBufferToZero) {
    Scenario s = triangle();
    s.locations[2].capacity = 1000;   // buffer 0.75: full weight to 750, none from 1000
    detail::FleeRoutes routes(s);
    const std::vector<int> start{0, detail::no_conflict, detail::no_conflict};
    auto capmult = [&](std::int64_t n) {
        routes.update(s, DayParameters(s), 0, start, {0, 0, n});
        return routes.capacity_multiplier(2);
    };
    EXPECT_DOUBLE_EQ(capmult(0), 1.0);
    EXPECT_DOUBLE_EQ(capmult(750), 1.0);
    EXPECT_DOUBLE_EQ(capmult(875), 0.5);
    EXPECT_DOUBLE_EQ(capmult(900), 0.4);
    EXPECT_DOUBLE_EQ(capmult(1000), 0.0);
    EXPECT_DOUBLE_EQ(capmult(5000), 0.0);
    routes.update(s, DayParameters(s), 0, start, {0, 0, 876});
    EXPECT_TRUE(routes.refuses(2));   // capmult < 0.5: routes ending here are dropped
    routes.update(s, DayParameters(s), 0, start, {0, 0, 875});
    EXPECT_FALSE(routes.refuses(2));
    s.locations[2].capacity = 0;   // unlimited
    routes.update(s, DayParameters(s), 0, start, {0, 0, 1000000});
    EXPECT_DOUBLE_EQ(routes.capacity_multiplier(2), 1.0);
}

TEST(FleeRoutes, ConflictDecayStepsEveryInterval) {
    FleeSettings f;
    f.conflict_spawn_decay = {1, 1, 1, 0.5, 0.1};
    f.conflict_spawn_decay_interval = 30;
    EXPECT_EQ(detail::conflict_decay(f, 0), 1);
    EXPECT_EQ(detail::conflict_decay(f, 89), 1);
    EXPECT_EQ(detail::conflict_decay(f, 90), 0.5);
    EXPECT_EQ(detail::conflict_decay(f, 119), 0.5);
    EXPECT_EQ(detail::conflict_decay(f, 120), 0.1);
    EXPECT_EQ(detail::conflict_decay(f, 5000), 0.1);
    f.conflict_spawn_decay.clear();
    EXPECT_EQ(detail::conflict_decay(f, 500), 1);
}

TEST(FleeRoutes, AwarenessTwoCountsEveryLoopFreePrefix) {
    Scenario s = triangle();
    s.flee.awareness_level = 2;
    detail::FleeRoutes routes(s);
    routes.update(s, DayParameters(s), 0, {0, detail::no_conflict, detail::no_conflict}, {0, 0, 0});
    // From the zone: ->camp, ->camp->town, ->town, ->town->camp (never back to the zone).
    const auto candidates = routes.probabilities(0);
    ASSERT_EQ(candidates.size(), 4u);
    double total = 0;
    for (const auto& [path, p] : candidates) {
        EXPECT_NE(routes.path_end(path), 0);
        total += p;
    }
    EXPECT_NEAR(total, 1.0, 1e-12);
    // zone->town->camp: 5 / (10 + 150 + 305)
    const double w[] = {5.0 / 108, 1.0 / 413, 1.0 / 160, 5.0 / 465};
    EXPECT_NEAR(probability_to(routes, 0, 2), (w[0] + w[3]) / (w[0] + w[1] + w[2] + w[3]), 1e-12);
}

TEST(FleeRoutes, ClosedLinksLeaveNoRouteOrAUniformChoice) {
    Scenario s = triangle();
    for (auto& l : s.links)
        if (l.from == 0) l.open = false;
    detail::FleeRoutes routes(s);
    routes.update(s, DayParameters(s), 0, {0, detail::no_conflict, detail::no_conflict}, {0, 0, 0});
    EXPECT_LT(routes.choose(0, 123, 456), 0);
    s = triangle();
    s.flee.awareness_level = 0;   // a random neighbour
    detail::FleeRoutes uniform(s);
    uniform.update(s, DayParameters(s), 0, {0, detail::no_conflict, detail::no_conflict}, {0, 0, 0});
    EXPECT_DOUBLE_EQ(probability_to(uniform, 0, 1), 0.5);
}

// A scenario whose day-0 registrations put `n` agents somewhere (insert_day0).
void start_at(Scenario& s, int location, std::int64_t n) {
    CampSeries series;
    series.camp = s.locations[static_cast<std::size_t>(location)].name;
    series.location = location;
    series.daily.assign(static_cast<std::size_t>(s.settings.days), n);
    s.registrations = {series};
    s.spawns_per_day.assign(static_cast<std::size_t>(s.settings.days), 0);
    s.spawns_per_day[0] = n;
}

TEST(FleeTravel, ShortLinkIsCrossedTheDayOfLeavingAndTheAgentHopsOn) {
    // zone -- 98 km --> town (move chance 1) -- 50 km --> camp: all three legs on day 0.
    Scenario s;
    s.rules = Rules::flee;
    s.settings.days = 3;
    s.flee.max_move_speed = 200;
    s.flee.default_movechance = 1;
    s.flee.camp_movechance = 0;
    s.locations = {flee_place("start", LocationKind::camp), flee_place("town", LocationKind::town),
                   flee_place("camp", LocationKind::camp)};
    s.flee.camp_movechance = 1;   // the start camp lets everyone go on day 0
    s.links = {link("a", 0, 1, 98, Mode::land), link("b", 1, 2, 50, Mode::land)};
    start_at(s, 0, 100);
    Simulation sim(s, 1);
    sim.step();
    // 98 + 50 km < 200 km: both links the same day; then the camp's roll (chance 1, but no link on).
    EXPECT_EQ(sim.today()[Series::location_population][2], 100);
    EXPECT_EQ(sim.today()[Series::link_flow][0], 100);
    EXPECT_EQ(sim.today()[Series::link_flow][1], 100);
    EXPECT_EQ(sim.today()[Series::arrivals][2], 100);
}

TEST(FleeTravel, LongLinkTakesFloorOfDistanceOverSpeedPlusOneDays) {
    // 308 km at 200 km a day: on the link tonight, arrives the next day with 108 km moved,
    // and hops on over a 50 km link the same day.
    Scenario s;
    s.rules = Rules::flee;
    s.settings.days = 3;
    s.flee.max_move_speed = 200;
    s.flee.default_movechance = 1;
    s.flee.camp_movechance = 1;
    s.locations = {flee_place("start", LocationKind::camp), flee_place("town", LocationKind::town),
                   flee_place("camp", LocationKind::camp)};
    s.links = {link("a", 0, 1, 308, Mode::land), link("b", 1, 2, 50, Mode::land)};
    start_at(s, 0, 10);
    Simulation sim(s, 1);
    sim.step();
    EXPECT_EQ(sim.today()[Series::status_counts][static_cast<std::size_t>(Status::travelling)], 10);
    EXPECT_EQ(sim.today()[Series::location_population][0], 0);
    sim.step();
    EXPECT_EQ(sim.today()[Series::location_population][2], 10);
    EXPECT_EQ(sim.today()[Series::arrivals][1], 10);
}

TEST(FleeTravel, LinkClosedWhileOnItSendsAgentsBack) {
    Scenario s;
    s.rules = Rules::flee;
    s.settings.days = 3;
    s.flee.max_move_speed = 200;
    s.flee.camp_movechance = 1;
    s.flee.default_movechance = 0;
    s.locations = {flee_place("start", LocationKind::camp), flee_place("end", LocationKind::town)};
    s.links = {link("a", 0, 1, 308, Mode::land)};
    s.events = {Event{1, Assignment{TargetKind::link, 0, Parameter::open, 0}}};
    start_at(s, 0, 10);
    Simulation sim(s, 1);
    sim.step();   // on the link
    sim.step();   // closed: arrives back at the start
    EXPECT_EQ(sim.today()[Series::location_population][0], 10);
    EXPECT_EQ(sim.today()[Series::location_population][1], 0);
    sim.step();   // and cannot leave by it
    EXPECT_EQ(sim.today()[Series::link_flow][0], 0);
}

TEST(FleeMoveChance, CampLeaversFollowTheGeometricLaw) {
    // camp (move chance p) -> town (0.. nobody moves on): after day t, a share 1-(1-p)^(t+1) has left.
    const double p = 0.05;
    const std::int64_t n = 40000;
    Scenario s;
    s.rules = Rules::flee;
    s.settings.days = 30;
    s.flee.max_move_speed = 200;
    s.flee.camp_movechance = p;
    s.flee.default_movechance = 0;
    s.locations = {flee_place("camp", LocationKind::camp), flee_place("town", LocationKind::town)};
    s.links = {link("out", 0, 1, 400, Mode::land)};   // two days away: leavers are counted on departure
    start_at(s, 0, n);
    Simulation sim(s, 2);
    std::int64_t left = 0;
    for (int t = 0; t < s.settings.days; ++t) {
        sim.step();
        left += sim.today()[Series::link_flow][0];
        const double expected = static_cast<double>(n) * (1 - std::pow(1 - p, t + 1));
        const double sd = std::sqrt(expected * (1 - expected / static_cast<double>(n)));
        EXPECT_NEAR(static_cast<double>(left), expected, 4 * sd + 1) << "day " << t;
        EXPECT_EQ(sim.today()[Series::location_population][0] + sim.today()[Series::status_counts][1] +
                      sim.today()[Series::location_population][1],
                  n);
    }
}

TEST(FleeConflict, ATownAtWarBecomesAConflictZoneAndEveryoneThereLeaves) {
    // zone -> town (move chance 0 while at peace) -> camp; war reaches the town on day 3.
    Scenario s;
    s.rules = Rules::flee;
    s.settings.days = 6;
    s.flee.max_move_speed = 200;
    s.flee.default_movechance = 0;
    s.flee.camp_movechance = 0;
    s.locations = {flee_place("zone", LocationKind::conflict_zone), flee_place("town", LocationKind::town),
                   flee_place("camp", LocationKind::camp)};
    s.links = {link("in", 0, 1, 100, Mode::land), link("on", 1, 2, 500, Mode::land)};
    s.spawns_per_day.assign(6, 0);
    s.spawns_per_day[0] = 500;   // new agents appear at the conflict zone
    s.flee.insert_day0 = false;
    s.events = {Event{3, Assignment{TargetKind::location, 1, Parameter::conflict, 1}}};
    Simulation sim(s, 2);
    for (int t = 0; t < 3; ++t) {
        sim.step();
        EXPECT_EQ(sim.today()[Series::location_population][1], 500) << "day " << t;
    }
    sim.step();
    EXPECT_EQ(sim.parameters().locations[1].kind, LocationKind::conflict_zone);
    EXPECT_EQ(sim.scenario().locations[1].kind, LocationKind::town);   // the scenario stays as loaded
    EXPECT_EQ(sim.today()[Series::location_population][1], 0);
    EXPECT_EQ(sim.today()[Series::link_flow][1], 500);
}

std::vector<std::vector<std::int64_t>> camp_series(const Scenario& s, int threads) {
    Simulation sim(s, threads);
    std::vector<std::vector<std::int64_t>> out;
    for (int t = 0; t < s.settings.days; ++t) {
        sim.step();
        out.push_back(sim.today()[Series::location_population]);
        out.back().insert(out.back().end(), sim.today()[Series::link_flow].begin(),
                          sim.today()[Series::link_flow].end());
    }
    return out;
}

TEST(FleeDeterminism, SameSeriesOnAnyThreadCountAndAgentsAreConserved) {
    Scenario s = triangle();
    s.settings.days = 40;
    s.locations[2].capacity = 3000;
    s.spawns_per_day.assign(40, 500);
    s.flee.insert_day0 = false;
    const auto one = camp_series(s, 1);
    for (int threads : {2, 3, 8}) EXPECT_EQ(camp_series(s, threads), one) << threads << " threads";
    Simulation sim(s, 2);
    for (int t = 0; t < 40; ++t) {
        sim.step();
        const auto& st = sim.today()[Series::status_counts];
        EXPECT_EQ(st[0] + st[1], sim.agents());
        EXPECT_EQ(sim.agents(), 500 * (t + 1));
    }
}

TEST(FleeCheckpoint, ResumedRunContinuesBitForBit) {
    Scenario s = triangle();
    s.spawns_per_day.assign(40, 300);
    s.flee.insert_day0 = false;
    s.locations[2].capacity = 2000;
    Simulation whole(s, 2), first(s, 1);
    for (int t = 0; t < 17; ++t) whole.step(), first.step();
    const auto state = first.save_state();
    Simulation resumed(s, 3);
    resumed.restore_state(state);
    for (int t = 17; t < 40; ++t) {
        whole.step();
        resumed.step();
        ASSERT_EQ(whole.today()[Series::location_population], resumed.today()[Series::location_population])
            << "day " << t;
        ASSERT_EQ(whole.today()[Series::link_flow], resumed.today()[Series::link_flow]) << "day " << t;
    }
}

}   // namespace
}   // namespace migsim
