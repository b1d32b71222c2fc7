// read_posterior and draw_posterior: docs/COMPARE.md, "With parameter uncertainty".
#include "migsim/posterior.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include "common/sha256.hpp"
#include "io/hdf5_util.hpp"
#include "migsim/errors.hpp"
#include "model/draws.hpp"

namespace migsim {

using namespace detail;

Posterior read_posterior(const std::string& path) {
    silence_hdf5_errors();
    Handle file = [&] {
        try {
            return open_file(path);
        } catch (const OutputError& e) {   // open_file's "expected a migsim output": say which
            std::string why = e.what();
            const std::string tail = "; expected a migsim output";
            if (why.ends_with(tail)) why.resize(why.size() - tail.size());
            throw OutputError(why + "; expected a calibration file (migsim calibrate -o FILE)");
        }
    }();
    const std::string what = path + ": is not a calibration file (migsim calibrate -o FILE): ";
    for (const char* name : {"posterior_value", "posterior_weight", "parameter"})
        if (H5Lexists(file, name, H5P_DEFAULT) <= 0) throw OutputError(what + "it has no dataset '" + name + "'");
    if (H5Aexists(file, "method") <= 0) throw OutputError(what + "it has no root attribute 'method'");
    Posterior p;
    p.path = path;
    p.keys = read_strings(file, "parameter");
    std::vector<hsize_t> shape, weight_shape;
    const std::vector<double> values = read_doubles(file, "posterior_value", shape);
    p.weights = read_doubles(file, "posterior_weight", weight_shape);
    const std::size_t K = p.keys.size();
    if (K == 0) throw OutputError(path + ": its 'parameter' lists no parameter; expected the --set keys calibrated");
    if (shape.size() != 2 || shape[1] != K || weight_shape.size() != 1 || weight_shape[0] != shape[0])
        throw OutputError(path + ": posterior_value has the shape (" +
                          (shape.size() == 2 ? std::to_string(shape[0]) + " x " + std::to_string(shape[1]) : "?") +
                          "), expected (particle x parameter) with " + std::to_string(K) +
                          " parameters and one posterior_weight per particle (" +
                          std::to_string(weight_shape.empty() ? 0 : weight_shape[0]) + ")");
    if (shape[0] == 0) throw OutputError(path + ": its posterior holds no particle");
    double sum = 0;
    for (std::size_t k = 0; k < p.weights.size(); ++k) {
        const double w = p.weights[k];
        if (!std::isfinite(w) || w < 0) {
            std::ostringstream value;
            value << w;
            throw OutputError(path + ": posterior_weight[" + std::to_string(k) + "] is " + value.str() +
                              "; expected weights that are finite and >= 0");
        }
        sum += w;
    }
    if (!(sum > 0) || !std::isfinite(sum))
        throw OutputError(path + ": the posterior_weight values sum to 0; expected a positive sum");
    for (std::size_t k = 0; k < shape[0]; ++k) {
        p.values.emplace_back(values.begin() + static_cast<std::ptrdiff_t>(k * K),
                              values.begin() + static_cast<std::ptrdiff_t>((k + 1) * K));
        for (std::size_t j = 0; j < K; ++j)
            if (!std::isfinite(p.values.back()[j]))
                throw OutputError(path + ": posterior_value[" + std::to_string(k) + ", " + std::to_string(j) + "] (" +
                                  p.keys[j] + ") is not a finite number");
    }
    return p;
}

std::vector<std::vector<double>> draw_posterior(const Posterior& posterior, int draws, std::uint64_t seed) {
    if (draws < 1) throw ScenarioError("--draws", 0, "draws", std::to_string(draws), "a number of draws >= 1");
    if (posterior.weights.empty() || posterior.weights.size() != posterior.values.size())
        throw ScenarioError(posterior.path + ": the posterior holds no particle to draw from");
    double sum = 0;
    std::size_t last = 0;   // the last particle of positive weight: rounding never lands past it
    for (std::size_t k = 0; k < posterior.weights.size(); ++k) {
        sum += posterior.weights[k];
        if (posterior.weights[k] > 0) last = k;
    }
    const double u = unit(draw(seed, 0, 0, Purpose::posterior)[0]);
    std::vector<std::vector<double>> out;
    out.reserve(static_cast<std::size_t>(draws));
    std::size_t k = 0;
    double cumulative = posterior.weights[0] / sum;
    for (int i = 0; i < draws; ++i) {
        const double position = (static_cast<double>(i) + u) / static_cast<double>(draws);
        while (k < last && position >= cumulative) cumulative += posterior.weights[++k] / sum;
        out.push_back(posterior.values[k]);
    }
    return out;
}

std::string posterior_sha256(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw OutputError(path + ": cannot read the posterior file");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return sha256_hex(bytes.str());
}

SweepPlan plan_posterior(const std::filesystem::path& scenario, const std::vector<std::string>& overrides,
                         const std::string& path, int draws, std::uint64_t seed) {
    if (draws < 1)
        throw ScenarioError("--draws", 0, "draws", std::to_string(draws),
                            "a number of draws >= 1 with --posterior (e.g. --draws 20)");
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw ScenarioError("--posterior: " + path +
                            " does not exist (or is not a file); expected a calibration file (migsim calibrate -o "
                            "FILE)");
    const Posterior posterior = read_posterior(path);
    SweepPlan plan;
    plan.scenario = scenario;
    plan.overrides = overrides;
    plan.parameters = posterior.keys;
    plan.values = draw_posterior(posterior, draws, seed);
    plan.posterior = path;
    plan.posterior_sha256 = posterior_sha256(path);
    plan.seed = seed;
    return plan;
}

}   // namespace migsim
