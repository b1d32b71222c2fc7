// ABC-SMC (Toni et al. 2009; Beaumont et al. 2009) with an adaptive tolerance (Del Moral et
// al. 2012): generation 0 is `population` points from the prior; each later one keeps the first
// `population` proposals, in proposal order, whose distance is within this generation's
// tolerance, the `quantile` of the previous generation's distances. A proposal is a particle of
// the previous generation, picked by weight, moved by a normal kernel of kernel_scale x their
// weighted covariance (in log space for log-uniform priors); its weight is prior / mixture of
// kernels. Proposals are numbered, and proposal k's draws and seed are a function of (seed,
// generation, k) alone: batches run in parallel, but which proposals are kept never depends on
// the thread or rank count.
#include <Eigen/Cholesky>
#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

#include "calibration/method.hpp"
#include "model/draws.hpp"

namespace migsim::calibration {

double effective_sample_size(const std::vector<double>& weights) {
    double sum = 0, squares = 0;
    for (double w : weights) sum += w, squares += w * w;
    return squares > 0 ? sum * sum / squares : 0;
}

namespace {

using detail::draw;
using detail::Purpose;
using detail::unit;

// Where the kernel moves: log for log-uniform priors, the value itself otherwise.
double to_work(const Prior& p, double x) { return p.kind == PriorKind::log_uniform ? std::log(x) : x; }
double from_work(const Prior& p, double z) { return p.kind == PriorKind::log_uniform ? std::exp(z) : z; }
// The prior's log density in working space (the Jacobian of the log makes a log-uniform flat).
double log_prior_work(const Prior& p, double x) {
    return p.log_density(x) + (p.kind == PriorKind::log_uniform && p.contains(x) ? std::log(x) : 0.0);
}

// The q-quantile of `values` under `weights`: the smallest value whose cumulative weight reaches q.
double weighted_quantile(const std::vector<double>& values, const std::vector<double>& weights, double q) {
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return std::pair(values[a], a) < std::pair(values[b], b); });
    const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
    double below = 0;
    for (std::size_t i : order) {
        below += weights[i];
        if (below >= q * total) return values[i];
    }
    return values[order.back()];
}

class AbcSmc final : public CalibrationMethod {
public:
    explicit AbcSmc(const Spec& spec) : spec_(spec) {}
    [[nodiscard]] const char* name() const override { return "abc-smc"; }
    [[nodiscard]] int max_generations() const override { return spec_.abc.generations + 1; }

    [[nodiscard]] bool finished(const std::vector<Generation>& before) const override {
        if (before.empty()) return false;
        const Generation& last = before.back();
        return static_cast<int>(before.size()) >= max_generations() ||
               (spec_.abc.final_tolerance > 0 && last.tolerance <= spec_.abc.final_tolerance) ||
               (before.size() > 1 && last.acceptance_rate < spec_.abc.min_acceptance);
    }

    [[nodiscard]] Generation next(const std::vector<Generation>& before, Model& model,
                                  const StepHooks& hooks) override {
        return before.empty() ? from_prior(model, hooks) : from(before, model, hooks);
    }

private:
    [[nodiscard]] std::size_t dims() const { return spec_.parameters.size(); }

    Generation from_prior(Model& model, const StepHooks& hooks) {
        const auto n = static_cast<std::size_t>(spec_.abc.population);
        Generation g;
        std::vector<std::uint64_t> seeds;
        for (std::size_t k = 0; k < n; ++k) {
            std::vector<double> point;
            for (std::size_t p = 0; p < dims(); ++p) {
                const auto w = draw(spec_.seed, static_cast<std::uint32_t>(k), 0, Purpose::calibration,
                                    static_cast<std::uint32_t>(1 + p));
                point.push_back(spec_.parameters[p].prior.quantile(unit(w[0])));
            }
            g.values.push_back(point);
            seeds.push_back(point_seed(spec_.seed, 0, static_cast<std::int64_t>(k)));
        }
        if (hooks.stopping()) throw Stopped{};
        g.outputs = model.evaluate(g.values, seeds, [&](int done) {
            if (hooks.progress) hooks.progress(done, done);
        });
        for (const auto& row : g.outputs) g.distances.push_back(distance(spec_.targets, row));
        g.weights.assign(n, 1.0 / static_cast<double>(n));
        g.tolerance = infinity;
        g.acceptance_rate = 1;
        g.ess = static_cast<double>(n);
        g.simulations = static_cast<std::int64_t>(n) * spec_.replicates;
        return g;
    }

