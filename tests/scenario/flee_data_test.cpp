// Flee's registration data: the mali2012 numbers that pin spawning to Flee's (the corrections,
// the day-0 and day-299 camp totals, the agents and agent-days), the interpolation's
// truncation, the debt rule, the ARD, and the errors for bad data.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <numeric>
#include <string>

#include <unistd.h>

#include "migsim/errors.hpp"
#include "migsim/flee.hpp"
#include "flee/flee_data_detail.hpp"

using namespace migsim;
namespace fs = std::filesystem;

namespace {

// The FabFlee mali2012 folder (input_csv/, source_data/): shipped with the scenario, or
// $MIGSIM_FLEE_DATA.
fs::path mali2012() {
    const fs::path shipped = fs::path(MIGSIM_SOURCE_DIR) / "scenarios/flee-mali2012/flee";
    if (fs::exists(shipped / "source_data/data_layout.csv")) return shipped;
    const char* env = std::getenv("MIGSIM_FLEE_DATA");
    return env ? fs::path(env) : shipped;
}

std::vector<CampSeries> mali(int hasten = 1, bool corrected = true) {
    const fs::path dir = mali2012();
    if (!fs::exists(dir / "source_data/data_layout.csv"))
        throw std::runtime_error("mali2012 data not found in " + dir.string() + " (set MIGSIM_FLEE_DATA)");
    return read_registrations(dir / "source_data/data_layout.csv",
                              corrected ? dir / "input_csv/registration_corrections.csv" : fs::path{}, "2012-02-29",
                              300, hasten);
}

const CampSeries& camp(const std::vector<CampSeries>& all, const std::string& name) {
    for (const auto& c : all)
        if (c.camp == name) return c;
    throw std::runtime_error("no camp " + name);
}

std::int64_t total(const std::vector<CampSeries>& all, std::size_t day) {
    std::int64_t sum = 0;
    for (const auto& c : all) sum += c.daily.at(day);
    return sum;
}

// A folder of hand-made data files, removed afterwards.
class DataDir {
public:
    DataDir() {
        static int counter = 0;
        dir_ = fs::temp_directory_path() /
               ("migsim_flee_data_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        fs::create_directories(dir_);
    }
    ~DataDir() { fs::remove_all(dir_); }
    fs::path write(const std::string& name, const std::string& text) const {
        std::ofstream(dir_ / name) << text;
        return dir_ / name;
    }
    [[nodiscard]] const fs::path& dir() const { return dir_; }

private:
    fs::path dir_;
};

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "(no error)";
}

}   // namespace

TEST(FleeData, CorrectionFactorsOfMali2012) {
    // Each factor shows on day 0 of a camp whose first row is before its correction: the
    // corrected day-0 value over the raw one. Camps that start at 0 show it on a later day.
    const auto raw = mali(1, false), fixed = mali(1, true);
    auto factor = [&](const std::string& name, std::size_t day) {
        return static_cast<double>(camp(fixed, name).daily.at(day)) /
               static_cast<double>(camp(raw, name).daily.at(day));
    };
    // 103731 -> 54028 on 2012-12-31; day 0 holds 17790 raw.
    EXPECT_NEAR(factor("Fassala-Mbera", 0), 54028.0 / 103731.0, 1e-4);
    EXPECT_NEAR(54028.0 / 103731.0, 0.5208, 5e-5);
    EXPECT_NEAR(factor("Abala", 0), 0.5946, 1e-3);
    EXPECT_NEAR(factor("Mangaize", 0), 0.7886, 1e-3);
    // Mentao and Tabareybarey register 0 on day 0; day 100 is a large count before the date.
    EXPECT_NEAR(factor("Mentao", 100), 0.5854, 1e-3);
    EXPECT_NEAR(factor("Tabareybarey", 150), 0.6745, 1e-3);
    // Camps without a correction are unchanged.
    EXPECT_EQ(camp(fixed, "Bobo-Dioulasso").daily, camp(raw, "Bobo-Dioulasso").daily);
    EXPECT_EQ(camp(fixed, "Niamey").daily, camp(raw, "Niamey").daily);
    // After the correction's date the data is as registered.
    EXPECT_EQ(camp(fixed, "Mentao").daily.at(250), camp(raw, "Mentao").daily.at(250));
}

