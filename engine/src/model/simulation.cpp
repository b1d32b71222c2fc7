// The day loop. A day has two phases so that the outcome cannot depend on thread or rank
// count (see docs/ARCHITECTURE.md, "Determinism"):
//   intent      every agent acts on its own draws; those who want a scarce thing (a smuggler's
//               seat, a pathway place) only ask, and the asks are counted;
//   resolution  where D askers want C < D places, the C with the smallest keys win (a global
//               selection over integer histograms), then each asker applies its outcome.
// Agents touch only their own record; shared totals are per-thread integer counters summed
// after each phase.
#include "migsim/simulation.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>
#include <stdexcept>

#include "io/bytes.hpp"
#include "model/agents.hpp"
#include "model/conditions.hpp"
#include "model/counters.hpp"
#include "model/draws.hpp"
#include "model/harm.hpp"
#include "model/model.hpp"
#include "model/outward.hpp"
#include "model/route_choice.hpp"
#include "migsim/comm.hpp"
#include "parallel/selection.hpp"

namespace migsim {

using namespace detail;

const char* to_string(Status status) {
    static constexpr const char* names[] = {"waiting", "travelling", "detained", "held", "trafficked", "arrived",
                                            "arrived_regular", "dead_missing", "settled", "returned"};
    return names[static_cast<std::size_t>(status)];
}

namespace {
constexpr std::size_t agent_grain = 4096;   // agents per task: large enough to amortise

struct Worker {   // one per thread: its partial counts and its asks of the day
    // One set of counts per group when the run splits its series by group, else one: the agent
    // being counted selects its group's (`now`), so a run that does not split pays nothing.
    std::vector<Counters> group_counts;
    // Agents whose journey ended (arrived, dead, settled, returned) never change again: they are
    // counted once, here, when they end, and these counts are never zeroed, so that the day's
    // sweep does not count them again every day (86% of the Mediterranean run's agent-days).
    std::vector<Counters> group_ended;
    std::size_t now = 0;
    std::vector<Ask> asks;

    std::int64_t& counts(Count c, std::size_t i) { return group_counts[now](c, i); }
    std::int64_t& ended(Count c, std::size_t i) { return group_ended[now](c, i); }
};

// The series split by group (DayTotals::by_group, in grouped_series() order): where each
// one's entity e lies in the counts (section, e * stride + offset).
struct GroupedSeries {
    Count section;
    std::size_t stride = 1, offset = 0;
};

bool journey_over(Status st) { return st >= Status::arrived; }

// Money as whole cents, so that sums over agents are exact in any order.
std::int64_t cents(double money) { return std::llround(money * 100); }

struct LogitModel final : Simulation::Impl {
    const Scenario original;   // as given: a restored state replays its events
    Scenario current;        // the scenario with the events applied so far
    const std::size_t L, M;  // links, markets (contests 0..M-1 are markets, then pathways)
    // TBB caps workers at the core count; lift the cap so that --threads 8 really runs 8
    // threads on a 2-core machine (the determinism tests rely on it).
    tbb::global_control parallelism;
    tbb::task_arena arena;
    // Agent decomposition: this rank holds the agents whose global id is rank (mod ranks), and
    // every draw is keyed on the global id, so who holds an agent never changes what it does.
    const Comm& comm;
    const std::uint32_t rank, ranks;
    AgentStore agents;
    RouteChoice choice;
    Outward outward;
    ConditionsTracker conditions;
    HarmPlaces harm_places;
    CounterLayout layout;
    const std::size_t split;   // groups counted apart: the scenario's groups with output_by_group, else 1
    tbb::enumerable_thread_specific<Worker> workers;
    Counters totals;
    std::vector<Counters> group_totals;   // when split
    Thresholds thresholds;
    std::vector<std::int64_t> demand, places;
    std::vector<std::span<const Ask>> ask_lists;
    std::vector<int> package_next;          // market x location -> next leg, or no_index
    std::vector<std::uint8_t> regular_arrival;   // link x profile: crossing it is regular
    std::vector<int> travel_days;
    std::size_t next_event = 0;
    std::int64_t budgets_cents = 0;   // money agents set out with, on this rank
    std::int64_t wages_cents = 0;     // and earned on the way
    // The journey sample (settings.journey_sample > 0 only): slot of agent i in `journeys_`, or
    // no_journey. Each agent writes only its own record, so the parallel sweep needs no lock;
    // with `tracking` false nothing is allocated and each hook is one predictable branch.
    static constexpr std::uint32_t no_journey = UINT32_MAX;
    const bool tracking;
    std::vector<std::uint32_t> journey_slot;
    std::vector<Journey> journeys_;

