// Runs and sweeps. Replicates of one scenario advance in lockstep, a day at a time, in
// parallel (each replicate also parallel inside); after each day every replicate's row goes to
// the writer (which writes whole chunks, see output.hpp), and a run that is stopped flushes it,
// so an interrupted ensemble keeps every finished day of all.
#include "migsim/run.hpp"

#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <sstream>

#include "migsim/errors.hpp"
#include "migsim/output.hpp"
#include "migsim/simulation.hpp"
#include "io/sha256.hpp"

namespace migsim {

namespace {

using clock = std::chrono::steady_clock;   // wall time only: never a seed

int thread_count(const RunOptions& options) {
    return options.threads > 0 ? options.threads : tbb::info::default_concurrency();
}

std::vector<std::uint64_t> seeds_of(const Scenario& s, int replicates) {
    std::vector<std::uint64_t> seeds;
    for (int r = 0; r < replicates; ++r) seeds.push_back(s.settings.seed + static_cast<std::uint64_t>(r));
    return seeds;
}

// Steps `replicates` simulations of `scenario` through its days into `writer` (at `sample`).
// Returns false if stopped.
bool run_replicates(const Scenario& scenario, const RunOptions& options, Hdf5Writer& writer, int sample,
                    int samples, RunResult& result, clock::time_point start) {
    const int replicates = std::max(1, options.replicates);
    std::vector<std::unique_ptr<Simulation>> sims;
    for (std::uint64_t seed : seeds_of(scenario, replicates)) {
        Scenario copy = scenario;
        copy.settings.seed = seed;
        sims.push_back(std::make_unique<Simulation>(copy, thread_count(options)));
    }
    const int days = scenario.settings.days;
    for (int d = 0; d < days; ++d) {
        if (options.stop && options.stop->load()) return false;
        tbb::parallel_for(0, replicates, [&](int r) { sims[static_cast<std::size_t>(r)]->step(); });
        std::int64_t agents = 0;
        for (int r = 0; r < replicates; ++r) {
            writer.write_day(sample, r, sims[static_cast<std::size_t>(r)]->today());
            agents += sims[static_cast<std::size_t>(r)]->agents();
        }
        writer.day_done(d + 1);
        result.agent_days += static_cast<double>(agents);
        result.days_completed = d + 1;
        if (options.progress) {
            const double elapsed = std::chrono::duration<double>(clock::now() - start).count();
            const double done = static_cast<double>(result.samples_run * days + d + 1);
            const double total = static_cast<double>((samples - result.samples_skipped) * days);
            options.progress({d + 1, days, sample, samples, agents, result.agent_days / std::max(elapsed, 1e-9),
                              elapsed, elapsed / done * (total - done)});
        }
    }
    for (const auto& sim : sims) result.agents += sim->agents();
    return true;
}

}  // namespace

RunResult run(const Scenario& scenario, const RunOptions& options) {
    const auto start = clock::now();
    const int replicates = std::max(1, options.replicates);
    RunInfo info{seeds_of(scenario, replicates), thread_count(options), 1, {}, {}, {}};
    Hdf5Writer writer(options.output, scenario, info);
    RunResult result;
    result.interrupted = !run_replicates(scenario, options, writer, 0, 1, result, start);
    result.wall_seconds = std::chrono::duration<double>(clock::now() - start).count();
    if (result.interrupted)
        writer.flush();
    else
        writer.finish(result.wall_seconds);
    return result;
}

RunResult run_sweep(const SweepPlan& plan, const RunOptions& options) {
    const auto start = clock::now();
    const int replicates = std::max(1, options.replicates);
    const int samples = static_cast<int>(plan.values.size());
    auto sample_scenario = [&](int k) {
        std::vector<std::string> overrides = plan.overrides;
        for (std::size_t p = 0; p < plan.parameters.size(); ++p) {
            std::ostringstream value;
            value.precision(17);
            value << plan.values[static_cast<std::size_t>(k)][p];
            overrides.push_back(plan.parameters[p] + "=" + value.str());
        }
        return load_scenario(plan.scenario, overrides);
    };
    // Every sample is loaded and checked before anything runs.
    std::vector<Scenario> scenarios;
    for (int k = 0; k < samples; ++k) scenarios.push_back(sample_scenario(k));

    std::ostringstream spec;
    spec.precision(17);
    spec << "scenario=" << plan.scenario.string() << "\nreplicates=" << replicates
         << "\nseed=" << scenarios.front().settings.seed << "\ndays=" << scenarios.front().settings.days;
    for (const auto& o : plan.overrides) spec << "\nset " << o;
    for (const auto& s : scenarios) spec << "\nsample " << detail::sha256_hex(s.resolved_text);
    for (std::size_t p = 0; p < plan.parameters.size(); ++p) {
        spec << "\nparameter " << plan.parameters[p] << ":";
        for (const auto& row : plan.values) spec << " " << row[p];
    }
    RunInfo info{seeds_of(scenarios.front(), replicates), thread_count(options), 1, plan.parameters, plan.values, spec.str()};
    std::unique_ptr<Hdf5Writer> writer = std::filesystem::exists(options.output)
        ? std::make_unique<Hdf5Writer>(Hdf5Writer::Resume{}, options.output, info)
        : std::make_unique<Hdf5Writer>(options.output, scenarios.front(), info);
    const std::vector<bool> done = writer->completed_samples();
    RunResult result;
    for (int k = 0; k < samples; ++k) result.samples_skipped += done[static_cast<std::size_t>(k)] ? 1 : 0;
    for (int k = 0; k < samples; ++k) {
        if (done[static_cast<std::size_t>(k)]) continue;
        if (!run_replicates(scenarios[static_cast<std::size_t>(k)], options, *writer, k, samples, result, start)) {
            result.interrupted = true;
            break;
        }
        writer->sample_done(k);
        ++result.samples_run;
    }
    result.wall_seconds = std::chrono::duration<double>(clock::now() - start).count();
    if (result.interrupted)
        writer->flush();
    else
        writer->finish(result.wall_seconds);
    return result;
}

}  // namespace migsim
