// migsim's rules (LogitRules, model/logit_model.hpp): what a run gives out: the day's totals
// (DayTotals, split by group when asked), the journey sample, and checkpoints.
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>

#include "io/bytes.hpp"
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
    out.put(state_magic);
    out.put(static_cast<std::uint64_t>(std::hash<std::string>{}(loaded.resolved_text)));
    out.put(ranks), out.put(rank), out.put(day), out.put(created);
    out.put(static_cast<std::uint64_t>(next_event));
    out.put(agents.location), out.put(agents.status), out.put(agents.profile), out.put(agents.attempts);
    out.put(agents.ticket), out.put(agents.via), out.put(agents.days_left), out.put(agents.days_waiting);
    out.put(agents.money), out.put(agents.origin), out.put(agents.born), out.put(agents.group);
    out.put(budgets_cents), out.put(wages_cents);
    out.put(static_cast<std::uint64_t>(split));
    for (std::size_t g = 0; g < split; ++g) out.put(ended[g].values);
    out.put(today.location_population);
    conditions.save(out);
    out.put(static_cast<std::uint8_t>(tracking));
    if (tracking) put_journeys(out, journeys_);
}

void LogitRules::restore_state(std::span<const std::byte> bytes, std::vector<Counters>& ended) {
    ByteReader in(bytes, "the checkpoint");
    std::uint64_t magic = 0, scenario_hash = 0, events = 0;
    std::uint32_t saved_ranks = 0, saved_rank = 0;
    in.take(magic);
    in.take(scenario_hash);
    if (magic != state_magic) throw std::runtime_error("the checkpoint is not a migsim state of this version");
    if (scenario_hash != std::hash<std::string>{}(loaded.resolved_text))
        throw std::runtime_error("the checkpoint is of another scenario");
    in.take(saved_ranks), in.take(saved_rank), in.take(day), in.take(created), in.take(events);
    if (saved_ranks != ranks || saved_rank != rank)
        throw std::runtime_error("the checkpoint was taken with another rank layout");
    replay_events(events);   // the events so far, applied again in order
    in.take(agents.location);
    const auto n = static_cast<std::int64_t>(agents.location.size());
    in.take(agents.status, n), in.take(agents.profile, n), in.take(agents.attempts, n);
    in.take(agents.ticket, n), in.take(agents.via, n), in.take(agents.days_left, n), in.take(agents.days_waiting, n);
    in.take(agents.money, n), in.take(agents.origin, n), in.take(agents.born, n), in.take(agents.group, n);
    in.take(budgets_cents), in.take(wages_cents);
    std::uint64_t saved_split = 0;
    in.take(saved_split);
    if (saved_split != split) throw std::runtime_error("the checkpoint's split by group does not fit");
    ended.assign(split, Counters(layout));
    for (std::size_t g = 0; g < split; ++g)   // the ended journeys so far, counted once
        in.take(ended[g].values, static_cast<std::int64_t>(layout.total()));
    in.take(today.location_population);   // empty before the first day
    if (!today.location_population.empty() && today.location_population.size() != loaded.locations.size())
        throw std::runtime_error("the checkpoint's places do not fit");
    conditions.restore(in);
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
    for (std::size_t s = 0; s < status_count; ++s) today.status_counts[s] = totals(Count::status, s);
    const std::size_t N = current.locations.size(), B = current.borders.size(), P = current.pathways.size();
    copy_section(Count::location_population, N, today.location_population);
    copy_section(Count::arrivals, N, today.arrivals);
    copy_section(Count::arrivals_regular, N, today.arrivals_regular);
    copy_section(Count::link_flow, L, today.link_flow);
    copy_section(Count::link_deaths, L, today.link_deaths);
    copy_section(Count::border_attempts, B, today.border_attempts);
    copy_section(Count::border_interceptions, B, today.border_interceptions);
    copy_section(Count::border_deaths, B, today.border_deaths);
    copy_section(Count::border_crossings, B, today.border_crossings);
    copy_section(Count::border_regular_crossings, B, today.border_regular_crossings);
    copy_section(Count::market_seats, M, today.market_seats);
    copy_section(Count::pathway_applications, P, today.pathway_applications);
    copy_section(Count::pathway_admissions, P, today.pathway_admissions);
    copy_section(Count::arrival_transit_days, N, today.arrival_transit_days);
    const std::size_t G = current.profiles.size();
    copy_section(Count::profile_arrivals, G, today.profile_arrivals);
    copy_section(Count::profile_regular_arrivals, G, today.profile_regular_arrivals);
    copy_section(Count::profile_deaths, G, today.profile_deaths);
    copy_section(Count::profile_interceptions, G, today.profile_interceptions);
    copy_section(Count::profile_seats, G, today.profile_seats);
    for (auto [kind, series] : {std::pair{HarmKind::abduction, &today.harm_abductions},
                                std::pair{HarmKind::trafficking, &today.harm_trafficking},
                                std::pair{HarmKind::violence, &today.harm_violence},
                                std::pair{HarmKind::detention, &today.harm_detentions}}) {
        series->resize(N);
        for (std::size_t at = 0; at < N; ++at) (*series)[at] = totals(Count::harm_events, at * harm_kinds + static_cast<std::size_t>(kind));
    }
    copy_section(Count::harm_deaths, N, today.harm_deaths);
    copy_section(Count::harm_returns, N, today.harm_returns);
    auto money = [&](Count c, std::size_t n, std::vector<double>& out) {
        out.resize(n);
        for (std::size_t k = 0; k < n; ++k) out[k] = static_cast<double>(totals(c, k)) / 100;
    };
    money(Count::ransom_cents, N, today.ransom_paid);
    money(Count::toll_cents, L, today.tolls_paid);
    money(Count::bribe_cents, L, today.bribes_paid);
    money(Count::fare_cents, L, today.fares_paid);
    money(Count::pathway_fee_cents, P, today.pathway_fees_paid);
    money(Count::protection_cents, M, today.protection_paid);
    money(Count::smuggler_bribe_cents, M, today.smuggler_bribes_paid);
    if (split > 1) publish_by_group();
    today.market_unmet_demand.resize(M);
    today.market_price.resize(M);
    today.market_revenue.resize(M);
    for (std::size_t m = 0; m < M; ++m) {
        today.market_unmet_demand[m] = demand[m] - totals(Count::market_seats, m);
        today.market_price[m] = conditions.today().market_price[m];
        today.market_revenue[m] = static_cast<double>(totals(Count::market_seats, m)) * today.market_price[m];
    }
}

