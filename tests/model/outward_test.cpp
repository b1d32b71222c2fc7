// Agents never move back towards their origin, and never into a blind alley.
#include <gtest/gtest.h>

#include "migsim/simulation.hpp"
#include "model/outward.hpp"
#include "support/tiny_network.hpp"

using namespace migsim;
using namespace migsim::detail;
using namespace migsim::testing;

namespace {
// origin(0) -> hub(1) -> coast(2) -> goal(3), every road also back; a dead end(4) off the hub;
// a short cut hub -> goal over the sea.
Scenario fork_with_ways_back() {
    Scenario s = crossing(1000, 0, true);
    s.locations = {place("origin", LocationKind::origin), place("hub", LocationKind::transit),
                   place("coast", LocationKind::coast), place("goal", LocationKind::destination),
                   place("dead_end", LocationKind::transit)};
    s.links = {link("out", 0, 1, 300, Mode::land),        link("back", 1, 0, 300, Mode::land),
               link("on", 1, 2, 200, Mode::land),         link("back_on", 2, 1, 200, Mode::land),
               link("boat", 2, 3, 150, Mode::sea, 0),     link("alley", 1, 4, 100, Mode::land),
               link("alley_back", 4, 1, 100, Mode::land), link("long_boat", 1, 3, 900, Mode::sea, 0)};
    s.links[4].alone = s.links[7].alone = true;
    s.profiles[0].destinations = {3};
    return s;
}
}   // namespace

TEST(Outward, AllowsOnlyMovesAwayFromTheOriginThatLeadSomewhere) {
    const Scenario s = fork_with_ways_back();
    const Outward outward(s);
    EXPECT_TRUE(outward.allows(0, 0));    // out
    EXPECT_FALSE(outward.allows(0, 1));   // back to the origin
    EXPECT_TRUE(outward.allows(0, 2));    // on
    EXPECT_FALSE(outward.allows(0, 3));   // back to the hub
    EXPECT_TRUE(outward.allows(0, 4));    // boat to the goal
    EXPECT_FALSE(outward.allows(0, 5));   // farther away, but no way on from the dead end
    EXPECT_FALSE(outward.allows(0, 6));
    // 300 + 900 km is farther than 300 + 200 + 150, yet a destination is never a step back.
    EXPECT_TRUE(outward.allows(0, 7));
}

TEST(Outward, NoAgentEverWalksBackEvenWhenTheLogitIsNearlyFlat) {
    Scenario s = fork_with_ways_back();
    s.profiles[0].tau = 50;   // going back costs little more than going on: half would turn back
    s.settings.days = 120;
    Simulation sim(s, 2);
    std::int64_t back = 0, alley = 0, arrived = 0;
    for (int d = 0; d < s.settings.days; ++d) {
        sim.step();
        back += sim.today()[Series::link_flow][1] + sim.today()[Series::link_flow][3];
        alley += sim.today()[Series::link_flow][5];
        arrived += sim.today()[Series::arrivals][3];
    }
    EXPECT_EQ(back, 0);
    EXPECT_EQ(alley, 0);
    EXPECT_EQ(arrived, 1000);   // every journey ends: no circling
}
