// Route plans (docs/BEHAVIOUR.md). A route is named by the crossing that decides it: a smuggler's
// seat or an attempt alone on a link, an application to a pathway, or a destination reached by
// road. Roads (links taken as a regular traveller) lead to where the crossing starts; after it
// comes the cost-to-go. An agent that plans draws a route by a logit over the routes it can reach
// by road, or waits (and plans again tomorrow):
//   G(r | at) = A(at -> start(r)) + g(r) + V(end(r)),     P(r) ~ exp(-G / tau),
//   G(wait)   = w_time + min_r G(r | at),
// with A the cheapest road cost, g the crossing's own cost (with the rates seen where it starts
// when the agent is there, as word reaches everyone otherwise) and V the cost-to-go
// (model/route_choice.hpp). An agent considers the crossings that start at the `horizon` places
// nearest to it by road (itself included). The routes of one chooser at one place are shared:
// one Walker alias table each per day. What one agent adds (the switching cost of leaving its
// plan, the failures it remembers, what it can afford) is applied by rejection in
// AgentRules::plan, which keeps the logit exact: a draw of r is kept with probability
// exp(-extra(r) / tau).
//
// A route's news: each day the value of every (chooser, route) from where it starts,
// U = g(r) + V(end(r)), is compared with the value its planners last heard of; when it moved by
// more than `replan_threshold` (or the route closed or opened), the day is that route's news day,
// and agents who planned it before then plan again.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "common/bytes.hpp"
#include "migsim/scenario.hpp"
#include "model/alias.hpp"
#include "model/route_choice.hpp"

namespace migsim::detail {

struct Route {
    enum class Kind : std::uint8_t { crossing, pathway, destination };
    Kind kind = Kind::crossing;
    Passage passage = Passage::smuggled;   // crossing: smuggled or alone
    std::uint16_t index = 0;               // the link, pathway or destination location
    int start = no_index;                  // where it starts; no_index: a pathway applied for anywhere
    int border = no_index;                 // the border the crossing passes, or no_index
    int market = no_index;                 // a smuggled crossing's market, or no_index
};

inline constexpr std::uint16_t no_plan = UINT16_MAX;
inline constexpr int wait_a_day = -1;   // what sample() returns for "wait, plan again tomorrow"

class RoutePlans {
public:
    // The places an agent looks at for crossings: the nearest by road, itself included.
    static constexpr std::size_t horizon = 64;

    RoutePlans(const Scenario& s, const RouteChoice& choice);

    // Today's route costs and alias tables at the places in `occupied` (others are not read
    // today), after choice.update(); then every route's news.
    void update(const DayParameters& now, const DayConditions& conditions, const RouteChoice& choice,
                const std::vector<std::uint8_t>& occupied, int day, double replan_threshold);

    [[nodiscard]] std::size_t size() const { return routes_.size(); }
    [[nodiscard]] const Route& route(std::size_t r) const { return routes_[r]; }
    // Route r is taken where the agent stands (its crossing starts here, or a pathway open anywhere).
    [[nodiscard]] bool starts_at(std::size_t r, int at) const {
        return routes_[r].start == at || routes_[r].start == no_index;
    }
    // A route (or wait_a_day) drawn for an agent of `chooser` at `at` from its two words.
    [[nodiscard]] int sample(int at, int chooser, std::uint32_t word_column, std::uint32_t word_coin) const;
    // The road to take next towards route r's start from `at`: a link, or no_index when r is
    // out of reach from here today (beyond the horizon, or its roads closed).
    [[nodiscard]] int next_road(int at, int chooser, std::size_t r) const;
    // Route r can be taken from `at` today: within reach, its roads and crossing open.
    [[nodiscard]] bool open(int at, int chooser, std::size_t r) const;
    [[nodiscard]] int news_day(int chooser, std::size_t r) const { return news_day_[index(chooser, r)]; }
    // What route r costs in money today at its crossing (a seat, the fare alone, a pathway's fee;
    // a destination reached by road: 0), and the least of those open at (at, chooser): one who
    // has less can only wait.
    [[nodiscard]] double price(std::size_t r) const { return price_[r]; }
    [[nodiscard]] double cheapest(int at, int chooser) const {
        return cheapest_[static_cast<std::size_t>(at) * choosers_ + static_cast<std::size_t>(chooser)];
    }
    // Today's logit at (at, chooser): (route or wait_a_day, probability), for tests and tools.
    [[nodiscard]] std::vector<std::pair<int, double>> probabilities(int at, int chooser) const;

    // What carries over from day to day (the news), for checkpoints.
    void save(ByteWriter& out) const;
    void restore(ByteReader& in);

private:
    struct Candidate {   // a route seen from a place
        std::uint16_t route;
        std::int32_t option;       // its option at the route's start (RouteChoice), or no_index (destination)
        std::int32_t first_road;   // the road out of here towards its start; no_index: starts here
        double road_cost;          // A(here -> start) when the roads were last measured
    };
    [[nodiscard]] std::size_t index(int chooser, std::size_t r) const {
        return static_cast<std::size_t>(chooser) * routes_.size() + r;
    }
    void measure_roads(const RouteChoice& choice);
    [[nodiscard]] double value(const RouteChoice& choice, std::size_t chooser, const Candidate& c, bool here) const;

    std::vector<Route> routes_;
    std::size_t locations_, choosers_;
    std::vector<std::int32_t> route_option_;                // chooser x route: its option at its start, or no_index
    std::vector<std::vector<std::uint16_t>> routes_from_;   // per place: the routes that start there
    std::vector<std::uint8_t> goal_;                        // chooser x place: one of its destinations
    std::vector<int> anywhere_route_;      // per pathway: its route if applied for anywhere, else no_index
    std::vector<std::uint32_t> offsets_;   // (location, chooser) -> its candidates
    std::vector<Candidate> candidates_;
    std::vector<double> road_costs_;    // the road options' costs when last measured
    std::vector<double> roads_today_;   // the same, today (kept: no allocation a day)
    std::vector<double> probability_;   // per slot: slot 0 of a block is waiting, then candidates
    AliasTables alias_;
    std::vector<double> price_;            // per route, today
    std::vector<double> cheapest_;         // per (location, chooser), today (where occupied)
    std::vector<double> heard_;            // chooser x route: the value its planners last heard of
    std::vector<std::int32_t> news_day_;   // chooser x route
};

}   // namespace migsim::detail
