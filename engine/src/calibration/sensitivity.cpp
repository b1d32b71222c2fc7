// Morris elementary effects and Sobol indices (Saltelli sampling) of a SPEC's outputs, their
// bootstrap intervals, the file and the table (migsim/sensitivity.hpp).
//
// Draws: counter-based (model/draws.hpp, Purpose::sensitivity), keyed by the SPEC's seed. The
// counter's (agent, day, round) is
//   round 0  (trajectory, parameter)   Morris: starting level (word 0) and direction (word 1)
//   round 1  (trajectory, step)        Morris: the order of the parameters (Fisher-Yates)
//   round 2  (row, matrix * k + col)   Sobol: A (matrix 0) and B (1): stratum key (words 0, 1),
//                                      the point within the stratum (word 2)
//   round 3  (resample, slot / 4)      Morris bootstrap: trajectory drawn for slot (word slot % 4)
//   round 4  (resample, row / 4)       Sobol bootstrap: row drawn for row (word row % 4)
#include "migsim/sensitivity.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <sstream>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "io/hdf5_util.hpp"
#include "migsim/errors.hpp"
#include "migsim/output.hpp"
#include "model/draws.hpp"

namespace migsim::calibration {

namespace {

using detail::draw;
using detail::Purpose;
using detail::unit;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// A uniform index in [0, n) from a 32-bit word (multiply-shift; bias below n / 2^32).
std::size_t index_of(std::uint32_t word, std::size_t n) {
    return static_cast<std::size_t>((static_cast<std::uint64_t>(word) * n) >> 32);
}

Matrix filled(std::size_t rows, std::size_t columns, double value) {
    return Matrix(rows, std::vector<double>(columns, value));
}

// The q-quantile of `values` (sorted here), linear between order statistics; NaN when empty or
// any value is NaN.
double percentile(std::vector<double>& values, double q) {
    if (values.empty()) return nan;
    if (std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); })) return nan;
    std::sort(values.begin(), values.end());
    const double at = q * static_cast<double>(values.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(at));
    const std::size_t above = std::min(below + 1, values.size() - 1);
    return values[below] + (at - static_cast<double>(below)) * (values[above] - values[below]);
}

void check_bootstrap(int bootstrap) {
    if (bootstrap < 0 || bootstrap > 100000)
        throw ScenarioError("method.bootstrap: " + std::to_string(bootstrap) +
                            " resamples; expected 0 (no intervals) to 100000");
}

}   // namespace

MorrisDesign morris_design(int parameters, int trajectories, int levels, std::uint64_t seed) {
    if (parameters < 1) throw ScenarioError("sensitivity: Morris needs at least one parameter");
    if (trajectories < 2 || trajectories > 1000000)
        throw ScenarioError("method.morris.trajectories: " + std::to_string(trajectories) +
                            "; expected 2 to 1000000 (sigma needs two)");
    if (levels < 2 || levels % 2 != 0 || levels > 1000)
        throw ScenarioError("method.morris.levels: " + std::to_string(levels) +
                            "; expected an even number from 2 to 1000 (a step is levels / 2 levels)");
    MorrisDesign d;
    d.parameters = parameters;
    d.trajectories = trajectories;
    d.levels = levels;
    const auto k = static_cast<std::size_t>(parameters);
    const int half = levels / 2;
    const auto u_of = [levels](int level) { return (level + 0.5) / levels; };
    d.u.reserve(static_cast<std::size_t>(trajectories) * (k + 1));
    for (int t = 0; t < trajectories; ++t) {
        std::vector<int> level(k);
        std::vector<bool> up(k);
        for (std::size_t i = 0; i < k; ++i) {
            const auto w = draw(seed, static_cast<std::uint32_t>(t), static_cast<int>(i), Purpose::sensitivity, 0);
            const int base = static_cast<int>(index_of(w[0], static_cast<std::size_t>(half)));
            up[i] = (w[1] & 1U) != 0;
            level[i] = up[i] ? base : base + half;
        }
        std::vector<int> order(k);
        std::iota(order.begin(), order.end(), 0);
        for (std::size_t m = k - 1; m >= 1; --m) {
            const auto w = draw(seed, static_cast<std::uint32_t>(t), static_cast<int>(m), Purpose::sensitivity, 1);
            std::swap(order[m], order[index_of(w[0], m + 1)]);
        }
        std::vector<double> point(k);
        for (std::size_t i = 0; i < k; ++i) point[i] = u_of(level[i]);
        d.u.push_back(point);
        for (const int i : order) {
            level[i] += up[i] ? half : -half;
            point[i] = u_of(level[i]);
            d.u.push_back(point);
        }
        d.order.push_back(std::move(order));
    }
    return d;
}

