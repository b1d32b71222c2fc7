// History matching with Gaussian-process emulators (docs/CALIBRATION.md, "History matching").
//
// Wave 0 runs the model on a Latin hypercube over the prior. Each wave fits one emulator per
// target (emulator.hpp) and rules out the points whose implausibility
//
//   I(x) = max over targets |z_t - E[f_t(x)]| / sqrt(Var_em,t(x) + replicates * nugget_t + sd_t^2)
//
// exceeds the cut-off: z_t the observed value, E and Var_em the emulator's mean and variance of
// the model's mean output f_t(x), nugget_t the emulator's nugget (the seed noise of one row, a mean
// of `replicates` runs; times `replicates` it is the noise of one run, and the world is one run),
// sd_t the observation error (Target::sd()). Wave w > 0 runs the model on a space-filling design
// of points no earlier wave's emulators rule out; after the last wave, the posterior is points
// none of them rules out, run through the model. Everything is a pure function of the waves
// before and the SPEC's seed: the emulators are fitted again from the stored runs.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "calibration/emulator.hpp"
#include "calibration/method.hpp"
#include "migsim/errors.hpp"
#include "model/draws.hpp"

namespace migsim::calibration {

namespace {

using Points = std::vector<std::vector<double>>;

// Candidates drawn per round when searching the part not ruled out: this many times the points
// wanted (at least min_round), round after round until min_pool (or the points wanted, if more)
// are found, for at most max_rounds rounds. The share found estimates the prior mass not ruled
// out (to about 7% with 200 found).
constexpr int candidates_per_point = 20;
constexpr int min_round = 10000;
constexpr int max_rounds = 50;
constexpr std::size_t min_pool = 200;
// An emulator is fitted on at least this many runs: when fewer earlier runs lie in the part not
// ruled out, all of them are used.
constexpr std::size_t min_training = 10;

// The draws' `round` word: the wave (the posterior: waves), then the candidate round.
std::uint32_t stream(int stage, int round) {
    return static_cast<std::uint32_t>(stage) * 4096u + static_cast<std::uint32_t>(round);
}

// A Latin hypercube of m points in (0, 1)^d: stratum s of m of parameter j goes to the point with
// the s-th smallest draw, jittered uniformly inside the stratum.
Points latin_hypercube(std::uint64_t seed, std::size_t d, std::size_t m, std::uint32_t round) {
    Points u(m, std::vector<double>(d));
    std::vector<std::uint32_t> order(m);
    for (std::size_t j = 0; j < d; ++j) {
        std::vector<std::pair<std::uint32_t, std::uint32_t>> keys(m);   // (sort key, point)
        std::vector<double> jitter(m);
        for (std::size_t k = 0; k < m; ++k) {
            const auto w =
                detail::draw(seed, static_cast<std::uint32_t>(k), static_cast<int>(j), detail::Purpose::history, round);
            keys[k] = {w[0], static_cast<std::uint32_t>(k)};
            jitter[k] = detail::unit(w[1]);
        }
        std::sort(keys.begin(), keys.end());
        for (std::size_t s = 0; s < m; ++s) {
            const std::uint32_t k = keys[s].second;
            u[k][j] = (static_cast<double>(s) + jitter[k]) / static_cast<double>(m);
        }
    }
    return u;
}

// Farthest-point selection of `count` of the pool's points: the first, then each time the point
// farthest from those chosen (a space-filling design in the part not ruled out). Indices, in the
// order chosen.
std::vector<std::size_t> maximin(const Points& pool, std::size_t count) {
    std::vector<std::size_t> chosen;
    if (pool.empty() || count == 0) return chosen;
    std::vector<double> nearest(pool.size(), std::numeric_limits<double>::infinity());
    std::size_t next = 0;
    while (chosen.size() < std::min(count, pool.size())) {
        chosen.push_back(next);
        const auto& c = pool[next];
        double farthest = -1;
        for (std::size_t i = 0; i < pool.size(); ++i) {
            double d2 = 0;
            for (std::size_t j = 0; j < c.size(); ++j) d2 += (pool[i][j] - c[j]) * (pool[i][j] - c[j]);
            nearest[i] = std::min(nearest[i], d2);
            if (nearest[i] > farthest) {
                farthest = nearest[i];
                next = i;
            }
        }
    }
    return chosen;
}

class HistoryMatching final : public CalibrationMethod {
public:
    explicit HistoryMatching(const Spec& spec) : spec_(spec) {
        const auto& h = spec_.history;
        const std::string where = spec_.path.string() + ": method.history_matching: ";
        if (spec_.parameters.empty()) throw ScenarioError(where + "expected at least one parameter");
        if (h.waves < 1 || h.design < 2 || h.posterior < 1 || !(h.cutoff > 0))
            throw ScenarioError(where + "expected waves >= 1, design >= 2, posterior >= 1 and cutoff > 0");
        for (std::size_t t = 0; t < spec_.targets.size(); ++t)
            if (std::isfinite(spec_.targets[t].observed)) matched_.push_back(t);
        if (matched_.empty()) throw ScenarioError(where + "expected at least one target with an observed value");
    }

