#include "migsim/run.hpp"

#include <oneapi/tbb/info.h>

#include <chrono>

#include "migsim/output.hpp"
#include "migsim/simulation.hpp"

namespace migsim {

RunResult run(const Scenario& scenario, const RunOptions& options) {
    using clock = std::chrono::steady_clock;   // wall time only: never a seed
    const auto start = clock::now();
    const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
    Simulation simulation(scenario, threads);
    Hdf5Writer writer(options.output, scenario, RunInfo{{scenario.settings.seed}, threads, 1});
    RunResult result;
    const int days = scenario.settings.days;
    for (int d = 0; d < days; ++d) {
        if (options.stop && options.stop->load()) {
            result.interrupted = true;
            break;
        }
        simulation.step();
        result.agent_days += static_cast<double>(simulation.agents());
        writer.write_day(0, simulation.today());
        result.days_completed = d + 1;
        if (options.progress) {
            const double elapsed = std::chrono::duration<double>(clock::now() - start).count();
            options.progress({d + 1, days, simulation.agents(), result.agent_days / std::max(elapsed, 1e-9),
                              elapsed, elapsed / (d + 1) * (days - d - 1)});
        }
    }
    result.wall_seconds = std::chrono::duration<double>(clock::now() - start).count();
    result.agents = simulation.agents();
    if (!result.interrupted) writer.finish(result.wall_seconds);
    return result;
}

}  // namespace migsim