TEST(FleeData, Mali2012TotalsAndSpawns) {
    const auto all = mali();
    ASSERT_EQ(all.size(), 7u);
    EXPECT_EQ(all.front().camp, "Bobo-Dioulasso");   // layout order, the `total` row left out
    for (const auto& c : all) {
        EXPECT_EQ(c.daily.size(), 300u);
        EXPECT_EQ(c.location, no_index);
    }
    EXPECT_EQ(total(all, 0), 10838);
    EXPECT_EQ(camp(all, "Fassala-Mbera").daily[0], 9265);
    EXPECT_EQ(camp(all, "Abala").daily[0], 698);
    EXPECT_EQ(camp(all, "Mangaize").daily[0], 875);
    EXPECT_EQ(total(all, 299), 89991);

    const auto spawns = spawn_schedule(all, true);
    ASSERT_EQ(spawns.size(), 300u);
    EXPECT_EQ(spawns[0], 10838);
    EXPECT_EQ(std::accumulate(spawns.begin() + 1, spawns.end(), std::int64_t{0}), 79153);
    std::int64_t agents = 0, agent_days = 0;
    for (auto s : spawns) agent_days += (agents += s);
    EXPECT_EQ(agents, 89991);
    EXPECT_EQ(agent_days, 19769519);   // Flee's "19.8 million"

    EXPECT_EQ(spawn_schedule(all, false)[0], 0);
}

TEST(FleeData, InterpolationTruncatesBeforeBetweenAndAfter) {
    DataDir d;
    d.write("layout.csv", "total,all.csv\nA,a.csv\n");
    // Day 2: 10, day 5: 20 (day 3: 13.33 -> 13, day 4: 16.67 -> 16), then 20.
    d.write("a.csv", "DateTime,count\n2020-01-03,10\n2020-01-06,20\n");
    const auto a = read_registrations(d.dir() / "layout.csv", {}, "2020-01-01", 8, 1);
    EXPECT_EQ(a.at(0).daily, (std::vector<std::int64_t>{10, 10, 10, 13, 16, 20, 20, 20}));

    // hasten 10: 10 -> 1.0 and 25 -> 2.5 divided first, then interpolated: 1, 1.75 -> 1, 2.5 -> 2.
    d.write("a.csv", "#Date,comment\n2020-01-01,10\n2020-01-03,25\n");
    const auto h = read_registrations(d.dir() / "layout.csv", {}, "2020-01-01", 4, 10);
    EXPECT_EQ(h.at(0).daily, (std::vector<std::int64_t>{1, 1, 2, 2}));
    // Dividing as whole numbers would give 1, 1.5 -> 1, 2 here; as reals: 1.9 -> 1, 2.2 -> 2, 2.5 -> 2.
    d.write("a.csv", "Date,count\n2020-01-01,19\n2020-01-03,25\n");
    EXPECT_EQ(read_registrations(d.dir() / "layout.csv", {}, "2020-01-01", 3, 10).at(0).daily,
              (std::vector<std::int64_t>{1, 2, 2}));
}

TEST(FleeData, CorrectionScalesEarlierRowsAndMustMatchADate) {
    DataDir d;
    d.write("layout.csv", "A,a.csv\n");
    d.write("a.csv", "2020-01-01,100\n2020-01-02,200\n2020-01-03,50\n");
    const fs::path fix = d.write("fix.csv", "\"A\",\"2020-01-03\",\"normalize\"\n");
    // Factor 50 / 200: the rows before become 25 and 50.
    EXPECT_EQ(read_registrations(d.dir() / "layout.csv", fix, "2020-01-01", 4, 1).at(0).daily,
              (std::vector<std::int64_t>{25, 50, 50, 50}));
    d.write("fix.csv", "\"A\",\"2020-01-04\",\"normalize\"\n");
    EXPECT_NE(error_of([&] {
                  (void)read_registrations(d.dir() / "layout.csv", fix, "2020-01-01", 4, 1);
              }).find("fix.csv:1: date: got '2020-01-04', expected a date that has a row in"),
              std::string::npos);
    d.write("fix.csv", "\"B\",\"2020-01-03\",\"normalize\"\n");
    EXPECT_NE(error_of([&] {
                  (void)read_registrations(d.dir() / "layout.csv", fix, "2020-01-01", 4, 1);
              }).find("camp: got 'B'"),
              std::string::npos);
}

TEST(FleeData, DebtMakesUpAFallBeforeAnyoneSpawns) {
    CampSeries a{"A", no_index, {5, 8, 6, 7, 10, 10}};
    CampSeries b{"B", no_index, {0, 0, 0, 0, 0, 1}};
    // Rises: +3, -2 (debt 2), +1 - 2 = -1 (debt 1), +3 - 1 = 2, +1.
    EXPECT_EQ(spawn_schedule({a, b}, true), (std::vector<std::int64_t>{5, 3, 0, 0, 2, 1}));
}

