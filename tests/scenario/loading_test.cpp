// Loading: the toy scenario as shipped, and each class of bad input rejected before anything
// runs with a ScenarioError naming the file, line, field and bad value.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "support/yaml_bombs.hpp"
#include "migsim/errors.hpp"
#include "migsim/scenario.hpp"

using namespace migsim;
namespace fs = std::filesystem;

namespace {
const fs::path toy = fs::path(MIGSIM_SOURCE_DIR) / "scenarios/toy";
const fs::path flee_mali = fs::path(MIGSIM_SOURCE_DIR) / "scenarios/flee-mali2012";

// A copy of the toy scenario in a fresh folder, with one text replaced in one file.
class BrokenToy {
public:
    BrokenToy(const std::string& file, const std::string& from, const std::string& to, const fs::path& source = toy) {
        // ctest runs tests as parallel processes: the pid keeps their folders apart.
        dir_ = fs::temp_directory_path() /
               ("migsim_broken_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
        fs::remove_all(dir_);
        fs::copy(source, dir_, fs::copy_options::recursive);
        std::ifstream in(dir_ / file);
        std::stringstream text;
        text << in.rdbuf();
        std::string s = text.str();
        auto at = s.find(from);
        if (at == std::string::npos) throw std::logic_error("test setup: '" + from + "' not in " + file);
        s.replace(at, from.size(), to);
        std::ofstream(dir_ / file) << s;
    }
    ~BrokenToy() { fs::remove_all(dir_); }
    [[nodiscard]] const fs::path& dir() const { return dir_; }

private:
    fs::path dir_;
    static inline int counter_ = 0;
};

ScenarioError error_of(const fs::path& path) {
    try {
        (void)load_scenario(path);
    } catch (const ScenarioError& e) {
        return e;
    }
    ADD_FAILURE() << "no ScenarioError";
    return ScenarioError("none");
}

ScenarioError error_of(const BrokenToy& t) { return error_of(t.dir()); }

bool has(const ScenarioError& e, const std::string& text) {
    return std::string(e.what()).find(text) != std::string::npos;
}
}   // namespace

TEST(Loading, TheToyScenarioAsShipped) {
    const Scenario s = load_scenario(toy);
    EXPECT_EQ(s.settings.name, "toy");
    EXPECT_EQ(s.locations.size(), 9u);
    EXPECT_EQ(s.links.size(), 10u);
    EXPECT_EQ(s.markets[1].links.size(), 2u);   // the desert-and-boat package
    EXPECT_EQ(s.links[7].market, 0);            // strait_crossing sold by strait_boats
    EXPECT_EQ(s.total_agents(), 1800);
    EXPECT_EQ(s.inputs.size(), 9u);   // scenario.yml and eight tables, each hashed
    EXPECT_EQ(s.inputs[0].sha256.size(), 64u);
    EXPECT_EQ(s.events.size(), 1u);
    EXPECT_EQ(s.settings.give_up_action, GiveUpAction::go_home);
    ASSERT_EQ(s.groups.size(), 4u);
    EXPECT_EQ(s.groups[1].sex, "female");
    EXPECT_DOUBLE_EQ(s.profiles[0].group_shares[1], 0.2);
    ASSERT_EQ(s.harms.size(), 5u);
    EXPECT_EQ(s.harms[0].kind, HarmKind::abduction);
    EXPECT_EQ(s.harms[4].group, 1);   // violence against women at the west port
    EXPECT_DOUBLE_EQ(s.links[5].toll, 30);
    EXPECT_DOUBLE_EQ(s.links[9].bribe_interception, 0.9);
}

TEST(Loading, UnknownIdNamesFileLineColumnAndValue) {
    BrokenToy t("links.csv", "village_hub,village,hub", "village_hub,village,nowhere");
    auto e = error_of(t);
    EXPECT_NE(e.file().find("links.csv"), std::string::npos);
    EXPECT_EQ(e.line(), 2);
    EXPECT_EQ(e.field(), "column 'to'");
    EXPECT_EQ(e.value(), "nowhere");
}

TEST(Loading, DuplicateId) {
    BrokenToy t("borders.csv", "channel,Channel", "strait,Channel");
    auto e = error_of(t);
    EXPECT_EQ(e.line(), 3);
    EXPECT_EQ(e.value(), "strait");
}

TEST(Loading, ProbabilityOutsideZeroOne) {
    BrokenToy t("borders.csv", "0.3,port_west", "1.3,port_west");
    auto e = error_of(t);
    EXPECT_EQ(e.field(), "column 'patrol'");
    EXPECT_NE(std::string(e.what()).find("[0, 1]"), std::string::npos);
}

TEST(Loading, NegativeDistanceAndCapacity) {
    EXPECT_EQ(error_of(BrokenToy("links.csv", "village,hub,700", "village,hub,-700")).value(), "-700");
    EXPECT_EQ(error_of(BrokenToy("markets.csv", "800,40", "800,-40")).value(), "-40");
}

TEST(Loading, WrongTypeAndMissingColumn) {
    EXPECT_EQ(error_of(BrokenToy("locations.csv", "12.0,-2.0", "twelve,-2.0")).field(), "column 'lat'");
    auto e = error_of(BrokenToy("links.csv", "id,from,to,distance_km", "id,from,to,km"));
    EXPECT_EQ(e.line(), 1);
}

TEST(Loading, UnreachableDestination) {
    BrokenToy t("links.csv", "village_hub,village,hub", "village_hub,town,hub");   // village: no way out
    EXPECT_NE(std::string(error_of(t).what()).find("can be reached"), std::string::npos);
}

TEST(Loading, BadYamlValueNamesItsLine) {
    auto e = error_of(BrokenToy("scenario.yml", "tau: 2.0", "tau: -2.0"));
    EXPECT_NE(e.file().find("scenario.yml"), std::string::npos);
    EXPECT_EQ(e.line(), 27);
    EXPECT_EQ(e.value(), "-2.0");
}

// A single value or a list where a mapping belongs (found by the fuzzer: yaml-cpp threw its own
// exception, which ended the program).
TEST(Loading, AValueWhereAMappingBelongs) {
    auto weights = error_of(
        BrokenToy("scenario.yml", "weights: {time: 0.5, money: 0.004, interception: 4, death: 200}", "weights: 5"));
    EXPECT_EQ(weights.line(), 26);
    EXPECT_EQ(weights.field(), "profiles[0].weights");
    EXPECT_EQ(weights.value(), "5");
    EXPECT_NE(std::string(weights.what()).find("a mapping with the keys time, money, interception, death"),
              std::string::npos)
        << weights.what();
    auto budget = error_of(BrokenToy("scenario.yml", "budget: {median: 1500, sigma: 0.5}", "budget: [1500, 0.5]"));
    EXPECT_EQ(budget.line(), 25);
    EXPECT_EQ(budget.field(), "profiles[0].budget");
}

// The rest of the catalogue (docs/ERRORS.md, replayed word for word by
// tests/python/test_error_catalogue.py); here the fields of the exception.
TEST(Loading, NonFiniteAndTooLargeNumbers) {
    EXPECT_EQ(error_of(BrokenToy("borders.csv", "0.3,port_west", "nan,port_west")).value(), "nan");
    EXPECT_EQ(error_of(BrokenToy("locations.csv", "transit,,5", "transit,,inf")).field(), "column 'wage'");
    auto e = error_of(BrokenToy("pathways.csv", "mainland,60,30", "mainland,99999999999999999999,30"));
    EXPECT_EQ(e.field(), "column 'quota'");
    EXPECT_NE(std::string(e.what()).find("at most"), std::string::npos);
    EXPECT_EQ(error_of(BrokenToy("demand.csv", "village,migrant,900", "village,migrant,4294967296")).value(), "42949672"
                                                                                                              "96");
}

TEST(Loading, DayOutsideTheRun) {
    auto e = error_of(BrokenToy("events.csv", "60,border", "120,border"));   // the toy runs days 0..119
    EXPECT_EQ(e.field(), "column 'day'");
    EXPECT_EQ(e.value(), "120");
}

TEST(Loading, EncodingIsUtf8WithAnOptionalByteOrderMark) {
    auto e = error_of(BrokenToy("borders.csv", "Strait (sea)", "D\xE9troit (sea)"));
    EXPECT_NE(std::string(e.what()).find("borders.csv:2:9: encoding"), std::string::npos);
    BrokenToy bom("locations.csv", "id,name", "\xEF\xBB\xBFid,name");
    EXPECT_EQ(load_scenario(bom.dir()).locations.size(), 9u);
}

TEST(Loading, AVariantThatExtendsItself) {
    BrokenToy t("scenario.yml", "name: toy", "name: toy");
    std::ofstream(t.dir() / "a.yml") << "extends: b.yml\nname: a\n";
    std::ofstream(t.dir() / "b.yml") << "extends: a.yml\nname: b\n";
    try {
        (void)load_scenario(t.dir() / "a.yml");
        ADD_FAILURE() << "no ScenarioError";
    } catch (const ScenarioError& e) {
        EXPECT_EQ(e.field(), "extends");
        EXPECT_EQ(e.value(), "a.yml");
        EXPECT_NE(e.file().find("b.yml"), std::string::npos);
    }
}

// yaml-cpp keeps both pairs of a key written twice in one mapping, but finds only the first: the
// second value would be ignored without a word. Refused in every YAML file the loader reads, at
// any depth: scenario.yml, a variant, Flee's block.
TEST(Loading, AKeySetTwiceInOneMapping) {
    auto top = error_of(BrokenToy("scenario.yml", "seed: 1\n", "seed: 1\ndays: 60\n"));
    EXPECT_NE(top.file().find("scenario.yml"), std::string::npos);
    EXPECT_EQ(top.line(), 9);
    EXPECT_EQ(top.field(), "key");
    EXPECT_EQ(top.value(), "days");
    EXPECT_TRUE(has(top, "expected each key once (it is already set on line 7)")) << top.what();

    auto nested = error_of(BrokenToy("scenario.yml", "budget: {median: 1500, sigma: 0.5}",
                                     "budget: {median: 1500, sigma: 0.5, median: 900}"));
    EXPECT_EQ(nested.line(), 25);
    EXPECT_EQ(nested.field(), "profiles[0].budget");
    EXPECT_EQ(nested.value(), "median");
    EXPECT_TRUE(has(nested, "already set on line 25")) << nested.what();

    BrokenToy variant("scenario.yml", "name: toy", "name: toy");
    std::ofstream(variant.dir() / "a.yml") << "extends: scenario.yml\nname: a\nset:\n  border:strait.patrol: 0.6\n"
                                              "  border:strait.patrol: 0.7\n";
    auto set = error_of(variant.dir() / "a.yml");
    EXPECT_NE(set.file().find("a.yml"), std::string::npos);
    EXPECT_EQ(set.line(), 5);
    EXPECT_EQ(set.field(), "set");
    EXPECT_EQ(set.value(), "border:strait.patrol");
    EXPECT_TRUE(has(set, "already set on line 4")) << set.what();

    auto flee =
        error_of(BrokenToy("scenario.yml", "  camp_weight: 5 ", "  camp_weight: 6\n  camp_weight: 5 ", flee_mali));
    EXPECT_EQ(flee.line(), 18);
    EXPECT_EQ(flee.field(), "flee");
    EXPECT_EQ(flee.value(), "camp_weight");
    EXPECT_TRUE(has(flee, "already set on line 17")) << flee.what();
}

// Aliases make a graph of the YAML: one that holds itself (`x: &x [*x]`) has no end, one whose
// aliases repeat aliases (a "billion laughs") has billions of nodes. Both are refused when the
// file is read, as is nesting deeper than any scenario needs.
TEST(Loading, RecursiveExplodingOrDeepYamlIsRefused) {
    auto cycle = error_of(BrokenToy("scenario.yml", "seed: 1\n", "seed: 1\nx: &x [*x]\n"));
    EXPECT_TRUE(has(cycle, "scenario.yml:9: x[0]: an alias inside the node it names")) << cycle.what();

    BrokenToy variant("scenario.yml", "name: toy", "name: toy");
    std::ofstream(variant.dir() / "a.yml") << "extends: scenario.yml\nname: a\nset: &s\n  border:strait.patrol: *s\n";
    auto map_cycle = error_of(variant.dir() / "a.yml");
    EXPECT_TRUE(has(map_cycle, "a.yml:3: set.border:strait.patrol: an alias inside the node it names"))
        << map_cycle.what();

    const std::string laughs = migsim::test::billion_laughs();
    auto billion = error_of(BrokenToy("scenario.yml", "seed: 1\n", "seed: 1\n" + laughs));
    EXPECT_TRUE(has(billion, "aliases")) << billion.what();
    EXPECT_TRUE(has(billion, "more than")) << billion.what();

    std::string nested = "seed: 1\nx: ";
    nested.append(100, '[').append(100, ']').append("\n");
    auto deep = error_of(BrokenToy("scenario.yml", "seed: 1\n", nested));
    EXPECT_TRUE(has(deep, "scenario.yml:9: x")) << deep.what();
    EXPECT_TRUE(has(deep, "nested deeper than")) << deep.what();
}

// Scenario::memory_bytes, which estimate_memory counts twice per simulation: every row
// and every string a copy allocates, events' ids and overrides' places included.
TEST(Loading, MemoryBytesCountsRowsAndStrings) {
    Scenario s = load_scenario(toy);
    const std::int64_t loaded = s.memory_bytes();
    EXPECT_GE(loaded, static_cast<std::int64_t>(s.resolved_text.size() + s.demand.size() * sizeof(DemandRow)));
    const std::string long_text(100, 'x');
    s.demand.push_back(s.demand.front());
    s.demand.back().file = long_text;
    const std::int64_t with_row = s.memory_bytes();
    EXPECT_GE(with_row - loaded, static_cast<std::int64_t>(sizeof(DemandRow) + long_text.size()));
    Event e = s.events.front();
    e.id = long_text;
    e.where = long_text;
    s.events.push_back(e);
    const std::int64_t with_event = s.memory_bytes();
    EXPECT_GE(with_event - with_row, static_cast<std::int64_t>(sizeof(Event) + 2 * long_text.size()));
    Override o;
    o.where = long_text;
    s.overrides.push_back(o);
    EXPECT_GE(s.memory_bytes() - with_event, static_cast<std::int64_t>(sizeof(Override) + long_text.size()));
}