    LogitModel(const Scenario& s, int threads, const Comm& c)
        : original(s), current(s), L(s.links.size()), M(s.markets.size()),
          parallelism(tbb::global_control::max_allowed_parallelism,
                       static_cast<std::size_t>(std::max(threads, tbb::info::default_concurrency()))),
          arena(threads > 0 ? threads : tbb::task_arena::automatic), comm(c),
          rank(static_cast<std::uint32_t>(c.rank())), ranks(static_cast<std::uint32_t>(c.size())), choice(s), outward(s), conditions(s),
          harm_places(s), layout(s),
          split(s.settings.output_by_group ? std::max<std::size_t>(1, s.groups.size()) : 1),
          workers([this] {
              return Worker{std::vector<Counters>(split, Counters(layout)), std::vector<Counters>(split, Counters(layout)), 0, {}};
          }),
          totals(layout), group_totals(split > 1 ? split : 0, Counters(layout)),
          demand(M + s.pathways.size()), places(M + s.pathways.size()),
          tracking(s.settings.journey_sample > 0) {
        agents.reserve(static_cast<std::size_t>(s.total_agents() / ranks + 1));
        package_next.assign(M * s.locations.size(), no_index);
        for (std::size_t m = 0; m < M; ++m)
            if (s.markets[m].links.size() > 1)
                for (int l : s.markets[m].links)
                    package_next[m * s.locations.size() + static_cast<std::size_t>(s.links[static_cast<std::size_t>(l)].from)] = l;
        regular_arrival.assign(L * s.profiles.size(), 0);
        for (std::size_t l = 0; l < L; ++l)
            for (std::size_t p = 0; p < s.profiles.size(); ++p) {
                const auto& free = s.profiles[p].visa_free;
                regular_arrival[l * s.profiles.size() + p] =
                    s.links[l].border != no_index &&
                    std::find(free.begin(), free.end(), s.links[l].border) != free.end();
            }
        for (const auto& link : s.links) travel_days.push_back(s.travel_days(link));
        totals.zero();
    }

    // The global id of this rank's agent i (ids are dealt round-robin over ranks).
    [[nodiscard]] std::uint32_t id(std::uint32_t i) const { return i * ranks + rank; }

    // ---- the journey sample (docs/JOURNEYS.md)

    [[nodiscard]] Journey* journey(std::uint32_t i) {
        const std::uint32_t slot = journey_slot[i];
        return slot == no_journey ? nullptr : &journeys_[slot];
    }

    // Agent i is now where agents.location says: a new place on its route (a return to where it
    // already was, as after an interception on the shore it left, adds nothing).
    void moved(std::uint32_t i) {
        if (!tracking) return;
        if (Journey* j = journey(i); j != nullptr && j->route.back() != agents.location[i]) j->route.push_back(agents.location[i]);
    }

    void note_paid(std::uint32_t i, Count to, std::int64_t amount) {
        if (!tracking) return;
        Journey* j = journey(i);
        if (j == nullptr) return;
        switch (to) {
            case Count::toll_cents: case Count::ransom_cents: j->armed_groups_cents += amount; break;
            case Count::bribe_cents: j->officials_cents += amount; break;
            case Count::fare_cents: case Count::pathway_fee_cents: j->fares_cents += amount; break;
            default: j->smugglers_cents += amount; break;   // market_seats: a seat's price
        }
    }

    // ---- per-agent actions (called from worker threads; touch only agent i and `w`)

    void count_end_of_day(std::uint32_t i, Worker& w) const {
        const Status st = agents.status[i];
        if (journey_over(st)) return;   // counted in `ended` when it ended
        w.counts(Count::status, static_cast<std::size_t>(st))++;
        const bool present = st == Status::waiting || st == Status::detained || st == Status::held ||
                             st == Status::trafficked || st == Status::arrived ||
                             st == Status::arrived_regular || st == Status::settled ||
                             (st == Status::travelling && agents.via[i] >= L);   // in processing
        if (present) w.counts(Count::location_population, agents.location[i])++;
    }

    // Once, when agent i's journey ends (its status and place are final).
    void count_ended(std::uint32_t i, Worker& w) {
        const Status st = agents.status[i];
        if (tracking)
            if (Journey* j = journey(i)) j->end_day = day;
        w.ended(Count::status, static_cast<std::size_t>(st))++;
        if (st == Status::arrived || st == Status::arrived_regular || st == Status::settled)
            w.ended(Count::location_population, agents.location[i])++;
    }