TEST(FleeData, ArdOnAHandWorkedExample) {
    CampSeries a{"A", no_index, {10, 20}}, b{"B", no_index, {30, 0}};
    // Day 0: |5-10| + |15-30| = 20 over 40 = 0.5. Rescaled x2: |10-10| + |30-30| = 0.
    // Day 1: |20-20| + |20-0| = 20 over 20 = 1. Rescaled x0.5: |10-20| + |10-0| = 20 -> 1.
    const auto r = averaged_relative_difference({a, b}, std::vector<std::vector<std::int64_t>>{{5, 20}, {15, 20}});
    EXPECT_DOUBLE_EQ(r.ard, 0.75);
    EXPECT_DOUBLE_EQ(r.rescaled, 0.5);
    EXPECT_EQ(r.daily, (std::vector<double>{0.5, 1.0}));
    EXPECT_EQ(r.daily_rescaled, (std::vector<double>{0.0, 1.0}));
    EXPECT_DOUBLE_EQ(r.camp_share[0], (5.0 / 40 + 0) / 2);
    EXPECT_DOUBLE_EQ(r.camp_share[1], (15.0 / 40 + 1.0) / 2);
}

TEST(FleeData, ArdWithNobodySimulatedOrRegistered) {
    CampSeries a{"A", no_index, {10, 0}};
    // Day 0: nobody simulated: rescaled counts are 0, error 10 / 10 both ways.
    // Day 1: nobody registered: divided by 1, |3 - 0| = 3; rescaled 3 x 0 / 3 = 0.
    const auto r = averaged_relative_difference({a}, std::vector<std::vector<std::int64_t>>{{0, 3}});
    EXPECT_EQ(r.daily, (std::vector<double>{1.0, 3.0}));
    EXPECT_EQ(r.daily_rescaled, (std::vector<double>{1.0, 0.0}));
    EXPECT_THROW((void)averaged_relative_difference({a}, std::vector<std::vector<std::int64_t>>{}),
                 std::invalid_argument);
}

TEST(FleeData, ValidationOverReplicates) {
    CampSeries a{"A", no_index, {10, 10}};
    const auto v = validate_replicates({a}, {{{10, 10}}, {{12, 8}}, {{6, 14}}});
    // ARDs 0, 0.2, 0.4; the mean trajectory (9.33, 10.67) is 0.67 off each day: ARD 1/15.
    EXPECT_DOUBLE_EQ(v.ard.mean, 0.2);
    EXPECT_NEAR(v.ard.sd, 0.2, 1e-12);
    EXPECT_DOUBLE_EQ(v.ard.min, 0.0);
    EXPECT_DOUBLE_EQ(v.ard.max, 0.4);
    EXPECT_NEAR(v.ard.q05, 0.02, 1e-12);
    EXPECT_NEAR(v.ard.q95, 0.38, 1e-12);
    EXPECT_NEAR(v.ensemble_mean_trajectory.ard, 1.0 / 15, 1e-12);
    EXPECT_NEAR(v.camp_share[0], 0.2, 1e-12);
}

TEST(FleeData, ErrorsNameFileLineAndValue) {
    DataDir d;
    d.write("layout.csv", "A,a.csv\n");
    d.write("a.csv", "2020-01-01,5\n2020-02-30,7\n");
    EXPECT_NE(error_of([&] {
                  (void)read_registrations(d.dir() / "layout.csv", {}, "2020-01-01", 3, 1);
              }).find("a.csv:2: date: got '2020-02-30', expected a date YYYY-MM-DD"),
              std::string::npos);
    d.write("a.csv", "2020-01-05,5\n2020-01-02,7\n");
    EXPECT_NE(error_of([&] {
                  (void)read_registrations(d.dir() / "layout.csv", {}, "2020-01-01", 3, 1);
              }).find("a.csv:2: date: got '2020-01-02', expected a date after the previous row's"),
              std::string::npos);
    d.write("a.csv", "2020-01-05,-5\n");
    EXPECT_NE(error_of([&] {
                  (void)read_registrations(d.dir() / "layout.csv", {}, "2020-01-01", 3, 1);
              }).find("a.csv:1: count: got '-5', expected a number of people, 0 or more"),
              std::string::npos);
    d.write("a.csv", "#DateTime,nothing\n");
    EXPECT_NE(error_of([&] {
                  (void)read_registrations(d.dir() / "layout.csv", {}, "2020-01-01", 3, 1);
              }).find("holds no 'date,count' rows"),
              std::string::npos);
    d.write("layout.csv", "A,missing.csv\n");
    const std::string missing =
        error_of([&] { (void)read_registrations(d.dir() / "layout.csv", {}, "2020-01-01", 3, 1); });
    EXPECT_NE(missing.find("missing.csv"), std::string::npos) << missing;
}

TEST(FleeData, CivilDays) {
    EXPECT_EQ(detail::civil_day("1970-01-01"), 0);
    EXPECT_EQ(*detail::civil_day("2012-12-31") - *detail::civil_day("2012-02-29"), 306);
    EXPECT_FALSE(detail::civil_day("2013-02-29"));
    EXPECT_FALSE(detail::civil_day("2012-2-29"));
}
