// History matching with Gaussian-process emulators, on analytic models with seeded noise: the
// emulator's predictions and their uncertainty, the waves shrinking onto a known truth, and
// determinism (the same seed, and resuming from stored waves, give the same generations); and on
// the toy, through calibrate(): the shipped recovery SPEC, the same file on 1 and 2 threads and
// after a stop.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <functional>
#include <numbers>
#include <utility>
#include <vector>

#include "calibration/calibration_file.hpp"
#include "calibration/emulator.hpp"
#include "calibration/method.hpp"
#include "migsim/comm.hpp"
#include "model/draws.hpp"

using namespace migsim::calibration;
using migsim::detail::draw;
using migsim::detail::Purpose;
using migsim::detail::unit;

namespace {

using Points = std::vector<std::vector<double>>;

// A standard normal from (seed, index): Box-Muller on two counter-based draws.
double normal(std::uint64_t seed, std::uint32_t index) {
    const auto w = draw(seed, index, 0, Purpose::sweep, 77);
    return std::sqrt(-2 * std::log(unit(w[0]))) * std::cos(2 * std::numbers::pi * unit(w[1]));
}

// A Latin hypercube in [0, 1]^d (the test's own, so the emulator is tested apart from the method).
Points lhs(std::size_t m, std::size_t d, std::uint64_t seed) {
    Points u(m, std::vector<double>(d));
    for (std::size_t j = 0; j < d; ++j) {
        std::vector<std::pair<std::uint32_t, std::uint32_t>> keys;
        for (std::uint32_t k = 0; k < m; ++k)
            keys.emplace_back(draw(seed, k, static_cast<int>(j), Purpose::sweep, 5)[0], k);
        std::sort(keys.begin(), keys.end());
        for (std::size_t s = 0; s < m; ++s) {
            const auto k = keys[s].second;
            u[k][j] = (static_cast<double>(s) + unit(draw(seed, k, static_cast<int>(j), Purpose::sweep, 6)[0])) /
                      static_cast<double>(m);
        }
    }
    return u;
}

// f(point) plus normal noise of sd `noise` per run, the mean over `replicates` runs on seeds
// seed, seed + 1, ...: a Model as a method sees it.
class Analytic final : public Model {
public:
    using Function = std::function<std::vector<double>(const std::vector<double>&)>;
    Analytic(Function f, double noise, int replicates) : f_(std::move(f)), noise_(noise), replicates_(replicates) {}

    std::vector<std::vector<double>> evaluate(const Points& points, const std::vector<std::uint64_t>& seeds,
                                              const std::function<void(int)>& /*done*/) override {
        ++calls;
        std::vector<std::vector<double>> rows;
        for (std::size_t k = 0; k < points.size(); ++k) {
            auto row = f_(points[k]);
            for (std::size_t t = 0; t < row.size(); ++t) {
                double sum = 0;
                for (int r = 0; r < replicates_; ++r) sum += normal(seeds[k] + r, static_cast<std::uint32_t>(t));
                row[t] += noise_ * sum / replicates_;
            }
            rows.push_back(std::move(row));
        }
        return rows;
    }
    int calls = 0;

private:
    Function f_;
    double noise_;
    int replicates_;
};

Prior uniform(double low, double high) {
    Prior p;
    p.kind = PriorKind::uniform;
    p.a = p.low = low;
    p.b = p.high = high;
    return p;
}

Target target(const char* name, double observed, double error) {
    Target t;
    t.name = name;
    t.observed = observed;
    t.error = error;
    return t;
}

// a, b uniform on [0, 3]; y1 = a + 2b, y2 = a b, observed at the truth a = 1, b = 2 (the other
// solution of the two equations, a = 4, b = 0.5, lies outside the prior).
Spec two_parameter_spec(std::uint64_t seed) {
    Spec spec;
    spec.method = Method::history_matching;
    spec.parameters = {{"a", uniform(0, 3), 1.0}, {"b", uniform(0, 3), 2.0}};
    spec.targets = {target("y1", 5, 0.05), target("y2", 2 * std::exp(1.0), 0.05)};
    Target output = target("y3", 0, 0);   // an output only: not matched
    output.observed = std::numeric_limits<double>::quiet_NaN();
    spec.targets.push_back(output);
    spec.replicates = 2;
    spec.seed = seed;
    spec.history.waves = 3;
    spec.history.design = 30;
    spec.history.cutoff = 3;
    spec.history.posterior = 100;
    return spec;
}

Analytic two_parameter_model() {
    return Analytic(
        [](const std::vector<double>& p) {
            return std::vector<double>{p[0] + 2 * p[1], p[1] * std::exp(p[0]), p[0]};
        },
        0.05, 2);
}

std::vector<Generation> run_all(CalibrationMethod& method, Model& model) {
    std::vector<Generation> gens;
    while (!method.finished(gens)) gens.push_back(method.next(gens, model, {}));
    return gens;
}

void expect_identical(const Generation& a, const Generation& b) {
    EXPECT_EQ(a.values, b.values);
    EXPECT_EQ(a.outputs, b.outputs);
    EXPECT_EQ(a.distances, b.distances);
    EXPECT_EQ(a.weights, b.weights);
    EXPECT_EQ(a.tolerance, b.tolerance);
    EXPECT_EQ(a.acceptance_rate, b.acceptance_rate);
    EXPECT_EQ(a.ess, b.ess);
    EXPECT_EQ(a.simulations, b.simulations);
}

}   // namespace

