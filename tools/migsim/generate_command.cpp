// migsim generate: a synthetic scenario folder for benchmarks and stress tests.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

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
    if (args.seed < 0)
        throw ScenarioError("generate", 0, "--seed", std::to_string(args.seed), "a whole number from 0 to 4294967295");
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

namespace {

Action setup_generate(CLI::App& generate) {
    auto args = std::make_shared<GenerateArgs>();
    generate.add_option("-o,--output", args->output, "the scenario folder to write (new or empty)")->required();
    generate
        .add_option("--locations", args->locations,
                    "places in the network, 10 to 65000 (the engine stores location ids in 16 bits)")
        ->required();
    generate.add_option("--agents", args->agents, "migrants created over the run, in total, 0 to 4294967295")
        ->required();
    generate.add_option("--profiles", args->profiles,
                        "migrant groups, each with its own budget and route "
                        "weights, 1 to 255 (default 4)");
    generate.add_option("--days", args->days,
                        "run length, 1 to 65535 (default 365); migrants set out "
                        "during the first half");
    generate.add_option("--seed", args->seed,
                        "draws the network and is the scenario's run seed, 0 to "
                        "4294967295 (default 1); same options, same files");
    generate.add_flag("--force", args->force,
                      "write into a folder that holds files (replacing those of "
                      "the same names)");
    generate.footer("What gets generated (scenario.yml and CSV tables, docs/SCENARIOS.md):\n"
                    "  places in layers: origins -> transit hubs -> coasts -> destinations, with cross links so that\n"
                    "    migrants choose between routes at most places; every origin reaches a destination;\n"
                    "  borders: a sea border with patrol on every coast -> destination crossing, a land border\n"
                    "    halfway (some groups cross it visa-free), fences one can climb alone;\n"
                    "  smugglers: boats on the sea crossings, guides at the land border, a few desert-and-boat\n"
                    "    packages, with daily capacities that bind on busy days;\n"
                    "  a humanitarian corridor and a labour visa (regular pathways) with quotas;\n"
                    "  demand rows that total exactly --agents, setting out over the first half of the run;\n"
                    "  events: patrol changes at 1/4, 1/3 and 1/2 of the run, a quota change at 2/3.\n"
                    "Sizes: about n/5 origins (up to 1000), n/12 coasts (up to 250), n/40 destinations (up to 40),\n"
                    "the rest transit hubs; at most 65000 links. Same options and seed: the same files, anywhere.\n"
                    "Example, a benchmark:\n"
                    "  migsim generate -o bench-10k --locations 10000 --agents 2000000 --days 365 --seed 1\n"
                    "  migsim run bench-10k -o bench-10k.h5 --threads 8     (progress shows agent-days per second)\n"
                    "A stress test:\n"
                    "  migsim generate -o stress --locations 65000 --agents 100000000 && migsim validate stress");
    return {Scope::rank0, [args](const Comm&) { return generate_command(*args); }, {}};
}

}   // namespace

const Command generate_entry = {"generate", "Write a synthetic scenario of any size, for benchmarks and stress tests.",
                                setup_generate};

}   // namespace migsim::cli