    void count_arrival(std::uint32_t i, std::size_t to, bool regular, Worker& w) const {
        w.counts(regular ? Count::arrivals_regular : Count::arrivals, to)++;
        w.counts(regular ? Count::profile_regular_arrivals : Count::profile_arrivals, agents.profile[i])++;
        w.counts(Count::arrival_transit_days, to) += day - agents.born[i];
    }

    void arrive_regular(std::uint32_t i, int to, Worker& w) {
        agents.location[i] = static_cast<std::uint16_t>(to);
        agents.status[i] = Status::arrived_regular;
        moved(i);
        count_arrival(i, static_cast<std::size_t>(to), true, w);
        count_ended(i, w);
    }

    void finish_trip(std::uint32_t i, Worker& w) {
        const std::size_t via = agents.via[i];
        if (via >= L) {   // a pathway's processing is over
            arrive_regular(i, current.pathways[via - L].to, w);
            return;
        }
        const Link& link = current.links[via];
        const auto to = static_cast<std::size_t>(link.to);
        agents.location[i] = static_cast<std::uint16_t>(to);
        agents.days_waiting[i] = 0;
        moved(i);
        if (current.locations[to].kind != LocationKind::destination) {
            agents.status[i] = Status::waiting;
        } else if (regular_arrival[via * current.profiles.size() + agents.profile[i]]) {
            arrive_regular(i, link.to, w);
        } else {
            agents.status[i] = Status::arrived;
            count_arrival(i, to, false, w);
            count_ended(i, w);
        }
    }

    // Pays up to `amount` (what it has, at most) to `to`; returns what was paid.
    float pay(std::uint32_t i, double amount, Count to, std::size_t where, Worker& w) {
        const float paid = std::min(agents.money[i], static_cast<float>(amount));
        agents.money[i] -= paid;
        w.counts(to, where) += cents(paid);
        note_paid(i, to, cents(paid));
        return paid;
    }

    void depart(std::uint32_t i, std::size_t l, Passage passage, Worker& w) {
        if (current.links[l].toll > 0) pay(i, current.links[l].toll, Count::toll_cents, l, w);   // armed groups
        agents.status[i] = Status::travelling;
        agents.via[i] = static_cast<std::uint16_t>(l);
        agents.days_left[i] = static_cast<std::uint16_t>(travel_days[l]);
        agents.days_waiting[i] = 0;
        w.counts(Count::link_flow, l)++;
        const int b = current.links[l].border;
        if (b != no_index)
            w.counts(passage == Passage::regular ? Count::border_regular_crossings : Count::border_crossings,
                     static_cast<std::size_t>(b))++;
    }

