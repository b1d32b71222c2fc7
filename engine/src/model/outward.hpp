// Migrants move away from where they set out, never back towards it. A move along link
// i -> j is allowed only if j is a destination, or if j lies farther from the agent's origin
// than i (shortest distance in km over the network, fixed for the run) and has an allowed
// way on (no blind alleys: Tunis is farther from Khartoum than Sfax, but from Tunis the only
// road leads back). Without this rule the logit's noise walks agents in circles: with tau = 3,
// a quarter of those waiting at Sfax went back to Tunis each day (0.96 million Tunis-Sfax moves
// in 2021 for 31,000 crossings), and agents circled the Gaziantep-Istanbul-Izmir triangle. With
// it every journey is finite, and the choice at a fork (Istanbul: Evros or the Aegean) is kept.
// It is the "efficient links" rule of Dial's stochastic assignment (1971), on the distance
// from the origin.
#pragma once

#include <cstdint>
#include <vector>

#include "migsim/scenario.hpp"

namespace migsim::detail {

class Outward {
public:
    explicit Outward(const Scenario& scenario);

    // May an agent from `origin` (a location that appears in the demand) take link `link`?
    [[nodiscard]] bool allows(int origin, std::size_t link) const {
        return allowed_[static_cast<std::size_t>(slot_[static_cast<std::size_t>(origin)]) * links_ + link] != 0;
    }

private:
    std::size_t links_;
    std::vector<std::int32_t> slot_;      // per location: its row in allowed_, or -1 (not an origin)
    std::vector<std::uint8_t> allowed_;   // origins x links
};

}   // namespace migsim::detail