MorrisIndices morris_indices(const MorrisDesign& design, const Matrix& outputs, int bootstrap, std::uint64_t seed) {
    check_bootstrap(bootstrap);
    const auto k = static_cast<std::size_t>(design.parameters);
    const auto r = static_cast<std::size_t>(design.trajectories);
    if (outputs.size() != design.u.size())
        throw std::invalid_argument("morris_indices: " + std::to_string(outputs.size()) + " output rows for " +
                                    std::to_string(design.u.size()) + " runs");
    const std::size_t m = outputs.empty() ? 0 : outputs.front().size();
    // effects[o][i][t]
    std::vector<Matrix> effects(m, filled(k, r, nan));
    for (std::size_t t = 0; t < r; ++t)
        for (std::size_t s = 0; s < k; ++s) {
            const std::size_t before = t * (k + 1) + s, after = before + 1;
            const auto i = static_cast<std::size_t>(design.order[t][s]);
            const double du = design.u[after][i] - design.u[before][i];
            for (std::size_t o = 0; o < m; ++o) effects[o][i][t] = (outputs[after][o] - outputs[before][o]) / du;
        }
    MorrisIndices x;
    x.mu = x.mu_star = x.sigma = x.mu_star_low = x.mu_star_high = filled(m, k, nan);
    for (std::size_t o = 0; o < m; ++o)
        for (std::size_t i = 0; i < k; ++i) {
            const auto& e = effects[o][i];
            double sum = 0, sum_abs = 0;
            for (const double v : e) {
                sum += v;
                sum_abs += std::fabs(v);
            }
            const double mean = sum / static_cast<double>(r);
            double squares = 0;
            for (const double v : e) squares += (v - mean) * (v - mean);
            x.mu[o][i] = mean;
            x.mu_star[o][i] = sum_abs / static_cast<double>(r);
            x.sigma[o][i] = std::sqrt(squares / static_cast<double>(r - 1));
        }
    if (bootstrap > 0) {
        // resampled[o][i][b]: mu* over the trajectories of resample b (the same for every output
        // and parameter).
        std::vector<Matrix> resampled(m, filled(k, static_cast<std::size_t>(bootstrap), 0));
        std::vector<std::size_t> picks(r);
        for (int b = 0; b < bootstrap; ++b) {
            for (std::size_t slot = 0; slot < r; slot += 4) {
                const auto w =
                    draw(seed, static_cast<std::uint32_t>(b), static_cast<int>(slot / 4), Purpose::sensitivity, 3);
                for (std::size_t q = 0; q < 4 && slot + q < r; ++q) picks[slot + q] = index_of(w[q], r);
            }
            for (std::size_t o = 0; o < m; ++o)
                for (std::size_t i = 0; i < k; ++i) {
                    double sum_abs = 0;
                    for (const std::size_t t : picks) sum_abs += std::fabs(effects[o][i][t]);
                    resampled[o][i][static_cast<std::size_t>(b)] = sum_abs / static_cast<double>(r);
                }
        }
        for (std::size_t o = 0; o < m; ++o)
            for (std::size_t i = 0; i < k; ++i) {
                x.mu_star_low[o][i] = percentile(resampled[o][i], 0.025);
                x.mu_star_high[o][i] = percentile(resampled[o][i], 0.975);
            }
    }
    return x;
}

