// Who migrates in a generated scenario, and the policies they meet: profiles with their own
// budgets and route-choice weights, one or two regular pathways, the demand, and a few events.
//
// Demand: every origin has a main profile (and some a second one), each setting out in rows of
// about a month over the first half of the run, with drawn whole-number weights. The total is
// apportioned exactly: row r gets floor(A * W_r / W) - floor(A * W_{r-1} / W) agents, W_r the
// running sum of the weights, so the rows add up to A = --agents whatever the rounding. At
// most about 20,000 rows: nothing is allocated per agent.
#include <algorithm>
#include <limits>

#include "generator/generator.hpp"

namespace migsim::detail {

namespace {

constexpr std::int64_t max_demand_rows = 20000;

// Per location: can `profile` reach one of its destinations over links? (Backward search.)
std::vector<bool> can_arrive(const Scenario& s, const Profile& profile,
                             const std::vector<std::vector<int>>& links_into) {
    std::vector<bool> good(s.locations.size(), false);
    std::vector<int> stack;
    auto mark = [&](int at) {
        if (good[static_cast<std::size_t>(at)]) return;
        good[static_cast<std::size_t>(at)] = true;
        stack.push_back(at);
    };
    for (int d : profile.destinations) mark(d);
    while (!stack.empty()) {
        const int at = stack.back();
        stack.pop_back();
        for (int l : links_into[static_cast<std::size_t>(at)]) mark(s.links[static_cast<std::size_t>(l)].from);
    }
    return good;
}

}   // namespace

void add_profiles(Generator& g) {
    const auto P = static_cast<std::size_t>(g.options.profiles);
    const auto D = g.layers.destinations.size();
    for (std::size_t k = 0; k < P; ++k) {
        Profile p;
        p.id = numbered("group", k + 1, P);
        p.budget_median = static_cast<double>(100 * g.draws.between(5, 30, Draw::profile, k, 0));   // 500 to 3,000
        p.budget_sigma = g.draws.decimal(30, 90, 100, Draw::profile, k, 1);
        p.weights.time = g.draws.decimal(5, 20, 10, Draw::profile, k, 2);
        p.weights.money = g.draws.decimal(2, 8, 1000, Draw::profile, k, 3);
        p.weights.interception = g.draws.decimal(2, 30, 1, Draw::profile, k, 4);
        p.weights.death = g.draws.decimal(100, 600, 1, Draw::profile, k, 5);
        p.tau = g.draws.decimal(10, 60, 10, Draw::profile, k, 6);
        // The first group aims anywhere; the others at two destinations in three.
        for (std::size_t d = 0; d < D; ++d)
            if (k == 0 || (d + k) % 3 != 0) p.destinations.push_back(g.layers.destinations[d]);
        // Every other group crosses every other land border regularly (a regional free-movement area).
        if (k % 2 == 0)
            for (std::size_t b = 0; b < g.land_borders.size(); ++b)
                if (b % 2 == (k / 2) % 2) p.visa_free.push_back(g.land_borders[b]);
        g.s.profiles.push_back(std::move(p));
    }
}

void add_pathways(Generator& g) {
    const auto P = g.s.profiles.size();
    Pathway corridor;   // for the last group, from the first hubs it reaches
    corridor.id = "humanitarian_corridor";
    corridor.name = "Humanitarian corridor";
    corridor.eligible = {static_cast<int>(P) - 1};
    const auto& first = g.layers.hubs.front();
    corridor.from.assign(first.begin(),
                         first.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(3, first.size())));
    corridor.to = g.layers.destinations.front();
    corridor.quota =
        std::max<std::int64_t>(1, g.agents_per_day * 30 * g.draws.between(1, 4, Draw::pathway, 0, 0) / 100);
    corridor.period_days = 30;
    corridor.processing_days = static_cast<int>(g.draws.between(20, 60, Draw::pathway, 0, 1));
    corridor.cost = g.draws.decimal(50, 200, 1, Draw::pathway, 0, 2);
    corridor.open_day = g.options.days / 10;
    corridor.close_day = std::numeric_limits<int>::max();   // never closes
    g.s.pathways.push_back(std::move(corridor));
    if (P < 2) return;
    Pathway visa;   // for the first group, applied for from anywhere, closing before the end
    visa.id = "labour_visa";
    visa.name = "Labour visa";
    visa.eligible = {0};
    visa.to = g.layers.destinations.back();
    visa.quota = std::max<std::int64_t>(1, g.agents_per_day * 90 * g.draws.between(1, 3, Draw::pathway, 1, 0) / 100);
    visa.period_days = 90;
    visa.processing_days = static_cast<int>(g.draws.between(30, 90, Draw::pathway, 1, 1));
    visa.cost = g.draws.decimal(800, 2000, 1, Draw::pathway, 1, 2);
    visa.open_day = 0;
    visa.close_day = std::max(1, g.options.days * 3 / 4);
    g.s.pathways.push_back(std::move(visa));
}

