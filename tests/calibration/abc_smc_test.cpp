// ABC-SMC against what it must do: the exact posterior of a normal mean, the same generations on
// any thread count, and a stopped calibration that, rerun, ends as an uninterrupted one.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <numbers>

#include "calibration/calibration_file.hpp"
#include "calibration/method.hpp"
#include "migsim/calibration.hpp"
#include "migsim/errors.hpp"
#include "model/draws.hpp"

using namespace migsim;
using namespace migsim::calibration;

namespace {

// The mean of n draws from N(mu, 1), the draws keyed on the point's seed: x-bar ~ N(mu, 1/n).
class NormalMean final : public Model {
public:
    explicit NormalMean(int n) : n_(n) {}
    std::vector<std::vector<double>> evaluate(const std::vector<std::vector<double>>& points,
                                              const std::vector<std::uint64_t>& seeds,
                                              const std::function<void(int)>&) override {
        std::vector<std::vector<double>> rows;
        for (std::size_t k = 0; k < points.size(); ++k) {
            double sum = 0;
            for (int i = 0; i < n_; i += 2) {
                const auto w = detail::draw(seeds[k], static_cast<std::uint32_t>(i), 0, detail::Purpose::calibration);
                const double r = std::sqrt(-2 * std::log(detail::unit(w[0])));
                const double a = 2 * std::numbers::pi * detail::unit(w[1]);
                sum += r * std::cos(a) + (i + 1 < n_ ? r * std::sin(a) : 0.0);
            }
            rows.push_back({points[k][0] + sum / n_});
            ++calls;
        }
        return rows;
    }
    std::int64_t calls = 0;

private:
    int n_;
};

Spec normal_mean_spec(double observed, int population, int generations) {
    Spec spec;
    spec.text = "normal mean";
    spec.seed = 5;
    Parameter mu;
    mu.key = "mu";
    mu.prior.kind = PriorKind::normal;
    mu.prior.a = 0;
    mu.prior.b = 3;
    spec.parameters = {mu};
    Target xbar;
    xbar.name = "xbar";
    xbar.observed = observed;
    xbar.error = 0.05;
    spec.targets = {xbar};
    spec.abc.population = population;
    spec.abc.generations = generations;
    return spec;
}

std::vector<Generation> run_all(CalibrationMethod& method, Model& model) {
    std::vector<Generation> gens;
    while (!method.finished(gens)) gens.push_back(method.next(gens, model, {}));
    return gens;
}

double weighted_mean(const Generation& g, std::size_t p) {
    double m = 0;
    for (std::size_t i = 0; i < g.values.size(); ++i) m += g.weights[i] * g.values[i][p];
    return m;
}

}   // namespace

TEST(Priors, QuantileInvertsCdfAndDensityIntegratesToOne) {
    std::vector<Prior> priors(4);
    priors[0] = {PriorKind::uniform, 2, 5, 2, 5};
    priors[1] = {PriorKind::log_uniform, 0.1, 100, 0.1, 100};
    priors[2] = {PriorKind::normal, 1, 2};
    priors[3] = {PriorKind::truncated_normal, 1, 2, 0, 10};
    for (const Prior& p : priors) {
        for (double u : {0.001, 0.05, 0.3, 0.5, 0.9, 0.999})
            EXPECT_NEAR(p.cdf(p.quantile(u)), u, 1e-9) << to_string(p.kind);
        // Midpoint rule over the 1e-6 .. 1-1e-6 quantile range: the density's mass there.
        const double from = p.quantile(1e-6), to = p.quantile(1 - 1e-6);
        double mass = 0;
        const int steps = 200000;
        for (int i = 0; i < steps; ++i) {
            const double x = from + (to - from) * (i + 0.5) / steps;
            mass += std::exp(p.log_density(x)) * (to - from) / steps;
        }
        EXPECT_NEAR(mass, 1 - 2e-6, 2e-3) << to_string(p.kind);
    }
    EXPECT_EQ(priors[3].log_density(-0.5), -infinity);
    EXPECT_NEAR(priors[2].quantile(0.975), 1 + 2 * 1.959963984540054, 1e-9);
}

