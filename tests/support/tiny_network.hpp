// Tiny scenarios built in code, for checking one mechanism at a time against its analytic
// expectation. `crossing()` is the smallest interesting network:
//   origin --land--> coast --(border, sea)--> destination
#pragma once

#include <string>

#include "migsim/scenario.hpp"
#include "migsim/simulation.hpp"

namespace migsim::testing {

inline Location place(const std::string& id, LocationKind kind) {
    Location l;
    l.id = l.name = id;
    l.country = "X";
    l.kind = kind;
    return l;
}

inline Link link(const std::string& id, int from, int to, double km, Mode mode, int border = no_index) {
    Link l;
    l.id = id;
    l.from = from;
    l.to = to;
    l.distance_km = km;
    l.mode = mode;
    l.border = border;
    return l;
}

// One profile that cares only about getting there; agents never give up unless told.
inline Scenario crossing(std::int64_t agents, double patrol, bool alone) {
    Scenario s;
    s.settings.name = "tiny";
    s.settings.days = 60;
    s.settings.seed = 42;
    s.settings.max_attempts = 255;
    s.settings.give_up_days = 10000;
    s.locations = {place("origin", LocationKind::origin), place("coast", LocationKind::coast),
                   place("goal", LocationKind::destination)};
    Border b;
    b.id = "sea";
    b.patrol = patrol;
    s.borders = {b};
    s.links = {link("walk", 0, 1, 400, Mode::land), link("boat", 1, 2, 150, Mode::sea, 0)};
    s.links[1].alone = alone;
    Profile p;
    p.id = "all";
    p.budget_median = 1e6;
    p.weights = {0.1, 0, 0, 0};
    p.tau = 1;
    p.destinations = {2};
    s.profiles = {p};
    s.demand = {DemandRow{0, 0, 0, agents, 1}};
    return s;
}

inline Market market(const std::string& id, std::vector<int> links, double price, std::int64_t capacity) {
    Market m;
    m.id = m.name = id;
    m.links = std::move(links);
    m.price = price;
    m.capacity = capacity;
    return m;
}

// Attaches a market to links (as the loader does).
inline void add_market(Scenario& s, Market m) {
    for (int l : m.links) s.links[static_cast<std::size_t>(l)].market = static_cast<int>(s.markets.size());
    s.markets.push_back(std::move(m));
}

// Sum of one per-entity series over the whole run.
template <class Get>
std::int64_t run_total(Simulation& sim, int days, Get get) {
    std::int64_t total = 0;
    for (int d = 0; d < days; ++d) {
        sim.step();
        total += get(sim.today());
    }
    return total;
}

}   // namespace migsim::testing
