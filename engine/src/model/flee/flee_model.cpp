// Flee's rules (`rules: flee`, docs/FLEE.md). A day, in Flee's order:
//   events      conflicts begin or end, links close or open (the policy timeline)
//   spawning    new agents: day 0's registrations in the camps, then the day's rise in
//               registrations at conflict zones (or a number per conflict zone and day)
//   tables      scores, capacity multipliers and route tables from the start-of-day counts
//   agents      each agent, on its own draws: the move roll, a route, travel of max_move_speed
//               km; one who arrives having gone less than that rolls again at once (Flee's
//               same-day hops), up to max_hops
// Flee reads camp occupancy live while agents move one after another, so its result depends on
// agent order; here every agent sees the same start-of-day table, so the result depends on
// neither thread nor rank count.
//
// Speed: most agent-days are spent in camps (move chance 0.001). Instead of a roll every day,
// an agent that settles draws the day of its next successful roll (a geometric number of
// failures, exact because the rolls are independent) and is skipped until then.
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>
#include <utility>

#include "io/bytes.hpp"
#include "model/draws.hpp"
#include "model/flee/flee_agents.hpp"
#include "model/flee/flee_routes.hpp"
#include "model/flee/flee_spawning.hpp"
#include "model/model.hpp"

namespace migsim {

using namespace detail;

namespace {

constexpr std::size_t agent_grain = 4096;
constexpr std::uint32_t max_hops = 64;   // same-day hops; each one covers a link, so few are ever used
constexpr std::uint32_t rechance_round = 0xFFFF;

// Per-thread counts of a day, one flat vector so threads and ranks add them in one loop.
struct FleeCounts {
    std::size_t N = 0, L = 0;
    std::vector<std::int64_t> values;   // travelling, place[N], incoming[N], arrivals[N], transit_days[N], flow[L]
    FleeCounts(std::size_t n, std::size_t l) : N(n), L(l), values(1 + 4 * n + l, 0) {}
    std::int64_t& travelling() { return values[0]; }
    std::int64_t* place() { return values.data() + 1; }
    std::int64_t* incoming() { return values.data() + 1 + N; }
    std::int64_t* arrivals() { return values.data() + 1 + 2 * N; }
    std::int64_t* transit_days() { return values.data() + 1 + 3 * N; }
    std::int64_t* flow() { return values.data() + 1 + 4 * N; }
};

// Days until the next successful roll, counting from today: floor(ln U / ln(1 - p)), given
// log_stay = ln(1 - p) (0 when p = 0, -inf when p = 1).
std::uint32_t failures_before_success(std::uint32_t word, double log_stay) {
    if (log_stay == 0) return UINT32_MAX;       // never moves
    if (std::isinf(log_stay)) return 0;         // moves every day
    const double days = std::floor(std::log(unit(word)) / log_stay);
    return days >= 65535.0 ? UINT32_MAX : static_cast<std::uint32_t>(days);
}

std::uint16_t wake_day(int from_day, std::uint32_t failures) {
    const std::uint64_t day = static_cast<std::uint64_t>(from_day) + failures;
    return day >= never_wakes ? never_wakes : static_cast<std::uint16_t>(day);
}

struct FleeModel final : Simulation::Impl {
    const std::size_t N, L;
    tbb::global_control parallelism;
    tbb::task_arena arena;
    const Comm& comm;
    const std::uint32_t rank, ranks;
    const float speed;
    FleeAgents agents;
    FleeRoutes routes;
    FleeSpawning spawning;
    tbb::enumerable_thread_specific<FleeCounts> workers;
    FleeCounts totals;
    std::vector<int> conflict_start;            // per place: day its conflict began
    std::vector<std::uint8_t> chance_changed;   // per place: its move chance changed today
    std::vector<std::int64_t> occupancy;        // per place: what fills it at the day's start

