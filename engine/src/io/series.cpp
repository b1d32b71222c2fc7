// The catalogue's helpers (migsim/series.hpp): names of its enums as the file writes them, and
// the length of each entity in a scenario.
#include "migsim/series.hpp"

#include "migsim/simulation.hpp"

namespace migsim {

std::optional<Series> find_series(std::string_view name) {
    for (std::size_t k = 0; k < series_count; ++k)
        if (series_catalogue[k].name == name) return series_at(k);
    return std::nullopt;
}

const char* to_string(Entity entity) {
    switch (entity) {
        case Entity::status: return "status";
        case Entity::location: return "location";
        case Entity::link: return "link";
        case Entity::border: return "border";
        case Entity::market: return "market";
        case Entity::pathway: return "pathway";
        case Entity::profile: return "profile";
        case Entity::replan_cause: return "replan_cause";
        case Entity::border_switch: return "border_switch";
    }
    return "?";
}

const char* to_string(Measure measure) {
    switch (measure) {
        case Measure::count: return "count";
        case Measure::money: return "money";
        case Measure::days: return "days";
    }
    return "?";
}

const char* to_string(RuleSets rules) { return rules == RuleSets::both ? "logit flee" : "logit"; }

const char* to_string(Payee payee) {
    switch (payee) {
        case Payee::nobody: return "";
        case Payee::smugglers: return "smugglers";
        case Payee::armed_groups: return "armed_groups";
        case Payee::officials: return "officials";
        case Payee::transport: return "transport";
        case Payee::pathway_fees: return "pathway_fees";
    }
    return "?";
}

std::size_t entity_count(const Scenario& s, Entity entity) {
    switch (entity) {
        case Entity::status: return status_count;
        case Entity::location: return s.locations.size();
        case Entity::link: return s.links.size();
        case Entity::border: return s.borders.size();
        case Entity::market: return s.markets.size();
        case Entity::pathway: return s.pathways.size();
        case Entity::profile: return s.profiles.size();
        case Entity::replan_cause: return replan_causes.size();
        case Entity::border_switch: return (s.borders.size() + 1) * (s.borders.size() + 1);
    }
    return 0;
}

void DayTotals::reset(const Scenario& scenario) {
    for (std::size_t k = 0; k < series_count; ++k) {
        const SeriesInfo& series = series_catalogue[k];
        const std::size_t n = entity_count(scenario, series.entity);
        counts[k].assign(series.is_money() ? 0 : n, 0);
        money[k].assign(series.is_money() ? n : 0, 0.0);
    }
}

}   // namespace migsim