TEST(Emulator, ReproducesHeldOutRunsWithinItsOwnUncertainty) {
    const double noise = 0.05;
    auto f = [](const std::vector<double>& x) { return std::sin(3 * x[0]) + x[1] * x[1] + 0.5 * x[0] * x[1]; };
    auto runs = [&](const Points& x, std::uint64_t seed) {
        std::vector<double> y;
        for (std::size_t k = 0; k < x.size(); ++k)
            y.push_back(f(x[k]) + noise * normal(seed, static_cast<std::uint32_t>(k)));
        return y;
    };
    const Points design = lhs(40, 2, 1), held_out = lhs(40, 2, 2);
    const Emulator emulator(design, runs(design, 11));
    const std::vector<double> y = runs(held_out, 12);

    int within = 0;
    double sum_squares = 0, error_squares = 0;
    for (std::size_t k = 0; k < held_out.size(); ++k) {
        const auto p = emulator.predict(held_out[k], true);
        const double z = (y[k] - p.mean) / std::sqrt(p.variance);
        within += std::abs(z) <= 2 ? 1 : 0;
        sum_squares += z * z;
        error_squares += (y[k] - p.mean) * (y[k] - p.mean);
    }
    const double rms_z = std::sqrt(sum_squares / static_cast<double>(held_out.size()));
    EXPECT_GE(within, 36) << "of 40 standardised errors within 2";
    EXPECT_GE(rms_z, 0.5);
    EXPECT_LE(rms_z, 1.5);
    // Accurate as well as honest: the errors are of the order of the noise, and the nugget is it.
    EXPECT_LT(std::sqrt(error_squares / static_cast<double>(held_out.size())), 3 * noise);
    EXPECT_GT(emulator.nugget_variance(), 0.25 * noise * noise);
    EXPECT_LT(emulator.nugget_variance(), 4 * noise * noise);
    // Without the nugget the variance is that of the mean function only: smaller.
    EXPECT_LT(emulator.predict(held_out[0], false).variance, emulator.predict(held_out[0], true).variance);
}

TEST(Emulator, InterpolatesADeterministicFunction) {
    auto f = [](const std::vector<double>& x) { return std::exp(-x[0]) * std::cos(4 * x[1]); };
    const Points design = lhs(30, 2, 3), held_out = lhs(20, 2, 4);
    std::vector<double> y;
    for (const auto& x : design) y.push_back(f(x));
    const Emulator emulator(design, y);
    for (const auto& x : held_out) EXPECT_NEAR(emulator.predict(x, true).mean, f(x), 0.05);
    for (std::size_t k = 0; k < design.size(); ++k) EXPECT_NEAR(emulator.predict(design[k], false).mean, y[k], 1e-3);
}

