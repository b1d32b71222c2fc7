#include "flee/rules/flee_routes.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "migsim/errors.hpp"

namespace migsim::detail {

namespace {
constexpr std::size_t most_paths = 10'000'000;   // 10^7 paths: ~0.5 GB of tables
}

double conflict_decay(const FleeSettings& flee, int days) {
    const auto& decay = flee.conflict_spawn_decay;
    if (decay.empty() || days < 0) return 1;
    const auto step = static_cast<std::size_t>(days / flee.conflict_spawn_decay_interval);
    return decay[std::min(step, decay.size() - 1)];
}

double move_chance_of(const FleeSettings& flee, LocationKind kind) {
    switch (kind) {
        case LocationKind::camp: return flee.camp_movechance;
        case LocationKind::conflict_zone: return flee.conflict_movechance;
        default: return flee.default_movechance;
    }
}

FleeRoutes::FleeRoutes(const Scenario& s)
    : depth_(std::max(1, s.flee.awareness_level)), uniform_(s.flee.awareness_level == 0) {
    const std::size_t N = s.locations.size();
    for (const Location& place : s.locations) foreign_.push_back(place.country != s.locations.front().country ? 1 : 0);
    std::vector<std::vector<int>> out(N);
    for (std::size_t l = 0; l < s.links.size(); ++l)
        out[static_cast<std::size_t>(s.links[l].from)].push_back(static_cast<int>(l));
    // Depth-first from every place; every prefix of a loop-free walk is a candidate route.
    std::vector<int> walk;
    std::vector<std::uint8_t> on_walk(N, 0);
    std::size_t widest = 0;
    auto extend = [&](auto&& self, int at, double km) -> void {
        for (int l : out[static_cast<std::size_t>(at)]) {
            const Link& link = s.links[static_cast<std::size_t>(l)];
            const auto to = static_cast<std::size_t>(link.to);
            if (on_walk[to]) continue;
            walk.push_back(l);
            end_.push_back(link.to);
            links_in_.push_back(static_cast<int>(walk.size()));
            km_.push_back(km + link.distance_km);
            for (int k = 0; k < depth_; ++k)
                link_.push_back(k < static_cast<int>(walk.size()) ? walk[static_cast<std::size_t>(k)] : -1);
            if (end_.size() > most_paths)
                throw ScenarioError("flee.awareness_level: " + std::to_string(s.flee.awareness_level) +
                                    " gives more than " + std::to_string(most_paths) +
                                    " candidate routes; expected a smaller awareness_level for a network this dense");
            if (static_cast<int>(walk.size()) < depth_) {
                on_walk[to] = 1;
                self(self, link.to, km + link.distance_km);
                on_walk[to] = 0;
            }
            walk.pop_back();
        }
    };
    first_.push_back(0);
    for (std::size_t at = 0; at < N; ++at) {
        on_walk[at] = 1;
        extend(extend, static_cast<int>(at), 0.0);
        on_walk[at] = 0;
        first_.push_back(end_.size());
        widest = std::max(widest, first_[at + 1] - first_[at]);
    }
    score_.assign(N, 1);
    capmult_.assign(N, 1);
    move_chance_.assign(N, 0);
    log_stay_.assign(N, 0);
    refuses_.assign(N, 0);
    any_open_.assign(N, 0);
    open_.assign(end_.size(), 1);
    probability_.assign(end_.size(), 0);
    alias_.resize(end_.size(), widest);
}

void FleeRoutes::update(const Scenario& s, const DayParameters& now, int day, const std::vector<int>& conflict_start,
                        const std::vector<std::int64_t>& occupancy) {
    const FleeSettings& f = s.flee;
    const std::size_t N = s.locations.size();
    for (std::size_t e = 0; e < N; ++e) {
        const DayParameters::LocationValues& place = now.locations[e];
        double score = 1;
        if (foreign_[e] != 0) score *= f.foreign_weight;
        if (place.kind == LocationKind::camp) score *= f.camp_weight;
        if (place.conflict > 0)
            score *= std::pow(f.conflict_weight, conflict_decay(f, day - conflict_start[e]) * place.conflict);
        score_[e] = score;
        const double cap = static_cast<double>(place.capacity) * f.capacity_scaling;
        const auto n = static_cast<double>(occupancy[e]);
        double mult = 1;
        if (cap >= 1) {
            if (n >= cap) mult = 0;
            else if (n > f.capacity_buffer * cap)
                mult = 1 - (n - f.capacity_buffer * cap) / (cap * (1 - f.capacity_buffer));
        }
        capmult_[e] = mult;
        refuses_[e] = place.kind == LocationKind::camp && mult < 0.5;
        move_chance_[e] = move_chance_of(f, place.kind);
        log_stay_[e] = std::log1p(-move_chance_[e]);
    }
    for (std::size_t at = 0; at < N; ++at) {
        const std::size_t first = first_[at], count = first_[at + 1] - first;
        double total = 0;
        std::size_t open = 0;
        for (std::size_t p = first; p < first + count; ++p) {
            bool ok = true;
            for (int k = 0; k < links_in_[p]; ++k)
                ok = ok && now.links[static_cast<std::size_t>(
                                         link_[p * static_cast<std::size_t>(depth_) + static_cast<std::size_t>(k)])]
                               .open;
            open_[p] = ok;
            open += ok;
            double w = 0;
            if (ok && !uniform_) {
                const auto e = static_cast<std::size_t>(end_[p]);
                w = std::pow((f.weight_softening + score_[e]) / std::pow(f.softening + km_[p], f.distance_power) *
                                 capmult_[e],
                             f.weight_power);
            }
            probability_[p] = w;
            total += w;
        }
        any_open_[at] = open > 0;
        if (open == 0) continue;
        if (!(total > 0)) {   // every weight is 0 (or awareness 0): any open route, alike
            for (std::size_t p = first; p < first + count; ++p) probability_[p] = open_[p];
            total = static_cast<double>(open);
        }
        for (std::size_t p = first; p < first + count; ++p) probability_[p] /= total;
        alias_.build(first, count, probability_);
    }
}

std::int64_t FleeRoutes::choose(std::size_t at, std::uint32_t word_column, std::uint32_t word_coin) const {
    if (!any_open_[at]) return -1;
    const std::size_t first = first_[at];
    return static_cast<std::int64_t>(first + alias_.sample(first, first_[at + 1] - first, word_column, word_coin));
}

std::vector<std::pair<std::int64_t, double>> FleeRoutes::probabilities(std::size_t at) const {
    std::vector<std::pair<std::int64_t, double>> out;
    for (std::size_t p = first_[at]; p < first_[at + 1]; ++p)
        out.emplace_back(static_cast<std::int64_t>(p), any_open_[at] ? probability_[p] : 0.0);
    return out;
}

}   // namespace migsim::detail
