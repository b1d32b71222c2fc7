// calibrate(): the driver every method shares. It asks the method for one generation after
// another, writes the file after each, resumes from the file a killed calibration left, and says
// how far it got. describe_calibration(): what `migsim info` prints for the file.
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <numeric>
#include <sstream>

#include "calibration/calibration_file.hpp"
#include "common/sha256.hpp"
#include "io/hdf5_util.hpp"
#include "migsim/errors.hpp"
#include "migsim/run.hpp"
#include "migsim/scenario.hpp"

namespace migsim::calibration {

namespace {

using clock = std::chrono::steady_clock;   // wall time only: never a seed

std::unique_ptr<CalibrationMethod> method_of(const Spec& spec) {
    switch (spec.method) {
        case Method::abc_smc: return make_abc_smc(spec);
        case Method::history_matching: return make_history_matching(spec);
        case Method::sensitivity: break;
    }
    throw ScenarioError(spec.path.string() + ": this SPEC asks for a sensitivity analysis (outputs:); expected "
                                             "targets: and method: abc_smc or history_matching for migsim calibrate "
                                             "(run migsim sensitivity for outputs:)");
}

// What a file at `output` is to this SPEC: nothing, the same calibration (to resume or done), or
// something else (replaced only with force).
enum class Found { nothing, same_unfinished, same_finished, other };

Found look_at(const std::string& output, const Spec& spec, const std::string& scenario_sha, CalibrationRecord& record) {
    if (!std::filesystem::exists(output)) return Found::nothing;
    try {
        record = read_calibration(output);
    } catch (const OutputError&) {
        return Found::other;
    }
    if (record.spec_text != spec.text || record.scenario_sha256 != scenario_sha) return Found::other;
    return record.completed ? Found::same_finished : Found::same_unfinished;
}

// The q-quantile of values under weights (the smallest value whose cumulative weight reaches q).
double weighted_quantile(std::vector<std::pair<double, double>> value_weight, double q) {
    std::sort(value_weight.begin(), value_weight.end());
    double total = 0;
    for (const auto& vw : value_weight) total += vw.second;
    double below = 0;
    for (const auto& [v, w] : value_weight)
        if ((below += w) >= q * total) return v;
    return value_weight.empty() ? std::nan("") : value_weight.back().first;
}

std::string number_text(double x) {
    if (std::isnan(x)) return "-";
    std::ostringstream out;
    out << std::setprecision(4) << x;
    return out.str();
}

}   // namespace

CalibrationResult calibrate(const Spec& spec, Model& model, const CalibrationOptions& options) {
    const auto start = clock::now();
    const Comm& comm = options.comm ? *options.comm : single_process();
    const std::unique_ptr<CalibrationMethod> method = method_of(spec);
    const Scenario scenario = load_scenario(spec.scenario, spec.overrides);
    const std::string scenario_sha = detail::sha256_hex(scenario.resolved_text);

    std::vector<std::string> inputs{spec.path.string()};
    for (const auto& file : scenario.inputs) inputs.push_back(file.path);
    CalibrationRecord record;
    const Found found = look_at(options.output, spec, scenario_sha, record);
    CalibrationResult result;
    if (found == Found::same_finished && !options.force) {
        result.already_complete = true;
        result.generations = static_cast<int>(record.generations.size());
        return result;
    }
    if (found == Found::other && !options.force)
        throw OutputError(options.output + ": exists and is not an unfinished calibration of this SPEC and scenario; "
                                           "expected a new path, or --force to replace it");
    check_output_path(options.output, true, inputs, "-o");
    if (found != Found::same_unfinished) {
        record = {};
    } else {
        result.resumed = true;
    }
    record.method = method->name();
    record.spec_text = spec.text;
    record.scenario = spec.scenario.string();
    record.scenario_sha256 = scenario_sha;
    record.seed = spec.seed;
    record.replicates = spec.replicates;
    const double seconds_before = record.wall_seconds;

    auto seconds = [&] { return std::chrono::duration<double>(clock::now() - start).count(); };
    std::vector<double> generation_seconds;
    CalibrationProgress progress;
    progress.generations = method->max_generations();
    progress.population = spec.method == Method::abc_smc ? spec.abc.population : spec.history.design;
    StepHooks hooks;
    hooks.stop = options.stop;
    hooks.progress = [&](std::int64_t accepted, std::int64_t simulated) {
        if (!options.progress || comm.rank() != 0) return;
        progress.accepted = accepted;
        progress.simulated = simulated;
        progress.seconds_elapsed = seconds();
        options.progress(progress);
    };
    while (!method->finished(record.generations)) {
        const auto generation_start = clock::now();
        progress.generation = static_cast<int>(record.generations.size());
        progress.tolerance = record.generations.empty() ? infinity : record.generations.back().tolerance;
        progress.accepted = progress.simulated = 0;
        if (!generation_seconds.empty()) {
            const double per = std::accumulate(generation_seconds.begin(), generation_seconds.end(), 0.0) /
                               static_cast<double>(generation_seconds.size());
            progress.seconds_left = per * (progress.generations - progress.generation);
        }
        try {
            record.generations.push_back(method->next(record.generations, model, hooks));
        } catch (const Stopped&) {
            result.interrupted = true;
            break;
        }
        const Generation& made = record.generations.back();
        progress.acceptance_rate = made.acceptance_rate;
        progress.tolerance = made.tolerance;
        result.simulations += made.simulations;
        generation_seconds.push_back(std::chrono::duration<double>(clock::now() - generation_start).count());
        record.wall_seconds = seconds_before + seconds();
        record.completed = method->finished(record.generations);
        if (comm.rank() == 0) write_calibration(options.output, spec, record);
        if (options.progress && comm.rank() == 0) {
            progress.generation = static_cast<int>(record.generations.size());
            progress.seconds_elapsed = seconds();
            options.progress(progress);
        }
    }
    result.generations = static_cast<int>(record.generations.size());
    result.wall_seconds = seconds();
    return result;
}

bool is_calibration_file(const std::string& path) {
    try {
        detail::silence_hdf5_errors();
        const detail::Handle file = detail::open_file(path);
        return detail::read_string_attribute(file, "migsim_file") == "calibration";
    } catch (const OutputError&) {
        return false;
    }
}

std::string describe_calibration(const std::string& path) {
    const CalibrationRecord r = read_calibration(path);
    detail::silence_hdf5_errors();
    const detail::Handle file = detail::open_file(path);
    const auto keys = detail::read_strings(file, "parameter");
    const auto targets = detail::read_strings(file, "target");
    const auto kinds = detail::read_strings(file, "prior_kind");
    std::vector<hsize_t> shape;
    const auto a = detail::read_doubles(file, "prior_a", shape), b = detail::read_doubles(file, "prior_b", shape),
               low = detail::read_doubles(file, "prior_low", shape),
               high = detail::read_doubles(file, "prior_high", shape),
               truth = detail::read_doubles(file, "truth", shape),
               observed = detail::read_doubles(file, "observed", shape),
               sd = detail::read_doubles(file, "observation_sd", shape);
    std::ostringstream out;
    std::int64_t simulations = 0;
    for (const auto& g : r.generations) simulations += g.simulations;
    const bool abc = r.method == "abc-smc";
    const std::size_t stages = abc || r.generations.empty() ? r.generations.size() : r.generations.size() - 1;
    out << path << ": calibration of " << r.scenario << " by " << r.method << "\n"
        << "  " << stages << (abc ? " generations" : " waves and the posterior") << ", " << simulations
        << " simulations, " << number_text(r.wall_seconds) << " s, seed " << r.seed << ", " << r.replicates
        << " replicate(s) per point, "
        << (r.completed ? "completed" : "NOT completed (rerun the same command to resume)") << "\n";
    if (r.generations.empty()) return out.str();
    const Generation& post = r.generations.back();
    if (post.values.empty()) {
        out << "  every point the waves ran is ruled out (implausibility above " << number_text(post.tolerance)
            << "): with these priors the model cannot match the targets within their errors; widen a prior, "
               "raise the cutoff or check the targets\n";
        return out.str();
    }
    out << "  final tolerance " << number_text(post.tolerance) << ", acceptance " << number_text(post.acceptance_rate)
        << ", effective sample size " << number_text(post.ess) << " of " << post.values.size() << "\n\n";
    out << std::left << std::setw(34) << "parameter" << std::setw(30) << "prior" << std::setw(12) << "median"
        << std::setw(24) << "90% interval"
        << "truth\n";
    for (std::size_t p = 0; p < keys.size(); ++p) {
        std::vector<std::pair<double, double>> vw;
        for (std::size_t i = 0; i < post.values.size(); ++i) vw.emplace_back(post.values[i][p], post.weights[i]);
        std::string prior = kinds[p] + "(" + number_text(a[p]) + ", " + number_text(b[p]) + ")";
        if (kinds[p] == "truncated_normal") prior += " in [" + number_text(low[p]) + ", " + number_text(high[p]) + "]";
        const double lo = weighted_quantile(vw, 0.05), hi = weighted_quantile(vw, 0.95);
        std::string verdict = number_text(truth[p]);
        if (!std::isnan(truth[p])) verdict += truth[p] >= lo && truth[p] <= hi ? " (inside)" : " (OUTSIDE)";
        out << std::setw(34) << keys[p] << std::setw(30) << prior << std::setw(12)
            << number_text(weighted_quantile(vw, 0.5)) << std::setw(24) << (number_text(lo) + " - " + number_text(hi))
            << verdict << "\n";
    }
    out << "\n"
        << std::setw(34) << "target" << std::setw(14) << "observed" << std::setw(12) << "sd" << std::setw(12)
        << "predictive" << std::setw(24) << "90% interval"
        << "observed inside\n";
    for (std::size_t t = 0; t < targets.size(); ++t) {
        std::vector<std::pair<double, double>> vw;
        for (std::size_t i = 0; i < post.values.size(); ++i) vw.emplace_back(post.outputs[i][t], post.weights[i]);
        const double lo = weighted_quantile(vw, 0.05), hi = weighted_quantile(vw, 0.95);
        out << std::setw(34) << targets[t] << std::setw(14) << number_text(observed[t]) << std::setw(12)
            << number_text(sd[t]) << std::setw(12) << number_text(weighted_quantile(vw, 0.5)) << std::setw(24)
            << (number_text(lo) + " - " + number_text(hi)) << (observed[t] >= lo && observed[t] <= hi ? "yes" : "no")
            << "\n";
    }
    return out.str();
}

}   // namespace migsim::calibration
