// The scenario generator: deterministic from its options, the sizes asked for, demand that
// sums to exactly the agents asked for, every mechanism present, scenarios that pass the
// engine's validation at 10 to 50,000 places, files that load back to the same scenario, and
// a run that neither loses nor makes up agents.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

#include <unistd.h>

#include "migsim/errors.hpp"
#include "migsim/generate.hpp"
#include "migsim/simulation.hpp"
#include "scenario/validate.hpp"
#include "support/same_scenario.hpp"

using namespace migsim;
namespace fs = std::filesystem;

namespace {

GeneratorOptions options(int locations, std::int64_t agents, std::uint64_t seed = 1, int profiles = 4, int days = 365) {
    GeneratorOptions o;
    o.locations = locations;
    o.agents = agents;
    o.seed = seed;
    o.profiles = profiles;
    o.days = days;
    return o;
}

// A fresh folder, removed afterwards (ctest runs tests as parallel processes: the pid keeps them apart).
class Folder {
public:
    Folder()
        : path_(fs::temp_directory_path() /
                ("migsim_generate_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++))) {
        fs::remove_all(path_);
    }
    ~Folder() { fs::remove_all(path_); }
    [[nodiscard]] const fs::path& path() const { return path_; }

private:
    fs::path path_;
    static inline int counter_ = 0;
};

std::string bytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Locations reachable from `start` over links.
std::vector<bool> reachable(const Scenario& s, int start) {
    std::vector<std::vector<int>> out(s.locations.size());
    for (const Link& l : s.links) out[static_cast<std::size_t>(l.from)].push_back(l.to);
    std::vector<bool> seen(s.locations.size(), false);
    std::vector<int> stack{start};
    seen[static_cast<std::size_t>(start)] = true;
    while (!stack.empty()) {
        const int at = stack.back();
        stack.pop_back();
        for (int to : out[static_cast<std::size_t>(at)])
            if (!seen[static_cast<std::size_t>(to)]) seen[static_cast<std::size_t>(to)] = true, stack.push_back(to);
    }
    return seen;
}

}   // namespace

TEST(Generate, SameOptionsGiveTheSameScenarioAndFiles) {
    const auto o = options(1000, 250000, 7);
    const Scenario a = generate_scenario(o), b = generate_scenario(o);
    migsim::testing::expect_same(a, b);
    Folder one, two;
    write_scenario(a, one.path());
    write_scenario(b, two.path());
    for (const char* file : {"scenario.yml", "locations.csv", "links.csv", "borders.csv", "markets.csv", "pathways.csv",
                             "demand.csv", "events.csv"})
        EXPECT_EQ(bytes(one.path() / file), bytes(two.path() / file)) << file;
}

TEST(Generate, ADifferentSeedGivesADifferentScenario) {
    const Scenario a = generate_scenario(options(1000, 250000, 1)), b = generate_scenario(options(1000, 250000, 2));
    EXPECT_NE(a.settings.seed, b.settings.seed);
    Folder one, two;
    write_scenario(a, one.path());
    write_scenario(b, two.path());
    for (const char* file : {"locations.csv", "links.csv", "borders.csv", "markets.csv", "demand.csv"})
        EXPECT_NE(bytes(one.path() / file), bytes(two.path() / file)) << file;
}

TEST(Generate, DemandSumsExactlyToTheAgentsAskedFor) {
    for (const std::int64_t agents : {std::int64_t{0}, std::int64_t{1}, std::int64_t{7}, std::int64_t{1000003},
                                      std::int64_t{100000000}, max_generated_agents})
        for (const int locations : {10, 1000, 20000}) {
            const Scenario s = generate_scenario(options(locations, agents, 3, 5, 400));
            EXPECT_EQ(s.total_agents(), agents) << locations << " locations";
            EXPECT_LE(s.demand.size(), 21000u) << "rows of counts, not agents";
            for (const DemandRow& d : s.demand) {
                EXPECT_GE(d.count, 0);
                EXPECT_LT(d.day + d.spread_days, 400 / 2 + 1) << "migrants set out in the first half";
            }
        }
}

TEST(Generate, SizesAsAsked) {
    for (const int locations : {10, 11, 99, 1000, 12345, max_generated_locations}) {
        const Scenario s = generate_scenario(options(locations, 5000, 1, 6, 200));
        EXPECT_EQ(s.locations.size(), static_cast<std::size_t>(locations));
        EXPECT_EQ(s.profiles.size(), 6u);
        EXPECT_EQ(s.settings.days, 200);
        EXPECT_EQ(s.settings.seed, 1u);
        // What the engine's 16-bit link and pathway indices and 8-bit package tickets allow.
        EXPECT_LE(s.links.size(), static_cast<std::size_t>(max_generated_links));
        for (std::size_t m = 0; m < s.markets.size(); ++m)
            if (s.markets[m].links.size() > 1) {
                EXPECT_LT(m, 255u);
            }
    }
    EXPECT_EQ(generate_scenario(options(50, 10, 1, 1, 1)).profiles.size(), 1u);
    EXPECT_EQ(generate_scenario(options(50, 10, 1, max_generated_profiles, 1)).profiles.size(), 255u);
}

TEST(Generate, EveryMechanismIsThere) {
    const Scenario s = generate_scenario(options(1000, 100000));
    std::vector<int> ways_on(s.locations.size(), 0);
    bool sea_patrolled = true, land_border = false, alone = false, package = false, one_border = false;
    for (const Link& l : s.links) {
        ++ways_on[static_cast<std::size_t>(l.from)];
        if (l.mode == Mode::sea)
            sea_patrolled =
                sea_patrolled && l.border != no_index && s.borders[static_cast<std::size_t>(l.border)].patrol > 0;
        land_border = land_border || (l.mode == Mode::land && l.border != no_index);
        alone = alone || l.alone;
    }
    for (const Market& m : s.markets) (m.links.size() > 1 ? package : one_border) = true;
    EXPECT_TRUE(sea_patrolled) << "every sea crossing passes a patrolled border";
    EXPECT_TRUE(land_border && alone && package && one_border);
    EXPECT_GT(std::count_if(ways_on.begin(), ways_on.end(), [](int n) { return n >= 2; }), 100) << "route choices";
    EXPECT_TRUE(std::any_of(s.locations.begin(), s.locations.end(), [](const Location& l) { return l.capacity > 0; }));
    EXPECT_GE(s.pathways.size(), 1u);
    EXPECT_LE(s.pathways.size(), 2u);
    EXPECT_NE(s.profiles[0].weights.death, s.profiles[1].weights.death);
    EXPECT_NE(s.profiles[0].budget_median, s.profiles[1].budget_median);
    EXPECT_FALSE(s.profiles[0].visa_free.empty());
    EXPECT_GE(std::count_if(s.events.begin(), s.events.end(),
                            [](const Event& e) { return e.change.parameter == Parameter::patrol; }),
              2);
    EXPECT_GT(s.events.front().day, 0);
}

TEST(Generate, ValidationPassesAtEverySize) {
    for (const int locations : {10, 1000, 50000}) {
        const Scenario s = generate_scenario(options(locations, 1000000, 5));
        EXPECT_NO_THROW(detail::validate(s)) << locations << " locations";
    }
}

TEST(Generate, EveryOriginReachesADestination) {
    for (const int locations : {10, 1000, 20000}) {
        const Scenario s = generate_scenario(options(locations, 100000, 9, 7));
        std::vector<std::vector<bool>> from(s.locations.size());   // reachable, per origin
        for (std::size_t o = 0; o < s.locations.size(); ++o) {
            if (s.locations[o].kind != LocationKind::origin) continue;
            from[o] = reachable(s, static_cast<int>(o));
            bool any = false;
            for (std::size_t d = 0; d < s.locations.size(); ++d)
                any = any || (from[o][d] && s.locations[d].kind == LocationKind::destination);
            ASSERT_TRUE(any) << s.locations[o].id;
        }
        for (const DemandRow& d : s.demand) {   // and each profile one of its own destinations
            const auto& seen = from[static_cast<std::size_t>(d.origin)];
            const auto& goals = s.profiles[static_cast<std::size_t>(d.profile)].destinations;
            ASSERT_TRUE(
                std::any_of(goals.begin(), goals.end(), [&](int g) { return seen[static_cast<std::size_t>(g)]; }))
                << s.locations[static_cast<std::size_t>(d.origin)].id << ", "
                << s.profiles[static_cast<std::size_t>(d.profile)].id;
        }
    }
}

TEST(Generate, WrittenFilesLoadBackToTheSameScenario) {
    for (const auto& o :
         {options(10, 1000), options(1000, 300000, 11), options(300, 0, 2, 1, 1), options(5000, 123457, 4, 12, 900)}) {
        SCOPED_TRACE(std::to_string(o.locations) + " locations");
        const Scenario generated = generate_scenario(o);
        Folder folder;
        write_scenario(generated, folder.path());
        migsim::testing::expect_same(load_scenario(folder.path()), generated);
    }
}

TEST(Generate, AShortRunConservesAgents) {
    const Scenario s = generate_scenario(options(300, 20000, 3, 4, 60));
    Simulation sim(s, 2);
    for (int d = 0; d < s.settings.days; ++d) {
        sim.step();
        const auto& t = sim.today();
        ASSERT_EQ(std::accumulate(t[Series::status_counts].begin(), t[Series::status_counts].end(), std::int64_t{0}),
                  t.agents_created)
            << "day " << d;
    }
    EXPECT_EQ(sim.today().agents_created, 20000);
    const auto& t = sim.today();
    EXPECT_GT(t[Series::status_counts][static_cast<int>(Status::arrived)], 0);
}

TEST(Generate, OptionsOutOfRangeAreRefusedByName) {
    auto message = [](const GeneratorOptions& o) -> std::string {
        try {
            check(o);
        } catch (const ScenarioError& e) {
            return e.what();
        }
        return "no error";
    };
    EXPECT_NE(message(options(0, 10)).find("--locations: got '0'"), std::string::npos);
    EXPECT_NE(message(options(65001, 10)).find("65000"), std::string::npos);
    EXPECT_NE(message(options(100, -1)).find("--agents: got '-1'"), std::string::npos);
    EXPECT_NE(message(options(100, 10, 1, 0)).find("--profiles"), std::string::npos);
    EXPECT_NE(message(options(100, 10, 1, 4, 0)).find("--days"), std::string::npos);
    EXPECT_NE(message(options(100, 10, max_generated_seed + 1)).find("--seed"), std::string::npos);
    EXPECT_THROW((void)generate_scenario(options(9, 10)), ScenarioError);
}

TEST(WriteScenario, AHandWrittenScenarioLoadsBackTheSame) {
    const Scenario toy = load_scenario(fs::path(MIGSIM_SOURCE_DIR) / "scenarios/toy", {"border:strait.patrol=0.45"});
    Folder folder;
    write_scenario(toy, folder.path());
    migsim::testing::expect_same(load_scenario(folder.path()), toy);
}

// Sizes the engine cannot store are refused by name instead of being cut down silently.
TEST(Validate, RefusesSizesBeyondWhatTheEngineStores) {
    auto message_of = [](const Scenario& s) {
        try {
            detail::validate(s);
        } catch (const ScenarioError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const Scenario base = generate_scenario(options(20, 1000));
    Scenario many_links = base;
    many_links.links.resize(65536, base.links.front());
    EXPECT_NE(message_of(many_links).find("links plus pathways: "), std::string::npos) << message_of(many_links);
    EXPECT_NE(message_of(many_links).find("expected at most 65535"), std::string::npos);

    Scenario many_profiles = base;
    many_profiles.profiles.resize(257, base.profiles.front());
    EXPECT_NE(message_of(many_profiles).find("profiles: 257; expected at most 256"), std::string::npos)
        << message_of(many_profiles);

    Scenario late_package = base;
    Market one_link = base.markets.front();
    one_link.links.resize(1);
    Market package = one_link;
    package.id = "late_package";
    package.links = {0, 1};
    late_package.markets.assign(255, one_link);
    late_package.markets.push_back(package);
    EXPECT_NE(message_of(late_package).find("package market 'late_package' is market 256"), std::string::npos)
        << message_of(late_package);

    Scenario too_many_migrants = base;
    too_many_migrants.demand.front().count = 4294967296;
    EXPECT_NE(message_of(too_many_migrants).find("migrants in the demand: "), std::string::npos)
        << message_of(too_many_migrants);
    EXPECT_EQ(message_of(base), "no error");
}
