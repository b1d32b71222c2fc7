#include "flee/rules/flee_spawning.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "model/draws.hpp"
#include "flee/rules/flee_routes.hpp"

namespace migsim::detail {

namespace {

// A Poisson number of mean `mean` from one draw: inversion of the distribution function below a
// mean of 30, the normal approximation (rounded, at least 0) above, where it is within a few
// per mille of the distribution.
std::int64_t poisson(double mean, const Words& words) {
    if (mean <= 0) return 0;
    if (mean < 30) {
        const double u = unit(words[0]);
        double p = std::exp(-mean), cumulative = p;
        std::int64_t k = 0;
        while (u > cumulative && k < 1000) {
            ++k;
            p *= mean / static_cast<double>(k);
            cumulative += p;
        }
        return k;
    }
    const double z = std::sqrt(-2 * std::log(unit(words[1]))) * std::cos(2 * std::numbers::pi * unit(words[2]));
    return std::max<std::int64_t>(0, std::llround(mean + std::sqrt(mean) * z));
}

}   // namespace

FleeSpawning::FleeSpawning(const Scenario& s) {
    for (const Location& l : s.locations) population_.push_back(l.population);
    alias_.resize(s.locations.size(), s.locations.size());
}

std::vector<std::uint16_t> FleeSpawning::place(const Scenario& s, const DayParameters& now, std::uint64_t seed, int day,
                                               const std::vector<int>& conflict_start, std::int64_t created) {
    const FleeSettings& f = s.flee;
    std::vector<std::uint16_t> placed;
    zones_.clear();
    weight_.clear();
    double total = 0;
    for (std::size_t e = 0; e < s.locations.size(); ++e) {
        const DayParameters::LocationValues& l = now.locations[e];
        if (l.kind != LocationKind::conflict_zone) continue;
        zones_.push_back(static_cast<std::uint16_t>(e));
        weight_.push_back(static_cast<double>(population_[e]) * l.conflict *
                          conflict_decay(f, day - conflict_start[e]));
        total += weight_.back();
    }
    if (f.spawning == FleeSettings::Spawning::conflict) {
        for (std::size_t z = 0; z < zones_.size(); ++z) {
            const DayParameters::LocationValues& l = now.locations[zones_[z]];
            const double rate = f.displaced_per_conflict_day;
            std::int64_t n = 0;
            switch (f.conflict_spawn_mode) {
                case FleeSettings::SpawnMode::constant: n = static_cast<std::int64_t>(rate * l.conflict); break;
                case FleeSettings::SpawnMode::pop_ratio:
                    n = static_cast<std::int64_t>(rate * static_cast<double>(population_[zones_[z]]) * l.conflict);
                    break;
                case FleeSettings::SpawnMode::poisson:
                    n = poisson(rate * l.conflict, draw(seed, zones_[z], day, Purpose::spawn_count));
                    break;
            }
            if (f.take_from_population) n = std::min(n, population_[zones_[z]]);
            placed.insert(placed.end(), static_cast<std::size_t>(n), zones_[z]);
        }
    } else {
        const bool camps_first = day == 0 && f.insert_day0;
        if (camps_first)
            for (const CampSeries& camp : s.registrations)
                placed.insert(placed.end(), static_cast<std::size_t>(camp.daily.front()),
                              static_cast<std::uint16_t>(camp.location));
        if (!camps_first && day < static_cast<int>(s.spawns_per_day.size()))
            pending_ += s.spawns_per_day[static_cast<std::size_t>(day)];
        if (pending_ > 0 && total > 0) {
            for (double& w : weight_) w /= total;
            alias_.build(0, zones_.size(), weight_);
            for (std::int64_t k = 0; k < pending_; ++k) {
                const Words words =
                    draw(seed, static_cast<std::uint32_t>(created + static_cast<std::int64_t>(placed.size())), day,
                         Purpose::spawn);
                placed.push_back(zones_[alias_.sample(0, zones_.size(), words[0], words[1])]);
            }
            pending_ = 0;
        }
    }
    if (f.take_from_population)
        for (auto at : placed)
            if (now.locations[at].kind == LocationKind::conflict_zone && population_[at] > 0) --population_[at];
    return placed;
}

void FleeSpawning::save(ByteWriter& out) const {
    out.put(population_);
    out.put(pending_);
}

void FleeSpawning::restore(ByteReader& in) {
    in.take(population_, static_cast<std::int64_t>(population_.size()));
    in.take(pending_);
}

}   // namespace migsim::detail
