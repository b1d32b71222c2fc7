// Agent state as structure-of-arrays: one contiguous vector per field, so that a day's sweep
// reads only the bytes it needs. The hot record (everything read every day) is 23 bytes per
// agent; `origin` is read when an agent goes home, `born` when it arrives.
// Agent id = index.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "migsim/simulation.hpp"

namespace migsim::detail {

inline constexpr std::uint8_t no_ticket = 0;

// Why an agent plans again (docs/BEHAVIOUR.md); `news` is found from the route's news day, the
// others are kept in the agent's memory until it has a new plan. Order: the replan_cause
// dimension of the `replans` series.
enum class Replan : std::uint8_t { none, failure, money, closed, news };
inline constexpr std::size_t replan_causes = 4;   // failure .. news

// An agent's memory (one byte): failures on the link it last failed on (0-15), the cause of a
// re-plan to come, and whether it has already given up one route for another.
struct Memory {
    static constexpr std::uint8_t failures_mask = 0x0f, cause_shift = 4, cause_mask = 0x30, switched_bit = 0x40;
    static std::uint8_t failures(std::uint8_t m) { return m & failures_mask; }
    static Replan cause(std::uint8_t m) { return static_cast<Replan>((m & cause_mask) >> cause_shift); }
    static std::uint8_t with_cause(std::uint8_t m, Replan c) {
        return static_cast<std::uint8_t>((m & ~cause_mask) | (static_cast<std::uint8_t>(c) << cause_shift));
    }
    static std::uint8_t with_failures(std::uint8_t m, int n) {
        return static_cast<std::uint8_t>((m & ~failures_mask) | std::min(n, 15));
    }
};
inline constexpr std::uint16_t no_link = UINT16_MAX;

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
    std::vector<std::uint16_t> plan;          // the route it follows (RoutePlans), or no_plan
    std::vector<std::uint16_t> planned;       // day it last planned (a route's later news makes it plan again)
    std::vector<std::uint16_t> failed_link;   // link of its last failed crossing, or no_link
    std::vector<std::uint8_t> memory;         // Memory: failures there, a re-plan to come, switched
    std::vector<std::uint16_t> origin;        // where it set out from (read when it goes home)
    std::vector<std::uint16_t> born;          // cold: day it was created
    std::vector<std::uint8_t> group;          // cold: demographic group (read where harms are)

    static constexpr std::size_t hot_bytes = 2 + sizeof(Status) + 1 + 1 + 1 + 2 + 2 + 2 + 4 + 2 + 2 + 2 + 1;

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
        plan.reserve(n);
        planned.reserve(n);
        failed_link.reserve(n);
        memory.reserve(n);
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
        plan.push_back(UINT16_MAX);   // no_plan
        planned.push_back(day);
        failed_link.push_back(no_link);
        memory.push_back(0);
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
    std::span<std::uint16_t> plan, planned, failed_link;
    std::span<std::uint8_t> memory;
    std::span<const std::uint16_t> origin, born;
    std::span<const std::uint8_t> group;

    explicit AgentSpans(AgentStore& a)
        : location(a.location), status(a.status), profile(a.profile), attempts(a.attempts), ticket(a.ticket),
          via(a.via), days_left(a.days_left), days_waiting(a.days_waiting), money(a.money), plan(a.plan),
          planned(a.planned), failed_link(a.failed_link), memory(a.memory), origin(a.origin), born(a.born),
          group(a.group) {}
};

}   // namespace migsim::detail
