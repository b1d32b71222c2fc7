// migsim: the command-line front end. Thin: it parses arguments, calls the library, and turns
// every error into one line on stderr and an exit code (2: bad input, 3: output trouble).
// Under mpirun every rank runs this; run and sweep are collective, the other commands run on
// rank 0 alone (docs/CLUSTER.md).
#include <CLI/CLI.hpp>

#include <algorithm>
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

// Runs the parsed command: on every rank, or on rank 0 alone; a command that only reads output
// files runs in a child process (isolated.hpp) when this process is alone: a damaged file may
// crash HDF5 itself.
int run_action(const cli::Action& action, const Comm& world) {
    if (action.scope == cli::Scope::collective) return action.run(world);
    int code = cli::exit_ok;
    on_every_rank(world, [&] {
        if (world.rank() != 0) return;
        if (action.scope == cli::Scope::rank0_reads && world.size() == 1) {
            code = cli::isolated(action.files(), [&] {
                try {
                    return action.run(world);
                } catch (...) {
                    return report(std::current_exception(), world);
                }
            });
        } else {
            code = action.run(world);
        }
    });
    return code;
}

}   // namespace

namespace migsim::cli {

std::span<const Command* const> all_commands() {
    static const Command* const table[] = {&run_entry,         &sweep_entry,     &compare_entry,
                                           &validate_entry,    &generate_entry,  &validate_data_entry,
                                           &import_flee_entry, &calibrate_entry, &sensitivity_entry,
                                           &info_entry};
    return table;
}

}   // namespace migsim::cli

// start_world() throws only if MPI_Init_thread fails, which Open MPI's default error handler
// (still in force then) turns into an abort with its own message first.
int main(int argc, char** argv) {   // NOLINT(bugprone-exception-escape)
    const std::unique_ptr<Comm> world = start_world(argc, argv);
    CLI::App app{"migsim: agent-based simulation of migration routes, border control, smuggler "
                 "markets and regular pathways.\nOne step is one day; same scenario and seed give "
                 "bit-identical output on any thread count."};
    app.set_version_flag("--version", std::string("migsim ") + engine_version() + " (" + git_revision() + ")");
    app.require_subcommand(1);
    app.footer("Examples:\n"
               "  migsim validate scenarios/mediterranean          check a scenario, run nothing\n"
               "  migsim run scenarios/mediterranean -o med.h5     run the default scenario\n"
               "  migsim run scenarios/toy --days 60 --seed 7 --set border:strait.patrol=0.6\n"
               "  migsim run scenarios/mediterranean/variants/patrol-shift-atlantic.yml -o shift.h5\n"
               "  migsim info med.h5                               what a file holds, totals by route\n"
               "  migsim run scenarios/mediterranean --replicates 10 -o base.h5      an ensemble\n"
               "  migsim compare base.h5 shift.h5 --by border      paired differences with 95% intervals\n"
               "  migsim sweep scenarios/toy --param border:strait.patrol=0.2:0.8:7 -o sweep.h5\n"
               "  migsim sensitivity scenarios/toy/calibration/sensitivity.yml -o sens.h5   which parameters matter\n"
               "  migsim generate -o big --locations 10000 --agents 5000000   a synthetic scenario to benchmark\n"
               "  migsim import-flee FabFlee/config_files/mali2012 -o scenarios/flee-mali2012   a Flee scenario\n"
               "Then in Python:  xarray.open_dataset('med.h5', engine='h5netcdf')\n"
               "Scenario format: docs/SCENARIOS.md. Exit codes: 0 ok, 2 bad input, 3 output error, "
               "130 interrupted (the file keeps every finished day).");

    std::vector<std::pair<CLI::App*, cli::Action>> commands;
    for (const cli::Command* command : cli::all_commands()) {
        CLI::App* sub = app.add_subcommand(command->name, command->description);
        commands.emplace_back(sub, command->setup(*sub));
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {   // every rank parsed the same arguments: rank 0 speaks
        if (world->rank() != 0) return e.get_exit_code() == 0 ? cli::exit_ok : cli::exit_bad_input;
        if (e.get_exit_code() == 0) return app.exit(e);   // --help, --version
        std::cerr << "migsim: error: " << e.what() << " (run 'migsim --help' for usage)\n";
        return cli::exit_bad_input;
    }
    try {
        const auto given =
            std::find_if(commands.begin(), commands.end(), [](const auto& c) { return c.first->parsed(); });
        return run_action(given->second, *world);
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