    Generation from(const std::vector<Generation>& before, Model& model, const StepHooks& hooks) {
        const Generation& prev = before.back();
        const int gen = static_cast<int>(before.size());
        const auto n = static_cast<std::size_t>(spec_.abc.population);
        const std::size_t d = dims();
        double tolerance = weighted_quantile(prev.distances, prev.weights, spec_.abc.quantile);
        if (spec_.abc.final_tolerance > 0) tolerance = std::max(tolerance, spec_.abc.final_tolerance);

        // The previous population in working space, its weighted covariance and the kernel.
        const std::size_t m = prev.values.size();
        Eigen::MatrixXd z(m, d);
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t p = 0; p < d; ++p)
                z(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(p)) =
                    to_work(spec_.parameters[p].prior, prev.values[i][p]);
        Eigen::VectorXd w(m);
        for (std::size_t i = 0; i < m; ++i) w(static_cast<Eigen::Index>(i)) = prev.weights[i];
        const Eigen::VectorXd mean = z.transpose() * w / w.sum();
        const Eigen::MatrixXd centred = z.rowwise() - mean.transpose();
        Eigen::MatrixXd cov = centred.transpose() * w.asDiagonal() * centred / w.sum();
        cov *= spec_.abc.kernel_scale;
        // A population collapsed along some axis still needs a kernel that moves: a floor on
        // each variance, a millionth of the prior's spread there.
        for (std::size_t p = 0; p < d; ++p) {
            const Prior& prior = spec_.parameters[p].prior;
            const double spread = to_work(prior, prior.quantile(0.975)) - to_work(prior, prior.quantile(0.025));
            const auto i = static_cast<Eigen::Index>(p);
            cov(i, i) = std::max(cov(i, i), 1e-12 * spread * spread + 1e-300);
        }
        const Eigen::LLT<Eigen::MatrixXd> llt(cov);
        const Eigen::MatrixXd lower = llt.matrixL();
        const Eigen::MatrixXd inverse =
            llt.solve(Eigen::MatrixXd::Identity(static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(d)));
        std::vector<double> cumulative(m);
        std::partial_sum(prev.weights.begin(), prev.weights.end(), cumulative.begin());

        // Proposal k: a parent by weight, moved by the kernel until it lands inside the prior.
        auto propose = [&](std::int64_t k) {
            const auto index = static_cast<std::uint32_t>(k);
            for (std::uint32_t attempt = 0;; ++attempt) {
                const auto pick = draw(spec_.seed, index, gen, Purpose::calibration, attempt * 1024);
                const double u = unit(pick[0]) * cumulative.back();
                const std::size_t parent =
                    std::min<std::size_t>(static_cast<std::size_t>(
                                              std::lower_bound(cumulative.begin(), cumulative.end(), u) -
                                              cumulative.begin()),
                                          m - 1);
                Eigen::VectorXd normal(static_cast<Eigen::Index>(d));
                for (std::size_t p = 0; p < d; p += 2) {
                    const auto words = draw(spec_.seed, index, gen, Purpose::calibration,
                                            attempt * 1024 + 1 + static_cast<std::uint32_t>(p / 2));
                    const double r = std::sqrt(-2 * std::log(unit(words[0])));
                    const double angle = 2 * std::numbers::pi * unit(words[1]);
                    normal(static_cast<Eigen::Index>(p)) = r * std::cos(angle);
                    if (p + 1 < d) normal(static_cast<Eigen::Index>(p + 1)) = r * std::sin(angle);
                }
                const Eigen::VectorXd moved = z.row(static_cast<Eigen::Index>(parent)).transpose() + lower * normal;
                std::vector<double> point(d);
                bool inside = true;
                for (std::size_t p = 0; p < d; ++p) {
                    point[p] = from_work(spec_.parameters[p].prior, moved(static_cast<Eigen::Index>(p)));
                    inside = inside && std::isfinite(point[p]) && spec_.parameters[p].prior.contains(point[p]);
                }
                if (inside || attempt == 1000) return point;   // 1000 misses: a kernel far too wide; keep the last
            }
        };