// x-bar of n = 10 draws from N(mu, 1) observed at 1; prior mu ~ N(0, 3^2). The posterior is
// normal: precision 1/9 + 10, mean 10 x 1 / (1/9 + 10) = 0.98901, sd 0.31449.
TEST(AbcSmc, MatchesTheExactPosteriorOfANormalMean) {
    NormalMean model(10);
    const Spec spec = normal_mean_spec(1.0, 1000, 10);
    auto method = make_abc_smc(spec);
    const auto gens = run_all(*method, model);
    // It ends at its 10 generations or when under 1% of proposals are accepted, whichever first.
    ASSERT_GE(gens.size(), 8u);
    const Generation& post = gens.back();
    EXPECT_TRUE(gens.size() == 11u || post.acceptance_rate < 0.01);
    const double mean = weighted_mean(post, 0);
    double var = 0;
    for (std::size_t i = 0; i < post.values.size(); ++i) var += post.weights[i] * std::pow(post.values[i][0] - mean, 2);
    const double exact_mean = 10.0 / (1.0 / 9 + 10), exact_sd = std::sqrt(1 / (1.0 / 9 + 10));
    // Tolerances: the Monte Carlo error of 1000 weighted particles (ESS above 500) is about
    // 0.014 in the mean and 3% in the sd; the final tolerance (a few hundredths of a sd of x-bar)
    // widens the sd by well under 1%.
    EXPECT_NEAR(mean, exact_mean, 0.03);
    EXPECT_NEAR(std::sqrt(var), exact_sd, 0.08 * exact_sd);
    EXPECT_GT(post.ess, 500);
    // The tolerance falls generation by generation, and the posterior is far narrower than the prior.
    for (std::size_t g = 2; g < gens.size(); ++g) EXPECT_LT(gens[g].tolerance, gens[g - 1].tolerance);
    EXPECT_LT(std::sqrt(var), 3.0 / 5);
}

TEST(AbcSmc, SameGenerationsOnEveryCallAndAfterAStop) {
    const Spec spec = normal_mean_spec(-0.5, 300, 4);
    NormalMean model(10);
    auto method = make_abc_smc(spec);
    const auto all = run_all(*method, model);
    // Stopping: the flag set while generation 2 runs; the generations before it are kept.
    std::vector<Generation> part;
    std::atomic<bool> stop{false};
    StepHooks hooks;
    hooks.stop = &stop;
    part.push_back(method->next(part, model, hooks));
    part.push_back(method->next(part, model, hooks));
    stop = true;
    EXPECT_THROW((void)method->next(part, model, hooks), Stopped);
    // A new method object from the same SPEC (a rerun) goes on from what was kept.
    auto rerun = make_abc_smc(spec);
    while (!rerun->finished(part)) part.push_back(rerun->next(part, model, {}));
    ASSERT_EQ(part.size(), all.size());
    for (std::size_t g = 0; g < all.size(); ++g) {
        EXPECT_EQ(part[g].values, all[g].values) << g;
        EXPECT_EQ(part[g].weights, all[g].weights) << g;
        EXPECT_EQ(part[g].tolerance, all[g].tolerance) << g;
    }
}

TEST(AbcSmc, StopsWhenTheAcceptanceFallsBelowItsFloor) {
    // Observed far out in the prior's tail with a tiny error: acceptance collapses.
    Spec spec = normal_mean_spec(8.0, 100, 30);
    spec.targets[0].error = 1e-4;
    spec.abc.min_acceptance = 0.05;
    NormalMean model(10);
    auto method = make_abc_smc(spec);
    const auto gens = run_all(*method, model);
    EXPECT_LT(gens.size(), 31u);
    EXPECT_LT(gens.back().acceptance_rate, 0.05);
    EXPECT_EQ(gens.back().values.size(), 100u);   // the population is still whole
    EXPECT_LE(model.calls, 100 + 30 * 2000 + 100);
}