    FleeModel(std::shared_ptr<const Scenario> scenario, std::uint64_t replicate_seed, int threads, const Comm& c)
        : Impl(std::move(scenario), replicate_seed), N(loaded.locations.size()), L(loaded.links.size()),
          parallelism(tbb::global_control::max_allowed_parallelism,
                      static_cast<std::size_t>(std::max(threads, tbb::info::default_concurrency()))),
          arena(threads > 0 ? threads : tbb::task_arena::automatic), comm(c),
          rank(static_cast<std::uint32_t>(c.rank())), ranks(static_cast<std::uint32_t>(c.size())),
          speed(static_cast<float>(loaded.flee.max_move_speed)), routes(loaded), spawning(loaded),
          workers([this] { return FleeCounts(N, L); }), totals(N, L), chance_changed(N, 0), occupancy(N, 0) {
        agents.reserve(static_cast<std::size_t>(loaded.total_agents() / ranks + 1));
        for (const Location& l : loaded.locations) conflict_start.push_back(l.conflict > 0 ? 0 : no_conflict);
    }

    [[nodiscard]] std::uint32_t id(std::uint32_t i) const { return i * ranks + rank; }

    // ---- one agent's day (worker threads; touches agent i and `w` only)

    // Settles agent i at its place until its next successful roll, from `from_day` on.
    void settle(std::uint32_t i, int from_day, std::uint32_t word) {
        agents.wake[i] = wake_day(from_day, failures_before_success(word, routes.log_stay(agents.location[i])));
    }

    // Starts the next leg of agent i's route (choosing one if it has none). False: it stays.
    bool start_leg(std::uint32_t i, const Words& words, FleeCounts& w) {
        const std::size_t at = agents.location[i];
        if (agents.path[i] == no_path) {
            const std::int64_t path = routes.choose(at, words[1], words[2]);
            if (path < 0) return false;
            agents.path[i] = static_cast<std::uint32_t>(path);
            agents.step[i] = 0;
        }
        const std::int64_t path = agents.path[i];
        const int link = routes.path_link(path, agents.step[i]);
        // Flee drops a route that ends at a camp too full to take people, or whose next link closed.
        if (routes.refuses(static_cast<std::size_t>(routes.path_end(path))) || !now.links[static_cast<std::size_t>(link)].open) {
            agents.path[i] = no_path;
            return false;
        }
        if (++agents.step[i] == routes.path_links(path)) agents.path[i] = no_path;
        agents.via[i] = static_cast<std::uint16_t>(link);
        agents.km[i] = 0;
        w.flow()[link]++;
        return true;
    }

    void live_day(std::uint32_t i, FleeCounts& w) {
        const std::uint32_t g = id(i);
        float moved = 0;   // km today
        // One draw per hop: the roll, the route's column and coin, and the word that draws the
        // next wake day when the agent settles; an agent that set out on an earlier day has no
        // draw yet today and takes one only to settle.
        Words words{};
        bool drawn = false;
        auto settle_word = [&](std::uint32_t hop) {
            return drawn ? words[3] : draw(seed, g, day, Purpose::wake, hop)[0];
        };
        for (std::uint32_t hop = 0; hop < max_hops; ++hop) {
            if (agents.via[i] == at_place) {
                const std::size_t at = agents.location[i];
                bool go = true;
                if (hop == 0) {
                    if (chance_changed[at]) settle(i, day, draw(seed, g, day, Purpose::wake, rechance_round)[0]);
                    if (agents.wake[i] > day) return;   // the common case: nothing today
                }
                words = draw(seed, g, day, Purpose::move, hop);
                drawn = true;
                if (hop > 0) go = happens(words[0], routes.move_chance(at));   // hop 0: the wake day is the roll
                if (!go || !start_leg(i, words, w)) {
                    settle(i, day + 1, words[3]);
                    return;
                }
            }
            const Link& link = loaded.links[agents.via[i]];
            const bool open = now.links[agents.via[i]].open;
            const auto d = static_cast<float>(link.distance_km);
            agents.km[i] += speed;
            moved += speed;
            if (agents.km[i] <= d) return;   // still on the link tonight
            moved -= agents.km[i] - d;
            agents.via[i] = at_place;
            if (!open) {   // closed while on it: back where it set out from
                agents.location[i] = static_cast<std::uint16_t>(link.from);
                agents.path[i] = no_path;
                settle(i, day + 1, settle_word(hop));
                return;
            }
            const auto to = static_cast<std::size_t>(link.to);
            agents.location[i] = static_cast<std::uint16_t>(to);
            w.arrivals()[to]++;
            w.transit_days()[to] += day - agents.born[i];
            if (moved >= speed) {
                settle(i, day + 1, settle_word(hop));
                return;
            }
            drawn = false;   // the next hop draws afresh
        }
    }

