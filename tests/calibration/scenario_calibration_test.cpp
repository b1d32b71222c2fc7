// Calibrating a scenario: the SPEC's checks, the targets metered from a run, and a calibration
// that is the same on 1 and 2 threads, and after a stop and a rerun.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "calibration/calibration_file.hpp"
#include "migsim/calibration.hpp"
#include "migsim/errors.hpp"
#include "migsim/scenario.hpp"
#include "migsim/simulation.hpp"

using namespace migsim;
using namespace migsim::calibration;
namespace fs = std::filesystem;

namespace {

const fs::path toy = fs::path(MIGSIM_SOURCE_DIR) / "scenarios" / "toy";

fs::path write_spec(const std::string& name, const std::string& text) {
    const fs::path dir = fs::temp_directory_path() / "migsim-calibration-test";
    fs::create_directories(dir);
    const fs::path path = dir / name;
    std::ofstream(path) << "scenario: " << toy.string() << "\n" << text;
    return path;
}

const char* small_spec = R"(set: {days: 40}
seed: 3
parameters:
  border:strait.patrol: {prior: uniform, low: 0.05, high: 0.8}
  behaviour.switching_cost: {prior: log_uniform, low: 0.1, high: 10}
targets:
  - {name: share, aggregation: ratio, series: border_interceptions, entities: [strait],
     denominator: {series: border_attempts, entities: [strait]}, observed: 0.3, error: {absolute: 0.05}}
  - {name: mainland, series: arrivals, entities: [mainland], window: [10, 2020-02-09], observed: 100, error: {relative: 0.2}}
method:
  abc_smc: {population: 24, generations: 2}
)";

std::string message_of(const fs::path& spec) {
    try {
        (void)load_spec(spec);
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "";
}

}   // namespace

TEST(CalibrationSpec, ReadsEveryPart) {
    const Spec spec = load_spec(write_spec("ok.yml", small_spec));
    ASSERT_EQ(spec.parameters.size(), 2u);
    EXPECT_EQ(spec.parameters[1].prior.kind, PriorKind::log_uniform);
    ASSERT_EQ(spec.targets.size(), 2u);
    EXPECT_EQ(spec.targets[0].aggregation, Aggregation::ratio);
    EXPECT_EQ(spec.targets[0].denominator.series, "border_attempts");
    EXPECT_EQ(spec.targets[1].numerator.from_day, 10);
    EXPECT_EQ(spec.targets[1].numerator.to_day, 39);   // 2020-02-09 is day 39 of a run from 2020-01-01
    EXPECT_DOUBLE_EQ(spec.targets[1].sd(), 20);
    EXPECT_EQ(spec.abc.population, 24);
}

TEST(CalibrationSpec, BadInputNamesTheLineKeyAndWhatWasExpected) {
    struct Case {
        std::string from, to, expected;
    };
    const std::vector<Case> cases = {
        {"border:strait.patrol:", "border:nowhere.patrol:", "border"},
        {"prior: uniform, low: 0.05", "prior: gaussian, low: 0.05", "uniform, log_uniform, normal or truncated_normal"},
        {"low: 0.1, high: 10}", "low: 0, high: 10}", "above 0 (a log-uniform prior)"},
        {"series: arrivals", "series: arrival", "a series of the catalogue"},
        {"entities: [mainland]", "entities: [moon]", "an id along location"},
        {"window: [10, 2020-02-09]", "window: [10, 2021-02-09]", "within the run's 40 days"},
        {"error: {relative: 0.2}", "error: {relative: -1}", "a standard deviation above 0"},
        {"population: 24", "population: 1", "a whole number from 2"},
    };
    for (const Case& c : cases) {
        std::string text = small_spec;
        const auto at = text.find(c.from);
        ASSERT_NE(at, std::string::npos) << c.from;
        text.replace(at, c.from.size(), c.to);
        const fs::path path = write_spec("bad.yml", text);
        const std::string message = message_of(path);
        EXPECT_NE(message.find(path.string()), std::string::npos) << message;
        EXPECT_NE(message.find(c.expected), std::string::npos) << c.to << ": " << message;
    }
}

