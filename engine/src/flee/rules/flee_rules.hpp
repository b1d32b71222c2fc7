// Flee's rules (`rules: flee`, docs/FLEE.md) over plain data: the agents as structure of arrays,
// the route tables and spawning derived from the scenario, today's parameters. No threads and
// no ranks here: the execution layer (parallel/flee_run.cpp) sweeps the agents in chunks on its
// threads, each chunk with its thread's FleeCounts, sums them over threads and ranks into
// `totals`, and calls the day's phases in order. The day itself: flee/rules/flee_model.cpp.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "model/draws.hpp"
#include "flee/rules/flee_agents.hpp"
#include "flee/rules/flee_routes.hpp"
#include "flee/rules/flee_spawning.hpp"
#include "model/model.hpp"

namespace migsim::detail::flee {

inline constexpr std::uint32_t max_hops = 64;   // same-day hops; each one covers a link, so few are ever used
inline constexpr std::uint32_t rechance_round = 0xFFFF;

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
inline std::uint32_t failures_before_success(std::uint32_t word, double log_stay) {
    if (log_stay == 0) return UINT32_MAX;   // never moves
    if (std::isinf(log_stay)) return 0;     // moves every day
    const double days = std::floor(std::log(unit(word)) / log_stay);
    return days >= 65535.0 ? UINT32_MAX : static_cast<std::uint32_t>(days);
}

inline std::uint16_t wake_day(int from_day, std::uint32_t failures) {
    const std::uint64_t day = static_cast<std::uint64_t>(from_day) + failures;
    return day >= never_wakes ? never_wakes : static_cast<std::uint16_t>(day);
}

struct FleeRules : Simulation::Impl {
    const std::size_t N, L;
    const std::uint32_t rank, ranks;
    const float speed;
    FleeAgents agents;
    FleeRoutes routes;
    FleeSpawning spawning;
    FleeCounts totals;                          // the day's, over threads and ranks (the execution layer sums them)
    std::vector<int> conflict_start;            // per place: day its conflict began
    std::vector<std::uint8_t> chance_changed;   // per place: its move chance changed today
    std::vector<std::int64_t> occupancy;        // per place: what fills it at the day's start

    FleeRules(std::shared_ptr<const Scenario> scenario, std::uint64_t replicate_seed, std::uint32_t rank,
              std::uint32_t ranks);   // flee_model.cpp

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
        if (routes.refuses(static_cast<std::size_t>(routes.path_end(path))) ||
            !now.links[static_cast<std::size_t>(link)].open) {
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
            const FlatScenario::LinkRow& link = flat.links[agents.via[i]];
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
            w.incoming()[flat.links[agents.via[i]].to]++;
        }
    }

    // ---- the day's phases, in the order the execution layer calls them (flee_model.cpp)

    void apply_events();
    void create_agents();
    void begin_day();   // events, new agents, today's route tables

    // Agents begin..end-1 live their day.
    void sweep(std::uint32_t begin, std::uint32_t end, FleeCounts& w) {
        // The common case first, in a tight loop: an agent resting at a place today.
        const std::uint16_t* via = agents.via.data();
        const std::uint16_t* location = agents.location.data();
        const std::uint16_t* wake = agents.wake.data();
        const std::uint8_t* changed = chance_changed.data();
        std::int64_t* place = w.place();
        const auto today = static_cast<std::uint16_t>(day);
        for (std::uint32_t i = begin; i != end; ++i) {
            if (via[i] == at_place && wake[i] > today && !changed[location[i]]) {
                place[location[i]]++;
                continue;
            }
            live_day(i, w);
            count_end_of_day(i, w);
        }
    }

    void end_day();   // what fills each place tomorrow, DayTotals; the day is done

    // Flee's own series; every other one of the catalogue stays as the constructor sized it: zero
    // (Flee's rules have no harms, money, borders or markets).
    void publish() {
        today.day = day;
        today.agents_created = created;
        auto& status = today[Series::status_counts];
        status[static_cast<std::size_t>(Status::waiting)] = created - totals.travelling();
        status[static_cast<std::size_t>(Status::travelling)] = totals.travelling();
        today[Series::location_population].assign(totals.place(), totals.place() + N);
        today[Series::arrivals].assign(totals.arrivals(), totals.arrivals() + N);
        today[Series::arrival_transit_days].assign(totals.transit_days(), totals.transit_days() + N);
        today[Series::link_flow].assign(totals.flow(), totals.flow() + L);
    }

    // ---- checkpoints

    static constexpr std::uint64_t state_magic = 0x6d696773666c0001;   // "migsfl", version 1

    void save(std::vector<std::byte>& bytes) const override;   // flee_model.cpp
    void restore(std::span<const std::byte> bytes) override;   // flee_model.cpp

    [[nodiscard]] std::int64_t agents_here() const override { return static_cast<std::int64_t>(agents.size()); }
};

}   // namespace migsim::detail::flee