    void count_end_of_day(std::uint32_t i, FleeCounts& w) const {
        if (agents.via[i] == at_place) {
            w.place()[agents.location[i]]++;
        } else {
            w.travelling()++;
            w.incoming()[loaded.links[agents.via[i]].to]++;
        }
    }

    // ---- the day

    void apply_events() {
        std::fill(chance_changed.begin(), chance_changed.end(), 0);
        while (next_event < loaded.events.size() && loaded.events[next_event].day <= day) {
            const Assignment& change = loaded.events[next_event++].change;
            if (change.parameter != Parameter::conflict) {
                apply(now, change);
                continue;
            }
            const auto e = static_cast<std::size_t>(change.index);
            const LocationKind before = now.locations[e].kind;
            const bool was_at_war = now.locations[e].conflict > 0;
            apply(now, change);
            const bool at_war = now.locations[e].conflict > 0;
            if (at_war != was_at_war) conflict_start[e] = at_war ? day : no_conflict;
            if (now.locations[e].kind != before) chance_changed[e] = 1;
        }
    }

    void create_agents() {
        const auto placed = spawning.place(loaded, now, seed, day, conflict_start, created);
        const std::int64_t first = created + (rank + ranks - created % ranks) % ranks;
        for (std::int64_t g = first; g < created + static_cast<std::int64_t>(placed.size()); g += ranks) {
            const auto at = placed[static_cast<std::size_t>(g - created)];
            const std::uint32_t word = draw(seed, static_cast<std::uint32_t>(g), day, Purpose::spawn)[2];
            agents.add(at, static_cast<std::uint16_t>(day),
                       wake_day(day, failures_before_success(word, std::log1p(-move_chance_of(loaded.flee, now.locations[at].kind)))));
        }
        for (auto at : placed) occupancy[at]++;   // today's newcomers fill their places too
        created += static_cast<std::int64_t>(placed.size());
    }

    void step() override {
        apply_events();
        create_agents();
        routes.update(loaded, now, day, conflict_start, occupancy);
        for (FleeCounts& w : workers) std::fill(w.values.begin(), w.values.end(), 0);
        const auto n = static_cast<std::uint32_t>(agents.size());
        arena.execute([&] {
            tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, n, agent_grain), [&](const auto& range) {
                FleeCounts& w = workers.local();
                // The common case first, in a tight loop: an agent resting at a place today.
                const std::uint16_t* via = agents.via.data();
                const std::uint16_t* location = agents.location.data();
                const std::uint16_t* wake = agents.wake.data();
                const std::uint8_t* changed = chance_changed.data();
                std::int64_t* place = w.place();
                const auto today = static_cast<std::uint16_t>(day);
                for (std::uint32_t i = range.begin(); i != range.end(); ++i) {
                    if (via[i] == at_place && wake[i] > today && !changed[location[i]]) {
                        place[location[i]]++;
                        continue;
                    }
                    live_day(i, w);
                    count_end_of_day(i, w);
                }
            });
        });
        std::fill(totals.values.begin(), totals.values.end(), 0);
        for (const FleeCounts& w : workers)
            for (std::size_t k = 0; k < totals.values.size(); ++k) totals.values[k] += w.values[k];
        comm.sum(totals.values);
        const bool incoming = loaded.flee.capacity_occupancy == FleeSettings::Occupancy::present_and_incoming;
        for (std::size_t e = 0; e < N; ++e) occupancy[e] = totals.place()[e] + (incoming ? totals.incoming()[e] : 0);
        publish();
        ++day;
    }

