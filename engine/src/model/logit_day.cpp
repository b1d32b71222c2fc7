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
    // Over its route's crossing: the rest is planned where it lands.
    if (passage != Passage::regular) agents.plan[i] = no_plan;
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
        if (link.border != no_index) {
            w.counts(Count::border_attempts, b)++;
            if (agents.failed_link[i] == l) w.counts(Count::border_retries, b)++;
        }
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
        failed(i, l);
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

// Gave up where it waits: some try another route instead, once (their failures remembered), the
// others settle there or go home (give_up_action).
void AgentRules::give_up(std::uint32_t i, Worker& w) {
    const std::size_t at = agents.location[i];
    w.counts(Count::give_ups, at)++;
    std::uint8_t& memory = agents.memory[i];
    if ((memory & Memory::switched_bit) == 0 &&
        happens(draw(seed, id(i), day, Purpose::give_up)[0], behaviour.give_up_switch)) {
        w.counts(Count::give_ups_switch, at)++;
        memory = Memory::with_cause(static_cast<std::uint8_t>(memory | Memory::switched_bit), Replan::failure);
        agents.attempts[i] = 0;
        agents.days_waiting[i] = 0;
        return;
    }
    if (flat.give_up_action == GiveUpAction::go_home) {
        w.counts(Count::give_ups_home, at)++;
        agents.status[i] = Status::returned;
        agents.location[i] = agents.origin[i];
        moved(i);
    } else {
        agents.status[i] = Status::settled;
    }
    count_ended(i, w);
}

void AgentRules::failed(std::uint32_t i, std::size_t l) {
    std::uint8_t& memory = agents.memory[i];
    const int before = agents.failed_link[i] == l ? Memory::failures(memory) : 0;
    agents.failed_link[i] = static_cast<std::uint16_t>(l);
    memory = Memory::with_cause(Memory::with_failures(memory, before + 1), Replan::failure);
}

void AgentRules::note_plan(std::uint32_t i, std::size_t r, Replan cause) {
    Journey* j = journey(i);
    if (j == nullptr) return;
    const Route& route = plans.route(r);
    j->plans.push_back({day, route.start, route.border, static_cast<std::int32_t>(cause)});
}

// The route logit at `at` (RoutePlans), with what is the agent's own applied by rejection: a
// draw of route r is kept with probability exp(-extra / tau), extra = the switching cost if r
// is not its plan (while its plan is still open to it) plus retry_penalty per failure it
// remembers on r's link, and only if it can pay r's crossing. After max_rounds draws in a row
// are refused it waits, and plans again tomorrow.
bool AgentRules::plan(std::uint32_t i, int at, int chooser, Replan cause, Worker& w) {
    static constexpr std::uint32_t max_rounds = 16;
    if (agents.money[i] < plans.cheapest(at, chooser)) return false;   // every route refused: it waits
    const std::uint16_t old = agents.plan[i];
    const bool old_open = old != no_plan && plans.open(at, chooser, old);
    const double tau = now.profiles[agents.profile[i]].tau;
    const int fails = Memory::failures(agents.memory[i]);
    int chosen = wait_a_day;
    for (std::uint32_t round = 0; round < max_rounds; ++round) {
        const Words words = draw(seed, id(i), day, Purpose::choice, round);
        const int r = plans.sample(at, chooser, words[0], words[1]);
        double extra = old_open && r != old ? behaviour.switching_cost : 0.0;
        if (r != wait_a_day) {
            const Route& route = plans.route(static_cast<std::size_t>(r));
            if (route.kind == Route::Kind::crossing && route.index == agents.failed_link[i])
                extra += behaviour.retry_penalty * fails;
            if (agents.money[i] < plans.price(static_cast<std::size_t>(r))) continue;
        }
        if (extra > 0 && !happens(words[2], std::exp(-extra / tau))) continue;
        chosen = r;
        break;
    }
    if (chosen == wait_a_day) return false;   // plans again tomorrow, for the same cause
    if (cause != Replan::none) {
        w.counts(Count::replans, static_cast<std::size_t>(cause) - 1)++;
        if (chosen != old && old != no_plan)
            w.counts(Count::route_switches,
                     border_switch_slot(plans.route(old).border, plans.route(static_cast<std::size_t>(chosen)).border,
                                        flat.border_return_to.size()))++;
    }
    if (chosen != old) note_plan(i, static_cast<std::size_t>(chosen), cause);
    agents.plan[i] = static_cast<std::uint16_t>(chosen);
    agents.planned[i] = static_cast<std::uint16_t>(day);
    later(i, Replan::none);
    return true;
}

