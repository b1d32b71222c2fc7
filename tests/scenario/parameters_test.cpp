// Overrides (--set) and variants: the same keys, checked like the tables, applied last.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "migsim/errors.hpp"
#include "migsim/scenario.hpp"

using namespace migsim;
namespace fs = std::filesystem;

namespace {
const fs::path toy = fs::path(MIGSIM_SOURCE_DIR) / "scenarios/toy";
}

TEST(Overrides, SetChangesSettingsAndParameters) {
    const Scenario s = load_scenario(toy, {"days=30", "seed=9", "border:strait.patrol=0.55",
                                           "market:east_package.capacity=7", "profile:refugee.tau=3", "speed.sea=100"});
    EXPECT_EQ(s.settings.days, 30);
    EXPECT_EQ(s.settings.seed, 9u);
    EXPECT_DOUBLE_EQ(s.borders[0].patrol, 0.55);
    EXPECT_EQ(s.markets[1].capacity, 7);
    EXPECT_DOUBLE_EQ(s.profiles[1].tau, 3);
    EXPECT_EQ(s.travel_days(s.links[8]), 3);   // 300 km of sea at 100 km/day
}

TEST(Overrides, BadKeysAndValuesAreScenarioErrors) {
    EXPECT_THROW((void)load_scenario(toy, {"border:nowhere.patrol=0.5"}), ScenarioError);
    EXPECT_THROW((void)load_scenario(toy, {"border:strait.speed=0.5"}), ScenarioError);
    EXPECT_THROW((void)load_scenario(toy, {"border:strait.patrol=2"}), ScenarioError);
    EXPECT_THROW((void)load_scenario(toy, {"market:strait_boats.capacity=1.5"}), ScenarioError);
    EXPECT_THROW((void)load_scenario(toy, {"days=0"}), ScenarioError);
    EXPECT_THROW((void)load_scenario(toy, {"patrol"}), ScenarioError);
    EXPECT_THROW((void)load_scenario(toy, {"give_up_action=sulk"}), ScenarioError);
    EXPECT_THROW((void)load_scenario(toy, {"harm:oasis_kidnap.days=0"}), ScenarioError);   // held 0 days: never let go
}

TEST(Variants, ExtendSetAndAddEvents) {
    const fs::path dir = fs::temp_directory_path() / ("migsim_variant_test_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "extra.csv") << "day,target,parameter,value\n10,market:strait_boats,price,999\n";
    std::ofstream(dir / "v.yml") << "extends: " << (toy / "scenario.yml").string()
                                 << "\nname: toy-variant\nset:\n  border:channel.patrol: 0.05\n"
                                 << "  days: 50\nevents: extra.csv\n";
    const Scenario s = load_scenario(dir / "v.yml");
    EXPECT_EQ(s.settings.name, "toy-variant");
    EXPECT_EQ(s.settings.days, 50);
    EXPECT_DOUBLE_EQ(s.borders[1].patrol, 0.05);
    ASSERT_EQ(s.events.size(), 2u);
    EXPECT_EQ(s.events[0].day, 10);   // sorted by day
    EXPECT_EQ(s.inputs.back().path, (dir / "extra.csv").string());

    std::ofstream(dir / "bad.yml") << "extends: " << (toy / "scenario.yml").string()
                                   << "\nset:\n  border:channel.patrol: 7\n";
    try {
        (void)load_scenario(dir / "bad.yml");
        FAIL() << "no error";
    } catch (const ScenarioError& e) {
        EXPECT_NE(e.file().find("bad.yml"), std::string::npos);
        EXPECT_EQ(e.line(), 3);
        EXPECT_EQ(e.value(), "7");
    }
    fs::remove_all(dir);
}
