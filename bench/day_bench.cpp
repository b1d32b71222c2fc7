// Speed of the day loop, reported as agent-days per second per core (the unit we compare
// engines by). Run: build/release/bench/migsim_bench
#include <benchmark/benchmark.h>

#include "migsim/simulation.hpp"

using namespace migsim;

namespace {
const std::string mediterranean = std::string(MIGSIM_SOURCE_DIR) + "/scenarios/mediterranean";

// One simulated year of the Mediterranean scenario (about 130,000 agents), per thread count.
void BM_MediterraneanYear(benchmark::State& state) {
    const int threads = static_cast<int>(state.range(0));
    const Scenario scenario = load_scenario(mediterranean, {"days=365"});
    double agent_days = 0;
    for (auto _ : state) {
        Simulation sim(scenario, threads);
        for (int d = 0; d < 365; ++d) {
            sim.step();
            agent_days += static_cast<double>(sim.agents());
        }
    }
    state.counters["agent_days_per_s_per_core"] =
        benchmark::Counter(agent_days / threads, benchmark::Counter::kIsRate);
    state.counters["hot_bytes_per_agent"] = static_cast<double>(Simulation::hot_bytes_per_agent());
}
BENCHMARK(BM_MediterraneanYear)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
}  // namespace

BENCHMARK_MAIN();