SaltelliDesign saltelli_design(int parameters, int base_samples, std::uint64_t seed) {
    if (parameters < 1) throw ScenarioError("sensitivity: Sobol needs at least one parameter");
    if (base_samples < 2 || base_samples > 10000000)
        throw ScenarioError("method.sobol.base_samples: " + std::to_string(base_samples) +
                            "; expected 2 to 10000000 (runs: base_samples x (parameters + 2))");
    SaltelliDesign d;
    d.parameters = parameters;
    d.base_samples = base_samples;
    const auto k = static_cast<std::size_t>(parameters);
    const auto n = static_cast<std::size_t>(base_samples);
    // matrices[0] = A, [1] = B: a randomised Latin hypercube each.
    Matrix matrices[2] = {filled(n, k, 0), filled(n, k, 0)};
    std::vector<std::pair<std::uint64_t, std::size_t>> keys(n);
    std::vector<double> within(n);
    for (std::size_t which = 0; which < 2; ++which)
        for (std::size_t c = 0; c < k; ++c) {
            const int column = static_cast<int>(which * k + c);
            for (std::size_t j = 0; j < n; ++j) {
                const auto w = draw(seed, static_cast<std::uint32_t>(j), column, Purpose::sensitivity, 2);
                keys[j] = {(static_cast<std::uint64_t>(w[0]) << 32) | w[1], j};
                within[j] = unit(w[2]);
            }
            std::sort(keys.begin(), keys.end());   // row keys[s].second takes stratum s
            for (std::size_t s = 0; s < n; ++s) {
                const std::size_t j = keys[s].second;
                matrices[which][j][c] = (static_cast<double>(s) + within[j]) / static_cast<double>(n);
            }
        }
    d.u.reserve(n * (k + 2));
    for (std::size_t j = 0; j < n; ++j) d.u.push_back(matrices[0][j]);
    for (std::size_t j = 0; j < n; ++j) d.u.push_back(matrices[1][j]);
    for (std::size_t i = 0; i < k; ++i)
        for (std::size_t j = 0; j < n; ++j) {
            std::vector<double> row = matrices[0][j];
            row[i] = matrices[1][j][i];
            d.u.push_back(std::move(row));
        }
    return d;
}

namespace {

// S1 and ST of every parameter for one output over the rows `rows` (indices into 0..N-1).
void sobol_estimate(const Matrix& outputs, std::size_t o, std::size_t n, std::size_t k,
                    const std::vector<std::size_t>& rows, std::vector<double>& first, std::vector<double>& total) {
    const auto count = static_cast<double>(rows.size());
    double mean = 0;
    for (const std::size_t j : rows) mean += outputs[j][o] + outputs[n + j][o];
    mean /= 2 * count;
    double variance = 0;
    for (const std::size_t j : rows) {
        const double a = outputs[j][o] - mean, b = outputs[n + j][o] - mean;
        variance += a * a + b * b;
    }
    variance /= 2 * count;
    for (std::size_t i = 0; i < k; ++i) {
        double s1 = 0, st = 0;
        for (const std::size_t j : rows) {
            const double fa = outputs[j][o], fb = outputs[n + j][o], fab = outputs[(2 + i) * n + j][o];
            s1 += fb * (fab - fa);
            st += (fa - fab) * (fa - fab);
        }
        first[i] = variance > 0 ? s1 / count / variance : nan;
        total[i] = variance > 0 ? st / (2 * count) / variance : nan;
    }
}

}   // namespace

