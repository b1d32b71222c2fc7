// Loading: the toy scenario as shipped, and each class of bad input rejected before anything
// runs with a ScenarioError naming the file, line, field and bad value.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "migsim/errors.hpp"
#include "migsim/scenario.hpp"

using namespace migsim;
namespace fs = std::filesystem;

namespace {
const fs::path toy = fs::path(MIGSIM_SOURCE_DIR) / "scenarios/toy";

// A copy of the toy scenario in a fresh folder, with one text replaced in one file.
class BrokenToy {
public:
    BrokenToy(const std::string& file, const std::string& from, const std::string& to) {
        // ctest runs tests as parallel processes: the pid keeps their folders apart.
        dir_ = fs::temp_directory_path() / ("migsim_broken_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
        fs::remove_all(dir_);
        fs::copy(toy, dir_, fs::copy_options::recursive);
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

ScenarioError error_of(const BrokenToy& t) {
    try {
        (void)load_scenario(t.dir());
    } catch (const ScenarioError& e) {
        return e;
    }
    ADD_FAILURE() << "no ScenarioError";
    return ScenarioError("none");
}
}  // namespace

TEST(Loading, TheToyScenarioAsShipped) {
    const Scenario s = load_scenario(toy);
    EXPECT_EQ(s.settings.name, "toy");
    EXPECT_EQ(s.locations.size(), 9u);
    EXPECT_EQ(s.links.size(), 10u);
    EXPECT_EQ(s.markets[1].links.size(), 2u);   // the desert-and-boat package
    EXPECT_EQ(s.links[7].market, 0);            // strait_crossing sold by strait_boats
    EXPECT_EQ(s.total_agents(), 1800);
    EXPECT_EQ(s.inputs.size(), 9u);             // scenario.yml and eight tables, each hashed
    EXPECT_EQ(s.inputs[0].sha256.size(), 64u);
    EXPECT_EQ(s.events.size(), 1u);
    EXPECT_EQ(s.settings.give_up_action, GiveUpAction::go_home);
    ASSERT_EQ(s.groups.size(), 4u);
    EXPECT_EQ(s.groups[1].sex, "female");
    EXPECT_DOUBLE_EQ(s.profiles[0].group_shares[1], 0.2);
    ASSERT_EQ(s.harms.size(), 5u);
    EXPECT_EQ(s.harms[0].kind, HarmKind::abduction);
    EXPECT_EQ(s.harms[4].group, 1);             // violence against women at the west port
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
    auto weights = error_of(BrokenToy("scenario.yml", "weights: {time: 0.5, money: 0.004, interception: 4, death: 200}",
                                      "weights: 5"));
    EXPECT_EQ(weights.line(), 26);
    EXPECT_EQ(weights.field(), "profiles[0].weights");
    EXPECT_EQ(weights.value(), "5");
    EXPECT_NE(std::string(weights.what()).find("a mapping with the keys time, money, interception, death"), std::string::npos)
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
    EXPECT_EQ(error_of(BrokenToy("demand.csv", "village,migrant,900", "village,migrant,4294967296")).value(),
              "4294967296");
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
