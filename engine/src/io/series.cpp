#include "io/series.hpp"

#include <algorithm>
#include <map>

namespace migsim {

const std::vector<SeriesInfo>& series_catalogue() {
    static const std::vector<SeriesInfo> catalogue = {
        {"status_counts", "status", "agents", "agents in each status at the end of the day"},
        {"location_population", "location", "agents", "agents present at the location at the end of the day"},
        {"arrivals", "location", "agents/day", "irregular arrivals at the destination"},
        {"arrivals_regular", "location", "agents/day", "arrivals through a pathway or a visa-free crossing"},
        {"link_flow", "link", "agents/day", "departures onto the link"},
        {"link_deaths", "link", "agents/day", "dead or missing on the link"},
        {"border_attempts", "border", "attempts/day", "irregular crossing attempts"},
        {"border_interceptions", "border", "attempts/day", "irregular attempts intercepted"},
        {"border_deaths", "border", "agents/day", "dead or missing while crossing"},
        {"border_crossings", "border", "agents/day", "irregular attempts that got through"},
        {"border_regular_crossings", "border", "agents/day", "crossings by permit holders"},
        {"market_seats", "market", "seats/day", "seats sold"},
        {"market_unmet_demand", "market", "seats/day", "buyers turned away: demand above capacity"},
        {"market_price", "market", "money/seat", "price with the risk premium"},
        {"market_revenue", "market", "money/day", "seats sold times price"},
        {"pathway_applications", "pathway", "agents/day", "eligible agents who applied"},
        {"pathway_admissions", "pathway", "agents/day", "applicants admitted (at most the quota per period)"},
        {"arrival_transit_days", "location", "migrant-days", "sum over the day's arrivals of days since each was created"},
        {"profile_arrivals", "profile", "agents/day", "irregular arrivals by profile"},
        {"profile_regular_arrivals", "profile", "agents/day", "regular arrivals by profile"},
        {"profile_deaths", "profile", "agents/day", "dead or missing by profile"},
        {"profile_interceptions", "profile", "attempts/day", "interceptions by profile"},
        {"profile_seats", "profile", "seats/day", "smugglers' seats bought by profile"},
        {"harm_abductions", "location", "agents/day", "abducted for ransom (docs/HARM.md)"},
        {"harm_trafficking", "location", "agents/day", "taken into trafficking or forced labour"},
        {"harm_violence", "location", "agents/day", "who suffered violence (counted; nothing else changes)"},
        {"harm_detentions", "location", "agents/day", "detained by the State (raids; interceptions are border_interceptions)"},
        {"harm_deaths", "location", "agents/day", "died while held for ransom"},
        {"harm_returns", "location", "agents/day", "sent home or on when released from detention"},
        {"ransom_paid", "location", "money/day", "ransom taken by armed groups and criminals"},
        {"tolls_paid", "link", "money/day", "tolls paid to armed groups on the link"},
        {"bribes_paid", "link", "money/day", "bribes paid to officials at the link's crossing"},
        {"fares_paid", "link", "money/day", "fares paid for travel without a smuggler"},
        {"pathway_fees_paid", "pathway", "money/day", "fees paid by those admitted"},
        {"protection_paid", "market", "money/day", "protection money smugglers paid armed groups for their passengers (out of market_revenue)"},
        {"smuggler_bribes_paid", "market", "money/day", "bribes smugglers paid officials at their links' crossings (out of market_revenue)"},
    };
    return catalogue;
}

const std::vector<std::string>& grouped_series() {
    static const std::vector<std::string> names = {
        "status_counts", "location_population", "arrivals", "arrivals_regular", "link_flow", "link_deaths",
        "border_attempts", "border_interceptions", "border_deaths", "border_crossings", "border_regular_crossings",
        "market_seats", "pathway_applications", "pathway_admissions", "harm_abductions", "harm_trafficking",
        "harm_violence", "harm_detentions", "harm_deaths", "harm_returns"};
    return names;
}

const std::vector<std::string>& summarised_series() {
    static const std::vector<std::string> names = {
        "arrivals", "arrivals_regular", "arrival_transit_days", "link_flow", "link_deaths",
        "border_attempts", "border_interceptions", "border_deaths", "border_crossings",
        "market_seats", "market_revenue", "pathway_admissions", "status_counts", "harm_abductions",
        "harm_trafficking", "harm_violence", "harm_detentions", "harm_deaths", "ransom_paid", "tolls_paid", "bribes_paid",
        "protection_paid", "smuggler_bribes_paid"};
    return names;
}

namespace detail {

namespace {
using CountSeries = std::vector<std::int64_t> DayTotals::*;
const std::map<std::string, CountSeries>& count_fields() {
    static const std::map<std::string, CountSeries> fields = {
        {"location_population", &DayTotals::location_population}, {"arrivals", &DayTotals::arrivals},
        {"arrivals_regular", &DayTotals::arrivals_regular}, {"link_flow", &DayTotals::link_flow},
        {"link_deaths", &DayTotals::link_deaths}, {"border_attempts", &DayTotals::border_attempts},
        {"border_interceptions", &DayTotals::border_interceptions}, {"border_deaths", &DayTotals::border_deaths},
        {"border_crossings", &DayTotals::border_crossings},
        {"border_regular_crossings", &DayTotals::border_regular_crossings},
        {"market_seats", &DayTotals::market_seats}, {"market_unmet_demand", &DayTotals::market_unmet_demand},
        {"pathway_applications", &DayTotals::pathway_applications},
        {"pathway_admissions", &DayTotals::pathway_admissions},
        {"arrival_transit_days", &DayTotals::arrival_transit_days},
        {"profile_arrivals", &DayTotals::profile_arrivals},
        {"profile_regular_arrivals", &DayTotals::profile_regular_arrivals},
        {"profile_deaths", &DayTotals::profile_deaths},
        {"profile_interceptions", &DayTotals::profile_interceptions},
        {"profile_seats", &DayTotals::profile_seats},
        {"harm_abductions", &DayTotals::harm_abductions}, {"harm_trafficking", &DayTotals::harm_trafficking},
        {"harm_violence", &DayTotals::harm_violence}, {"harm_detentions", &DayTotals::harm_detentions},
        {"harm_deaths", &DayTotals::harm_deaths}, {"harm_returns", &DayTotals::harm_returns}};
    return fields;
}

using MoneySeries = std::vector<double> DayTotals::*;
const std::map<std::string, MoneySeries>& money_fields() {
    static const std::map<std::string, MoneySeries> fields = {
        {"market_price", &DayTotals::market_price}, {"market_revenue", &DayTotals::market_revenue},
        {"ransom_paid", &DayTotals::ransom_paid}, {"tolls_paid", &DayTotals::tolls_paid},
        {"bribes_paid", &DayTotals::bribes_paid}, {"fares_paid", &DayTotals::fares_paid},
        {"pathway_fees_paid", &DayTotals::pathway_fees_paid}, {"protection_paid", &DayTotals::protection_paid},
        {"smuggler_bribes_paid", &DayTotals::smuggler_bribes_paid}};
    return fields;
}

}  // namespace

bool is_money(const std::string& name) { return money_fields().contains(name); }

const void* row_of(const DayTotals& t, const std::string& name) {
    if (name.ends_with("_by_group")) {
        const auto& names = grouped_series();
        const auto k = static_cast<std::size_t>(
            std::find(names.begin(), names.end(), name.substr(0, name.size() - 9)) - names.begin());
        return t.by_group.at(k).data();
    }
    if (name == "status_counts") return t.status_counts.data();
    if (is_money(name)) return (t.*(money_fields().at(name))).data();
    return (t.*(count_fields().at(name))).data();
}

}  // namespace detail

}  // namespace migsim