// The next step of its plan: the next road towards where its route starts, or, there, the
// crossing (a seat, an attempt alone, an application). What it cannot do today (a road or the
// crossing closed: no seats, no quota, a full place beyond; not enough money) makes it plan
// again tomorrow.
bool AgentRules::follow(std::uint32_t i, int at, int chooser, Worker& w) {
    const std::size_t r = agents.plan[i];
    float& money = agents.money[i];
    if (!plans.starts_at(r, at)) {
        const int road = plans.next_road(at, chooser, r);
        if (road == no_index) {
            later(i, Replan::closed);
            return false;
        }
        const auto l = static_cast<std::size_t>(road);
        const double fare = now.links[l].cost;
        if (money < fare) {
            later(i, Replan::money);
            return false;
        }
        pay(i, fare, Count::fares_paid, l, w);
        attempt(i, l, Passage::regular, draw(seed, id(i), day, Purpose::crossing), w);
        return false;
    }
    if (!plans.open(at, chooser, r)) {
        later(i, Replan::closed);
        return false;
    }
    if (money < plans.price(r)) {
        later(i, Replan::money);
        return false;
    }
    const Route& route = plans.route(r);
    if (route.kind == Route::Kind::pathway) {
        w.counts(Count::pathway_applications, route.index)++;
        ask(i, M + route.index, route.index, w);
        return true;
    }
    if (route.passage == Passage::smuggled) {
        w.counts(Count::market_demand, static_cast<std::size_t>(route.market))++;
        ask(i, static_cast<std::size_t>(route.market), route.index, w);
        return true;
    }
    pay(i, plans.price(r), Count::fares_paid, route.index, w);
    attempt(i, route.index, Passage::alone, draw(seed, id(i), day, Purpose::crossing), w);
    return false;
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
    const int profile = agents.profile[i];   // the (cold) group is read only where groups choose apart
    const int chooser = choice.groups_choose_apart() ? choice.chooser(profile, agents.group[i]) : profile;
    Replan cause = Memory::cause(agents.memory[i]);
    if (cause == Replan::none && agents.plan[i] != no_plan &&
        plans.news_day(chooser, agents.plan[i]) > static_cast<int>(agents.planned[i]))
        cause = Replan::news;
    if ((agents.plan[i] == no_plan || cause != Replan::none) && !plan(i, static_cast<int>(at), chooser, cause, w))
        return false;
    return follow(i, static_cast<int>(at), chooser, w);
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
    // Agents plan where they were at the end of yesterday, or where they set out today
    // (create_agents marks those): every other place waits until someone is there (arrivals act
    // the next day).
    const std::vector<std::int64_t>& present =
        today[Series::location_population].empty() ? nobody : today[Series::location_population];
    for (std::size_t at = 0; at < occupied.size(); ++at) occupied[at] = present[at] > 0 ? 1 : 0;
    create_agents();
    conditions.begin_day(loaded, now, day, present);
    choice.update(loaded, now, conditions.today());
    plans.update(now, conditions.today(), choice, occupied, day, loaded.settings.behaviour.replan_threshold);
}

AgentRules LogitRules::agent_rules() {
    return AgentRules{.flat = flat,
                      .now = now,
                      .conditions = conditions,
                      .choice = choice,
                      .plans = plans,
                      .behaviour = loaded.settings.behaviour,
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
