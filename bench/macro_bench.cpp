// Macro benchmarks: whole runs, in agent-days per second per core (the unit engines are compared
// by) and bytes per agent. Agent-days are the agents that exist each day, summed over days.
//   build/release/bench/migsim_bench --benchmark_filter=Macro      (bench/run_standard.sh: all)
#include <benchmark/benchmark.h>

#include <malloc.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "migsim/generate.hpp"
#include "migsim/run.hpp"
#include "migsim/simulation.hpp"

using namespace migsim;

namespace {
const std::string mediterranean_dir = std::string(MIGSIM_SOURCE_DIR) + "/scenarios/mediterranean";

// Resident memory of this process, bytes (Linux /proc), after returning freed heap to the
// system (so that an earlier benchmark's memory does not hide this one's).
double resident_bytes() {
    malloc_trim(0);
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    statm >> pages >> resident;
    return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

// Agents whose journey goes on (waiting, travelling, detained, held, trafficked) at the end of
// the day just stepped: the agent-days that cost work. Ended journeys are counted once, when
// they end, not visited again.
double live_agents(const Simulation& sim) {
    const auto& status = sim.today()[Series::status_counts];
    double live = 0;
    for (Status s : {Status::waiting, Status::travelling, Status::detained, Status::held, Status::trafficked})
        live += static_cast<double>(status[static_cast<std::size_t>(s)]);
    return live;
}

// Steps `scenario` through its days on `threads` threads; sets the counters.
void run_in_memory(benchmark::State& state, const Scenario& scenario, int threads) {
    double agent_days = 0, live_agent_days = 0, bytes_per_agent = 0;
    for (auto _ : state) {
        // The day loop is timed; setting up (route options and plans, reserving the agents) is
        // start-up, measured by BM_MacroSetUpMediterranean.
        state.PauseTiming();
        const double before = resident_bytes();   // the scenario is loaded; no simulation yet
        Simulation sim(scenario, threads);
        state.ResumeTiming();
        for (int d = 0; d < scenario.settings.days; ++d) {
            sim.step();
            agent_days += static_cast<double>(sim.agents());
            live_agent_days += live_agents(sim);
        }
        if (sim.agents() > 0) bytes_per_agent = (resident_bytes() - before) / static_cast<double>(sim.agents());
        state.counters["agents"] = static_cast<double>(sim.agents());
    }
    state.counters["agent_days_per_s_per_core"] = benchmark::Counter(agent_days / threads, benchmark::Counter::kIsRate);
    state.counters["agent_days_per_s"] = benchmark::Counter(agent_days, benchmark::Counter::kIsRate);
    state.counters["live_agent_days_per_s_per_core"] =
        benchmark::Counter(live_agent_days / threads, benchmark::Counter::kIsRate);
    state.counters["hot_bytes_per_agent"] = static_cast<double>(Simulation::hot_bytes_per_agent());
    state.counters["resident_bytes_per_agent"] = bytes_per_agent;
    state.counters["threads"] = threads;
}

// Load and validation of the Mediterranean scenario (start-up; the goal is under a second).
void BM_MacroLoadMediterranean(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(load_scenario(mediterranean_dir, {}).links.size());
}
BENCHMARK(BM_MacroLoadMediterranean)->Unit(benchmark::kMillisecond);

// Setting up a simulation of the Mediterranean scenario (route options, no-way-back table).
void BM_MacroSetUpMediterranean(benchmark::State& state) {
    const Scenario scenario = load_scenario(mediterranean_dir, {});
    for (auto _ : state) benchmark::DoNotOptimize(Simulation(scenario, 1).agents());
}
BENCHMARK(BM_MacroSetUpMediterranean)->Unit(benchmark::kMillisecond);

// The whole Mediterranean run, 2019-2022 (about a million agents), in memory. Arg: threads.
void BM_MacroMediterranean(benchmark::State& state) {
    run_in_memory(state, load_scenario(mediterranean_dir, {}), static_cast<int>(state.range(0)));
}
BENCHMARK(BM_MacroMediterranean)->Arg(1)->Arg(2)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

// The same with its daily HDF5 output, as `migsim run` does it: compare with the in-memory
// run for the writer's share of run time.
void BM_MacroMediterraneanWithOutput(benchmark::State& state) {
    const Scenario scenario = load_scenario(mediterranean_dir, {});
    const auto path = std::filesystem::temp_directory_path() / "migsim_bench_med.h5";
    RunOptions options;
    options.output = path.string();
    options.overwrite = true;   // a file left by an interrupted benchmark
    options.threads = static_cast<int>(state.range(0));
    double agent_days = 0;
    for (auto _ : state) agent_days += run(scenario, options).agent_days;
    std::filesystem::remove(path);
    state.counters["agent_days_per_s_per_core"] =
        benchmark::Counter(agent_days / static_cast<double>(state.range(0)), benchmark::Counter::kIsRate);
    state.counters["threads"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_MacroMediterraneanWithOutput)->Arg(1)->Arg(2)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

// The Mediterranean scenario scaled by Arg(0) (10: about 10^7 agents), 2019-2022: every demand
// row, market capacity, pathway quota and place capacity times the factor, so that the same
// share of migrants waits for a seat as in the real-size run. Args: factor, threads.
void BM_MacroMediterraneanScaled(benchmark::State& state) {
    Scenario scenario = load_scenario(mediterranean_dir, {});
    const std::int64_t factor = state.range(0);
    for (auto& row : scenario.demand) row.count *= factor;
    for (auto& market : scenario.markets) market.capacity *= factor;
    for (auto& pathway : scenario.pathways) pathway.quota *= factor;
    for (auto& location : scenario.locations) location.capacity *= factor;
    for (auto& event : scenario.events)
        if (event.change.parameter == Parameter::capacity || event.change.parameter == Parameter::quota)
            event.change.value *= static_cast<double>(factor);
    run_in_memory(state, scenario, static_cast<int>(state.range(1)));
}
BENCHMARK(BM_MacroMediterraneanScaled)
    ->Args({10, 1})
    ->Args({10, 2})
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1);

// A generated network, Arg(0) agents set out over the first 30 of 60 days. Args: agents,
// places, threads. Over agents (100 places, about the Mediterranean's size) the cost should be
// linear: the same agent-days/s at every size. Over places (10^6 agents) it shows the daily
// cost of the network (route tables, cost-to-go), paid whatever the number of agents.
void BM_MacroGenerated(benchmark::State& state) {
    GeneratorOptions options;
    options.agents = state.range(0);
    options.locations = static_cast<int>(state.range(1));
    options.days = 60;
    run_in_memory(state, generate_scenario(options), static_cast<int>(state.range(2)));
    state.counters["places"] = static_cast<double>(options.locations);
}
BENCHMARK(BM_MacroGenerated)
    ->ArgsProduct({{10000, 100000, 1000000, 10000000}, {100}, {1, 2}})
    ->Args({100000000, 100, 2})
    ->ArgsProduct({{1000000}, {1000, 10000}, {1, 2}})
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1);
// What the journey table and the split by group cost, and that they cost nothing when off
// (docs/HARM.md, docs/JOURNEYS.md). The Mediterranean with journeys of a share Arg(0)/1000 of
// its migrants, 2 threads.
void BM_MacroMediterraneanJourneys(benchmark::State& state) {
    Scenario scenario = load_scenario(mediterranean_dir, {});
    scenario.settings.journey_sample = static_cast<double>(state.range(0)) / 1000;
    run_in_memory(state, scenario, 2);
    state.counters["journey_sample"] = scenario.settings.journey_sample;
}
BENCHMARK(BM_MacroMediterraneanJourneys)
    ->Arg(0)
    ->Arg(10)
    ->Arg(1000)
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1);

