// migsim: the command-line front end. Thin: it parses arguments, calls the library, and turns
// every error into one line on stderr and an exit code (2: bad input, 3: output trouble).
// Under mpirun every rank runs this; run and sweep are collective, the other commands run on
// rank 0 alone (docs/CLUSTER.md).
#include <CLI/CLI.hpp>

#include <iostream>

#include "commands.hpp"
#include "isolated.hpp"
#include "migsim/comm.hpp"
#include "migsim/errors.hpp"
#include "migsim/output.hpp"

using namespace migsim;

namespace {

int exit_code_of(AgreedFailure::Kind kind) {
    switch (kind) {
        case AgreedFailure::input: return cli::exit_bad_input;
        case AgreedFailure::output: return cli::exit_output;
        default: return 1;
    }
}

// One line on stderr for `error` (naming the rank when there are several); its exit code.
int report(const std::exception_ptr& error, const Comm& world) {
    const std::string rank = world.size() > 1 ? "rank " + std::to_string(world.rank()) + ": " : "";
    try {
        std::rethrow_exception(error);
    } catch (const ScenarioError& e) {
        std::cerr << "migsim: " << rank << "error: " << e.what() << "\n";
        return cli::exit_bad_input;
    } catch (const OutputError& e) {
        std::cerr << "migsim: " << rank << "output error: " << e.what() << "\n";
        return cli::exit_output;
    } catch (const std::exception& e) {
        std::cerr << "migsim: " << rank << "internal error: " << e.what() << "\n";
    } catch (...) {
        std::cerr << "migsim: " << rank << "internal error\n";
    }
    return 1;
}

}  // namespace

