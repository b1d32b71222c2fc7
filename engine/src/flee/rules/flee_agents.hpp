// Agents under Flee's rules, as structure-of-arrays. No money, no profile: a Flee agent is a
// place, the link it is on and how far along, the day of its next successful move roll, and
// the route it follows (awareness_level >= 2). 17 bytes per agent.
#pragma once

#include <cstdint>
#include <vector>

namespace migsim::detail {

inline constexpr std::uint16_t at_place = 0xFFFF;      // `via` of an agent not on a link
inline constexpr std::uint16_t never_wakes = 0xFFFF;   // `wake` of an agent that never moves on
inline constexpr std::uint32_t no_path = 0xFFFFFFFF;   // `path` of an agent without a route

struct FleeAgents {
    std::vector<std::uint16_t> location;   // where it is (or, on a link, where it set out from)
    std::vector<std::uint16_t> via;        // the link it is on, or at_place
    std::vector<float> km;                 // km along that link
    std::vector<std::uint16_t> wake;       // at a place: the day of its next successful move roll
    std::vector<std::uint32_t> path;       // the route it follows (FleeRoutes' index), or no_path
    std::vector<std::uint8_t> step;        // the next link of that route
    std::vector<std::uint16_t> born;       // the day it appeared

    [[nodiscard]] std::size_t size() const { return location.size(); }

    void reserve(std::size_t n) {
        location.reserve(n);
        via.reserve(n);
        km.reserve(n);
        wake.reserve(n);
        path.reserve(n);
        step.reserve(n);
        born.reserve(n);
    }

    void add(std::uint16_t at, std::uint16_t day, std::uint16_t wake_day) {
        location.push_back(at);
        via.push_back(at_place);
        km.push_back(0);
        wake.push_back(wake_day);
        path.push_back(no_path);
        step.push_back(0);
        born.push_back(day);
    }
};

}   // namespace migsim::detail
