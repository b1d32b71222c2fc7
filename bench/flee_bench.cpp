// Flee's mali2012 scenario under Flee's rules (scenarios/flee-mali2012, full size: 89,991 agents,
// 300 days, 19.8 million agent-days), against Flee's own 132.6 s on a 2-core machine like ours
// (shared/data/flee/README.md). Two timings: the whole `migsim run` (load, registrations, the
// days, the HDF5 file), which is what a user waits for, and the days alone in memory.
//   build/release/bench/migsim_bench --benchmark_filter=Flee
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include "migsim/run.hpp"
#include "migsim/simulation.hpp"

using namespace migsim;

namespace {
const std::string mali_dir = std::string(MIGSIM_SOURCE_DIR) + "/scenarios/flee-mali2012";
constexpr double flee_seconds = 132.6;   // Flee (commit 02cd2cbd), same scenario, 2 cores

void report(benchmark::State& state, double agent_days, int threads) {
    state.counters["agent_days_per_s_per_core"] = benchmark::Counter(agent_days / threads, benchmark::Counter::kIsRate);
    state.counters["agent_days_per_s"] = benchmark::Counter(agent_days, benchmark::Counter::kIsRate);
    // Flee's seconds over ours: kIsRate divides by our seconds (per iteration: kAvgIterations).
    state.counters["times_faster_than_flee"] =
        benchmark::Counter(flee_seconds * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
    state.counters["threads"] = threads;
}

// `migsim run scenarios/flee-mali2012 -o FILE --threads N`, as a user runs it. Arg: threads.
void BM_FleeMali2012Run(benchmark::State& state) {
    const int threads = static_cast<int>(state.range(0));
    const auto path = std::filesystem::temp_directory_path() / "migsim_bench_mali2012.h5";
    RunOptions options;
    options.output = path.string();
    options.overwrite = true;
    options.threads = threads;
    double agent_days = 0;
    for (auto _ : state) agent_days += run(load_scenario(mali_dir, {}), options).agent_days;
    std::filesystem::remove(path);
    report(state, agent_days, threads);
}
BENCHMARK(BM_FleeMali2012Run)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

// The 300 days alone, in memory (no load, no file). Arg: threads.
void BM_FleeMali2012Days(benchmark::State& state) {
    const int threads = static_cast<int>(state.range(0));
    const Scenario scenario = load_scenario(mali_dir, {});
    double agent_days = 0;
    for (auto _ : state) {
        Simulation sim(scenario, threads);
        for (int d = 0; d < scenario.settings.days; ++d) {
            sim.step();
            agent_days += static_cast<double>(sim.agents());
        }
    }
    report(state, agent_days, threads);
    state.counters["agents"] = static_cast<double>(scenario.total_agents());
}
BENCHMARK(BM_FleeMali2012Days)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
}   // namespace
