// migsim's rules (LogitRules, model/logit_model.hpp): what a run gives out: the day's totals
// (DayTotals, split by group when asked), the journey sample, and checkpoints.
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>

#include "common/bytes.hpp"
#include "model/logit_model.hpp"
#include "parallel/day_exchange.hpp"

namespace migsim::detail::logit {

std::vector<Journey> LogitRules::journeys() const {
    std::vector<Journey> out = journeys_;   // created in id order on this rank
    for (Journey& j : out) j.outcome = agents.status[static_cast<std::uint32_t>(j.id) / ranks];
    return out;
}

void LogitRules::save_state(std::vector<std::byte>& bytes, const std::vector<Counters>& ended) const {
    ByteWriter out(bytes);
    put_state_head(out, state_magic, rank, ranks);
    out.put(agents.location), out.put(agents.status), out.put(agents.profile), out.put(agents.attempts);
    out.put(agents.ticket), out.put(agents.via), out.put(agents.days_left), out.put(agents.days_waiting);
    out.put(agents.money), out.put(agents.origin), out.put(agents.born), out.put(agents.group);
    out.put(agents.plan), out.put(agents.planned), out.put(agents.failed_link), out.put(agents.memory);
    out.put(budgets_cents), out.put(wages_cents);
    out.put(static_cast<std::uint64_t>(split));
    for (std::size_t g = 0; g < split; ++g) out.put(ended[g].values);
    out.put(today[Series::location_population]);
    conditions.save(out);
    plans.save(out);
    out.put(static_cast<std::uint8_t>(tracking));
    if (tracking) put_journeys(out, journeys_);
}

void LogitRules::restore_state(std::span<const std::byte> bytes, std::vector<Counters>& ended) {
    ByteReader in(bytes, "the checkpoint");
    take_state_head(in, state_magic, rank, ranks, "migsim's rules");
    in.take(agents.location);
    const auto n = static_cast<std::int64_t>(agents.location.size());
    in.take(agents.status, n), in.take(agents.profile, n), in.take(agents.attempts, n);
    in.take(agents.ticket, n), in.take(agents.via, n), in.take(agents.days_left, n), in.take(agents.days_waiting, n);
    in.take(agents.money, n), in.take(agents.origin, n), in.take(agents.born, n), in.take(agents.group, n);
    in.take(agents.plan, n), in.take(agents.planned, n), in.take(agents.failed_link, n), in.take(agents.memory, n);
    in.take(budgets_cents), in.take(wages_cents);
    std::uint64_t saved_split = 0;
    in.take(saved_split);
    if (saved_split != split) throw std::runtime_error("the checkpoint's split by group does not fit");
    ended.assign(split, Counters(layout));
    for (std::size_t g = 0; g < split; ++g)   // the ended journeys so far, counted once
        in.take(ended[g].values, static_cast<std::int64_t>(layout.total()));
    in.take(today[Series::location_population]);   // empty before the first day
    if (!today[Series::location_population].empty() &&
        today[Series::location_population].size() != loaded.locations.size())
        throw std::runtime_error("the checkpoint's places do not fit");
    conditions.restore(in);
    plans.restore(in);
    std::uint8_t saved_tracking = 0;
    in.take(saved_tracking);
    if ((saved_tracking != 0) != tracking)
        throw std::runtime_error(tracking ? "the checkpoint was taken without a journey sample"
                                          : "the checkpoint was taken with a journey sample");
    if (tracking) {
        take_journeys(in, journeys_);
        journey_slot.assign(agents.location.size(), no_journey);
        for (std::size_t k = 0; k < journeys_.size(); ++k) {
            const auto i = static_cast<std::size_t>(journeys_[k].id / ranks);
            if (i >= journey_slot.size()) throw std::runtime_error("the checkpoint's journey sample does not fit");
            journey_slot[i] = static_cast<std::uint32_t>(k);
        }
    }
    if (!in.rest().empty()) throw std::runtime_error("the checkpoint has bytes left over");
}

void LogitRules::publish() {
    today.day = day;
    today.agents_created = created;
    for (std::size_t k = 0; k < series_count; ++k) {   // the counted series, as counted
        const SeriesInfo& series = series_catalogue[k];
        if (series.made != Made::counted) continue;
        const Count section = section_of(series_at(k));
        const std::size_t n = layout.size(section);
        if (series.is_money()) {   // counted in whole cents
            today.money[k].resize(n);
            for (std::size_t e = 0; e < n; ++e) today.money[k][e] = static_cast<double>(totals(section, e)) / 100;
        } else {
            today.counts[k].resize(n);
            for (std::size_t e = 0; e < n; ++e) today.counts[k][e] = totals(section, e);
        }
    }
    if (split > 1) publish_by_group();
    auto& unmet = today[Series::market_unmet_demand];
    auto& price = today.amounts(Series::market_price);
    auto& revenue = today.amounts(Series::market_revenue);
    unmet.resize(M), price.resize(M), revenue.resize(M);
    for (std::size_t m = 0; m < M; ++m) {
        unmet[m] = demand[m] - totals(Count::market_seats, m);
        price[m] = conditions.today().market_price[m];
        revenue[m] = static_cast<double>(totals(Count::market_seats, m)) * price[m];
    }
}

// DayTotals::by_group of each series the catalogue marks grouped: entity-major, a count per group.
void LogitRules::publish_by_group() {
    for (std::size_t k = 0; k < series_count; ++k) {
        if (!series_catalogue[k].grouped) continue;
        const Count section = section_of(series_at(k));
        const std::size_t entities = layout.size(section);
        auto& row = today.by_group[k];
        row.resize(entities * split);
        for (std::size_t e = 0; e < entities; ++e)
            for (std::size_t g = 0; g < split; ++g) row[e * split + g] = group_totals[g](section, e);
    }
}

}   // namespace migsim::detail::logit