    [[nodiscard]] const char* name() const override { return "history-matching"; }
    [[nodiscard]] int max_generations() const override { return spec_.history.waves + 1; }

    [[nodiscard]] bool finished(const std::vector<Generation>& before) const override {
        // An empty generation: every point was ruled out (the model cannot match the targets).
        return static_cast<int>(before.size()) >= max_generations() ||
               (!before.empty() && before.back().values.empty());
    }

    [[nodiscard]] Generation next(const std::vector<Generation>& before, Model& model,
                                  const StepHooks& hooks) override {
        if (finished(before)) throw std::logic_error("history matching: next() after the last generation");
        const int stage = static_cast<int>(before.size());
        const bool posterior = stage == spec_.history.waves;
        const auto d = spec_.parameters.size();

        // The emulators of every wave before, fitted again from the stored runs.
        std::vector<WaveEmulators> waves;
        for (int w = 0; w < stage; ++w) waves.push_back(fitted(before, w, waves));

        // The points to run, in u-space (the priors' cumulative probabilities).
        Points u;
        double acceptance = 1;
        if (stage == 0) {
            u = latin_hypercube(spec_.seed, d, static_cast<std::size_t>(spec_.history.design), stream(0, 0));
        } else {
            const auto wanted = static_cast<std::size_t>(posterior ? spec_.history.posterior : spec_.history.design);
            auto [pool, rate] = not_ruled_out(waves, stage, wanted, hooks);
            acceptance = rate;
            if (posterior) {
                // A sample of the part not ruled out (the candidates are prior draws, in no order).
                if (pool.size() > wanted) pool.resize(wanted);
                u = std::move(pool);
            } else {
                for (const auto i : maximin(pool, wanted)) u.push_back(pool[i]);
            }
        }
        Generation g;
        g.tolerance = spec_.history.cutoff;
        g.acceptance_rate = acceptance;
        if (u.empty()) {   // everything ruled out: the calibration ends here
            g.acceptance_rate = 0;
            return g;
        }

        for (const auto& row : u) g.values.push_back(to_values(row));
        std::vector<std::uint64_t> seeds;
        for (std::size_t k = 0; k < u.size(); ++k)
            seeds.push_back(point_seed(spec_.seed, stage, static_cast<std::int64_t>(k)));
        if (hooks.stopping()) throw Stopped{};
        g.outputs = model.evaluate(g.values, seeds, {});
        if (g.outputs.size() != u.size()) throw std::runtime_error("history matching: the model gave too few rows");
        for (const auto& row : g.outputs)
            if (row.size() != spec_.targets.size())
                throw std::runtime_error("history matching: a model row without every target");
        g.simulations = static_cast<std::int64_t>(u.size()) * spec_.replicates;

        // Implausibility of the points run: under this wave's emulators (fitted with these runs,
        // so it says how close the runs themselves came), or, for the posterior, the last wave's.
        if (posterior) {
            g.distances = implausibility(waves.back(), to_u(g.values));
        } else {
            std::vector<Generation> with = before;
            with.push_back(g);
            const WaveEmulators current = fitted(with, stage, waves);
            g.distances = implausibility(current, to_u(g.values));
        }
        std::size_t kept = 0;
        for (const double i : g.distances) kept += (posterior || i <= spec_.history.cutoff) ? 1 : 0;
        for (const double i : g.distances)
            g.weights.push_back((posterior || i <= spec_.history.cutoff) && kept > 0 ? 1.0 / static_cast<double>(kept)
                                                                                     : 0.0);
        g.ess = static_cast<double>(kept);   // equal weights
        if (hooks.progress) hooks.progress(static_cast<std::int64_t>(kept), g.simulations);
        return g;
    }

private:
    struct WaveEmulators {
        std::vector<Emulator> emulators;   // one per matched target
    };

