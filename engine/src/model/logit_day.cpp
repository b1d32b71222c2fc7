// The day loop. A day has two phases so that the outcome cannot depend on thread or rank
// count (see docs/ARCHITECTURE.md, "Determinism"):
//   intent      every agent acts on its own draws; those who want a scarce thing (a smuggler's
//               seat, a pathway place) only ask, and the asks are counted;
//   resolution  where D askers want C < D places, the C with the smallest keys win (a global
//               selection over integer histograms), then each asker applies its outcome.
// Agents touch only their own record; shared totals are per-thread integer counters summed
// after each phase.
// Here: migsim's day (its phases, LogitRules in model/logit_model.hpp, called in order by the
// execution layer, parallel/logit_run.cpp) and the agent actions intent() calls, kept in one
// translation unit so that the compiler can inline them into the sweeps.
#include <algorithm>

#include "model/logit_model.hpp"

namespace migsim::detail::logit {

void AgentRules::finish_trip(std::uint32_t i, Worker& w) {
    const std::size_t via = agents.via[i];
    if (via >= L) {   // a pathway's processing is over
        arrive_regular(i, flat.pathway_to[via - L], w);
        return;
    }
    const FlatScenario::LinkRow& link = flat.links[via];
    const auto to = static_cast<std::size_t>(link.to);
    agents.location[i] = static_cast<std::uint16_t>(to);
    agents.days_waiting[i] = 0;
    moved(i);
    if (flat.location_kind[to] != LocationKind::destination) {
        agents.status[i] = Status::waiting;
    } else if (regular_arrival[via * profiles + agents.profile[i]]) {
        arrive_regular(i, link.to, w);
    } else {
        agents.status[i] = Status::arrived;
        count_arrival(i, to, false, w);
        count_ended(i, w);
    }
}

void AgentRules::depart(std::uint32_t i, std::size_t l, Passage passage, Worker& w) {
    const FlatScenario::LinkRow& link = flat.links[l];
    const DayParameters::LinkValues& values = now.links[l];
    if (values.toll > 0) pay(i, values.toll, Count::tolls_paid, l, w);   // armed groups, by the traveller
    if (passage == Passage::smuggled) {   // armed groups, by the smuggler out of his price
        const auto m = static_cast<std::size_t>(link.market);
        w.counts(Count::protection_paid, m) += cents(now.markets[m].protection);
    }
    agents.status[i] = Status::travelling;
    agents.via[i] = static_cast<std::uint16_t>(l);
    agents.days_left[i] = static_cast<std::uint16_t>(link.travel_days);
    agents.days_waiting[i] = 0;
    w.counts(Count::link_flow, l)++;
    const int b = link.border;
    if (b != no_index)
        w.counts(passage == Passage::regular ? Count::border_regular_crossings : Count::border_crossings,
                 static_cast<std::size_t>(b))++;
}

// An irregular attempt (or a regular trip with death risk): interception, death, or away.
void AgentRules::attempt(std::uint32_t i, std::size_t l, Passage passage, const Words& words, Worker& w) {
    const FlatScenario::LinkRow& link = flat.links[l];
    const auto k = static_cast<std::size_t>(passage);
    const auto& day_rates = conditions.today();
    const std::size_t b = static_cast<std::size_t>(link.border);
    const bool irregular = passage != Passage::regular;
    if (irregular) {
        w.counts(Count::passage_attempts, l * 3 + k)++;
        if (Journey* j = journey(i)) ++j->attempts;
        if (link.border != no_index) w.counts(Count::border_attempts, b)++;
    }
    // At an official crossing, those who cross without a smuggler pay the officials if they can,
    // and a bribed official lets more through; a smuggler pays for his passengers out of his price.
    double interception = day_rates.interception[k][l];
    const DayParameters::LinkValues& values = now.links[l];
    if (values.bribe > 0 && passage == Passage::smuggled) {
        w.counts(Count::smuggler_bribes_paid, static_cast<std::size_t>(link.market)) += cents(values.bribe);
    } else if (values.bribe > 0 && agents.money[i] >= static_cast<float>(values.bribe)) {
        pay(i, values.bribe, Count::bribes_paid, l, w);
        if (passage == Passage::alone) interception *= values.bribe_interception;
    }
    if (happens(words[1], interception)) {
        const int return_to = flat.border_return_to[b];
        w.counts(Count::border_interceptions, b)++;
        w.counts(Count::passage_interceptions, l * 3 + k)++;
        w.counts(Count::profile_interceptions, agents.profile[i])++;
        agents.attempts[i] = static_cast<std::uint8_t>(std::min(255, agents.attempts[i] + 1));
        agents.ticket[i] = no_ticket;   // what was paid is lost
        agents.location[i] = static_cast<std::uint16_t>(return_to != no_index ? return_to : link.from);
        agents.days_waiting[i] = 0;
        const int detention_days = now.borders[b].detention_days;
        agents.days_left[i] = static_cast<std::uint16_t>(detention_days);
        agents.status[i] = detention_days > 0 ? Status::detained : Status::waiting;
        if (Journey* j = journey(i)) ++j->interceptions;
        moved(i);
        return;
    }
    if (happens(words[2], day_rates.death[k][l])) {
        agents.status[i] = Status::dead_missing;
        count_ended(i, w);
        w.counts(Count::link_deaths, l)++;
        w.counts(Count::profile_deaths, agents.profile[i])++;
        if (irregular) w.counts(Count::passage_deaths, l * 3 + k)++;
        if (link.border != no_index) w.counts(Count::border_deaths, b)++;
        return;
    }
    depart(i, l, passage, w);
}

void AgentRules::give_up(std::uint32_t i, Worker& w) {
    w.counts(Count::give_ups, agents.location[i])++;
    if (flat.give_up_action == GiveUpAction::go_home) {
        agents.status[i] = Status::returned;
        agents.location[i] = agents.origin[i];
        moved(i);
    } else {
        agents.status[i] = Status::settled;
    }
    count_ended(i, w);
}

// The logit's pick, drawn again while it would take the agent back towards its origin
// (rejection sampling: the logit renormalised over the options open to it and staying); after
// max_rounds such draws in a row the agent waits. Pathways closed to its group are not among
// its chooser's options at all.
const Option& AgentRules::choose(std::uint32_t i, int at) const {
    static constexpr std::uint32_t max_rounds = 16;
    static constexpr Option wait{};          // kind stay
    const int profile = agents.profile[i];   // the (cold) group is read only where groups choose apart
    const int chooser = choice.groups_choose_apart() ? choice.chooser(profile, agents.group[i]) : profile;
    for (std::uint32_t round = 0; round < max_rounds; ++round) {
        const Words words = draw(seed, id(i), day, Purpose::choice, round);
        const Option& o = choice.sample(at, chooser, words[0], words[1]);
        if (o.kind != Option::Kind::link || outward.allows(agents.origin[i], o.index)) return o;
    }
    return wait;
}

// A waiting agent: earn, maybe give up, continue a package, or choose. Returns true if it
// asked for a scarce place (its outcome comes in the resolution phase).
bool AgentRules::decide(std::uint32_t i, Worker& w) {
    const std::size_t at = agents.location[i];
    if (now.locations[at].wage > 0) {
        agents.money[i] += static_cast<float>(now.locations[at].wage);
        w.counts(Count::wage_days, at)++;   // times the wage in cents once a day, not per agent
    }
    if (agents.days_waiting[i] < UINT16_MAX) ++agents.days_waiting[i];
    if (harm_places.any(at) && suffer_harm(i, at, w)) return false;
    if (agents.attempts[i] >= flat.max_attempts || agents.days_waiting[i] >= flat.give_up_days) {
        give_up(i, w);
        return false;
    }
    if (agents.ticket[i] != no_ticket) {   // a package carries its buyer on
        const int next = package_next[(agents.ticket[i] - 1u) * flat.location_kind.size() + at];
        if (next != no_index) {
            attempt(i, static_cast<std::size_t>(next), Passage::smuggled, draw(seed, id(i), day, Purpose::crossing), w);
            return false;
        }
        agents.ticket[i] = no_ticket;
    }
    const Option& o = choose(i, static_cast<int>(at));
    float& money = agents.money[i];
    switch (o.kind) {
        case Option::Kind::stay: return false;
        case Option::Kind::pathway: {
            if (money < now.pathways[o.index].cost) return false;
            w.counts(Count::pathway_applications, o.index)++;
            ask(i, M + o.index, o.index, w);
            return true;
        }
        case Option::Kind::link: break;
    }
    const FlatScenario::LinkRow& link = flat.links[o.index];
    if (o.passage == Passage::smuggled) {
        if (money < conditions.today().market_price[static_cast<std::size_t>(link.market)]) return false;
        w.counts(Count::market_demand, static_cast<std::size_t>(link.market))++;
        ask(i, static_cast<std::size_t>(link.market), o.index, w);
        return true;
    }
    const double fare = now.links[o.index].cost;
    if (money < fare) return false;
    pay(i, fare, Count::fares_paid, o.index, w);
    attempt(i, o.index, o.passage, draw(seed, id(i), day, Purpose::crossing), w);
    return false;
}

void AgentRules::intent(std::uint32_t i, Worker& w) {
    if (split > 1) w.now = agents.group[i];
    bool asked = false;
    switch (agents.status[i]) {
        case Status::travelling:
            if (Journey* j = journey(i)) ++j->days_travelling;
            if (--agents.days_left[i] == 0) finish_trip(i, w);
            break;
        case Status::detained:
            if (--agents.days_left[i] == 0) release(i, w);
            break;
        case Status::held: hold(i, w); break;
        case Status::trafficked: exploit(i, w); break;
        case Status::waiting: asked = decide(i, w); break;
        default: break;
    }
    if (!asked) count_end_of_day(i, w);
}

void AgentRules::resolve(const Ask& a, Worker& w) {
    const std::uint32_t i = a.agent;
    if (split > 1) w.now = agents.group[i];
    const bool wins = thresholds.wins(a);
    if (a.contest < M) {
        const std::size_t m = a.contest;
        if (wins) {
            w.counts(Count::market_seats, m)++;
            w.counts(Count::profile_seats, agents.profile[i])++;
            agents.money[i] -= static_cast<float>(conditions.today().market_price[m]);
            note_paid(i, Count::market_seats, cents(static_cast<float>(conditions.today().market_price[m])));
            if (flat.market_package[m] != 0) agents.ticket[i] = static_cast<std::uint8_t>(m + 1);
            attempt(i, a.option, Passage::smuggled, draw(seed, id(i), day, Purpose::crossing), w);
        }
    } else if (wins) {
        const DayParameters::PathwayValues& p = now.pathways[a.option];
        w.counts(Count::pathway_admissions, a.option)++;
        pay(i, p.cost, Count::pathway_fees_paid, a.option, w);   // affordable: checked when it applied
        if (p.processing_days == 0) {
            arrive_regular(i, flat.pathway_to[a.option], w);
        } else {
            agents.status[i] = Status::travelling;
            agents.via[i] = static_cast<std::uint16_t>(L + a.option);
            agents.days_left[i] = static_cast<std::uint16_t>(p.processing_days);
        }
    }
    count_end_of_day(i, w);
}

void LogitRules::begin_day() {
    apply_events();
    create_agents();
    conditions.begin_day(loaded, now, day,
                         today[Series::location_population].empty()
                             ? std::vector<std::int64_t>(loaded.locations.size(), 0)
                             : today[Series::location_population]);
    choice.update(loaded, now, conditions.today());
}

AgentRules LogitRules::agent_rules() {
    return AgentRules{.flat = flat,
                      .now = now,
                      .conditions = conditions,
                      .choice = choice,
                      .outward = outward,
                      .harm_places = harm_places,
                      .thresholds = thresholds,
                      .package_next = package_next,
                      .regular_arrival = regular_arrival,
                      .agents = AgentSpans(agents),
                      .journey_slot = journey_slot,
                      .journeys_ = journeys_,
                      .L = L,
                      .M = M,
                      .profiles = loaded.profiles.size(),
                      .split = split,
                      .rank = rank,
                      .ranks = ranks,
                      .seed = seed,
                      .day = day,
                      .tracking = tracking};
}

void LogitRules::intent_sweep(std::uint32_t begin, std::uint32_t end, Worker& w) {
    AgentRules rules = agent_rules();
    for (std::uint32_t i = begin; i != end; ++i) rules.intent(i, w);
}

// Resolution: demand is summed exactly, the winners found by their own keys.
void LogitRules::contests() {
    for (std::size_t m = 0; m < M; ++m) {
        demand[m] = totals(Count::market_demand, m);
        places[m] = now.markets[m].capacity;
    }
    for (std::size_t p = 0; p < loaded.pathways.size(); ++p) {
        demand[M + p] = totals(Count::pathway_applications, p);
        places[M + p] = conditions.quota_left(p);
    }
}

void LogitRules::resolve_sweep(std::span<const Ask> asks, Worker& w) {
    AgentRules rules = agent_rules();
    for (const Ask& a : asks) rules.resolve(a, w);
}

void LogitRules::count_wages() {
    for (std::size_t at = 0; at < loaded.locations.size(); ++at)
        wages_cents += totals(Count::wage_days, at) * cents(static_cast<float>(now.locations[at].wage));
}

void LogitRules::end_day() {
    conditions.end_day(loaded, totals);
    publish();
    ++day;
}

}   // namespace migsim::detail::logit
