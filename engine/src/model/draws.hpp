// Counter-based random draws (Random123 Philox4x32-10). A draw is a pure function of
// (seed, agent id, day, purpose): no generator state, so the result does not depend on which
// thread or rank handles the agent, nor on the order agents are visited.
// Key = the 64-bit seed; counter = (agent id, day, purpose, round). One call yields four
// independent 32-bit words, used for one purpose's draws; `round` numbers further draws for
// the same purpose on the same day (a route choice drawn again).
#pragma once

#include <Random123/philox.h>

#include <array>
#include <cstdint>

namespace migsim::detail {

enum class Purpose : std::uint32_t {
    budget = 1,         // lognormal money at creation (two words, Box-Muller)
    choice = 2,         // option picked from the alias table (two words)
    crossing = 3,       // seat/quota priority, interception, death
    sweep = 4,          // Latin hypercube: (parameter, sample) in place of (agent, day)
    spawn = 5,          // Flee rules: the conflict zone a new agent appears in, its first wake day
    move = 6,           // Flee rules: move roll, route column and coin; round = hop of the day
    wake = 7,           // Flee rules: days until the next successful move roll (geometric)
    spawn_count = 8,    // Flee rules, conflict spawning: (zone, day) in place of (agent, day)
    group = 9,          // demographic group at creation (one word)
    harm = 10,          // harms at a place: abduction, trafficking, detention, violence (round 0);
                        // death while held (1), release from detention (2), exit from trafficking (3)
    journey = 11,       // in the journey sample or not (one word, day 0: a pure function of seed and id)
    give_up = 12,       // whether one who gives up tries another route (one word)
    posterior = 13,     // systematic resampling of a posterior: one word, (0, 0) in place of (agent, day)
    calibration = 20,   // calibration and sensitivity: (point, stage) in place of (agent, day)
    history = 30,       // history matching: Latin hypercubes, (point, parameter) in place of
                        // (agent, day), round = the design (wave and candidate round)
    sensitivity = 31,   // Morris and Sobol designs and their bootstrap resamples (calibration/sensitivity.cpp):
                        // (trajectory, parameter), (row, column), (resample, row / 4) in place of (agent,
                        // day); `round` says which draw
};

using Words = std::array<std::uint32_t, 4>;

inline Words draw(std::uint64_t seed, std::uint32_t agent, int day, Purpose purpose, std::uint32_t round = 0) {
    r123::Philox4x32 rng;
    r123::Philox4x32::key_type key = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
    r123::Philox4x32::ctr_type ctr = {
        {agent, static_cast<std::uint32_t>(day), static_cast<std::uint32_t>(purpose), round}};
    auto r = rng(ctr, key);
    return {r[0], r[1], r[2], r[3]};
}

// A 32-bit word as a uniform in (0, 1): never 0, never 1.
inline double unit(std::uint32_t word) { return (static_cast<double>(word) + 0.5) * 0x1p-32; }

// True with probability p.
inline bool happens(std::uint32_t word, double p) { return unit(word) < p; }

}   // namespace migsim::detail