        Generation g;
        g.tolerance = tolerance;
        std::vector<std::pair<double, std::size_t>> rejected;   // (distance, index into `tried`) if the limit is hit
        std::vector<std::vector<double>> tried_values, tried_outputs;
        std::int64_t next = 0, proposals = 0;
        const auto limit = static_cast<std::int64_t>(std::ceil(static_cast<double>(n) / spec_.abc.min_acceptance));
        double rate = gen == 1 ? spec_.abc.quantile : std::max(prev.acceptance_rate, 1e-3);
        while (g.values.size() < n && proposals < limit) {
            if (hooks.stopping()) throw Stopped{};
            const std::size_t missing = n - g.values.size();
            auto batch =
                static_cast<std::int64_t>(std::ceil(static_cast<double>(missing) / std::max(rate, 0.02) * 1.1));
            batch = std::clamp<std::int64_t>(batch, std::max<std::int64_t>(8, static_cast<std::int64_t>(missing)),
                                             std::max<std::int64_t>(limit - proposals, 1));
            std::vector<std::vector<double>> points;
            std::vector<std::uint64_t> seeds;
            for (std::int64_t k = next; k < next + batch; ++k) {
                points.push_back(propose(k));
                seeds.push_back(point_seed(spec_.seed, gen, k));
            }
            const auto done_before = static_cast<std::int64_t>(g.values.size());
            const auto rows = model.evaluate(points, seeds, [&](int done) {
                if (hooks.progress) hooks.progress(done_before, proposals + done);
            });
            for (std::size_t k = 0; k < points.size(); ++k) {
                const double dist = distance(spec_.targets, rows[k]);
                if (g.values.size() < n && dist <= tolerance) {
                    g.values.push_back(points[k]);
                    g.outputs.push_back(rows[k]);
                    g.distances.push_back(dist);
                } else {
                    rejected.emplace_back(dist, tried_values.size());
                    tried_values.push_back(points[k]);
                    tried_outputs.push_back(rows[k]);
                }
            }
            proposals += batch;
            next += batch;
            g.simulations += batch * spec_.replicates;
            rate = std::max(static_cast<double>(g.values.size()) / static_cast<double>(proposals), 1e-3);
            if (hooks.progress) hooks.progress(static_cast<std::int64_t>(g.values.size()), proposals);
        }
        const std::size_t within = g.values.size();
        if (g.values.size() < n) {
            // Too few within the tolerance: the generation takes the nearest of all it tried,
            // at the tolerance that admits them (and the calibration ends with it: finished()).
            std::sort(rejected.begin(), rejected.end());
            for (std::size_t k = 0; g.values.size() < n && k < rejected.size(); ++k) {
                g.values.push_back(tried_values[rejected[k].second]);
                g.outputs.push_back(tried_outputs[rejected[k].second]);
                g.distances.push_back(rejected[k].first);
            }
            g.tolerance = *std::max_element(g.distances.begin(), g.distances.end());
        }
        g.acceptance_rate = static_cast<double>(within) / static_cast<double>(proposals);

        // Weights: prior over the mixture of kernels centred on the previous population, in logs
        // (a narrow kernel in several dimensions underflows a plain density).
        std::vector<double> log_weight(n);
        for (std::size_t i = 0; i < n; ++i) {
            Eigen::VectorXd x(static_cast<Eigen::Index>(d));
            double log_prior = 0;
            for (std::size_t p = 0; p < d; ++p) {
                const Prior& prior = spec_.parameters[p].prior;
                x(static_cast<Eigen::Index>(p)) = to_work(prior, g.values[i][p]);
                log_prior += log_prior_work(prior, g.values[i][p]);
            }
            std::vector<double> terms(m);
            double top = -infinity;
            for (std::size_t j = 0; j < m; ++j) {
                const Eigen::VectorXd diff = x - z.row(static_cast<Eigen::Index>(j)).transpose();
                terms[j] = prev.weights[j] > 0 ? std::log(prev.weights[j]) - 0.5 * diff.dot(inverse * diff) : -infinity;
                top = std::max(top, terms[j]);
            }
            double sum = 0;
            for (double t : terms) sum += std::exp(t - top);
            log_weight[i] = log_prior - (top + std::log(sum));
        }
        const double top = *std::max_element(log_weight.begin(), log_weight.end());
        g.weights.resize(n);
        for (std::size_t i = 0; i < n; ++i) g.weights[i] = std::isfinite(top) ? std::exp(log_weight[i] - top) : 1.0;
        const double total = std::accumulate(g.weights.begin(), g.weights.end(), 0.0);
        for (double& x : g.weights) x /= total;
        g.ess = effective_sample_size(g.weights);
        return g;
    }

    Spec spec_;
};

}   // namespace

std::unique_ptr<CalibrationMethod> make_abc_smc(const Spec& spec) { return std::make_unique<AbcSmc>(spec); }

}   // namespace migsim::calibration