TEST(HistoryMatching, ShrinksOntoTheTruth) {
    const Spec spec = two_parameter_spec(7);
    auto method = make_history_matching(spec);
    Analytic model = two_parameter_model();
    EXPECT_STREQ(method->name(), "history-matching");
    EXPECT_EQ(method->max_generations(), 4);
    const auto gens = run_all(*method, model);
    ASSERT_EQ(gens.size(), 4u);
    EXPECT_EQ(model.calls, 4);

    // Waves: the design's size, the runs' implausibility, weights on the points not ruled out.
    for (std::size_t w = 0; w < 3; ++w) {
        const auto& g = gens[w];
        ASSERT_EQ(g.values.size(), 30u) << "wave " << w;
        ASSERT_EQ(g.outputs.size(), 30u);
        ASSERT_EQ(g.distances.size(), 30u);
        EXPECT_EQ(g.simulations, 60);
        EXPECT_EQ(g.tolerance, 3);
        double sum = 0;
        for (std::size_t k = 0; k < 30; ++k) {
            sum += g.weights[k];
            EXPECT_EQ(g.weights[k] > 0, g.distances[k] <= 3);
        }
        EXPECT_NEAR(sum, g.ess > 0 ? 1 : 0, 1e-12);   // none kept (wave 0, often): all weights 0
    }
    // The share of the prior not ruled out falls wave by wave (until the emulators are sure: then
    // it is the share the observation errors leave, estimated again at each wave), and so does
    // the extent of the designs.
    EXPECT_EQ(gens[0].acceptance_rate, 1);
    EXPECT_LT(gens[1].acceptance_rate, 0.01);
    EXPECT_LT(gens[2].acceptance_rate, 0.8 * gens[1].acceptance_rate);
    EXPECT_LT(gens[3].acceptance_rate, gens[1].acceptance_rate);
    auto extent = [](const Generation& g, std::size_t j) {
        auto [lo, hi] = std::minmax_element(g.values.begin(), g.values.end(),
                                            [j](const auto& x, const auto& y) { return x[j] < y[j]; });
        return std::pair((*lo)[j], (*hi)[j]);
    };
    for (std::size_t j = 0; j < 2; ++j) {
        const auto [lo0, hi0] = extent(gens[0], j);
        const auto [lo1, hi1] = extent(gens[1], j);
        const auto [lo2, hi2] = extent(gens[2], j);
        EXPECT_LT(hi1 - lo1, 0.2 * (hi0 - lo0)) << "parameter " << j;
        EXPECT_LT(hi2 - lo2, hi1 - lo1) << "parameter " << j;
    }
    // The later waves' runs come close: most of them not ruled out even by their own emulators.
    EXPECT_GT(gens[2].ess, 20);

    // The posterior: equal weights, real simulations, a box around the truth much narrower than
    // the prior's.
    const auto& post = gens[3];
    ASSERT_EQ(post.values.size(), 100u);
    EXPECT_EQ(post.simulations, 200);
    for (const double w : post.weights) EXPECT_DOUBLE_EQ(w, 0.01);
    for (const double i : post.distances) EXPECT_LE(i, 3);
    const double truth[] = {1, 2};
    for (std::size_t j = 0; j < 2; ++j) {
        const auto [lo, hi] = extent(post, j);
        EXPECT_LT(lo, truth[j]) << "parameter " << j;
        EXPECT_GT(hi, truth[j]) << "parameter " << j;
        EXPECT_LT(hi - lo, 0.2 * 3) << "parameter " << j;
    }
    // Its simulated targets are near the observed ones (within a few observation errors).
    for (const auto& row : post.outputs) {
        EXPECT_NEAR(row[0], 5, 0.5);
        EXPECT_NEAR(row[1], 2 * std::exp(1.0), 0.5);
    }
}

TEST(HistoryMatching, TheSameSeedGivesTheSameGenerationsAndResumingChangesNothing) {
    const Spec spec = two_parameter_spec(11);
    Analytic model = two_parameter_model();
    const auto first = run_all(*make_history_matching(spec), model);
    const auto second = run_all(*make_history_matching(spec), model);
    ASSERT_EQ(first.size(), second.size());
    for (std::size_t g = 0; g < first.size(); ++g) expect_identical(first[g], second[g]);

    // Resuming: a fresh method given the first g generations gives generation g again.
    for (std::size_t g = 0; g < first.size(); ++g) {
        const std::vector<Generation> prefix(first.begin(), first.begin() + static_cast<std::ptrdiff_t>(g));
        Analytic fresh = two_parameter_model();
        expect_identical(make_history_matching(spec)->next(prefix, fresh, {}), first[g]);
    }

    // Another seed: other designs.
    const auto other = run_all(*make_history_matching(two_parameter_spec(12)), model);
    EXPECT_NE(other[0].values, first[0].values);
    EXPECT_NE(other[1].values, first[1].values);
}

