// Targets from a run's days (TargetMeter), the distance to the observed values, and the seeds
// of the points a method runs.
#include "calibration/targets.hpp"

#include <cmath>
#include <cstring>

#include "migsim/calibration.hpp"
#include "migsim/simulation.hpp"
#include "model/draws.hpp"

namespace migsim::calibration {

std::vector<std::string> entity_ids(const Scenario& s, Entity entity) {
    std::vector<std::string> ids;
    auto add = [&](const auto& rows) {
        for (const auto& row : rows) ids.push_back(row.id);
    };
    switch (entity) {
        case Entity::status:
            for (int k = 0; k < status_count; ++k) ids.emplace_back(to_string(static_cast<Status>(k)));
            break;
        case Entity::location: add(s.locations); break;
        case Entity::link: add(s.links); break;
        case Entity::border: add(s.borders); break;
        case Entity::market: add(s.markets); break;
        case Entity::pathway: add(s.pathways); break;
        case Entity::profile: add(s.profiles); break;
        case Entity::replan_cause:
            for (auto cause : replan_causes) ids.emplace_back(cause);
            break;
        case Entity::border_switch: {
            const std::size_t b = s.borders.size();
            for (std::size_t from = 0; from <= b; ++from)
                for (std::size_t to = 0; to <= b; ++to)
                    ids.push_back((from < b ? s.borders[from].id : "none") + ">" +
                                  (to < b ? s.borders[to].id : "none"));
            break;
        }
    }
    return ids;
}

const char* to_string(Aggregation aggregation) {
    switch (aggregation) {
        case Aggregation::sum: return "sum";
        case Aggregation::mean: return "mean";
        case Aggregation::ratio: return "ratio";
    }
    return "?";
}

namespace {

// One selection, resolved: the series, a mask over its entities, the days.
struct Resolved {
    Series series = Series{};
    bool money = false;
    std::vector<std::size_t> entities;
    int from_day = 0, to_day = 0;
    double sum = 0;

    Resolved(const Scenario& s, const Selection& sel) : from_day(sel.from_day), to_day(sel.to_day) {
        series = *find_series(sel.series);
        money = info(series).is_money();
        const auto ids = entity_ids(s, info(series).entity);
        if (sel.entities.empty()) {
            for (std::size_t k = 0; k < ids.size(); ++k) entities.push_back(k);
        } else {
            for (const auto& id : sel.entities)
                entities.push_back(static_cast<std::size_t>(std::find(ids.begin(), ids.end(), id) - ids.begin()));
        }
        if (to_day < 0) to_day = s.settings.days - 1;
    }
    void add(int day, const DayTotals& t) {
        if (day < from_day || day > to_day) return;
        if (money) {
            const auto& v = t.amounts(series);
            for (std::size_t e : entities) sum += v[e];
        } else {
            const auto& v = t[series];
            for (std::size_t e : entities) sum += static_cast<double>(v[e]);
        }
    }
};

}   // namespace

struct TargetMeter::Impl {
    std::vector<Target> targets;
    std::vector<Resolved> numerators, denominators;
};

TargetMeter::TargetMeter(const Scenario& scenario, const std::vector<Target>& targets)
    : impl_(std::make_unique<Impl>()) {
    impl_->targets = targets;
    for (const Target& t : targets) {
        impl_->numerators.emplace_back(scenario, t.numerator);
        impl_->denominators.emplace_back(scenario, t.aggregation == Aggregation::ratio ? t.denominator : t.numerator);
    }
}
TargetMeter::~TargetMeter() = default;

void TargetMeter::add_day(int day, const DayTotals& totals) {
    for (std::size_t k = 0; k < impl_->targets.size(); ++k) {
        impl_->numerators[k].add(day, totals);
        if (impl_->targets[k].aggregation == Aggregation::ratio) impl_->denominators[k].add(day, totals);
    }
}

std::vector<double> TargetMeter::values() const {
    std::vector<double> out;
    for (std::size_t k = 0; k < impl_->targets.size(); ++k) {
        const Resolved& n = impl_->numerators[k];
        switch (impl_->targets[k].aggregation) {
            case Aggregation::sum: out.push_back(n.sum); break;
            case Aggregation::mean: out.push_back(n.sum / (n.to_day - n.from_day + 1)); break;
            case Aggregation::ratio: {
                const double d = impl_->denominators[k].sum;
                out.push_back(d == 0 ? 0 : n.sum / d);
                break;
            }
        }
    }
    return out;
}

double distance(const std::vector<Target>& targets, const std::vector<double>& simulated) {
    double sum = 0;
    for (std::size_t k = 0; k < targets.size(); ++k) {
        const double z = (simulated[k] - targets[k].observed) / targets[k].sd();
        sum += z * z;
    }
    return targets.empty() ? 0 : std::sqrt(sum / static_cast<double>(targets.size()));
}

std::uint64_t point_seed(std::uint64_t seed, int stage, std::int64_t index) {
    // A purpose of its own, with the point's index split over the agent and round words.
    const detail::Words w = detail::draw(seed, static_cast<std::uint32_t>(index), stage, detail::Purpose::calibration,
                                         static_cast<std::uint32_t>(static_cast<std::uint64_t>(index) >> 32));
    // 52 bits: a seed any tool can hold exactly as a double, and replicates add 1, 2, ... to it.
    return ((static_cast<std::uint64_t>(w[0]) << 32) | w[1]) >> 12;
}

}   // namespace migsim::calibration
