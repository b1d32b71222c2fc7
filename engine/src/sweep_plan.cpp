// Turning `--param` specs into the samples of a sweep: a grid, or a Latin hypercube whose
// strata and jitter come from counter-based draws (deterministic by seed).
#include <algorithm>
#include <numeric>
#include <sstream>

#include "migsim/errors.hpp"
#include "migsim/run.hpp"
#include "model/draws.hpp"
#include "scenario/csv_table.hpp"

namespace migsim {

namespace {

struct Axis {
    std::string key;
    std::vector<double> values;   // grid values
    double low = 0, high = 0;     // range (Latin hypercube)
    bool range = false;
};

[[noreturn]] void bad(const std::string& spec, const std::string& expected) {
    throw ScenarioError("--param", 0, "spec", spec, expected);
}

Axis parse_axis(const std::string& spec, bool hypercube) {
    const auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0)
        bad(spec, "KEY=LOW:HIGH:N or KEY=V1,V2,... (e.g. border:strait.patrol=0.2:0.8:7)");
    Axis axis;
    axis.key = spec.substr(0, eq);
    const std::string rest = spec.substr(eq + 1);
    std::vector<std::string> parts;
    const char separator = rest.find(':') != std::string::npos ? ':' : ',';
    std::stringstream in(rest);
    for (std::string part; std::getline(in, part, separator);) parts.push_back(part);
    std::vector<double> numbers;
    for (const auto& part : parts) {
        auto x = detail::parse_number(part);
        if (!x) bad(spec, "numbers in LOW:HIGH:N or V1,V2,...; '" + part + "' is not one");
        numbers.push_back(*x);
    }
    if (hypercube) {
        if (separator != ':' || numbers.size() != 2) bad(spec, "KEY=LOW:HIGH with --samples (a range to sample)");
        axis.low = numbers[0];
        axis.high = numbers[1];
        axis.range = true;
        return axis;
    }
    if (separator == ',') {
        axis.values = numbers;
    } else {
        if (numbers.size() != 3 || numbers[2] < 1 || numbers[2] != static_cast<int>(numbers[2]))
            bad(spec, "KEY=LOW:HIGH:N with N a whole number >= 1");
        const int n = static_cast<int>(numbers[2]);
        for (int i = 0; i < n; ++i)
            axis.values.push_back(n == 1 ? numbers[0] : numbers[0] + (numbers[1] - numbers[0]) * i / (n - 1));
    }
    if (axis.values.empty()) bad(spec, "at least one value");
    return axis;
}

}   // namespace

SweepPlan plan_sweep(const std::filesystem::path& scenario, const std::vector<std::string>& overrides,
                     const std::vector<std::string>& specs, int samples, std::uint64_t seed) {
    if (specs.empty()) bad("", "at least one --param KEY=LOW:HIGH:N");
    SweepPlan plan{scenario, overrides, {}, {}};
    std::vector<Axis> axes;
    for (const auto& spec : specs) {
        axes.push_back(parse_axis(spec, samples > 0));
        plan.parameters.push_back(axes.back().key);
    }
    if (samples > 0) {
        const auto K = static_cast<std::size_t>(samples);
        plan.values.assign(K, std::vector<double>(axes.size()));
        for (std::size_t p = 0; p < axes.size(); ++p) {
            // Stratum k of K goes to the sample with the k-th smallest draw; jitter inside it.
            std::vector<std::uint32_t> order(K);
            std::iota(order.begin(), order.end(), 0u);
            auto key = [&](std::uint32_t k) {
                return detail::draw(seed, static_cast<std::uint32_t>(p), static_cast<int>(k), detail::Purpose::sweep);
            };
            std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
                return std::pair(key(a)[0], a) < std::pair(key(b)[0], b);
            });
            for (std::size_t stratum = 0; stratum < K; ++stratum) {
                const std::uint32_t k = order[stratum];
                const double u = detail::unit(key(k)[1]);
                plan.values[k][p] = axes[p].low + (axes[p].high - axes[p].low) * (static_cast<double>(stratum) + u) /
                                                      static_cast<double>(K);
            }
        }
        return plan;
    }
    std::vector<std::size_t> at(axes.size(), 0);
    while (true) {
        std::vector<double> row;
        for (std::size_t p = 0; p < axes.size(); ++p) row.push_back(axes[p].values[at[p]]);
        plan.values.push_back(row);
        std::size_t p = axes.size();
        while (p > 0 && ++at[p - 1] == axes[p - 1].values.size()) at[--p] = 0;
        if (p == 0) break;
    }
    if (plan.values.size() > 100000) bad(specs.front(), "a grid of at most 100,000 samples");
    return plan;
}

}   // namespace migsim