    // An irregular attempt (or a regular trip with death risk): interception, death, or away.
    void attempt(std::uint32_t i, std::size_t l, Passage passage, const Words& words, Worker& w) {
        const Link& link = current.links[l];
        const auto k = static_cast<std::size_t>(passage);
        const auto& day_rates = conditions.today();
        const std::size_t b = static_cast<std::size_t>(link.border);
        const bool irregular = passage != Passage::regular;
        if (irregular) {
            w.counts(Count::passage_attempts, l * 3 + k)++;
            if (tracking)
                if (Journey* j = journey(i)) ++j->attempts;
            if (link.border != no_index) w.counts(Count::border_attempts, b)++;
        }
        // At an official crossing, those who cross without a smuggler pay the officials if they can
        // (smugglers pay for their passengers); a bribed official lets more through.
        double interception = day_rates.interception[k][l];
        if (link.bribe > 0 && passage != Passage::smuggled && agents.money[i] >= static_cast<float>(link.bribe)) {
            pay(i, link.bribe, Count::bribe_cents, l, w);
            if (passage == Passage::alone) interception *= link.bribe_interception;
        }
        if (happens(words[1], interception)) {
            const Border& border = current.borders[b];
            w.counts(Count::border_interceptions, b)++;
            w.counts(Count::passage_interceptions, l * 3 + k)++;
            w.counts(Count::profile_interceptions, agents.profile[i])++;
            agents.attempts[i] = static_cast<std::uint8_t>(std::min(255, agents.attempts[i] + 1));
            agents.ticket[i] = no_ticket;   // what was paid is lost
            agents.location[i] = static_cast<std::uint16_t>(border.return_to != no_index ? border.return_to : link.from);
            agents.days_waiting[i] = 0;
            agents.days_left[i] = static_cast<std::uint16_t>(border.detention_days);
            agents.status[i] = border.detention_days > 0 ? Status::detained : Status::waiting;
            if (tracking)
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

    void give_up(std::uint32_t i, Worker& w) {
        if (current.settings.give_up_action == GiveUpAction::go_home) {
            agents.status[i] = Status::returned;
            agents.location[i] = agents.origin[i];
            moved(i);
        } else {
            agents.status[i] = Status::settled;
        }
        count_ended(i, w);
    }

    // ---- harm at places (docs/HARM.md)

    [[nodiscard]] const Harm* harm_at(std::size_t at, std::uint32_t i, HarmKind kind) const {
        const int row = harm_places.row(at, agents.group[i], kind);
        return row == no_index ? nullptr : &current.harms[static_cast<std::size_t>(row)];
    }

    // A waiting agent's day at a dangerous place; true if it is now held, trafficked or detained.
    bool suffer_harm(std::uint32_t i, std::size_t at, Worker& w) {
        const Words words = draw(current.settings.seed, id(i), day, Purpose::harm);
        auto suffers = [&](HarmKind kind, std::uint32_t word) -> const Harm* {
            const Harm* h = harm_at(at, i, kind);
            if (h == nullptr || !happens(word, h->daily_risk)) return nullptr;
            w.counts(Count::harm_events, at * harm_kinds + static_cast<std::size_t>(kind))++;
            if (tracking)
                if (Journey* j = journey(i)) ++j->harms[static_cast<std::size_t>(kind)];
            return h;
        };
        suffers(HarmKind::violence, words[3]);   // counted; nothing else changes
        if (const Harm* h = suffers(HarmKind::abduction, words[0])) {
            pay(i, h->ransom, Count::ransom_cents, at, w);
            agents.status[i] = Status::held;
            agents.days_left[i] = static_cast<std::uint16_t>(h->days);
            return true;
        }
        if (suffers(HarmKind::trafficking, words[1]) != nullptr) {
            agents.status[i] = Status::trafficked;
            return true;
        }
        if (const Harm* h = suffers(HarmKind::detention, words[2])) {
            agents.status[i] = Status::detained;
            agents.days_left[i] = static_cast<std::uint16_t>(h->days);
            return true;
        }
        return false;
    }

    // A day held for ransom: it may die; when the days are over it is let go where it was.
    void hold(std::uint32_t i, Worker& w) {
        const std::size_t at = agents.location[i];
        const Harm* h = harm_at(at, i, HarmKind::abduction);
        if (h != nullptr && happens(draw(current.settings.seed, id(i), day, Purpose::harm, 1)[0], h->death_risk)) {
            agents.status[i] = Status::dead_missing;
            w.counts(Count::harm_deaths, at)++;
            w.counts(Count::profile_deaths, agents.profile[i])++;
            count_ended(i, w);
            return;
        }
        if (--agents.days_left[i] == 0) agents.status[i] = Status::waiting;
    }

    // A day trafficked: it gets out with the place's exit rate and goes on from there.
    void exploit(std::uint32_t i, Worker& w) {
        (void)w;
        const Harm* h = harm_at(agents.location[i], i, HarmKind::trafficking);
        if (h != nullptr && happens(draw(current.settings.seed, id(i), day, Purpose::harm, 3)[0], h->exit_rate)) {
            agents.status[i] = Status::waiting;
            agents.days_waiting[i] = 0;
        }
    }

    // The end of a detention (after a raid or an interception): released where it is, or, with
    // the place's return share, sent on to `return_to` or home (the journey ends).
    void release(std::uint32_t i, Worker& w) {
        const std::size_t at = agents.location[i];
        agents.status[i] = Status::waiting;
        const Harm* h = harm_at(at, i, HarmKind::detention);
        if (h == nullptr || !happens(draw(current.settings.seed, id(i), day, Purpose::harm, 2)[0], h->return_share)) return;
        w.counts(Count::harm_returns, at)++;
        if (h->return_to != no_index) {
            agents.location[i] = static_cast<std::uint16_t>(h->return_to);
            agents.days_waiting[i] = 0;
            moved(i);
            return;
        }
        agents.status[i] = Status::returned;
        agents.location[i] = agents.origin[i];
        moved(i);
        count_ended(i, w);
    }

    // The logit's pick, drawn again while it would take the agent back towards its origin
    // (rejection sampling: the logit renormalised over the outward options and staying);
    // after max_rounds such draws in a row the agent waits for the day.
    const Option& choose(std::uint32_t i, int at) const {
        static constexpr std::uint32_t max_rounds = 16;
        static constexpr Option wait{};   // kind stay
        const int profile = agents.profile[i];
        for (std::uint32_t round = 0; round < max_rounds; ++round) {
            const Words words = draw(current.settings.seed, id(i), day, Purpose::choice, round);
            const Option& o = choice.sample(at, profile, words[0], words[1]);
            if (o.kind != Option::Kind::link || outward.allows(agents.origin[i], o.index)) return o;
        }
        return wait;
    }

    // A waiting agent: earn, maybe give up, continue a package, or choose. Returns true if it
    // asked for a scarce place (its outcome comes in the resolution phase).
    bool decide(std::uint32_t i, Worker& w) {
        const std::size_t at = agents.location[i];
        if (current.locations[at].wage > 0) {
            agents.money[i] += static_cast<float>(current.locations[at].wage);
            w.counts(Count::wage_cents, at) += cents(static_cast<float>(current.locations[at].wage));
        }
        if (agents.days_waiting[i] < UINT16_MAX) ++agents.days_waiting[i];
        if (harm_places.any(at) && suffer_harm(i, at, w)) return false;
        if (agents.attempts[i] >= current.settings.max_attempts ||
            agents.days_waiting[i] >= current.settings.give_up_days) {
            give_up(i, w);
            return false;
        }
        if (agents.ticket[i] != no_ticket) {   // a package carries its buyer on
            const int next = package_next[(agents.ticket[i] - 1u) * current.locations.size() + at];
            if (next != no_index) {
                attempt(i, static_cast<std::size_t>(next), Passage::smuggled,
                        draw(current.settings.seed, id(i), day, Purpose::crossing), w);
                return false;
            }
            agents.ticket[i] = no_ticket;
        }
        const Option& o = choose(i, static_cast<int>(at));
        float& money = agents.money[i];
        switch (o.kind) {
            case Option::Kind::stay: return false;
            case Option::Kind::pathway: {
                const Pathway& p = current.pathways[o.index];
                if (money < p.cost) return false;
                w.counts(Count::pathway_applications, o.index)++;
                ask(i, M + o.index, o.index, w);
                return true;
            }
            case Option::Kind::link: break;
        }
        const Link& link = current.links[o.index];
        if (o.passage == Passage::smuggled) {
            if (money < conditions.today().market_price[static_cast<std::size_t>(link.market)]) return false;
            w.counts(Count::market_demand, static_cast<std::size_t>(link.market))++;
            ask(i, static_cast<std::size_t>(link.market), o.index, w);
            return true;
        }
        if (money < link.cost) return false;
        money -= static_cast<float>(link.cost);
        w.counts(Count::fare_cents, o.index) += cents(static_cast<float>(link.cost));
        note_paid(i, Count::fare_cents, cents(static_cast<float>(link.cost)));
        attempt(i, o.index, o.passage, draw(current.settings.seed, id(i), day, Purpose::crossing), w);
        return false;
    }

    void ask(std::uint32_t i, std::size_t contest, std::size_t option, Worker& w) const {
        const Words words = draw(current.settings.seed, id(i), day, Purpose::crossing);
        w.asks.push_back({priority_key(words[0], id(i)), i, static_cast<std::uint16_t>(contest),
                          static_cast<std::uint16_t>(option)});
    }

    void intent(std::uint32_t i, Worker& w) {
        if (split > 1) w.now = agents.group[i];
        bool asked = false;
        switch (agents.status[i]) {
            case Status::travelling:
                if (tracking)
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

    void resolve(const Ask& a, Worker& w) {
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
                if (current.markets[m].links.size() > 1) agents.ticket[i] = static_cast<std::uint8_t>(m + 1);
                attempt(i, a.option, Passage::smuggled, draw(current.settings.seed, id(i), day, Purpose::crossing), w);
            }
        } else if (wins) {
            const Pathway& p = current.pathways[a.option];
            w.counts(Count::pathway_admissions, a.option)++;
            agents.money[i] -= static_cast<float>(p.cost);
            w.counts(Count::pathway_fee_cents, a.option) += cents(static_cast<float>(p.cost));
            note_paid(i, Count::pathway_fee_cents, cents(static_cast<float>(p.cost)));
            if (p.processing_days == 0) {
                arrive_regular(i, p.to, w);
            } else {
                agents.status[i] = Status::travelling;
                agents.via[i] = static_cast<std::uint16_t>(L + a.option);
                agents.days_left[i] = static_cast<std::uint16_t>(p.processing_days);
            }
        }
        count_end_of_day(i, w);
    }

    // ---- the day, in order

    void apply_events() {
        bool harms_changed = false;
        while (next_event < current.events.size() && current.events[next_event].day <= day) {
            harms_changed = harms_changed || current.events[next_event].change.kind == TargetKind::harm;
            apply(current, current.events[next_event++].change);
        }
        if (harms_changed) harm_places.update(current);
    }

    // The demand row's group, or one drawn from the profile's shares (one word, its own purpose:
    // adding groups to a scenario leaves every other draw as it was).
    [[nodiscard]] std::uint8_t group_of(const DemandRow& row, const Profile& p, std::uint32_t g) const {
        if (row.group != no_index) return static_cast<std::uint8_t>(row.group);
        if (p.group_shares.empty()) return 0;
        const double u = unit(draw(current.settings.seed, g, day, Purpose::group)[0]);
        double below = 0;
        for (std::size_t k = 0; k + 1 < p.group_shares.size(); ++k)
            if (u < (below += p.group_shares[k])) return static_cast<std::uint8_t>(k);
        return static_cast<std::uint8_t>(p.group_shares.size() - 1);
    }

    void create_agents() {
        for (const DemandRow& row : current.demand) {
            const int offset = day - row.day;
            if (offset < 0 || offset >= row.spread_days) continue;
            const std::int64_t n = row.count / row.spread_days + (offset < row.count % row.spread_days ? 1 : 0);
            const Profile& p = current.profiles[static_cast<std::size_t>(row.profile)];
            // Global ids created..created+n-1; this rank's are those equal to rank (mod ranks).
            const std::int64_t first = created + (rank + ranks - created % ranks) % ranks;
            for (std::int64_t g = first; g < created + n; g += ranks) {
                const Words words = draw(current.settings.seed, static_cast<std::uint32_t>(g), day, Purpose::budget);
                const double z = std::sqrt(-2 * std::log(unit(words[0]))) * std::cos(2 * std::numbers::pi * unit(words[1]));
                const auto budget = static_cast<float>(p.budget_median * std::exp(p.budget_sigma * z));
                budgets_cents += cents(budget);
                agents.add(static_cast<std::uint16_t>(row.origin), static_cast<std::uint8_t>(row.profile),
                           group_of(row, p, static_cast<std::uint32_t>(g)), budget, static_cast<std::uint16_t>(day));
                if (tracking) sample_journey(static_cast<std::uint32_t>(g), row);
            }
            created += n;
        }
    }

    // A new agent (global id g): in the sample iff its own draw falls below the share, so the
    // sample depends on neither threads nor ranks.
    void sample_journey(std::uint32_t g, const DemandRow& row) {
        if (!happens(draw(current.settings.seed, g, 0, Purpose::journey)[0], current.settings.journey_sample)) {
            journey_slot.push_back(no_journey);
            return;
        }
        journey_slot.push_back(static_cast<std::uint32_t>(journeys_.size()));
        Journey& j = journeys_.emplace_back();
        j.id = g;
        j.profile = row.profile;
        j.group = agents.group.back();
        j.origin = row.origin;
        j.born = day;
        j.route.push_back(static_cast<std::uint16_t>(row.origin));
    }

    [[nodiscard]] std::vector<Journey> journeys() const override {
        std::vector<Journey> out = journeys_;   // created in id order on this rank
        for (Journey& j : out) j.outcome = agents.status[static_cast<std::uint32_t>(j.id) / ranks];
        return out;
    }

    void sum_workers(Count first, Count last) {
        const std::size_t begin = layout.offset(first);
        const std::size_t end = last == Count::sections ? layout.total() : layout.offset(last);
        std::fill(totals.values.begin() + static_cast<std::ptrdiff_t>(begin),
                  totals.values.begin() + static_cast<std::ptrdiff_t>(end), 0);
        // The ended journeys: status and place sections (the first two), whenever they are summed.
        const std::size_t ended_end = std::min(end, layout.offset(Count::arrivals));
        for (const Worker& w : workers)
            for (std::size_t g = 0; g < split; ++g) {
                for (std::size_t k = begin; k < end; ++k) totals.values[k] += w.group_counts[g].values[k];
                for (std::size_t k = begin; k < ended_end; ++k) totals.values[k] += w.group_ended[g].values[k];
            }
    }

    // Each group's totals of the day (a run split by group), over threads and ranks.
    void sum_groups() {
        const std::size_t ended_end = layout.offset(Count::arrivals);
        std::vector<std::int64_t> all;
        all.reserve(split * layout.total());
        for (std::size_t g = 0; g < split; ++g) {
            Counters& t = group_totals[g];
            t.zero();
            for (const Worker& w : workers) {
                for (std::size_t k = 0; k < t.values.size(); ++k) t.values[k] += w.group_counts[g].values[k];
                for (std::size_t k = 0; k < ended_end; ++k) t.values[k] += w.group_ended[g].values[k];
            }
            all.insert(all.end(), t.values.begin(), t.values.end());
        }
        comm.sum(all);
        for (std::size_t g = 0; g < split; ++g)
            std::copy_n(all.begin() + static_cast<std::ptrdiff_t>(g * layout.total()), layout.total(), group_totals[g].values.begin());
    }

    void step() override {
        apply_events();
        create_agents();
        conditions.begin_day(current, day, today.location_population.empty()
                                               ? std::vector<std::int64_t>(current.locations.size(), 0)
                                               : today.location_population);
        choice.update(current, conditions.today());
        for (Worker& w : workers) {
            for (Counters& c : w.group_counts) c.zero();
            w.asks.clear();
        }
        const auto n = static_cast<std::uint32_t>(agents.size());
        arena.execute([&] {
            tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, n, agent_grain), [&](const auto& range) {
                Worker& w = workers.local();
                for (std::uint32_t i = range.begin(); i != range.end(); ++i) intent(i, w);
            });
        });

        // Resolution: demand is summed exactly, the winners found by their own keys.
        sum_workers(Count::market_demand, Count::market_seats);
        sum_workers(Count::pathway_applications, Count::pathway_admissions);
        for (std::size_t m = 0; m < M; ++m) {
            demand[m] = totals(Count::market_demand, m);
            places[m] = current.markets[m].capacity;
        }
        for (std::size_t p = 0; p < current.pathways.size(); ++p) {
            demand[M + p] = totals(Count::pathway_applications, p);
            places[M + p] = conditions.quota_left(p);
        }
        comm.sum(demand);
        ask_lists.clear();
        for (const Worker& w : workers) ask_lists.emplace_back(w.asks);
        find_thresholds(ask_lists, demand, places, comm, thresholds);
        arena.execute([&] {
            for (const auto& list : ask_lists)
                tbb::parallel_for(tbb::blocked_range<std::size_t>(0, list.size(), agent_grain), [&](const auto& range) {
                    Worker& w = workers.local();
                    for (std::size_t k = range.begin(); k != range.end(); ++k) resolve(list[k], w);
                });
        });

        sum_workers(Count::status, Count::sections);
        for (std::size_t at = 0; at < current.locations.size(); ++at) wages_cents += totals(Count::wage_cents, at);
        comm.sum(totals.values);
        if (split > 1) sum_groups();
        conditions.end_day(current, totals);
        publish();
        ++day;
    }