SobolIndices sobol_indices(const SaltelliDesign& design, const Matrix& outputs, int bootstrap, std::uint64_t seed) {
    check_bootstrap(bootstrap);
    const auto k = static_cast<std::size_t>(design.parameters);
    const auto n = static_cast<std::size_t>(design.base_samples);
    if (outputs.size() != design.u.size())
        throw std::invalid_argument("sobol_indices: " + std::to_string(outputs.size()) + " output rows for " +
                                    std::to_string(design.u.size()) + " runs");
    const std::size_t m = outputs.empty() ? 0 : outputs.front().size();
    SobolIndices x;
    x.first = x.total = x.first_low = x.first_high = x.total_low = x.total_high = filled(m, k, nan);
    std::vector<std::size_t> rows(n);
    std::iota(rows.begin(), rows.end(), 0);
    for (std::size_t o = 0; o < m; ++o) sobol_estimate(outputs, o, n, k, rows, x.first[o], x.total[o]);
    if (bootstrap == 0) return x;
    const auto resamples = static_cast<std::size_t>(bootstrap);
    // [o][i][b]
    std::vector<Matrix> firsts(m, filled(k, resamples, 0)), totals(m, filled(k, resamples, 0));
    std::vector<double> first(k), total(k);
    for (std::size_t b = 0; b < resamples; ++b) {
        for (std::size_t j = 0; j < n; j += 4) {
            const auto w = draw(seed, static_cast<std::uint32_t>(b), static_cast<int>(j / 4), Purpose::sensitivity, 4);
            for (std::size_t q = 0; q < 4 && j + q < n; ++q) rows[j + q] = index_of(w[q], n);
        }
        for (std::size_t o = 0; o < m; ++o) {
            sobol_estimate(outputs, o, n, k, rows, first, total);
            for (std::size_t i = 0; i < k; ++i) {
                firsts[o][i][b] = first[i];
                totals[o][i][b] = total[i];
            }
        }
    }
    for (std::size_t o = 0; o < m; ++o)
        for (std::size_t i = 0; i < k; ++i) {
            x.first_low[o][i] = percentile(firsts[o][i], 0.025);
            x.first_high[o][i] = percentile(firsts[o][i], 0.975);
            x.total_low[o][i] = percentile(totals[o][i], 0.025);
            x.total_high[o][i] = percentile(totals[o][i], 0.975);
        }
    return x;
}

std::string sensitivity_methods(const SensitivitySettings& settings) {
    if (settings.morris && settings.sobol) return "morris sobol";
    return settings.morris ? "morris" : settings.sobol ? "sobol" : "";
}

