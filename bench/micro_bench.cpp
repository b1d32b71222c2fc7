// Micro benchmarks: the pieces of a day, each at the size it has in the Mediterranean scenario.
// Counters: items_per_second = agents (or asks, or days) handled per second on one core.
//   build/release/bench/migsim_bench --benchmark_filter=Micro
#include <benchmark/benchmark.h>

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "migsim/output.hpp"
#include "migsim/simulation.hpp"
#include "model/conditions.hpp"
#include "model/draws.hpp"
#include "model/route_choice.hpp"
#include "model/route_plans.hpp"
#include "migsim/comm.hpp"
#include "parallel/selection.hpp"

using namespace migsim;
using namespace migsim::detail;

namespace {
const Scenario& mediterranean() {
    static const Scenario s = load_scenario(std::string(MIGSIM_SOURCE_DIR) + "/scenarios/mediterranean", {});
    return s;
}

// Its parameters as loaded (no event applied).
const DayParameters& as_loaded() {
    static const DayParameters p(mediterranean());
    return p;
}

// Today's conditions of the Mediterranean scenario on day 0.
const DayConditions& day_zero() {
    static const DayConditions day = [] {
        ConditionsTracker tracker(mediterranean());
        tracker.begin_day(mediterranean(), as_loaded(), 0,
                          std::vector<std::int64_t>(mediterranean().locations.size(), 0));
        return tracker.today();
    }();
    return day;
}

// Option costs, cost-to-go (Bellman-Ford per profile) and every (location, profile) route
// table with agents everywhere: once a day.
void BM_MicroRouteTables(benchmark::State& state) {
    RouteChoice choice(mediterranean());
    RoutePlans plans(mediterranean(), choice);
    const std::vector<std::uint8_t> everywhere(mediterranean().locations.size(), 1);
    int day = 0;
    for (auto _ : state) {
        choice.update(mediterranean(), as_loaded(), day_zero());
        plans.update(as_loaded(), day_zero(), choice, everywhere, day++, 1.0);
        benchmark::DoNotOptimize(choice.cost_to_go().data());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MicroRouteTables);

// The same with the Mediterranean's 4 demographic groups choosing apart (each its own death
// weight factor): 4 group classes, 4 times the tables (docs/HARM.md).
void BM_MicroRouteTablesFourGroupClasses(benchmark::State& state) {
    Scenario s = mediterranean();
    for (std::size_t g = 0; g < s.groups.size(); ++g)
        s.groups[g].weight_factors.death = 1 + 0.25 * static_cast<double>(g);
    RouteChoice choice(s);
    RoutePlans plans(s, choice);
    const DayParameters parameters(s);
    const std::vector<std::uint8_t> everywhere(s.locations.size(), 1);
    int day = 0;
    for (auto _ : state) {
        choice.update(s, parameters, day_zero());
        plans.update(parameters, day_zero(), choice, everywhere, day++, 1.0);
        benchmark::DoNotOptimize(choice.cost_to_go().data());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MicroRouteTablesFourGroupClasses);

// One agent's plan: a Philox draw and an alias-table sample, over agents spread on locations.
void BM_MicroDrawAndSample(benchmark::State& state) {
    RouteChoice choice(mediterranean());
    choice.update(mediterranean(), as_loaded(), day_zero());
    RoutePlans plans(mediterranean(), choice);
    plans.update(as_loaded(), day_zero(), choice, std::vector<std::uint8_t>(mediterranean().locations.size(), 1), 0,
                 1.0);
    const int locations = static_cast<int>(mediterranean().locations.size());
    const int profiles = static_cast<int>(mediterranean().profiles.size());
    constexpr std::uint32_t agents = 1 << 16;
    std::uint64_t picked = 0;
    for (auto _ : state) {
        for (std::uint32_t i = 0; i < agents; ++i) {
            const Words w = draw(1, i, 7, Purpose::choice);
            picked += static_cast<std::uint64_t>(
                plans.sample(static_cast<int>(i % static_cast<std::uint32_t>(locations)),
                             static_cast<int>(i % static_cast<std::uint32_t>(profiles)), w[0], w[1]) +
                1);
        }
    }
    benchmark::DoNotOptimize(picked);
    state.SetItemsProcessed(state.iterations() * agents);
}
BENCHMARK(BM_MicroDrawAndSample);

// The seat/quota selection: D asks over 21 markets, each selling fewer seats than asked.
void BM_MicroSeatSelection(benchmark::State& state) {
    const auto asks_per_contest = static_cast<std::size_t>(state.range(0));
    constexpr std::size_t contests = 21;
    std::vector<Ask> asks;
    for (std::uint32_t i = 0; i < asks_per_contest * contests; ++i)
        asks.push_back(
            {priority_key(draw(1, i, 0, Purpose::crossing)[0], i), i, static_cast<std::uint16_t>(i % contests), 0});
    std::vector<std::int64_t> demand(contests, static_cast<std::int64_t>(asks_per_contest));
    std::vector<std::int64_t> places(contests, static_cast<std::int64_t>(asks_per_contest / 3));
    const std::vector<std::span<const Ask>> lists{std::span<const Ask>(asks)};
    const migsim::Comm& comm = migsim::single_process();
    Thresholds out;
    for (auto _ : state) {
        find_thresholds(lists, demand, places, comm, out);
        benchmark::DoNotOptimize(out.key.data());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(asks.size()));
}
BENCHMARK(BM_MicroSeatSelection)->Arg(100)->Arg(10000);

// Writing one day of the Mediterranean series to HDF5 (and flushing it, as runs do daily).
void BM_MicroWriteDay(benchmark::State& state) {
    const std::string path = (std::filesystem::temp_directory_path() / "migsim_bench_write.h5").string();
    Simulation sim(mediterranean(), 1);
    sim.step();
    RunInfo info;
    info.seeds = {1};
    Hdf5Writer writer(path, mediterranean(), info);
    int day = 0;
    for (auto _ : state) {
        writer.write_day(0, 0, sim.today());
        writer.day_done(++day);
    }
    state.SetItemsProcessed(state.iterations());
    std::filesystem::remove(path);
}
BENCHMARK(BM_MicroWriteDay);
}   // namespace
