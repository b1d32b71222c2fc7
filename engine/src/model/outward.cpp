#include "model/outward.hpp"

#include <functional>
#include <limits>
#include <queue>
#include <utility>

namespace migsim::detail {

namespace {
// Shortest distance in km from `origin` to every location (Dijkstra over link lengths).
std::vector<double> distances_from(const Scenario& s, const std::vector<std::vector<std::size_t>>& out,
                                   std::size_t origin) {
    std::vector<double> d(s.locations.size(), std::numeric_limits<double>::infinity());
    using Entry = std::pair<double, std::size_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
    d[origin] = 0;
    queue.emplace(0.0, origin);
    while (!queue.empty()) {
        const auto [km, at] = queue.top();
        queue.pop();
        if (km > d[at]) continue;
        for (std::size_t l : out[at]) {
            const auto to = static_cast<std::size_t>(s.links[l].to);
            if (km + s.links[l].distance_km < d[to]) queue.emplace(d[to] = km + s.links[l].distance_km, to);
        }
    }
    return d;
}
}   // namespace

Outward::Outward(const Scenario& s) : links_(s.links.size()), slot_(s.locations.size(), -1) {
    const std::size_t N = s.locations.size();
    std::vector<std::vector<std::size_t>> out(N), in(N);
    for (std::size_t l = 0; l < links_; ++l) {
        out[static_cast<std::size_t>(s.links[l].from)].push_back(l);
        in[static_cast<std::size_t>(s.links[l].to)].push_back(l);
    }
    std::vector<std::size_t> dead_ends;
    std::int32_t origins = 0;
    for (const DemandRow& row : s.demand)
        if (slot_[static_cast<std::size_t>(row.origin)] < 0) slot_[static_cast<std::size_t>(row.origin)] = origins++;
    allowed_.assign(static_cast<std::size_t>(origins) * links_, 0);

    for (std::size_t origin = 0; origin < N; ++origin) {
        if (slot_[origin] < 0) continue;
        const std::vector<double> d = distances_from(s, out, origin);
        std::uint8_t* allowed = &allowed_[static_cast<std::size_t>(slot_[origin]) * links_];
        std::vector<std::size_t> ways_on(N, 0);
        for (std::size_t l = 0; l < links_; ++l) {
            const auto from = static_cast<std::size_t>(s.links[l].from), to = static_cast<std::size_t>(s.links[l].to);
            // Reaching a destination ends the journey: never a step back (Sfax-Lampedusa is
            // shorter from Khartoum than Khartoum-Sfax plus that crossing, and is still a way on).
            allowed[l] = d[to] > d[from] || s.locations[to].kind == LocationKind::destination ? 1 : 0;
            ways_on[from] += allowed[l];
        }
        // Close the links into blind alleys, and then into the places that led only there.
        dead_ends.clear();
        for (std::size_t at = 0; at < N; ++at)
            if (ways_on[at] == 0 && s.locations[at].kind != LocationKind::destination) dead_ends.push_back(at);
        while (!dead_ends.empty()) {
            const std::size_t at = dead_ends.back();
            dead_ends.pop_back();
            for (std::size_t l : in[at]) {
                if (!allowed[l]) continue;
                allowed[l] = 0;
                const auto from = static_cast<std::size_t>(s.links[l].from);
                if (--ways_on[from] == 0 && s.locations[from].kind != LocationKind::destination)
                    dead_ends.push_back(from);
            }
        }
    }
}

}   // namespace migsim::detail