TEST(HistoryMatching, StopsBeforeRunningTheModel) {
    const Spec spec = two_parameter_spec(7);
    Analytic model = two_parameter_model();
    const std::atomic<bool> stop{true};
    StepHooks hooks;
    hooks.stop = &stop;
    EXPECT_THROW((void)make_history_matching(spec)->next({}, model, hooks), Stopped);
    EXPECT_EQ(model.calls, 0);
}

TEST(HistoryMatching, EndsWhenEverythingIsRuledOut) {
    Spec spec = two_parameter_spec(7);
    spec.targets[0].observed = 100;   // a + 2b <= 9 on the prior
    Analytic model = two_parameter_model();
    auto method = make_history_matching(spec);
    const auto gens = run_all(*method, model);
    ASSERT_EQ(gens.size(), 2u);
    for (const double w : gens[0].weights) EXPECT_EQ(w, 0);
    EXPECT_TRUE(gens[1].values.empty());
    EXPECT_EQ(gens[1].acceptance_rate, 0);
    EXPECT_EQ(gens[1].simulations, 0);
    EXPECT_TRUE(method->finished(gens));
    EXPECT_EQ(model.calls, 1);
}

TEST(HistoryMatchingScenario, TheToysRecoveryKeepsTheTruthAndIsTheSameAfterAStop) {
    namespace fs = std::filesystem;
    const Spec spec =
        load_spec(fs::path(MIGSIM_SOURCE_DIR) / "scenarios" / "toy" / "calibration" / "history_matching.yml");
    const fs::path dir = fs::temp_directory_path() / "migsim-history-matching-test";
    fs::create_directories(dir);
    auto calibrate_to = [&](const fs::path& out, int threads, const std::atomic<bool>* stop,
                            std::function<void(const CalibrationProgress&)> progress) {
        ScenarioModel model(spec, threads, migsim::single_process());
        CalibrationOptions options;
        options.output = out.string();
        options.threads = threads;
        options.stop = stop;
        options.progress = std::move(progress);
        return calibrate(spec, model, options);
    };
    fs::remove(dir / "straight.h5");
    calibrate_to(dir / "straight.h5", 1, nullptr, {});
    const auto straight = read_calibration((dir / "straight.h5").string());
    ASSERT_TRUE(straight.completed);
    ASSERT_EQ(straight.generations.size(), 4u);

    // Each truth inside the posterior's range, which is narrower than the prior's.
    const auto& post = straight.generations.back();
    ASSERT_EQ(post.values.size(), 200u);
    for (std::size_t j = 0; j < spec.parameters.size(); ++j) {
        const auto& p = spec.parameters[j];
        double lo = p.prior.high, hi = p.prior.low;
        for (const auto& x : post.values) lo = std::min(lo, x[j]), hi = std::max(hi, x[j]);
        EXPECT_LT(lo, *p.truth) << p.key;
        EXPECT_GT(hi, *p.truth) << p.key;
        EXPECT_LT(hi - lo, 0.9 * (p.prior.high - p.prior.low)) << p.key;
    }
    EXPECT_LT(post.acceptance_rate, 0.2);

    // Stopped once two waves are written, on 2 threads; the rerun resumes and ends the same.
    fs::remove(dir / "stopped.h5");
    std::atomic<bool> stop{false};
    const auto stopped = calibrate_to(dir / "stopped.h5", 2, &stop, [&](const CalibrationProgress& p) {
        if (p.generation >= 2) stop = true;
    });
    EXPECT_TRUE(stopped.interrupted);
    EXPECT_FALSE(read_calibration((dir / "stopped.h5").string()).completed);
    const auto rerun = calibrate_to(dir / "stopped.h5", 2, nullptr, {});
    EXPECT_TRUE(rerun.resumed);
    const auto resumed = read_calibration((dir / "stopped.h5").string());
    ASSERT_EQ(resumed.generations.size(), straight.generations.size());
    for (std::size_t g = 0; g < straight.generations.size(); ++g)
        expect_identical(resumed.generations[g], straight.generations[g]);
}