void add_demand(Generator& g) {
    Scenario& s = g.s;
    std::vector<std::vector<int>> links_into(s.locations.size());
    for (std::size_t l = 0; l < s.links.size(); ++l)
        links_into[static_cast<std::size_t>(s.links[l].to)].push_back(static_cast<int>(l));
    std::vector<std::vector<bool>> arrive;
    for (const auto& p : s.profiles) arrive.push_back(can_arrive(s, p, links_into));

    // (origin, profile) pairs. The first group aims at every destination: every origin reaches one.
    const auto P = static_cast<std::int64_t>(s.profiles.size());
    std::vector<std::pair<int, int>> pairs;
    std::vector<std::int64_t> size;   // an origin's weight, 1 to 10
    for (std::size_t i = 0; i < g.layers.origins.size(); ++i) {
        const int origin = g.layers.origins[i];
        const auto at = static_cast<std::size_t>(origin);
        const auto main = static_cast<int>(static_cast<std::int64_t>(i) % P);
        pairs.emplace_back(origin, arrive[static_cast<std::size_t>(main)][at] ? main : 0);
        size.push_back(g.draws.between(1, 10, Draw::demand, at, 0));
        const auto second = static_cast<int>((static_cast<std::int64_t>(i) * 7 + 3) % P);
        if (second != pairs.back().second && arrive[static_cast<std::size_t>(second)][at] &&
            g.draws.chance(300000, Draw::demand, at, 1)) {
            pairs.emplace_back(origin, second);
            size.push_back(size.back());
        }
    }
    // Rows of about 30 days over the departure window, fewer when there are many pairs.
    const auto pair_count = static_cast<std::int64_t>(pairs.size());
    const std::int64_t window = g.departure_days;
    const std::int64_t periods =
        std::clamp<std::int64_t>((window + 29) / 30, 1, std::max<std::int64_t>(1, max_demand_rows / pair_count));
    const std::int64_t spread = (window + periods - 1) / periods;
    std::vector<DemandRow> rows;
    std::vector<std::int64_t> weights;
    for (std::int64_t day = 0; day < window; day += spread)
        for (std::int64_t k = 0; k < pair_count; ++k) {
            DemandRow row;
            row.day = static_cast<int>(day);
            row.origin = pairs[static_cast<std::size_t>(k)].first;
            row.profile = pairs[static_cast<std::size_t>(k)].second;
            row.spread_days = static_cast<int>(std::min(spread, window - day));
            rows.push_back(row);
            weights.push_back(size[static_cast<std::size_t>(k)] * g.draws.between(5, 15, Draw::demand,
                                                                                  static_cast<std::size_t>(k),
                                                                                  2 + static_cast<std::uint32_t>(day)));
        }
    // Exact apportioning. A * W fits in 64 bits: A < 2^32, W <= 20,000 rows * 150 < 2^22.
    std::int64_t total = 0, running = 0, given = 0;
    for (auto w : weights) total += w;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        running += weights[r];
        const std::int64_t until = g.options.agents * running / total;
        rows[r].count = until - given;
        given = until;
        if (rows[r].count > 0) s.demand.push_back(rows[r]);
    }
    if (s.demand.empty()) s.demand.push_back(rows.front());   // no agents: one empty row (a table needs one)
}

void add_events(Generator& g) {
    Scenario& s = g.s;
    const int days = g.options.days;
    // p is in [0, 1]: + 0.5 rounds; kept (not lround) so that generated scenarios keep their bytes.
    auto percent = [](double p) {
        return static_cast<std::int64_t>(p * 100 + 0.5);   // NOLINT(bugprone-incorrect-roundings)
    };
    auto patrol = [&](int day, int border, std::int64_t to_percent) {
        const double value = static_cast<double>(std::clamp<std::int64_t>(to_percent, 0, 95)) / 100;
        s.events.push_back(Event{day, Assignment{TargetKind::border, border, Parameter::patrol, value}});
    };
    const int first_sea = g.sea_borders[0], second_sea = g.sea_borders[1], land = g.land_borders[0];
    patrol(days / 4, first_sea, percent(s.borders[static_cast<std::size_t>(first_sea)].patrol) + 30);   // a crackdown
    patrol(days / 3, land, percent(s.borders[static_cast<std::size_t>(land)].patrol) / 2);   // an open border
    patrol(days / 2, second_sea,
           percent(s.borders[static_cast<std::size_t>(second_sea)].patrol) + 20);   // displacement
    const double quota = static_cast<double>(s.pathways[0].quota * 2);              // more places
    s.events.push_back(Event{days * 2 / 3, Assignment{TargetKind::pathway, 0, Parameter::quota, quota}});
    std::stable_sort(s.events.begin(), s.events.end(), [](const Event& a, const Event& b) { return a.day < b.day; });
}

}   // namespace migsim::detail