// The toy scenario (4 groups, harms, tolls, bribes) with its demand times 200 (360,000 agents),
// series split by group (Arg(0) = 1) or not, 2 threads.
void BM_MacroToyByGroup(benchmark::State& state) {
    Scenario scenario = load_scenario(std::string(MIGSIM_SOURCE_DIR) + "/scenarios/toy", {});
    for (auto& row : scenario.demand) row.count *= 200;
    for (auto& market : scenario.markets) market.capacity *= 200;
    for (auto& pathway : scenario.pathways) pathway.quota *= 200;
    scenario.settings.output_by_group = state.range(0) == 1;
    run_in_memory(state, scenario, 2);
    state.counters["by_group"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_MacroToyByGroup)->Arg(0)->Arg(1)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(3);

// What route choice by group costs (docs/HARM.md): the Mediterranean with Arg(0) group classes
// (1: as shipped, the groups choose alike; 2: women and girls weigh death 1.5x; 4: every group
// its own factor), 2 threads. Only the day's route tables grow with the classes.
void BM_MacroMediterraneanGroupChoice(benchmark::State& state) {
    Scenario scenario = load_scenario(mediterranean_dir, {});
    const auto classes = static_cast<std::size_t>(state.range(0));
    for (std::size_t g = 0; g < scenario.groups.size(); ++g)
        if (classes == 4 || (classes == 2 && scenario.groups[g].sex == "female"))
            scenario.groups[g].weight_factors.death = 1.5 + 0.1 * static_cast<double>(classes == 4 ? g : 0);
    run_in_memory(state, scenario, 2);
    state.counters["group_classes"] = static_cast<double>(classes);
}
BENCHMARK(BM_MacroMediterraneanGroupChoice)
    ->Arg(1)
    ->Arg(2)
    ->Arg(4)
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1);
}   // namespace

BENCHMARK_MAIN();
