// Agent state as structure-of-arrays: one contiguous vector per field, so that a day's sweep
// reads only the bytes it needs. The hot record (everything read every day) is 16 bytes per
// agent; `origin` is read when a waiting agent chooses (the no-way-back rule) or goes home,
// `born` when it arrives.
// Agent id = index.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "migsim/simulation.hpp"

namespace migsim::detail {

inline constexpr std::uint8_t no_ticket = 0;

struct AgentStore {
    std::vector<std::uint16_t> location;   // location index (where it is or last was)
    std::vector<Status> status;
    std::vector<std::uint8_t> profile;
    std::vector<std::uint8_t> attempts;        // failed (intercepted) crossings
    std::vector<std::uint8_t> ticket;          // 1 + market of a package seat held; 0: none
    std::vector<std::uint16_t> via;            // link travelled, or links + pathway in process
    std::vector<std::uint16_t> days_left;      // travel, detention or processing days to go
    std::vector<std::uint16_t> days_waiting;   // days waiting at the current location
    std::vector<float> money;
    std::vector<std::uint16_t> origin;   // where it set out from (read when choosing)
    std::vector<std::uint16_t> born;     // cold: day it was created
    std::vector<std::uint8_t> group;     // cold: demographic group (read where harms are)

    static constexpr std::size_t hot_bytes = 2 + sizeof(Status) + 1 + 1 + 1 + 2 + 2 + 2 + 4;

    [[nodiscard]] std::size_t size() const { return status.size(); }

    void reserve(std::size_t n) {
        location.reserve(n);
        status.reserve(n);
        profile.reserve(n);
        attempts.reserve(n);
        ticket.reserve(n);
        via.reserve(n);
        days_left.reserve(n);
        days_waiting.reserve(n);
        money.reserve(n);
        origin.reserve(n);
        born.reserve(n);
        group.reserve(n);
    }

    void add(std::uint16_t at, std::uint8_t of_profile, std::uint8_t of_group, float budget, std::uint16_t day) {
        location.push_back(at);
        status.push_back(Status::waiting);
        profile.push_back(of_profile);
        attempts.push_back(0);
        ticket.push_back(no_ticket);
        via.push_back(0);
        days_left.push_back(0);
        days_waiting.push_back(0);
        money.push_back(budget);
        origin.push_back(at);
        born.push_back(day);
        group.push_back(of_group);
    }
};

// The agents as the rules read and write them: one span per array of an AgentStore (valid until
// agents are added). The same names, so that `agents.location[i]` reads alike on both.
struct AgentSpans {
    std::span<std::uint16_t> location;
    std::span<Status> status;
    std::span<std::uint8_t> profile, attempts, ticket;
    std::span<std::uint16_t> via, days_left, days_waiting;
    std::span<float> money;
    std::span<const std::uint16_t> origin, born;
    std::span<const std::uint8_t> group;

    explicit AgentSpans(AgentStore& a)
        : location(a.location), status(a.status), profile(a.profile), attempts(a.attempts), ticket(a.ticket),
          via(a.via), days_left(a.days_left), days_waiting(a.days_waiting), money(a.money), origin(a.origin),
          born(a.born), group(a.group) {}
};

}   // namespace migsim::detail
