#include "model/route_plans.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>

namespace migsim::detail {

namespace {
constexpr double unreachable = std::numeric_limits<double>::infinity();

bool is_road(const Option& o) { return o.kind == Option::Kind::link && o.passage == Passage::regular; }
}   // namespace

RoutePlans::RoutePlans(const Scenario& s, const RouteChoice& choice)
    : locations_(s.locations.size()), choosers_(choice.choosers()) {
    // Every crossing of every link (by a smuggler, alone), every pathway at each place it is
    // applied for (or once, for anywhere), every destination.
    for (std::size_t l = 0; l < s.links.size(); ++l) {
        const Link& link = s.links[l];
        auto add = [&](Passage p) {
            routes_.push_back({Route::Kind::crossing, p, static_cast<std::uint16_t>(l), link.from, link.border,
                               p == Passage::smuggled ? link.market : no_index});
        };
        if (link.market != no_index) add(Passage::smuggled);
        if (link.border != no_index && link.alone) add(Passage::alone);
    }
    for (std::size_t w = 0; w < s.pathways.size(); ++w) {
        const auto index = static_cast<std::uint16_t>(w);
        if (s.pathways[w].from.empty()) routes_.push_back({Route::Kind::pathway, Passage::regular, index, no_index});
        for (int at : s.pathways[w].from) routes_.push_back({Route::Kind::pathway, Passage::regular, index, at});
    }
    for (std::size_t at = 0; at < locations_; ++at)
        if (s.locations[at].kind == LocationKind::destination)
            routes_.push_back(
                {Route::Kind::destination, Passage::regular, static_cast<std::uint16_t>(at), static_cast<int>(at)});
    // Each chooser's option for each route (at its start; for a pathway open anywhere, the first
    // place that offers it: its cost is the same everywhere).
    route_option_.assign(choosers_ * routes_.size(), no_index);
    for (std::size_t c = 0; c < choosers_; ++c)
        for (std::size_t r = 0; r < routes_.size(); ++r) {
            const Route& route = routes_[r];
            if (route.kind == Route::Kind::destination) continue;
            for (std::size_t at = 0; at < locations_; ++at) {
                if (route.start != no_index && static_cast<std::size_t>(route.start) != at) continue;
                for (std::size_t i = choice.first(at, c); i < choice.end(at, c); ++i) {
                    const Option& o = choice.option(i);
                    const bool same =
                        route.kind == Route::Kind::crossing
                            ? o.kind == Option::Kind::link && o.index == route.index && o.passage == route.passage
                            : o.kind == Option::Kind::pathway && o.index == route.index;
                    if (same) route_option_[index(static_cast<int>(c), r)] = static_cast<std::int32_t>(i);
                }
                if (route_option_[index(static_cast<int>(c), r)] != no_index) break;
            }
        }
    goal_.assign(choosers_ * locations_, 0);
    for (std::size_t c = 0; c < choosers_; ++c)
        for (int d : s.profiles[choice.profile_of(c)].destinations)
            goal_[c * locations_ + static_cast<std::size_t>(d)] = 1;
    anywhere_route_.assign(s.pathways.size(), no_index);
    routes_from_.resize(locations_);
    for (std::size_t r = 0; r < routes_.size(); ++r) {
        if (routes_[r].start == no_index) anywhere_route_[routes_[r].index] = static_cast<int>(r);
        else routes_from_[static_cast<std::size_t>(routes_[r].start)].push_back(static_cast<std::uint16_t>(r));
    }
    offsets_.assign(locations_ * choosers_ + 1, 0);
    price_.assign(routes_.size(), 0.0);
    cheapest_.assign(locations_ * choosers_, unreachable);
    heard_.assign(choosers_ * routes_.size(), std::numeric_limits<double>::quiet_NaN());
    news_day_.assign(choosers_ * routes_.size(), -1);
}

// For every place and chooser, the `horizon` nearest places by open road (Dijkstra on the road
// options' costs; ties by place index, so the result is a function of the costs alone), and the
// routes that start there. Run when a road's cost changes (events, full places), not every day.
void RoutePlans::measure_roads(const RouteChoice& choice) {
    candidates_.clear();
    std::vector<double> distance(locations_, unreachable);
    std::vector<std::int32_t> first_road(locations_, no_index);
    std::vector<std::size_t> settled;
    using Entry = std::pair<double, std::size_t>;
    for (std::size_t at = 0; at < locations_; ++at)
        for (std::size_t c = 0; c < choosers_; ++c) {
            offsets_[at * choosers_ + c] = static_cast<std::uint32_t>(candidates_.size());
            const auto chooser = static_cast<int>(c);
            // Pathways applied for anywhere: here.
            for (std::size_t i = choice.first(at, c); i < choice.end(at, c); ++i)
                if (const Option& o = choice.option(i); o.kind == Option::Kind::pathway)
                    if (const int r = anywhere_route_[o.index]; r != no_index)
                        candidates_.push_back(
                            {static_cast<std::uint16_t>(r), static_cast<std::int32_t>(i), no_index, 0.0});
            if (choice.end(at, c) - choice.first(at, c) <= 1) continue;   // a destination, or nowhere to go
            for (std::size_t x : settled) distance[x] = unreachable, first_road[x] = no_index;
            settled.clear();
            std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
            distance[at] = 0;
            queue.emplace(0.0, at);
            while (!queue.empty() && settled.size() < horizon) {
                const auto [d, x] = queue.top();
                queue.pop();
                if (d > distance[x] || std::find(settled.begin(), settled.end(), x) != settled.end()) continue;
                settled.push_back(x);
                for (const std::uint16_t r : routes_from_[x]) {
                    const bool destination = routes_[r].kind == Route::Kind::destination;
                    if (destination && goal_[c * locations_ + x] == 0) continue;   // not one of its destinations
                    const std::int32_t option = route_option_[index(chooser, r)];
                    if (!destination && option == no_index) continue;   // not offered to this chooser
                    candidates_.push_back({r, option, first_road[x], d});
                }
                for (std::size_t i = choice.first(x, c); i < choice.end(x, c); ++i) {
                    if (!is_road(choice.option(i)) || !choice.open(i)) continue;
                    const auto to = static_cast<std::size_t>(choice.leads_to(i));
                    const double via = d + choice.cost(i);
                    if (via < distance[to]) {
                        distance[to] = via;
                        first_road[to] = x == at ? static_cast<std::int32_t>(choice.option(i).index) : first_road[x];
                        queue.emplace(via, to);
                    }
                }
            }
            // Reset what the queue touched but did not settle.
            while (!queue.empty()) {
                distance[queue.top().second] = unreachable, first_road[queue.top().second] = no_index;
                queue.pop();
            }
        }
    offsets_.back() = static_cast<std::uint32_t>(candidates_.size());
    probability_.assign(candidates_.size() + locations_ * choosers_, 0.0);
    std::size_t widest = 1;
    for (std::size_t b = 0; b + 1 < offsets_.size(); ++b)
        widest = std::max<std::size_t>(widest, offsets_[b + 1] - offsets_[b] + 1);
    alias_.resize(probability_.size(), widest);
}

double RoutePlans::value(const RouteChoice& choice, std::size_t chooser, const Candidate& c, bool here) const {
    if (c.option == no_index) return 0;   // a destination: nothing after it
    const auto i = static_cast<std::size_t>(c.option);
    if (!choice.open(i)) return unreachable;
    const Option& o = choice.option(i);
    const double own = here ? choice.local_cost(i) : choice.cost(i);
    // A pathway ends the journey at a destination: nothing more to pay after it.
    return o.kind == Option::Kind::pathway
               ? own
               : own + choice.cost_to_go()(choice.leads_to(i), static_cast<Eigen::Index>(chooser));
}

void RoutePlans::update(const DayParameters& now, const DayConditions& conditions, const RouteChoice& choice,
                        const std::vector<std::uint8_t>& occupied, int day, double replan_threshold) {
    for (std::size_t r = 0; r < routes_.size(); ++r) {
        const Route& route = routes_[r];
        if (route.kind == Route::Kind::destination) price_[r] = 0;
        else if (route.kind == Route::Kind::pathway) price_[r] = now.pathways[route.index].cost;
        else if (route.passage == Passage::smuggled)
            price_[r] = conditions.market_price[static_cast<std::size_t>(route.market)];
        else price_[r] = now.links[route.index].cost;
    }
    // The roads: measured again when any road's cost (or whether it is open) changed.
    roads_today_.clear();
    for (std::size_t at = 0; at < locations_; ++at)
        for (std::size_t c = 0; c < choosers_; ++c)
            for (std::size_t i = choice.first(at, c); i < choice.end(at, c); ++i)
                if (is_road(choice.option(i))) roads_today_.push_back(choice.open(i) ? choice.cost(i) : unreachable);
    if (roads_today_ != road_costs_ || candidates_.empty()) {
        road_costs_ = roads_today_;
        measure_roads(choice);
    }
    // The logit where agents are.
    for (std::size_t at = 0; at < locations_; ++at) {
        if (occupied[at] == 0) continue;
        for (std::size_t c = 0; c < choosers_; ++c) {
            const std::size_t b = at * choosers_ + c, first = offsets_[b], count = offsets_[b + 1] - first;
            const std::size_t slot = first + b;   // slot 0: wait
            const double tau = now.profiles[choice.profile_of(c)].tau;
            double lowest = unreachable, cheapest = unreachable;
            for (std::size_t k = 0; k < count; ++k) {
                const Candidate& cand = candidates_[first + k];
                const double g = cand.road_cost + value(choice, c, cand, cand.first_road == no_index);
                probability_[slot + 1 + k] = g;   // the cost, for now
                lowest = std::min(lowest, g);
                if (std::isfinite(g)) cheapest = std::min(cheapest, price_[cand.route]);
            }
            cheapest_[b] = cheapest;
            double total = 0;
            for (std::size_t k = 0; k < count; ++k) {
                const double g = probability_[slot + 1 + k];
                probability_[slot + 1 + k] = std::isfinite(g) ? std::exp(-(g - lowest) / tau) : 0.0;
                total += probability_[slot + 1 + k];
            }
            // Waiting costs a day: w_time + the best route (option 0 of every place is staying).
            probability_[slot] = total > 0 ? std::exp(-choice.cost(choice.first(at, c)) / tau) : 1.0;
            total += probability_[slot];
            for (std::size_t k = 0; k <= count; ++k) probability_[slot + k] /= total;
            alias_.build(slot, count + 1, probability_);
        }
    }
    // The news: every route's value from where it starts, against what its planners heard.
    for (std::size_t c = 0; c < choosers_; ++c)
        for (std::size_t r = 0; r < routes_.size(); ++r) {
            const std::int32_t option = route_option_[index(static_cast<int>(c), r)];
            if (option == no_index) continue;
            const double u = value(choice, c, {static_cast<std::uint16_t>(r), option, no_index, 0.0}, true);
            double& heard = heard_[index(static_cast<int>(c), r)];
            const bool moved = std::isnan(heard) || std::isfinite(u) != std::isfinite(heard) ||
                               (std::isfinite(u) && std::abs(u - heard) > replan_threshold);
            if (!moved) continue;
            if (!std::isnan(heard)) news_day_[index(static_cast<int>(c), r)] = day;
            heard = u;
        }
}

int RoutePlans::sample(int at, int chooser, std::uint32_t word_column, std::uint32_t word_coin) const {
    const std::size_t b = static_cast<std::size_t>(at) * choosers_ + static_cast<std::size_t>(chooser);
    const std::size_t first = offsets_[b], count = offsets_[b + 1] - first;
    const std::size_t k = alias_.sample(first + b, count + 1, word_column, word_coin);
    return k == 0 ? wait_a_day : candidates_[first + k - 1].route;
}

int RoutePlans::next_road(int at, int chooser, std::size_t r) const {
    const std::size_t b = static_cast<std::size_t>(at) * choosers_ + static_cast<std::size_t>(chooser);
    for (std::size_t k = offsets_[b]; k < offsets_[b + 1]; ++k)
        if (candidates_[k].route == r) return candidates_[k].first_road;
    return no_index;
}

bool RoutePlans::open(int at, int chooser, std::size_t r) const {
    const std::size_t b = static_cast<std::size_t>(at) * choosers_ + static_cast<std::size_t>(chooser);
    for (std::size_t k = offsets_[b]; k < offsets_[b + 1]; ++k)
        if (candidates_[k].route == r) return probability_[k + b + 1] > 0;
    return false;
}

std::vector<std::pair<int, double>> RoutePlans::probabilities(int at, int chooser) const {
    const std::size_t b = static_cast<std::size_t>(at) * choosers_ + static_cast<std::size_t>(chooser);
    const std::size_t first = offsets_[b], count = offsets_[b + 1] - first;
    std::vector<std::pair<int, double>> out{{wait_a_day, probability_[first + b]}};
    for (std::size_t k = 0; k < count; ++k)
        out.emplace_back(candidates_[first + k].route, probability_[first + b + 1 + k]);
    return out;
}

void RoutePlans::save(ByteWriter& out) const {
    out.put(heard_);
    out.put(news_day_);
}

void RoutePlans::restore(ByteReader& in) {
    in.take(heard_, static_cast<std::int64_t>(heard_.size()));
    in.take(news_day_, static_cast<std::int64_t>(news_day_.size()));
}

}   // namespace migsim::detail