    void publish() {
        today.day = day;
        today.agents_created = created;
        today.status_counts.fill(0);
        today.status_counts[static_cast<std::size_t>(Status::waiting)] = created - totals.travelling();
        today.status_counts[static_cast<std::size_t>(Status::travelling)] = totals.travelling();
        today.location_population.assign(totals.place(), totals.place() + N);
        today.arrivals.assign(totals.arrivals(), totals.arrivals() + N);
        today.arrival_transit_days.assign(totals.transit_days(), totals.transit_days() + N);
        today.arrivals_regular.assign(N, 0);
        today.link_flow.assign(totals.flow(), totals.flow() + L);
        today.link_deaths.assign(L, 0);
        for (auto* series : {&today.harm_abductions, &today.harm_trafficking, &today.harm_violence,
                             &today.harm_detentions, &today.harm_deaths, &today.harm_returns})
            series->assign(N, 0);   // Flee's rules have no harms, and no money
        today.ransom_paid.assign(N, 0);
        for (auto* series : {&today.tolls_paid, &today.bribes_paid, &today.fares_paid}) series->assign(L, 0);
    }

    // ---- checkpoints

    static constexpr std::uint64_t state_magic = 0x6d696773666c0001;   // "migsfl", version 1

    void save(std::vector<std::byte>& bytes) const override {
        ByteWriter out(bytes);
        out.put(state_magic);
        out.put(static_cast<std::uint64_t>(std::hash<std::string>{}(loaded.resolved_text)));
        out.put(ranks), out.put(rank), out.put(day), out.put(created);
        out.put(static_cast<std::uint64_t>(next_event));
        out.put(agents.location), out.put(agents.via), out.put(agents.km), out.put(agents.wake);
        out.put(agents.path), out.put(agents.step), out.put(agents.born);
        out.put(conflict_start), out.put(occupancy);
        spawning.save(out);
    }

    void restore(std::span<const std::byte> bytes) override {
        ByteReader in(bytes, "the checkpoint");
        std::uint64_t magic = 0, scenario_hash = 0, events = 0;
        std::uint32_t saved_ranks = 0, saved_rank = 0;
        in.take(magic);
        in.take(scenario_hash);
        if (magic != state_magic) throw std::runtime_error("the checkpoint is not a migsim state of Flee's rules of this version");
        if (scenario_hash != std::hash<std::string>{}(loaded.resolved_text))
            throw std::runtime_error("the checkpoint is of another scenario");
        in.take(saved_ranks), in.take(saved_rank), in.take(day), in.take(created), in.take(events);
        if (saved_ranks != ranks || saved_rank != rank) throw std::runtime_error("the checkpoint was taken with another rank layout");
        replay_events(events);   // the events so far, applied again in order
        in.take(agents.location);
        const auto n = static_cast<std::int64_t>(agents.location.size());
        in.take(agents.via, n), in.take(agents.km, n), in.take(agents.wake, n);
        in.take(agents.path, n), in.take(agents.step, n), in.take(agents.born, n);
        in.take(conflict_start, static_cast<std::int64_t>(N)), in.take(occupancy, static_cast<std::int64_t>(N));
        spawning.restore(in);
        if (!in.rest().empty()) throw std::runtime_error("the checkpoint has bytes left over");
    }

    [[nodiscard]] std::int64_t agents_here() const override { return static_cast<std::int64_t>(agents.size()); }
};

}  // namespace

std::unique_ptr<Simulation::Impl> detail::make_flee_model(std::shared_ptr<const Scenario> s, std::uint64_t seed,
                                                          int threads, const Comm& comm) {
    return std::make_unique<FleeModel>(std::move(s), seed, threads, comm);
}

}  // namespace migsim