    [[nodiscard]] std::vector<double> to_values(const std::vector<double>& u) const {
        std::vector<double> x(u.size());
        for (std::size_t j = 0; j < u.size(); ++j) x[j] = spec_.parameters[j].prior.quantile(u[j]);
        return x;
    }

    [[nodiscard]] Points to_u(const Points& values) const {
        Points u;
        for (const auto& x : values) {
            std::vector<double> row(x.size());
            for (std::size_t j = 0; j < x.size(); ++j) row[j] = spec_.parameters[j].prior.cdf(x[j]);
            u.push_back(std::move(row));
        }
        return u;
    }

    // fit_wave(gens, w, earlier), kept for the next call: fitting is deterministic, so a fit kept
    // for the same runs (waves 0..w, compared exactly) is the fit that would be made again. Only
    // saves time: the calibration's next wave finds the emulators this one fitted.
    WaveEmulators fitted(const std::vector<Generation>& gens, int w, const std::vector<WaveEmulators>& earlier) {
        std::vector<const Generation*> key;
        for (int v = 0; v <= w; ++v) key.push_back(&gens[static_cast<std::size_t>(v)]);
        for (const auto& kept : kept_) {
            if (kept.values.size() != key.size()) continue;
            bool same = true;
            for (std::size_t v = 0; v < key.size() && same; ++v)
                same = kept.values[v] == key[v]->values && kept.outputs[v] == key[v]->outputs;
            if (same) return kept.emulators;
        }
        Kept entry;
        for (const auto* g : key) {
            entry.values.push_back(g->values);
            entry.outputs.push_back(g->outputs);
        }
        entry.emulators = fit_wave(gens, w, earlier);
        if (kept_.size() > 2 * static_cast<std::size_t>(spec_.history.waves)) kept_.clear();
        kept_.push_back(std::move(entry));
        return kept_.back().emulators;
    }

    // The emulators of wave w: fitted on the runs of waves 0..w that no earlier wave's emulators
    // rule out (the part where this wave's emulators will be asked), or on all of them if that
    // leaves fewer than min_training.
    [[nodiscard]] WaveEmulators fit_wave(const std::vector<Generation>& gens, int w,
                                         const std::vector<WaveEmulators>& earlier) const {
        Points x, all_x;
        std::vector<std::vector<double>> y, all_y;   // [run][target]
        for (int v = 0; v <= w; ++v) {
            const auto& g = gens[static_cast<std::size_t>(v)];
            const Points u = to_u(g.values);
            std::vector<double> worst(u.size(), 0);
            for (int e = 0; e < w; ++e) {
                const auto i = implausibility(earlier[static_cast<std::size_t>(e)], u);
                for (std::size_t k = 0; k < u.size(); ++k) worst[k] = std::max(worst[k], i[k]);
            }
            for (std::size_t k = 0; k < u.size(); ++k) {
                all_x.push_back(u[k]);
                all_y.push_back(g.outputs[k]);
                if (worst[k] <= spec_.history.cutoff) {
                    x.push_back(u[k]);
                    y.push_back(g.outputs[k]);
                }
            }
        }
        if (x.size() < min_training) {
            x = std::move(all_x);
            y = std::move(all_y);
        }
        WaveEmulators result;
        for (const std::size_t t : matched_) {
            Points xt;
            std::vector<double> yt;
            for (std::size_t k = 0; k < x.size(); ++k) {
                if (!std::isfinite(y[k][t])) continue;
                xt.push_back(x[k]);
                yt.push_back(y[k][t]);
            }
            if (xt.size() < 2)
                throw ScenarioError(spec_.path.string() + ": history matching: target " + spec_.targets[t].name +
                                    " has fewer than 2 finite simulated values to fit its emulator on (wave " +
                                    std::to_string(w) + "); expected a target the model computes");
            result.emulators.emplace_back(xt, yt);
        }
        return result;
    }