// start_world() throws only if MPI_Init_thread fails, which Open MPI's default error handler
// (still in force then) turns into an abort with its own message first.
int main(int argc, char** argv) {   // NOLINT(bugprone-exception-escape)
    const std::unique_ptr<Comm> world = start_world(argc, argv);
    CLI::App app{"migsim: agent-based simulation of migration routes, border control, smuggler "
                 "markets and regular pathways.\nOne step is one day; same scenario and seed give "
                 "bit-identical output on any thread count."};
    app.set_version_flag("--version", std::string("migsim ") + engine_version() + " (" + git_revision() + ")");
    app.require_subcommand(1);
    app.footer(
        "Examples:\n"
        "  migsim validate scenarios/mediterranean          check a scenario, run nothing\n"
        "  migsim run scenarios/mediterranean -o med.h5     run the default scenario\n"
        "  migsim run scenarios/toy --days 60 --seed 7 --set border:strait.patrol=0.6\n"
        "  migsim run scenarios/mediterranean/variants/patrol-shift-atlantic.yml -o shift.h5\n"
        "  migsim info med.h5                               what a file holds, totals by route\n"
        "  migsim run scenarios/mediterranean --replicates 10 -o base.h5      an ensemble\n"
        "  migsim compare base.h5 shift.h5 --by border      paired differences with 95% intervals\n"
        "  migsim sweep scenarios/toy --param border:strait.patrol=0.2:0.8:7 -o sweep.h5\n"
        "  migsim generate -o big --locations 10000 --agents 5000000   a synthetic scenario to benchmark\n"
        "  migsim import-flee FabFlee/config_files/mali2012 -o scenarios/flee-mali2012   a Flee scenario\n"
        "Then in Python:  xarray.open_dataset('med.h5', engine='h5netcdf')\n"
        "Scenario format: docs/SCENARIOS.md. Exit codes: 0 ok, 2 bad input, 3 output error, "
        "130 interrupted (the file keeps every finished day).");

    cli::RunArgs run_args;
    auto* run = app.add_subcommand("run", "Run a scenario and write its time series to HDF5.");
    run->add_option("scenario,--scenario", run_args.scenario,
                    "scenario folder, scenario.yml, or a variant .yml; with --resume: where the run's scenario "
                    "is now, if its folder moved (checked: the same files, byte for byte)");
    auto* run_output = run->add_option("-o,--output", run_args.output,
                                       "output HDF5 file (default: NAME.h5, NAME from the scenario); an existing "
                                       "file is never replaced without --force");
    auto* run_seed = run->add_option("--seed", run_args.seed, "master seed (default: the scenario's); replicates use seed, seed+1, ...")
        ->check(CLI::Range(0LL, 4294967295LL));
    auto* run_days = run->add_option("--days", run_args.days, "days to simulate (default: the scenario's)")->check(CLI::Range(1, 65535));
    run->add_option("--threads", run_args.threads, "worker threads (default: all cores); never changes the result")
        ->check(CLI::Range(0, 1024));
    auto* run_set = run->add_option("--set", run_args.overrides,
                    "override a parameter, KEY=VALUE, repeatable: border:ID.patrol=0.6, market:ID.price=900, "
                    "pathway:ID.quota=2000, days=365 (keys: docs/SCENARIOS.md)");
    auto* run_replicates = run->add_option("--replicates", run_args.replicates,
                    "run N seeds (seed, seed+1, ...) into one file with a replicate dimension and ensemble "
                    "summaries (mean, 5/50/95% quantiles)")
        ->check(CLI::Range(1, 100000));
    auto* run_force = run->add_flag("--force", run_args.force, "replace the output file if it exists");
    auto* run_by_group = run->add_flag("--by-group", run_args.by_group,
                    "also write every series that counts people split by demographic group (NAME_by_group, "
                    "with a group dimension; the scenario's groups:); same as --set output_by_group=true");
    auto* run_journeys = run->add_option("--journeys", run_args.journeys,
                    "record the whole journey of a share SHARE (0 to 1) of the agents, drawn by seed and id, "
                    "in the group `journeys` of the file (docs/JOURNEYS.md); same as --set journey_sample=SHARE");
    auto* run_checkpoint = run->add_option("--checkpoint-every", run_args.checkpoint_every,
                    "save the whole state in the output file every DAYS days, so that --resume continues a "
                    "killed run from there (bit-identical to an uninterrupted run)")
        ->check(CLI::Range(1, 65535));
    run->add_option("--resume", run_args.resume,
                    "continue the interrupted run in FILE (the -o of the run) from its last checkpoint; "
                    "scenario and options come from the file")
        ->excludes(run_output)->excludes(run_seed)->excludes(run_days)->excludes(run_set)
        ->excludes(run_replicates)->excludes(run_force)->excludes(run_by_group)->excludes(run_journeys)
        ->excludes(run_checkpoint);
    run->add_option("--max-memory", run_args.max_memory,
                    "refuse a run estimated to need more than SIZE per process (8G, 512M; default: the memory "
                    "available now)");
    run->add_flag("-q,--quiet", run_args.quiet, "no progress line and no summary table");
    run->add_option("--decompose", run_args.decompose,
                    "under mpirun: 'replicates' (default; ranks take whole replicates) or 'agents' (every "
                    "replicate split over all ranks by agent id); the file is the same bytes either way "
                    "(docs/CLUSTER.md)")
        ->check(CLI::IsMember({"replicates", "agents"}));
    run->footer("Progress (day, agents, agent-days per second, time left) goes to stderr; Ctrl-C stops "
                "after the current day and keeps the file.\n"
                "Long runs: migsim run SCENARIO -o long.h5 --checkpoint-every 90; if the job is killed, "
                "migsim run --resume long.h5 goes on from the last checkpoint (docs/WORKFLOW.md, \"Long runs\").");

    cli::RunArgs sweep_args;
    sweep_args.quiet = false;
    auto* sweep = app.add_subcommand("sweep", "Run a scenario over a grid or Latin hypercube of parameter values.");
    sweep->add_option("scenario", sweep_args.scenario, "scenario folder, scenario.yml, or a variant .yml")->required();
    sweep->add_option("--param", sweep_args.parameters,
                      "a swept parameter, repeatable: KEY=LOW:HIGH:N (N values), KEY=V1,V2,... or, with "
                      "--samples, KEY=LOW:HIGH. KEY as for --set, or event:N.value (N from migsim validate)")
        ->required();
    sweep->add_option("--samples", sweep_args.samples, "Latin hypercube of this many samples instead of a grid")
        ->check(CLI::Range(1, 100000));
    sweep->add_option("--replicates", sweep_args.replicates, "seeds per sample (seed, seed+1, ...)")->check(CLI::Range(1, 100000));
    sweep->add_option("-o,--output", sweep_args.output,
                      "output HDF5 file (default NAME-sweep.h5); if it holds this sweep partly done, the "
                      "missing samples are run and the rest kept");
    sweep->add_option("--seed", sweep_args.seed, "master seed (also draws the Latin hypercube)")->check(CLI::Range(0LL, 4294967295LL));
    sweep->add_option("--days", sweep_args.days, "days to simulate")->check(CLI::Range(1, 65535));
    sweep->add_option("--threads", sweep_args.threads, "worker threads (default: all cores)")->check(CLI::Range(0, 1024));
    sweep->add_option("--set", sweep_args.overrides, "override a parameter for every sample, KEY=VALUE");
    sweep->add_flag("--by-group", sweep_args.by_group, "also write the people-counting series split by group");
    sweep->add_flag("-q,--quiet", sweep_args.quiet, "no progress line");
    sweep->add_option("--decompose", sweep_args.decompose,
                      "under mpirun: 'replicates' (ranks take each sample's replicates) or 'agents'")
        ->check(CLI::IsMember({"replicates", "agents"}));
    sweep->footer("Example: migsim sweep scenarios/toy --param border:strait.patrol=0.2:0.8:7 --replicates 5 -o sweep.h5\n"
                  "Interrupted (Ctrl-C)? Run the same command again: finished samples are kept.");

    cli::CompareArgs compare_args;
    auto* compare = app.add_subcommand("compare", "Compare two runs replicate by replicate (paired by seed).");
    compare->add_option("base", compare_args.base, "the base run (HDF5 from migsim run)")->required();
    compare->add_option("variant", compare_args.variant, "the variant run, same seeds and replicates")->required();
    compare->add_option("--by", compare_args.by, "group rows: total (default), border, route (smuggler market), "
                                                 "destination, profile, place (harms where people wait), group (demographic groups: runs made "
                                                 "with --by-group)")
        ->check(CLI::IsMember({"total", "border", "route", "destination", "profile", "place", "group"}));
    compare->add_option("--window", compare_args.window, "FROM:TO dates, inclusive (e.g. 2020-01-01:2020-12-31)");
    compare->add_option("--format", compare_args.format, "table (default), csv or json")
        ->check(CLI::IsMember({"table", "csv", "json"}));
    compare->footer("Outcomes and statistics: docs/COMPARE.md. Example:\n"
                    "  migsim run scenarios/mediterranean --replicates 10 -o base.h5\n"
                    "  migsim run scenarios/mediterranean/variants/patrol-shift-atlantic.yml --replicates 10 -o shift.h5\n"
                    "  migsim compare base.h5 shift.h5 --by border --window 2020-01-01:2020-12-31");

    std::string validate_path;
    std::vector<std::string> validate_overrides;
    auto* validate = app.add_subcommand("validate", "Load and check a scenario completely; run nothing.");
    validate->add_option("scenario", validate_path, "scenario folder, scenario.yml, or a variant .yml")->required();
    validate->add_option("--set", validate_overrides, "override a parameter, KEY=VALUE (as for run)");
    validate->footer("Loads every file of the scenario, checks every row and the network (every origin reaches a "
                     "destination), and prints its size, the memory a run needs and its events.\n"
                     "Examples:\n"
                     "  migsim validate scenarios/mediterranean\n"
                     "  migsim validate scenarios/mediterranean/variants/patrol-shift-atlantic.yml\n"
                     "  migsim validate scenarios/toy --set border:strait.patrol=0.9\n"
                     "Bad input: one line naming the file, line, field, value and what was expected, exit code 2 "
                     "(docs/ERRORS.md).");

    cli::GenerateArgs generate_args;
    auto* generate = app.add_subcommand(
        "generate", "Write a synthetic scenario of any size, for benchmarks and stress tests.");
    generate->add_option("-o,--output", generate_args.output, "the scenario folder to write (new or empty)")->required();
    generate->add_option("--locations", generate_args.locations,
                         "places in the network, 10 to 65000 (the engine stores location ids in 16 bits)")->required();
    generate->add_option("--agents", generate_args.agents, "migrants created over the run, in total, 0 to 4294967295")
        ->required();
    generate->add_option("--profiles", generate_args.profiles, "migrant groups, each with its own budget and route "
                                                               "weights, 1 to 255 (default 4)");
    generate->add_option("--days", generate_args.days, "run length, 1 to 65535 (default 365); migrants set out "
                                                       "during the first half");
    generate->add_option("--seed", generate_args.seed, "draws the network and is the scenario's run seed, 0 to "
                                                       "4294967295 (default 1); same options, same files");
    generate->add_flag("--force", generate_args.force, "write into a folder that holds files (replacing those of "
                                                       "the same names)");
    generate->footer(
        "What gets generated (scenario.yml and CSV tables, docs/SCENARIOS.md):\n"
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

    cli::ValidateDataArgs vd_args;
    auto* validate_data = app.add_subcommand(
        "validate-data", "Compare a run of a Flee scenario with the UNHCR camp registrations (Flee's ARD).");
    validate_data->add_option("run", vd_args.run, "an HDF5 file written by migsim run (rules: flee)")->required();
    validate_data->add_option("--data", vd_args.data,
                              "a Flee source_data folder (data_layout.csv and the camp series); default: the "
                              "registrations of the scenario the run was made from");
    validate_data->add_option("--corrections", vd_args.corrections,
                              "registration_corrections.csv (default with --data: DATA/../input_csv/ if there)");
    validate_data->add_option("--hasten", vd_args.hasten,
                              "divide the data by N (default: the run's flee.hasten)")->check(CLI::Range(1, 1000000));
    validate_data->add_option("--format", vd_args.format, "table (default), csv or json")
        ->check(CLI::IsMember({"table", "csv", "json"}));
    validate_data->add_option("--per-day", vd_args.per_day, "also write each day's error, per replicate, to FILE.csv");
    validate_data->add_option("--plots", vd_args.plots, "also draw one PNG per camp into DIR (Python, matplotlib)");
    validate_data->add_flag("--force", vd_args.force,
                            "replace an existing --per-day file, or draw into a --plots folder that holds files "
                            "(the run file and the data are never replaced)");
    validate_data->footer("The metric and its numbers: docs/FLEE.md, \"Validating against UNHCR data\". Example:\n"
                          "  migsim run scenarios/flee-mali2012 --replicates 10 -o mali.h5\n"
                          "  migsim validate-data mali.h5 --plots mali-plots");
    cli::ImportFleeArgs import_args;
    auto* import_flee = app.add_subcommand(
        "import-flee", "Convert a FabFlee scenario folder (Flee's input_csv/, source_data/, simsetting.yml) into a "
                       "migsim scenario with Flee's rules.");
    import_flee->add_option("dir", import_args.dir, "the FabFlee folder, e.g. FabFlee/config_files/mali2012")
        ->required();
    import_flee->add_option("-o,--output", import_args.output,
                            "the scenario folder to write (new or empty; an existing one needs --force)")
        ->required();
    import_flee->add_option("--hasten", import_args.hasten,
                            "divide populations, capacities and registrations by N (1: full size); default: "
                            "simsetting.yml's optimisations.hasten")
        ->check(CLI::Range(1, 1000000));
    import_flee->add_flag("--force", import_args.force,
                          "write into an existing folder: scenario.yml, the tables and flee/ are replaced, other "
                          "files (a README, variants) are kept");
    import_flee->add_flag("--strict", import_args.strict,
                          "exit 2, writing nothing, if any Flee setting, file or row in use is unsupported");
    import_flee->footer(
        "What it writes (docs/FLEE.md, \"Importing a FabFlee scenario\"):\n"
        "  scenario.yml   rules: flee, start_date and days from input_csv/sim_period.csv, and a flee: block with\n"
        "                 every setting, each commented with the simsetting.yml key it came from;\n"
        "  locations.csv  ids in snake_case of Flee's names; camps get Flee's population as capacity; a\n"
        "                 conflict_zone whose conflict starts later is a town until then;\n"
        "  links.csv      each route of routes.csv both ways (A__B, B__A), mode land, cost 0;\n"
        "  events.csv     conflicts.csv's changes (location:ID conflict) and closures.csv (link:ID open 0/1);\n"
        "  flee/          Flee's input_csv/, source_data/ and simsetting.yml, copied: the registrations\n"
        "                 (UNHCR camp counts) that drive spawning and migsim validate-data are read there.\n"
        "The report lists every setting, file, column and row as supported, unsupported (Flee uses it, migsim\n"
        "cannot: the run differs), inert (no effect with these settings) or ignored. Location types other than\n"
        "town, conflict_zone and camp (idpcamp, marker, forward, flood_zone) are refused with an error.\n"
        "Example:\n"
        "  migsim import-flee FabFlee/config_files/mali2012 -o scenarios/flee-mali2012 --hasten 1\n"
        "  migsim run scenarios/flee-mali2012 -o mali.h5 && migsim validate-data mali.h5\n"
        "Exit codes: 0 imported, 2 bad input or --strict refused, 3 the folder exists (add --force) or "
        "cannot be written.");

    std::string info_path;
    bool checksums = false;
    auto* info = app.add_subcommand("info", "Describe an output file: metadata and totals by route.");
    info->add_option("file", info_path, "an HDF5 file written by migsim run")->required();
    info->add_flag("--checksums", checksums, "print a SHA-256 per dataset (equal lines: identical results)");
    info->footer("Prints the scenario, days, seeds and engine of a run file, then totals over the run by border, "
                 "destination (or camp), harms by place and who was paid (means over replicates in an ensemble).\n"
                 "Examples:\n"
                 "  migsim info med.h5\n"
                 "  migsim info --checksums a.h5 > a.txt && migsim info --checksums b.h5 | diff a.txt -   same results?\n"
                 "A file of an interrupted run shows the days it holds; a damaged one gives one line saying so "
                 "and exit code 3.");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {   // every rank parsed the same arguments: rank 0 speaks
        if (world->rank() != 0) return e.get_exit_code() == 0 ? cli::exit_ok : cli::exit_bad_input;
        if (e.get_exit_code() == 0) return app.exit(e);   // --help, --version
        std::cerr << "migsim: error: " << e.what() << " (run 'migsim --help' for usage)\n";
        return cli::exit_bad_input;
    }
    try {
        if (*run) return cli::run_command(run_args, *world);
        if (*sweep) return cli::sweep_command(sweep_args, *world);
        int code = cli::exit_ok;
        // A command that only reads output files runs in a child process (isolated.hpp) when
        // this process is alone: a damaged file may crash HDF5 itself.
        auto reading = [&](const std::vector<std::string>& files, const std::function<int()>& command) {
            const auto body = [&] {
                try {
                    return command();
                } catch (...) {
                    return report(std::current_exception(), *world);
                }
            };
            return world->size() == 1 ? cli::isolated(files, body) : command();
        };
        on_every_rank(*world, [&] {
            if (world->rank() != 0) return;
            if (*validate) code = cli::validate_command(validate_path, validate_overrides);
            if (*info) code = reading({info_path}, [&] { return cli::info_command(info_path, checksums); });
            if (*compare)
                code = reading({compare_args.base, compare_args.variant}, [&] { return cli::compare_command(compare_args); });
            if (*generate) code = cli::generate_command(generate_args);
            if (*validate_data) code = reading({vd_args.run}, [&] { return cli::validate_data_command(vd_args); });
            if (*import_flee) code = cli::import_flee_command(import_args);
        });
        return code;
    } catch (const AgreedFailure& e) {   // every rank knows: each ends cleanly, one reports
        if (e.reporter()) report(e.original(), *world);
        return exit_code_of(e.kind());
    } catch (...) {
        // This rank failed alone, in the middle of a run: the others are waiting for it in a
        // collective call. Ending the whole job is the only way not to leave them hanging.
        const int code = report(std::current_exception(), *world);
        if (world->size() > 1) world->abort(code);
        return code;
    }
}
