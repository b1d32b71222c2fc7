// The output's series, in one table. Every list of series in migsim derives from it: the rules'
// counters (model/counters.hpp), the day's totals (DayTotals), the exchange between ranks, the
// writer and its attributes, the reader behind `migsim info`, `migsim compare`, the memory
// estimate, the tests, and (through the attributes every file carries) the Python package.
//
// Adding a series: one row below, and the line in the rules that counts it
// (`w.counts(Count::NAME, entity)++`). docs/OUTPUT.md, "The series catalogue".
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "migsim/scenario.hpp"

namespace migsim {

// The entity a series is kept per: its last dimension in the file.
enum class Entity : std::uint8_t {
    status,
    location,
    link,
    border,
    market,
    pathway,
    profile,
    replan_cause,    // why agents planned again (replan_causes below)
    border_switch,   // (border of the old route, border of the new one), each a border or `none`
};

// The causes of a re-plan, in the order of the replan_cause dimension (docs/BEHAVIOUR.md).
inline constexpr std::array<std::string_view, 4> replan_causes{"failure", "money", "closed", "news"};
// A route switch's slot along border_switch: borders 0..B-1, then B for none (a pathway, a road
// to a destination, a crossing without a border).
[[nodiscard]] constexpr std::size_t border_switch_slot(int from, int to, std::size_t borders) {
    const auto slot = [&](int b) { return b < 0 ? borders : static_cast<std::size_t>(b); };
    return slot(from) * (borders + 1) + slot(to);
}
// What a value measures: people or events (int64), money (float64, in the scenario's money),
// or migrant-days (int64).
enum class Measure : std::uint8_t { count, money, days };
// How a value is made: counted by the rules as exact integers (money in whole cents), or
// derived after the day's sums (prices, revenue, unmet demand).
enum class Made : std::uint8_t { counted, derived };
// Which rule sets give it values; under the others it is written as zeros.
enum class RuleSets : std::uint8_t { logit, both };
// Where `migsim compare` shows it (a bit set), under the series' outcome name: in the totals,
// by its own entity (border, route, profile; `place` for location series), by destination,
// by demographic group (from NAME_by_group).
enum CompareIn : std::uint8_t { not_compared = 0, in_total = 1, by_entity = 2, by_destination = 4, by_group = 8 };
// Who receives the money a money series counts.
enum class Payee : std::uint8_t { nobody, smugglers, armed_groups, officials, transport, pathway_fees };

// Columns: name, entity, measure, made, split by group (written again as NAME_by_group when the
// scenario asks), summarised over replicates (NAME_summary), rule sets, outcome name in
// `migsim compare`, where compare shows it, payee, units, long_name.
// One list, expanded below into the Series enum and the table.
// (Kept as a table: clang-format leaves it alone.)
// clang-format off
#define MIGSIM_SERIES(X)                                                                                           \
    X(status_counts, status, count, counted, true, true, both, "", not_compared, nobody, "agents",                 \
      "agents in each status at the end of the day")                                                               \
    X(location_population, location, count, counted, true, false, both, "", not_compared, nobody, "agents",       \
      "agents present at the location at the end of the day")                                                      \
    X(arrivals, location, count, counted, true, true, both, "arrivals", in_total | by_destination | by_group,      \
      nobody, "agents/day", "irregular arrivals at the destination")                                               \
    X(arrivals_regular, location, count, counted, true, true, logit, "regular_arrivals",                            \
      in_total | by_destination | by_group, nobody, "agents/day", "arrivals through a pathway or a visa-free crossing") \
    X(link_flow, link, count, counted, true, true, both, "", not_compared, nobody, "agents/day",                   \
      "departures onto the link")                                                                                   \
    X(link_deaths, link, count, counted, true, true, logit, "deaths", in_total | by_group, nobody, "agents/day",      \
      "dead or missing on the link")                                                                                \
    X(border_attempts, border, count, counted, true, true, logit, "attempts", in_total | by_entity, nobody,         \
      "attempts/day", "irregular crossing attempts")                                                               \
    X(border_interceptions, border, count, counted, true, true, logit, "interceptions",                            \
      in_total | by_entity | by_group, nobody, "attempts/day", "irregular attempts intercepted")                    \
    X(border_deaths, border, count, counted, true, true, logit, "deaths", by_entity, nobody, "agents/day",          \
      "dead or missing while crossing")                                                                             \
    X(border_crossings, border, count, counted, true, true, logit, "crossings", by_entity, nobody, "agents/day",    \
      "irregular attempts that got through")                                                                        \
    X(border_regular_crossings, border, count, counted, true, false, logit, "regular_crossings", by_entity, nobody, \
      "agents/day", "crossings by permit holders")                                                                  \
    X(market_seats, market, count, counted, true, true, logit, "seats", by_entity, nobody, "seats/day",             \
      "seats sold")                                                                                                 \
    X(market_unmet_demand, market, count, derived, false, false, logit, "unmet_demand", by_entity, nobody,          \
      "seats/day", "buyers turned away: demand above capacity")                                                     \
    X(market_price, market, money, derived, false, false, logit, "", not_compared, nobody, "money/seat",            \
      "price with the risk premium")                                                                                \
    X(market_revenue, market, money, derived, false, true, logit, "smuggler_revenue", in_total | by_entity,         \
      smugglers, "money/day", "seats sold times price")                                                             \
    X(pathway_applications, pathway, count, counted, true, false, logit, "", not_compared, nobody, "agents/day",   \
      "eligible agents who applied")                                                                                \
    X(pathway_admissions, pathway, count, counted, true, true, logit, "regular_admissions", in_total, nobody,       \
      "agents/day", "applicants admitted (at most the quota per period)")                                          \
    X(arrival_transit_days, location, days, counted, false, true, both, "", not_compared, nobody, "migrant-days",  \
      "sum over the day's arrivals of days since each was created")                                                 \
    X(profile_arrivals, profile, count, counted, false, false, logit, "arrivals", by_entity, nobody, "agents/day",  \
      "irregular arrivals by profile")                                                                              \
    X(profile_regular_arrivals, profile, count, counted, false, false, logit, "regular_arrivals", by_entity,        \
      nobody, "agents/day", "regular arrivals by profile")                                                          \
    X(profile_deaths, profile, count, counted, false, false, logit, "deaths", by_entity, nobody, "agents/day",      \
      "dead or missing by profile")                                                                                 \
    X(profile_interceptions, profile, count, counted, false, false, logit, "interceptions", by_entity, nobody,      \
      "attempts/day", "interceptions by profile")                                                                   \
    X(profile_seats, profile, count, counted, false, false, logit, "", not_compared, nobody, "seats/day",           \
      "smugglers' seats bought by profile")                                                                         \
    X(harm_abductions, location, count, counted, true, true, logit, "abductions", in_total | by_entity | by_group,  \
      nobody, "agents/day", "abducted for ransom (docs/HARM.md)")                                                   \
    X(harm_trafficking, location, count, counted, true, true, logit, "trafficking",                                \
      in_total | by_entity | by_group, nobody, "agents/day", "taken into trafficking or forced labour")             \
    X(harm_violence, location, count, counted, true, true, logit, "violence", in_total | by_entity | by_group,      \
      nobody, "agents/day", "who suffered violence (counted; nothing else changes)")                                \
    X(harm_detentions, location, count, counted, true, true, logit, "raid_detentions",                             \
      in_total | by_entity | by_group, nobody, "agents/day",                                                        \
      "detained by the State (raids; interceptions are border_interceptions)")                                      \
    X(harm_deaths, location, count, counted, true, true, logit, "deaths_while_held",                               \
      in_total | by_entity | by_group, nobody, "agents/day", "died while held for ransom")                          \
    X(harm_returns, location, count, counted, true, false, logit, "sent_home", by_entity, nobody, "agents/day",     \
      "sent home or on when released from detention")                                                              \
    X(give_ups, location, count, counted, true, true, logit, "give_ups", in_total | by_entity, nobody, "agents/day",     \
      "gave up at the place after waiting give_up_days (or max_attempts): settled, home or another route")          \
    X(give_ups_home, location, count, counted, true, true, logit, "give_ups_home", in_total | by_entity, nobody,      \
      "agents/day", "of the give_ups: went home")                                                                    \
    X(give_ups_switch, location, count, counted, true, true, logit, "give_ups_switch", in_total | by_entity, nobody,  \
      "agents/day", "of the give_ups: tried another route instead (once; behaviour.give_up_switch)")                \
    X(replans, replan_cause, count, counted, false, true, logit, "replans", in_total, nobody, "agents/day",          \
      "agents who planned again, by what made them (docs/BEHAVIOUR.md)")                                             \
    X(route_switches, border_switch, count, counted, false, false, logit, "route_switches", in_total, nobody,         \
      "agents/day", "re-plans that changed the route: border of the old route -> border of the new")                \
    X(border_retries, border, count, counted, true, true, logit, "retries", in_total | by_entity, nobody,            \
      "attempts/day", "attempts by people who failed on the same link last time (people: attempts - retries)")      \
    X(ransom_paid, location, money, counted, false, true, logit, "ransom", by_entity, armed_groups, "money/day",    \
      "ransom taken by armed groups and criminals")                                                                 \
    X(tolls_paid, link, money, counted, false, true, logit, "", not_compared, armed_groups, "money/day",            \
      "tolls paid to armed groups on the link")                                                                     \
    X(bribes_paid, link, money, counted, false, true, logit, "", not_compared, officials, "money/day",              \
      "bribes paid to officials at the link's crossing")                                                            \
    X(fares_paid, link, money, counted, false, false, logit, "", not_compared, transport, "money/day",              \
      "fares paid for travel without a smuggler")                                                                   \
    X(pathway_fees_paid, pathway, money, counted, false, false, logit, "", not_compared, pathway_fees, "money/day",      \
      "fees paid by those admitted")                                                                                \
    X(protection_paid, market, money, counted, false, true, logit, "", not_compared, armed_groups, "money/day",     \
      "protection money smugglers paid armed groups for their passengers (out of market_revenue)")                  \
    X(smuggler_bribes_paid, market, money, counted, false, true, logit, "", not_compared, officials, "money/day",   \
      "bribes smugglers paid officials at their links' crossings (out of market_revenue)")
// clang-format on

// The series, in catalogue order (also the order of their datasets' creation).
enum class Series : std::uint8_t {
#define MIGSIM_SERIES_NAME(name, ...) name,
    MIGSIM_SERIES(MIGSIM_SERIES_NAME)
#undef MIGSIM_SERIES_NAME
};

struct SeriesInfo {
    std::string_view name;
    Entity entity;
    Measure measure;
    Made made;
    bool grouped;      // written again as NAME_by_group (entity x group) when the scenario asks
    bool summarised;   // NAME_summary: mean, q05, q50, q95 over replicates
    RuleSets rules;
    std::string_view outcome;   // its name in `migsim compare`
    unsigned compare;           // CompareIn bits
    Payee paid_to;
    std::string_view units;
    std::string_view long_name;

