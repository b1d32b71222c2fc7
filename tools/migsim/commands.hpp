// The subcommands of the migsim CLI. Each returns the process exit code; errors from the
// library arrive as exceptions and are turned into one line by main().
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "migsim/comm.hpp"

#include <nlohmann/json_fwd.hpp>

namespace CLI {
class App;
}

namespace migsim::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_bad_input = 2;       // the scenario or an argument is wrong
inline constexpr int exit_output = 3;          // the output could not be written or read
inline constexpr int exit_interrupted = 130;   // stopped by Ctrl-C or SIGTERM; file kept

struct RunArgs {
    std::string scenario, output;
    long long seed = -1;
    int days = 0, threads = 0;
    std::vector<std::string> overrides;
    bool quiet = false;
    int replicates = 1;
    std::string decompose = "replicates";   // over MPI ranks: replicates or agents
    bool force = false;                     // replace an existing output
    bool by_group = false;                  // --by-group: output_by_group=true
    std::string journeys;                   // --journeys SHARE: journey_sample=SHARE
    int checkpoint_every = 0;               // days between checkpoints
    std::string resume;                     // a run file to continue
    std::string max_memory;                 // e.g. 8G; empty: what the machine has
    std::string posterior;                  // --posterior FILE: an ensemble over draws from it
    int draws = 0;                          // --draws N
    // sweep only
    std::vector<std::string> parameters;
    int samples = 0;
};

struct GenerateArgs {
    std::string output;
    int locations = 0, profiles = 4, days = 365;
    long long agents = -1, seed = 1;
    bool force = false;
};

struct ImportFleeArgs {
    std::string dir, output;
    int hasten = 0;        // 0: simsetting.yml's
    bool force = false;    // write into an existing folder
    bool strict = false;   // refuse settings migsim cannot apply
};

struct CompareArgs {
    std::string base, variant, by = "total", window, format = "table";
};

struct ValidateDataArgs {
    std::string run;           // a run file of a Flee scenario
    std::string data;          // a source_data folder (data_layout.csv); empty: the run's scenario's
    std::string corrections;   // registration_corrections.csv; empty: DATA/../input_csv/ if there
    std::string format = "table", per_day, plots;
    int hasten = 0;       // 0: the run's scenario's
    bool force = false;   // replace an existing --per-day file or --plots folder
};

// `json` as text (nlohmann/json: two-space indent, doubles in the shortest form that reads back
// to the same value, NaN as null); bytes that are not UTF-8 become U+FFFD.
std::string json_text(const nlohmann::ordered_json& json);

// Run and sweep are collective: every rank calls them (rank 0 writes and prints).
int run_command(const RunArgs& args, const Comm& world);
int validate_command(const std::string& scenario, const std::vector<std::string>& overrides);
int info_command(const std::string& path, bool checksums);
int sweep_command(const RunArgs& args, const Comm& world);
int compare_command(const CompareArgs& args);
int generate_command(const GenerateArgs& args);
int validate_data_command(const ValidateDataArgs& args);
int import_flee_command(const ImportFleeArgs& args);

// The registry. Each command file defines a Command: its name and one-line description, and
// `setup`, which adds its options to its CLI11 subcommand (bound to values the returned Action
// owns) and returns what to do once they are parsed. main() builds the app from all_commands()
// and runs the one Action whose subcommand was given.
enum class Scope {
    collective,    // every rank calls it (run and sweep; docs/CLUSTER.md)
    rank0,         // rank 0 alone
    rank0_reads,   // rank 0 alone, in a child process when alone (isolated.hpp): it reads output files
};

struct Action {
    Scope scope = Scope::rank0;
    std::function<int(const Comm&)> run;
    std::function<std::vector<std::string>()> files;   // rank0_reads: the files named if the child dies
};

struct Command {
    const char* name;
    const char* description;
    Action (*setup)(CLI::App& command);
};

extern const Command run_entry, sweep_entry, compare_entry, validate_entry, info_entry;   // commands.cpp
extern const Command generate_entry;                                                      // generate_command.cpp
extern const Command validate_data_entry;                                                 // validate_data_command.cpp
extern const Command import_flee_entry;                                                   // import_flee_command.cpp
extern const Command calibrate_entry;                                                     // calibrate_command.cpp
extern const Command sensitivity_entry;                                                   // sensitivity_command.cpp

// Every subcommand, in the order of migsim --help.
std::span<const Command* const> all_commands();

}   // namespace migsim::cli