    // ---- checkpoints

    static constexpr std::uint64_t state_magic = 0x6d696773696d0002;   // "migsim", version 2 (harms, groups)

    void save(std::vector<std::byte>& bytes) const override {
        if (tracking) throw std::runtime_error("the journey sample is not kept in checkpoints (docs/JOURNEYS.md)");
        ByteWriter out(bytes);
        out.put(state_magic);
        out.put(static_cast<std::uint64_t>(std::hash<std::string>{}(current.resolved_text)));
        out.put(ranks), out.put(rank), out.put(day), out.put(created);
        out.put(static_cast<std::uint64_t>(next_event));
        out.put(agents.location), out.put(agents.status), out.put(agents.profile), out.put(agents.attempts);
        out.put(agents.ticket), out.put(agents.via), out.put(agents.days_left), out.put(agents.days_waiting);
        out.put(agents.money), out.put(agents.origin), out.put(agents.born), out.put(agents.group);
        out.put(budgets_cents), out.put(wages_cents);
        out.put(static_cast<std::uint64_t>(split));
        for (std::size_t g = 0; g < split; ++g) {
            Counters ended(layout);
            for (const Worker& w : workers)
                for (std::size_t k = 0; k < ended.values.size(); ++k) ended.values[k] += w.group_ended[g].values[k];
            out.put(ended.values);
        }
        out.put(today.location_population);
        conditions.save(out);
    }

