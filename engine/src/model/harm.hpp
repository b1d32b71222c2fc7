// Harm at places (docs/HARM.md): for each location and group, which harm rows apply. A row for
// a group overrides the location's row for every group. Built once: events change a row's
// numbers (read from the scenario as loaded), never its place, harm or group.
// Agents at a place without harms pay one byte read a day for all this.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "migsim/scenario.hpp"

namespace migsim::detail {

class HarmPlaces {
public:
    explicit HarmPlaces(const Scenario& s) {
        groups_ = std::max<std::size_t>(1, s.groups.size());
        any_.assign(s.locations.size(), 0);
        rows_.assign(s.locations.size() * groups_, {no_index, no_index, no_index, no_index});
        for (int pass = 0; pass < 2; ++pass)   // every group's rows first, then group rows over them
            for (std::size_t h = 0; h < s.harms.size(); ++h) {
                const Harm& harm = s.harms[h];
                if ((harm.group == no_index) != (pass == 0)) continue;
                const auto at = static_cast<std::size_t>(harm.location);
                any_[at] = 1;
                for (std::size_t g = 0; g < groups_; ++g)
                    if (harm.group == no_index || harm.group == static_cast<int>(g))
                        rows_[at * groups_ + g][static_cast<std::size_t>(harm.kind)] = static_cast<int>(h);
            }
    }

    [[nodiscard]] bool any(std::size_t at) const { return any_[at] != 0; }
    // The harm row of `kind` for group `group` at `at`, or no_index.
    [[nodiscard]] int row(std::size_t at, std::size_t group, HarmKind kind) const {
        return rows_[at * groups_ + group][static_cast<std::size_t>(kind)];
    }

private:
    std::size_t groups_ = 1;
    std::vector<std::uint8_t> any_;
    std::vector<std::array<int, harm_kinds>> rows_;
};

}   // namespace migsim::detail
