// migsim generate: a synthetic scenario folder for benchmarks and stress tests.
#include <algorithm>
#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "migsim/errors.hpp"
#include "migsim/generate.hpp"

namespace migsim::cli {

namespace fs = std::filesystem;

int generate_command(const GenerateArgs& args) {
    GeneratorOptions options;
    options.locations = args.locations;
    options.agents = args.agents;
    options.profiles = args.profiles;
    options.days = args.days;
    if (args.seed < 0) throw ScenarioError("generate", 0, "--seed", std::to_string(args.seed), "a whole number from 0 to 4294967295");
    options.seed = static_cast<std::uint64_t>(args.seed);
    check(options);   // before touching the folder

    const fs::path dir = args.output;
    std::error_code error;
    if (fs::exists(dir, error) && !fs::is_directory(dir, error))
        throw ScenarioError("generate", 0, "-o", args.output, "a folder (this is a file)");
    if (fs::is_directory(dir, error) && !fs::is_empty(dir, error) && !args.force)
        throw ScenarioError("generate", 0, "-o", args.output,
                            "a new or empty folder (this one holds files; add --force to write the scenario's files "
                            "over those of the same names)");

    const Scenario s = generate_scenario(options);
    write_scenario(s, dir);
    std::cout << "wrote " << args.output << ": " << s.locations.size() << " locations, " << s.links.size() << " links, "
              << s.borders.size() << " borders, " << s.markets.size() << " markets, " << s.pathways.size()
              << " pathways, " << s.profiles.size() << " profiles, " << s.events.size() << " events; "
              << s.total_agents() << " migrants in " << s.demand.size() << " demand rows over the first "
              << std::max(1, s.settings.days / 2) << " of " << s.settings.days << " days\n"
              << "run it:  migsim run " << args.output << " -o " << s.settings.name << ".h5\n";
    return exit_ok;
}

}  // namespace migsim::cli