    void restore(std::span<const std::byte> bytes) override {
        ByteReader in(bytes, "the checkpoint");
        std::uint64_t magic = 0, scenario_hash = 0, events = 0;
        std::uint32_t saved_ranks = 0, saved_rank = 0;
        in.take(magic);
        in.take(scenario_hash);
        if (magic != state_magic) throw std::runtime_error("the checkpoint is not a migsim state of this version");
        if (scenario_hash != std::hash<std::string>{}(original.resolved_text))
            throw std::runtime_error("the checkpoint is of another scenario");
        in.take(saved_ranks), in.take(saved_rank), in.take(day), in.take(created), in.take(events);
        if (saved_ranks != ranks || saved_rank != rank)
            throw std::runtime_error("the checkpoint was taken with another rank layout");
        if (events > original.events.size()) throw std::runtime_error("the checkpoint's events do not fit");
        current = original;   // the events so far, applied again in order
        for (next_event = 0; next_event < events; ++next_event) apply(current, current.events[next_event].change);
        in.take(agents.location);
        const auto n = static_cast<std::int64_t>(agents.location.size());
        in.take(agents.status, n), in.take(agents.profile, n), in.take(agents.attempts, n);
        in.take(agents.ticket, n), in.take(agents.via, n), in.take(agents.days_left, n), in.take(agents.days_waiting, n);
        in.take(agents.money, n), in.take(agents.origin, n), in.take(agents.born, n), in.take(agents.group, n);
        in.take(budgets_cents), in.take(wages_cents);
        harm_places.update(current);
        std::uint64_t saved_split = 0;
        in.take(saved_split);
        if (saved_split != split) throw std::runtime_error("the checkpoint's split by group does not fit");
        workers.clear();
        Worker& here = workers.local();
        for (std::size_t g = 0; g < split; ++g)   // the ended journeys so far, counted once
            in.take(here.group_ended[g].values, static_cast<std::int64_t>(layout.total()));
        in.take(today.location_population);   // empty before the first day
        if (!today.location_population.empty() && today.location_population.size() != current.locations.size())
            throw std::runtime_error("the checkpoint's places do not fit");
        conditions.restore(in);
        if (!in.rest().empty()) throw std::runtime_error("the checkpoint has bytes left over");
    }

