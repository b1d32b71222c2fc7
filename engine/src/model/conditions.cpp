#include "model/conditions.hpp"

#include <algorithm>

namespace migsim::detail {

ConditionsTracker::ConditionsTracker(const Scenario& s)
    : admitted_in_period_(s.pathways.size(), 0), quota_left_(s.pathways.size(), 0), period_(s.pathways.size(), -1) {
    day_.market_price.resize(s.markets.size());
    for (std::size_t k = 0; k < 3; ++k) {
        day_.interception[k].resize(s.links.size());
        day_.death[k].resize(s.links.size());
        day_.perceived_interception[k].resize(s.links.size());
        day_.perceived_death[k].resize(s.links.size());
        day_.local_interception[k].resize(s.links.size());
        day_.local_death[k].resize(s.links.size());
    }
    day_.pathway_accepting.resize(s.pathways.size());
    day_.location_full.resize(s.locations.size());
}

void ConditionsTracker::begin_day(const Scenario& s, const DayParameters& now, int day,
                                  const std::vector<std::int64_t>& population) {
    for (std::size_t m = 0; m < s.markets.size(); ++m) {
        const DayParameters::MarketValues& market = now.markets[m];
        double patrol = 0;
        for (int l : s.markets[m].links) {
            int b = s.links[static_cast<std::size_t>(l)].border;
            if (b != no_index) patrol = std::max(patrol, now.borders[static_cast<std::size_t>(b)].patrol);
        }
        day_.market_price[m] = market.price * (1 + market.risk_premium * patrol);
    }
    const auto regular = static_cast<std::size_t>(Passage::regular);
    const auto smuggled = static_cast<std::size_t>(Passage::smuggled);
    const auto alone = static_cast<std::size_t>(Passage::alone);
    for (std::size_t l = 0; l < s.links.size(); ++l) {
        const Link& link = s.links[l];
        const double death_risk = now.links[l].death_risk;
        const double patrol = link.border == no_index ? 0 : now.borders[static_cast<std::size_t>(link.border)].patrol;
        day_.interception[regular][l] = 0;
        day_.death[regular][l] = link.border == no_index ? death_risk : 0;
        day_.interception[alone][l] = patrol;
        day_.death[alone][l] = death_risk;
        if (link.market != no_index) {
            const DayParameters::MarketValues& m = now.markets[static_cast<std::size_t>(link.market)];
            day_.interception[smuggled][l] = patrol * (1 - m.evasion);
            day_.death[smuggled][l] = std::min(1.0, death_risk * m.safety);
        } else {
            day_.interception[smuggled][l] = patrol;
            day_.death[smuggled][l] = death_risk;
        }
        // Regular rates are known exactly; on day 0 migrants start knowing the true rates.
        day_.perceived_interception[regular][l] = day_.local_interception[regular][l] = day_.interception[regular][l];
        day_.perceived_death[regular][l] = day_.local_death[regular][l] = day_.death[regular][l];
        if (first_day_)
            for (std::size_t k : {smuggled, alone}) {
                day_.perceived_interception[k][l] = day_.local_interception[k][l] = day_.interception[k][l];
                day_.perceived_death[k][l] = day_.local_death[k][l] = day_.death[k][l];
            }
    }
    first_day_ = false;
    for (std::size_t w = 0; w < s.pathways.size(); ++w) {
        const Pathway& p = s.pathways[w];
        const bool open = day >= p.open_day && day < p.close_day;
        if (open) {
            int period = (day - p.open_day) / p.period_days;
            if (period != period_[w]) {
                period_[w] = period;
                admitted_in_period_[w] = 0;
            }
        }
        quota_left_[w] = open ? std::max<std::int64_t>(0, now.pathways[w].quota - admitted_in_period_[w]) : 0;
        day_.pathway_accepting[w] = quota_left_[w] > 0;
    }
    for (std::size_t at = 0; at < s.locations.size(); ++at) {
        const auto capacity = now.locations[at].capacity;
        day_.location_full[at] = capacity > 0 && population[at] >= capacity;
    }
}

void ConditionsTracker::end_day(const Scenario& s, const Counters& totals) {
    // Word reaches everyone over the information lag; those waiting where the crossing starts see
    // who is brought back and who is not heard of again, and learn over the shorter local lag.
    const double weight = 1.0 / s.settings.information_lag_days;
    const double local_weight = 1.0 / s.settings.behaviour.local_information_lag_days;
    for (std::size_t k : {static_cast<std::size_t>(Passage::smuggled), static_cast<std::size_t>(Passage::alone)}) {
        for (std::size_t l = 0; l < s.links.size(); ++l) {
            const std::size_t slot = l * 3 + k;
            const auto attempts = totals(Count::passage_attempts, slot);
            const auto intercepted = totals(Count::passage_interceptions, slot);
            const auto died = totals(Count::passage_deaths, slot);
            // With nobody trying, word of mouth carries the true rate (news, rumours).
            const double seen_interception = attempts > 0
                                                 ? static_cast<double>(intercepted) / static_cast<double>(attempts)
                                                 : day_.interception[k][l];
            const double seen_death = attempts - intercepted > 0
                                          ? static_cast<double>(died) / static_cast<double>(attempts - intercepted)
                                          : day_.death[k][l];
            day_.perceived_interception[k][l] += weight * (seen_interception - day_.perceived_interception[k][l]);
            day_.perceived_death[k][l] += weight * (seen_death - day_.perceived_death[k][l]);
            day_.local_interception[k][l] += local_weight * (seen_interception - day_.local_interception[k][l]);
            day_.local_death[k][l] += local_weight * (seen_death - day_.local_death[k][l]);
        }
    }
    for (std::size_t w = 0; w < s.pathways.size(); ++w) admitted_in_period_[w] += totals(Count::pathway_admissions, w);
}

void ConditionsTracker::save(ByteWriter& out) const {
    for (std::size_t k = 0; k < 3; ++k) {
        out.put(day_.perceived_interception[k]);
        out.put(day_.perceived_death[k]);
        out.put(day_.local_interception[k]);
        out.put(day_.local_death[k]);
    }
    out.put(admitted_in_period_);
    out.put(period_);
    out.put(first_day_);
}

void ConditionsTracker::restore(ByteReader& in) {
    for (std::size_t k = 0; k < 3; ++k) {
        const auto links = static_cast<std::int64_t>(day_.interception[k].size());
        in.take(day_.perceived_interception[k], links);
        in.take(day_.perceived_death[k], links);
        in.take(day_.local_interception[k], links);
        in.take(day_.local_death[k], links);
    }
    in.take(admitted_in_period_, static_cast<std::int64_t>(admitted_in_period_.size()));
    in.take(period_, static_cast<std::int64_t>(period_.size()));
    in.take(first_day_);
}

}   // namespace migsim::detail