SensitivityResult analyse_sensitivity(const Spec& spec, Model& model,
                                      const std::function<void(const SensitivityProgress&)>& progress) {
    const auto start = std::chrono::steady_clock::now();
    const SensitivitySettings& settings = spec.sensitivity;
    const std::string where = spec.path.empty() ? std::string("sensitivity") : spec.path.string();
    if (!settings.morris && !settings.sobol)
        throw ScenarioError(where + ": method: names no sensitivity method; expected morris:, sobol: or both");
    if (spec.parameters.empty()) throw ScenarioError(where + ": parameters: none given; expected at least one");
    if (spec.targets.empty()) throw ScenarioError(where + ": outputs: none given; expected at least one");
    const int k = static_cast<int>(spec.parameters.size());

    SensitivityResult result;
    for (const auto& p : spec.parameters) result.parameters.push_back(p.key);
    for (const auto& t : spec.targets) result.outputs.push_back(t.name);

    std::optional<MorrisDesign> morris;
    std::optional<SaltelliDesign> sobol;
    try {   // the settings' messages, with the SPEC's name
        check_bootstrap(settings.bootstrap);
        if (settings.morris) morris = morris_design(k, settings.trajectories, settings.levels, spec.seed);
        if (settings.sobol) sobol = saltelli_design(k, settings.base_samples, spec.seed);
    } catch (const ScenarioError& e) {
        throw ScenarioError(where + ": " + e.what());
    }
    const std::int64_t total = static_cast<std::int64_t>(morris ? morris->u.size() : 0) +
                               static_cast<std::int64_t>(sobol ? sobol->u.size() : 0);
    std::int64_t finished = 0;   // points of the designs run before this one

    // One evaluate() call per design, every point on the SPEC's seed (common random numbers).
    const auto run = [&](const Matrix& u, const char* name) {
        Matrix points;
        points.reserve(u.size());
        for (const auto& row : u) {
            std::vector<double> values(row.size());
            for (std::size_t i = 0; i < row.size(); ++i) values[i] = spec.parameters[i].prior.quantile(row[i]);
            points.push_back(std::move(values));
        }
        const std::vector<std::uint64_t> seeds(points.size(), spec.seed);
        const std::int64_t before = finished;
        std::function<void(int)> done;
        if (progress)
            done = [&, before](int n) {
                SensitivityProgress p;
                p.total = total;
                // ScenarioModel estimates n over ranks: never past this design's points.
                p.done = before + std::clamp<std::int64_t>(n, 0, static_cast<std::int64_t>(points.size()));
                p.seconds_elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                if (p.done > 0)
                    p.seconds_left =
                        p.seconds_elapsed / static_cast<double>(p.done) * static_cast<double>(p.total - p.done);
                progress(p);
            };
        Matrix outputs = model.evaluate(points, seeds, done);
        if (outputs.size() != points.size())
            throw std::runtime_error("sensitivity: the model gave " + std::to_string(outputs.size()) + " rows for " +
                                     std::to_string(points.size()) + " points");
        for (std::size_t j = 0; j < points.size(); ++j) {
            result.samples.push_back(points[j]);
            result.values.push_back(outputs[j]);
            result.design.emplace_back(name);
        }
        finished += static_cast<std::int64_t>(points.size());
        result.simulations += static_cast<std::int64_t>(points.size()) * std::max(1, spec.replicates);
        return outputs;
    };
    if (morris) result.morris = morris_indices(*morris, run(morris->u, "morris"), settings.bootstrap, spec.seed);
    if (sobol) result.sobol = sobol_indices(*sobol, run(sobol->u, "sobol"), settings.bootstrap, spec.seed);
    result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

// --- The file ------------------------------------------------------------------------------------

namespace {

using detail::check;
using detail::Handle;

struct SensitivityFile {
    Handle file;
    std::string path;

    Handle dimension(const std::string& name, const std::vector<std::string>& ids) {
        Handle ds = detail::write_strings(file, name, ids);
        check(H5DSset_scale(ds, name.c_str()), "scale " + name);
        return ds;
    }
    Handle index_dimension(const std::string& name, hsize_t n) { return detail::write_index_dimension(file, name, n); }
    void matrix(const std::string& name, const Matrix& values, hsize_t columns, hid_t rows_dim, hid_t columns_dim,
                const std::string& description, const std::string& units = "") {
        const hsize_t shape[2] = {values.size(), columns};
        std::vector<double> flat;
        flat.reserve(shape[0] * shape[1]);
        for (const auto& row : values) flat.insert(flat.end(), row.begin(), row.end());
        Handle space(H5Screate_simple(2, shape, nullptr), H5Sclose);
        Handle ds(H5Dcreate2(file, name.c_str(), H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                  H5Dclose);
        check(ds, "create " + name);
        if (!flat.empty())
            check(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, flat.data()), "write " + name);
        check(H5DSattach_scale(ds, rows_dim, 0), "attach " + name);
        check(H5DSattach_scale(ds, columns_dim, 1), "attach " + name);
        detail::write_attribute(ds, "long_name", description);
        if (!units.empty()) detail::write_attribute(ds, "units", units);
    }
};

std::string prior_text(const Prior& p) {
    std::ostringstream out;
    out << to_string(p.kind) << "(" << p.a << ", " << p.b;
    if (p.kind == PriorKind::truncated_normal) out << "; " << p.low << " to " << p.high;
    out << ")";
    return out.str();
}

}   // namespace

void write_sensitivity(const std::string& path, const Spec& spec, const SensitivityResult& result) {
    detail::silence_hdf5_errors();
    if (const std::string held = detail::held_by_another_program(path, detail::Access::write); !held.empty())
        throw OutputError(path + ": cannot replace it: " + held);
    SensitivityFile f;
    f.path = path;
    f.file = Handle(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
    if (f.file.get() < 0) throw OutputError(path + ": cannot create the sensitivity file (does its folder exist?)");
    try {
        const hsize_t k = result.parameters.size(), m = result.outputs.size(), runs = result.samples.size();
        Handle output = f.dimension("output", result.outputs);
        detail::write_attribute(output, "long_name", "the SPEC's outputs (targets), by name");
        Handle parameter = f.dimension("parameter", result.parameters);
        detail::write_attribute(parameter, "long_name", "the SPEC's parameters, by --set key");
        Handle run = f.index_dimension("run", runs);
        detail::write_attribute(run, "long_name", "model run (Morris trajectories' points, then Sobol's A, B, AB_i)");
        {
            Handle design = detail::write_strings(f.file, "design", result.design);
            check(H5DSattach_scale(design, run, 0), "attach design");
            detail::write_attribute(design, "long_name", "the design a run belongs to: morris or sobol");
            if (spec.parameters.size() == k) {   // the priors, as in a calibration file
                std::vector<std::string> texts, kinds;
                std::vector<double> a, b, low, high;
                for (const auto& p : spec.parameters) {
                    texts.push_back(prior_text(p.prior));
                    kinds.emplace_back(to_string(p.prior.kind));
                    a.push_back(p.prior.a);
                    b.push_back(p.prior.b);
                    low.push_back(p.prior.low);
                    high.push_back(p.prior.high);
                }
                Handle prior = detail::write_strings(f.file, "prior", texts);
                check(H5DSattach_scale(prior, parameter, 0), "attach prior");
                detail::write_attribute(prior, "long_name", "the parameter's prior");
                Handle kind = detail::write_strings(f.file, "prior_kind", kinds);
                check(H5DSattach_scale(kind, parameter, 0), "attach prior_kind");
                const std::pair<const char*, const std::vector<double>*> numbers[] = {{"prior_a", &a},
                                                                                      {"prior_b", &b},
                                                                                      {"prior_low", &low},
                                                                                      {"prior_high", &high}};
                for (const auto& [name, values] : numbers) {
                    Handle ds = detail::write_doubles(f.file, name, *values);
                    check(H5DSattach_scale(ds, parameter, 0), std::string("attach ") + name);
                }
            }
        }
        f.matrix("sample_value", result.samples, k, run, parameter, "the parameter values of each run");
        f.matrix("output_value", result.values, m, run, output,
                 "each run's output values (mean over the SPEC's replicates, all on its seed)");
        if (result.morris) {
            const auto& x = *result.morris;
            const std::string u = "output units per unit of prior probability";
            f.matrix("morris_mu", x.mu, k, output, parameter, "Morris: mean elementary effect (in u-units)", u);
            f.matrix("morris_mu_star", x.mu_star, k, output, parameter, "Morris: mean absolute elementary effect", u);
            f.matrix("morris_sigma", x.sigma, k, output, parameter, "Morris: standard deviation of the effects", u);
            f.matrix("morris_mu_star_low", x.mu_star_low, k, output, parameter, "Morris: mu*, bootstrap 2.5%", u);
            f.matrix("morris_mu_star_high", x.mu_star_high, k, output, parameter, "Morris: mu*, bootstrap 97.5%", u);
        }
        if (result.sobol) {
            const auto& x = *result.sobol;
            f.matrix("sobol_first", x.first, k, output, parameter, "Sobol first-order index S1 (Saltelli 2010)");
            f.matrix("sobol_total", x.total, k, output, parameter, "Sobol total index ST (Jansen)");
            f.matrix("sobol_first_low", x.first_low, k, output, parameter, "S1, bootstrap 2.5%");
            f.matrix("sobol_first_high", x.first_high, k, output, parameter, "S1, bootstrap 97.5%");
            f.matrix("sobol_total_low", x.total_low, k, output, parameter, "ST, bootstrap 2.5%");
            f.matrix("sobol_total_high", x.total_high, k, output, parameter, "ST, bootstrap 97.5%");
        }
        const hid_t root = f.file;
        std::string method;
        if (result.morris) method = "morris";
        if (result.sobol) method += method.empty() ? "sobol" : " sobol";
        detail::write_attribute(root, "title", "migsim sensitivity: " + spec.path.filename().string());
        detail::write_attribute(root, "migsim_file", "sensitivity");
        detail::write_attribute(root, "method", method);
        detail::write_attribute(root, "seed", static_cast<std::int64_t>(spec.seed));
        detail::write_attribute(root, "replicates", static_cast<std::int64_t>(spec.replicates));
        detail::write_attribute(root, "bootstrap", static_cast<std::int64_t>(spec.sensitivity.bootstrap));
        if (result.morris) {
            detail::write_attribute(root, "morris_trajectories",
                                    static_cast<std::int64_t>(spec.sensitivity.trajectories));
            detail::write_attribute(root, "morris_levels", static_cast<std::int64_t>(spec.sensitivity.levels));
        }
        if (result.sobol)
            detail::write_attribute(root, "sobol_base_samples",
                                    static_cast<std::int64_t>(spec.sensitivity.base_samples));
        detail::write_attribute(root, "simulations", static_cast<std::int64_t>(result.simulations));
        detail::write_attribute(root, "spec", spec.text);
        detail::write_attribute(root, "spec_path", spec.path.string());
        detail::write_attribute(root, "scenario", spec.scenario.string());
        detail::write_attribute(root, "wall_seconds", result.wall_seconds);
        detail::write_attribute(root, "migsim_version", std::string(engine_version()));
        detail::write_attribute(root, "completed", static_cast<std::int64_t>(1));
    } catch (const OutputError& e) {
        throw OutputError(path + ": " + e.what() + " (disk full?)");
    }
    if (f.file.close() < 0) throw OutputError(path + ": cannot finish writing the file (disk full?)");
}

// --- The table -----------------------------------------------------------------------------------

namespace {

std::string fixed(double x, int width, int decimals = 3) {
    char text[64];
    if (std::isnan(x)) std::snprintf(text, sizeof text, "%*s", width, "-");
    else std::snprintf(text, sizeof text, "%*.*f", width, decimals, x);
    return text;
}

std::string general(double x, int width) {
    char text[64];
    if (std::isnan(x)) std::snprintf(text, sizeof text, "%*s", width, "-");
    else std::snprintf(text, sizeof text, "%*.4g", width, x);
    return text;
}

std::string interval(double low, double high, bool general_form) {
    if (std::isnan(low) || std::isnan(high)) return "  [   -   ,    -   ]";
    return " [" + (general_form ? general(low, 8) : fixed(low, 7)) + ", " +
           (general_form ? general(high, 8) : fixed(high, 7)) + "]";
}

}   // namespace

std::string sensitivity_table(const SensitivityResult& result) {
    std::ostringstream out;
    const std::size_t k = result.parameters.size();
    std::size_t width = 9;
    for (const auto& p : result.parameters) width = std::max(width, p.size());
    for (std::size_t o = 0; o < result.outputs.size(); ++o) {
        // Parameters by decreasing ST (mu* without Sobol); NaN last.
        std::vector<std::size_t> order(k);
        std::iota(order.begin(), order.end(), 0);
        const auto key = [&](std::size_t i) {
            const double v = result.sobol ? result.sobol->total[o][i] : result.morris->mu_star[o][i];
            return std::isnan(v) ? -infinity : v;
        };
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key(a) > key(b); });
        out << "output " << result.outputs[o] << (result.sobol ? " (by total index S_T)" : " (by Morris mu*)") << "\n";
        out << "  " << std::string(width, ' ').replace(0, 9, "parameter");
        if (result.sobol) out << "     S_T  [95% interval]          S_1  [95% interval]     ";
        if (result.morris) out << "       mu*  [95% interval]          sigma";
        out << "\n";
        for (const std::size_t i : order) {
            std::string name = result.parameters[i];
            name.resize(width, ' ');
            out << "  " << name;
            if (result.sobol) {
                const auto& s = *result.sobol;
                out << " " << fixed(s.total[o][i], 7) << interval(s.total_low[o][i], s.total_high[o][i], false) << " "
                    << fixed(s.first[o][i], 7) << interval(s.first_low[o][i], s.first_high[o][i], false);
            }
            if (result.morris) {
                const auto& m = *result.morris;
                out << " " << general(m.mu_star[o][i], 9) << interval(m.mu_star_low[o][i], m.mu_star_high[o][i], true)
                    << " " << general(m.sigma[o][i], 9);
            }
            out << "\n";
        }
        if (result.sobol) {
            double sum = 0;
            for (std::size_t i = 0; i < k; ++i) sum += result.sobol->first[o][i];
            out << "  sum of S_1: " << fixed(sum, 0) << " (1 when the output is additive in the parameters; "
                << "1 - sum: the share of interactions)\n";
        }
    }
    if (result.morris)
        out << "mu*, sigma: Morris elementary effects in output units per unit of prior probability (u-units)\n";
    return out.str();
}