// DayTotals::by_group, in grouped_series() order: entity-major, a count per group.
void LogitRules::publish_by_group() {
    const std::size_t N = current.locations.size(), B = current.borders.size(), P = current.pathways.size();
    auto harm = [](HarmKind k) { return GroupedSeries{Count::harm_events, harm_kinds, static_cast<std::size_t>(k)}; };
    const std::pair<GroupedSeries, std::size_t> series[] = {
        {{Count::status}, status_count}, {{Count::location_population}, N}, {{Count::arrivals}, N},
        {{Count::arrivals_regular}, N}, {{Count::link_flow}, L}, {{Count::link_deaths}, L},
        {{Count::border_attempts}, B}, {{Count::border_interceptions}, B}, {{Count::border_deaths}, B},
        {{Count::border_crossings}, B}, {{Count::border_regular_crossings}, B}, {{Count::market_seats}, M},
        {{Count::pathway_applications}, P}, {{Count::pathway_admissions}, P}, {harm(HarmKind::abduction), N},
        {harm(HarmKind::trafficking), N}, {harm(HarmKind::violence), N}, {harm(HarmKind::detention), N},
        {{Count::harm_deaths}, N}, {{Count::harm_returns}, N}};
    static_assert(std::size(series) == 20);
    today.by_group.resize(std::size(series));
    for (std::size_t k = 0; k < std::size(series); ++k) {
        const auto& [where, entities] = series[k];
        auto& row = today.by_group[k];
        row.resize(entities * split);
        for (std::size_t e = 0; e < entities; ++e)
            for (std::size_t g = 0; g < split; ++g)
                row[e * split + g] = group_totals[g](where.section, e * where.stride + where.offset);
    }
}

}  // namespace migsim::detail::logit
