#include "commands.hpp"

#include <csignal>
#include <cstdio>
#include <iostream>

#include "migsim/output.hpp"
#include "migsim/run.hpp"
#include "migsim/scenario.hpp"
#include "progress.hpp"

namespace migsim::cli {

namespace {

std::atomic<bool> stop_requested{false};

extern "C" void on_signal(int) { stop_requested.store(true); }

}  // namespace

int run_command(const RunArgs& args) {
    std::vector<std::string> overrides = args.overrides;
    if (args.seed >= 0) overrides.push_back("seed=" + std::to_string(args.seed));
    if (args.days > 0) overrides.push_back("days=" + std::to_string(args.days));
    const Scenario scenario = load_scenario(args.scenario, overrides);
    const std::string output = args.output.empty() ? scenario.settings.name + ".h5" : args.output;

    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    ProgressLine progress(!args.quiet);
    RunOptions options{output, args.threads, std::ref(progress), &stop_requested};
    const RunResult result = run(scenario, options);
    progress.finish();

    if (!args.quiet) std::cout << describe_output(output);
    std::cout << "\nwrote " << output << " (" << result.days_completed << " days, " << result.agents
              << " agents, " << result.wall_seconds << " s)\n";
    if (result.interrupted) {
        std::cerr << "migsim: interrupted after day " << result.days_completed << "; " << output
                  << " holds every finished day\n";
        return exit_interrupted;
    }
    return exit_ok;
}

int validate_command(const std::string& path, const std::vector<std::string>& overrides) {
    const Scenario s = load_scenario(path, overrides);
    std::cout << "ok: scenario '" << s.settings.name << "': " << s.locations.size() << " locations, "
              << s.links.size() << " links, " << s.borders.size() << " borders, " << s.markets.size()
              << " markets, " << s.pathways.size() << " pathways, " << s.profiles.size() << " profiles, "
              << s.events.size() << " events; " << s.total_agents() << " migrants over "
              << s.settings.days << " days from " << s.settings.start_date << "\n";
    return exit_ok;
}

int info_command(const std::string& path, bool checksums) {
    if (checksums) {
        for (const auto& line : dataset_checksums(path)) std::cout << line << "\n";
    } else {
        std::cout << describe_output(path);
    }
    return exit_ok;
}

}  // namespace migsim::cli