bool is_sensitivity_file(const std::string& path) {
    try {
        detail::silence_hdf5_errors();
        const Handle file = detail::open_file(path);
        return detail::read_string_attribute(file, "migsim_file") == "sensitivity";
    } catch (const OutputError&) {
        return false;
    }
}

std::string describe_sensitivity(const std::string& path) {
    const Handle file = detail::open_file(path);
    SensitivityResult r;
    r.parameters = detail::read_strings(file, "parameter");
    r.outputs = detail::read_strings(file, "output");
    const std::size_t k = r.parameters.size(), m = r.outputs.size();
    const auto matrix = [&](const char* name) {
        std::vector<hsize_t> shape;
        const std::vector<double> flat = detail::read_doubles(file, name, shape);
        if (shape != std::vector<hsize_t>{m, k})
            throw OutputError(path + ": dataset '" + name + "' is not (output, parameter) (a damaged file?)");
        Matrix out(m, std::vector<double>(k));
        for (std::size_t o = 0; o < m; ++o)
            for (std::size_t i = 0; i < k; ++i) out[o][i] = flat[o * k + i];
        return out;
    };
    const std::string method = detail::read_string_attribute(file, "method");
    if (method.find("morris") != std::string::npos)
        r.morris = MorrisIndices{matrix("morris_mu"), matrix("morris_mu_star"), matrix("morris_sigma"),
                                 matrix("morris_mu_star_low"), matrix("morris_mu_star_high")};
    if (method.find("sobol") != std::string::npos)
        r.sobol = SobolIndices{matrix("sobol_first"),      matrix("sobol_total"),     matrix("sobol_first_low"),
                               matrix("sobol_first_high"), matrix("sobol_total_low"), matrix("sobol_total_high")};
    std::vector<hsize_t> shape;
    (void)detail::read_doubles(file, "output_value", shape);
    std::ostringstream out;
    out << path << ": sensitivity (" << method << ") of " << m << " output(s) to " << k << " parameter(s) of "
        << detail::read_string_attribute(file, "scenario") << "\n"
        << "  SPEC " << detail::read_string_attribute(file, "spec_path") << ", seed "
        << static_cast<std::int64_t>(detail::number_attribute(file, "seed")) << ", " << (shape.empty() ? 0 : shape[0])
        << " runs x " << static_cast<std::int64_t>(detail::number_attribute(file, "replicates")) << " replicate(s), "
        << static_cast<std::int64_t>(detail::number_attribute(file, "bootstrap")) << " bootstrap resamples"
        << (detail::number_attribute(file, "completed") == 1 ? "" : " (NOT COMPLETED)") << "\n";
    out << sensitivity_table(r);
    return out.str();
}

}   // namespace migsim::calibration