    template <class T>
    void copy_section(Count c, std::size_t n, std::vector<T>& out) const {
        out.resize(n);
        for (std::size_t k = 0; k < n; ++k) out[k] = static_cast<T>(totals(c, k));
    }

    void publish() {
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
    void publish_by_group() {
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

    [[nodiscard]] const Scenario& scenario() const override { return current; }
    [[nodiscard]] std::int64_t agents_here() const override { return static_cast<std::int64_t>(agents.size()); }
    [[nodiscard]] double money_given() const override { return static_cast<double>(budgets_cents + wages_cents) / 100; }
    [[nodiscard]] double money_held() const override {
        double held = 0;
        for (float m : agents.money) held += m;
        return held;
    }
};

}  // namespace

std::unique_ptr<Simulation::Impl> detail::make_logit_model(const Scenario& s, int threads, const Comm& comm) {
    return std::make_unique<LogitModel>(s, threads, comm);
}

Simulation::Simulation(const Scenario& scenario, int threads, const Comm& comm)
    : impl_(scenario.rules == Rules::flee ? detail::make_flee_model(scenario, threads, comm)
                                          : detail::make_logit_model(scenario, threads, comm)) {}
Simulation::~Simulation() = default;
void Simulation::step() { impl_->step(); }
int Simulation::day() const { return impl_->day; }
const DayTotals& Simulation::today() const { return impl_->today; }
const Scenario& Simulation::scenario() const { return impl_->scenario(); }
std::int64_t Simulation::agents() const { return impl_->created; }
std::int64_t Simulation::agents_here() const { return impl_->agents_here(); }
std::size_t Simulation::hot_bytes_per_agent() { return AgentStore::hot_bytes; }
double Simulation::money_given() const { return impl_->money_given(); }
double Simulation::money_held() const { return impl_->money_held(); }
std::vector<Journey> Simulation::journeys() const { return impl_->journeys(); }

std::vector<std::byte> Simulation::save_state() const {
    std::vector<std::byte> bytes;
    impl_->save(bytes);
    return bytes;
}

void Simulation::restore_state(std::span<const std::byte> state) { impl_->restore(state); }

}  // namespace migsim
