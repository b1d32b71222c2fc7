#include "parallel/day_exchange.hpp"

#include "io/bytes.hpp"

namespace migsim::detail {

namespace {

// Every field of DayTotals, in one order for writing and reading.
template <class Totals, class Visit>
void each_field(Totals& t, Visit&& visit) {
    visit(t.day);
    visit(t.agents_created);
    visit(t.status_counts);
    visit(t.location_population), visit(t.arrivals), visit(t.arrivals_regular);
    visit(t.link_flow), visit(t.link_deaths);
    visit(t.border_attempts), visit(t.border_interceptions), visit(t.border_deaths);
    visit(t.border_crossings), visit(t.border_regular_crossings);
    visit(t.market_seats), visit(t.market_unmet_demand), visit(t.market_price), visit(t.market_revenue);
    visit(t.pathway_applications), visit(t.pathway_admissions);
    visit(t.arrival_transit_days);
    visit(t.profile_arrivals), visit(t.profile_regular_arrivals), visit(t.profile_deaths);
    visit(t.profile_interceptions), visit(t.profile_seats);
    visit(t.harm_abductions), visit(t.harm_trafficking), visit(t.harm_violence), visit(t.harm_detentions);
    visit(t.harm_deaths), visit(t.harm_returns);
    visit(t.ransom_paid), visit(t.tolls_paid), visit(t.bribes_paid), visit(t.fares_paid), visit(t.pathway_fees_paid);
    visit(t.by_group);
}

}  // namespace

void append_day(const DayTotals& totals, std::vector<std::byte>& out) {
    ByteWriter writer(out);
    each_field(totals, [&](const auto& field) { writer.put(field); });
}

std::span<const std::byte> read_day(std::span<const std::byte> in, DayTotals& totals) {
    ByteReader reader(in, "a day's totals from another rank");
    each_field(totals, [&](auto& field) { reader.take(field); });
    return reader.rest();
}

}  // namespace migsim::detail