    [[nodiscard]] constexpr bool is_money() const { return measure == Measure::money; }
    [[nodiscard]] constexpr bool compared(CompareIn where) const { return (compare & where) != 0; }
};

inline constexpr std::array series_catalogue{
#define MIGSIM_SERIES_INFO(name, entity, measure, made, grouped, summarised, rules, outcome, compare, paid_to, units,  \
                           long_name)                                                                                  \
    SeriesInfo{#name,           Entity::entity, Measure::measure, Made::made,     grouped, summarised,                 \
               RuleSets::rules, outcome,        compare,          Payee::paid_to, units,   long_name},
    MIGSIM_SERIES(MIGSIM_SERIES_INFO)
#undef MIGSIM_SERIES_INFO
};

inline constexpr std::size_t series_count = series_catalogue.size();

[[nodiscard]] constexpr std::size_t index(Series s) { return static_cast<std::size_t>(s); }
[[nodiscard]] constexpr const SeriesInfo& info(Series s) { return series_catalogue[index(s)]; }
[[nodiscard]] constexpr Series series_at(std::size_t k) { return static_cast<Series>(k); }

// The series of that name, if the catalogue has one.
[[nodiscard]] std::optional<Series> find_series(std::string_view name);

// The entity's dimension name in the file ("location", ...) and its length in a scenario.
[[nodiscard]] const char* to_string(Entity entity);
[[nodiscard]] const char* to_string(Measure measure);
[[nodiscard]] const char* to_string(RuleSets rules);
[[nodiscard]] const char* to_string(Payee payee);
[[nodiscard]] std::size_t entity_count(const Scenario& scenario, Entity entity);

}   // namespace migsim