TEST(TargetMeter, SumsRatiosAndMeansOverTheWindow) {
    Scenario s = load_scenario(toy, {"days=30"});
    Target sum, mean, ratio;
    sum.name = "sum";
    sum.numerator = {"arrivals", {"mainland", "island"}, 5, 24};
    mean = sum;
    mean.aggregation = Aggregation::mean;
    ratio.aggregation = Aggregation::ratio;
    ratio.numerator = {"border_interceptions", {"strait"}, 0, 29};
    ratio.denominator = {"border_attempts", {"strait"}, 0, 29};
    TargetMeter meter(s, {sum, mean, ratio});
    Simulation sim(s, 1);
    double arrivals = 0, intercepted = 0, attempts = 0;
    const auto mainland = 6, island = 7, strait = 0;
    for (int d = 0; d < 30; ++d) {
        sim.step();
        meter.add_day(d, sim.today());
        if (d >= 5 && d <= 24)
            arrivals +=
                static_cast<double>(sim.today()[Series::arrivals][mainland] + sim.today()[Series::arrivals][island]);
        intercepted += static_cast<double>(sim.today()[Series::border_interceptions][strait]);
        attempts += static_cast<double>(sim.today()[Series::border_attempts][strait]);
    }
    const auto v = meter.values();
    EXPECT_GT(arrivals, 0);
    EXPECT_EQ(v[0], arrivals);
    EXPECT_DOUBLE_EQ(v[1], arrivals / 20);
    EXPECT_DOUBLE_EQ(v[2], intercepted / attempts);
}

TEST(ScenarioCalibration, SameFileOnOneAndTwoThreadsAndAfterAStop) {
    const Spec spec = load_spec(write_spec("determinism.yml", small_spec));
    const fs::path dir = fs::temp_directory_path() / "migsim-calibration-test";
    auto calibrate_to = [&](const fs::path& out, int threads, const std::atomic<bool>* stop,
                            std::function<void(const CalibrationProgress&)> progress = {}) {
        fs::remove(out);
        ScenarioModel model(spec, threads, single_process());
        CalibrationOptions options;
        options.output = out.string();
        options.threads = threads;
        options.stop = stop;
        options.progress = std::move(progress);
        return calibrate(spec, model, options);
    };
    calibrate_to(dir / "one.h5", 1, nullptr);
    calibrate_to(dir / "two.h5", 2, nullptr);
    const auto one = read_calibration((dir / "one.h5").string()), two = read_calibration((dir / "two.h5").string());
    ASSERT_EQ(one.generations.size(), 3u);
    ASSERT_TRUE(one.completed);
    for (std::size_t g = 0; g < one.generations.size(); ++g) {
        EXPECT_EQ(one.generations[g].values, two.generations[g].values);
        EXPECT_EQ(one.generations[g].outputs, two.generations[g].outputs);
        EXPECT_EQ(one.generations[g].weights, two.generations[g].weights);
    }
    // Stopped once the first generation is written; the rerun resumes and ends the same.
    std::atomic<bool> stop{false};
    const auto stopped = calibrate_to(dir / "stopped.h5", 2, &stop, [&](const CalibrationProgress& p) {
        if (p.generation >= 1) stop = true;
    });
    EXPECT_TRUE(stopped.interrupted);
    EXPECT_FALSE(read_calibration((dir / "stopped.h5").string()).completed);
    ScenarioModel model(spec, 2, single_process());
    CalibrationOptions options;
    options.output = (dir / "stopped.h5").string();
    const auto rerun = calibrate(spec, model, options);
    EXPECT_TRUE(rerun.resumed);
    const auto resumed = read_calibration(options.output);
    ASSERT_EQ(resumed.generations.size(), one.generations.size());
    for (std::size_t g = 0; g < one.generations.size(); ++g) {
        EXPECT_EQ(resumed.generations[g].values, one.generations[g].values) << g;
        EXPECT_EQ(resumed.generations[g].weights, one.generations[g].weights) << g;
    }
    // Finished: a rerun does nothing; another SPEC's file is refused without --force.
    EXPECT_TRUE(calibrate(spec, model, options).already_complete);
    Spec other = spec;
    other.text += "\n# changed";
    EXPECT_THROW((void)calibrate(other, model, options), OutputError);
}
