#include "parallel/day_exchange.hpp"

namespace migsim::detail {

namespace {

// Every field of DayTotals, in one order for writing and reading: each series of the
// catalogue, its int64 and float64 rows and its rows by group.
template <class Totals, class Visit>
void each_field(Totals& t, Visit&& visit) {
    visit(t.day);
    visit(t.agents_created);
    for (std::size_t k = 0; k < series_count; ++k) visit(t.counts[k]), visit(t.money[k]), visit(t.by_group[k]);
}

// Every field of a Journey.
template <class J, class Visit>
void each_field_of_journey(J& j, Visit&& visit) {
    visit(j.id), visit(j.profile), visit(j.group), visit(j.origin), visit(j.born), visit(j.end_day);
    visit(j.outcome), visit(j.days_travelling), visit(j.attempts), visit(j.interceptions), visit(j.route);
    visit(j.plans);
    visit(j.smugglers_cents), visit(j.officials_cents), visit(j.armed_groups_cents), visit(j.fares_cents);
    visit(j.harms);
}

}   // namespace

void put_journeys(ByteWriter& out, const std::vector<Journey>& journeys) {
    out.put(static_cast<std::uint64_t>(journeys.size()));
    for (const Journey& j : journeys) each_field_of_journey(j, [&](const auto& field) { out.put(field); });
}

void take_journeys(ByteReader& in, std::vector<Journey>& journeys) {
    std::uint64_t n = 0;
    in.take(n);
    if (n > in.rest().size())
        throw std::runtime_error("a journey sample does not fit (" + std::to_string(n) + " journeys)");
    journeys.resize(n);
    for (Journey& j : journeys) each_field_of_journey(j, [&](auto& field) { in.take(field); });
}

void append_day(const DayTotals& totals, std::vector<std::byte>& out) {
    ByteWriter writer(out);
    each_field(totals, [&](const auto& field) { writer.put(field); });
}

std::span<const std::byte> read_day(std::span<const std::byte> in, DayTotals& totals) {
    ByteReader reader(in, "a day's totals from another rank");
    each_field(totals, [&](auto& field) { reader.take(field); });
    return reader.rest();
}

}   // namespace migsim::detail