    // I(x) under one wave's emulators, for points in u-space.
    [[nodiscard]] std::vector<double> implausibility(const WaveEmulators& wave, const Points& u) const {
        std::vector<double> result(u.size(), 0);
        if (u.empty()) return result;
        Eigen::MatrixXd x(static_cast<Eigen::Index>(u.size()), static_cast<Eigen::Index>(u.front().size()));
        for (std::size_t k = 0; k < u.size(); ++k)
            for (std::size_t j = 0; j < u[k].size(); ++j)
                x(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(j)) = u[k][j];
        Eigen::VectorXd mean, variance;
        for (std::size_t e = 0; e < matched_.size(); ++e) {
            const auto& target = spec_.targets[matched_[e]];
            const auto& emulator = wave.emulators[e];
            emulator.predict(x, false, mean, variance);
            const double sd = target.sd();
            const double noise = spec_.replicates * emulator.nugget_variance() + sd * sd;
            for (std::size_t k = 0; k < u.size(); ++k) {
                const auto i = static_cast<Eigen::Index>(k);
                result[k] = std::max(result[k], std::abs(target.observed - mean[i]) / std::sqrt(variance[i] + noise));
            }
        }
        return result;
    }

    // Candidates (Latin hypercubes over the prior, round after round) that none of the waves'
    // emulators rules out, until there are enough or the rounds run out; and the share of the
    // candidates they are (an estimate of the prior mass not ruled out).
    [[nodiscard]] std::pair<Points, double> not_ruled_out(const std::vector<WaveEmulators>& waves, int stage,
                                                          std::size_t wanted, const StepHooks& hooks) const {
        const std::size_t per_round =
            std::max(static_cast<std::size_t>(min_round), wanted * static_cast<std::size_t>(candidates_per_point));
        Points pool;
        std::size_t drawn = 0;
        for (int round = 0; round < max_rounds && pool.size() < std::max(wanted, min_pool); ++round) {
            if (hooks.stopping()) throw Stopped{};
            Points candidates = latin_hypercube(spec_.seed, spec_.parameters.size(), per_round, stream(stage, round));
            drawn += candidates.size();
            for (const auto& wave : waves) {   // each wave's emulators judge the survivors of the ones before
                const auto i = implausibility(wave, candidates);
                Points survivors;
                for (std::size_t k = 0; k < candidates.size(); ++k)
                    if (i[k] <= spec_.history.cutoff) survivors.push_back(std::move(candidates[k]));
                candidates = std::move(survivors);
            }
            for (auto& c : candidates) pool.push_back(std::move(c));
        }
        const double rate = static_cast<double>(pool.size()) / static_cast<double>(drawn);
        return {std::move(pool), rate};
    }

    struct Kept {
        std::vector<Points> values, outputs;   // [wave][point][...]: the runs fitted on
        WaveEmulators emulators;
    };

    Spec spec_;
    std::vector<std::size_t> matched_;   // the targets with an observed value
    std::vector<Kept> kept_;             // fits kept (fitted())
};

}   // namespace

std::unique_ptr<CalibrationMethod> make_history_matching(const Spec& spec) {
    return std::make_unique<HistoryMatching>(spec);
}

}   // namespace migsim::calibration
