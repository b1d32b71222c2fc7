// Runs from scenario to file: one run (with replicates) or a sweep over parameters. Each day
// of every replicate is written and flushed; progress goes to a callback; a stop flag is
// checked between days.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "migsim/comm.hpp"
#include "migsim/scenario.hpp"

namespace migsim {

struct Progress {
    int day = 0;                        // days finished (of the current sample)
    int days = 0;                       // days in a run
    int sample = 0, samples = 1;        // sweeps: which sample, of how many
    std::int64_t agents = 0;            // created so far, all replicates
    double agent_days_per_second = 0;   // since the start
    double seconds_elapsed = 0;
    double seconds_left = 0;   // estimate
};

struct RunOptions {
    std::string output;                              // HDF5 path
    int threads = 0;                                 // 0: all the cores TBB sees
    std::function<void(const Progress&)> progress;   // called after every day
    const std::atomic<bool>* stop = nullptr;         // checked between days
    int replicates = 1;                              // seeds seed, seed+1, ...
    // Ranks: null is this process alone. Every rank calls run() (or run_sweep()) with the same
    // arguments; rank 0 writes the file, the others write nothing and get no progress calls.
    const Comm* comm = nullptr;
    Decomposition decompose = Decomposition::replicates;
    // Runs only (docs/WORKFLOW.md, "Long runs"):
    bool overwrite = false;               // replace an existing output (else: OutputError)
    int checkpoint_every = 0;             // days between checkpoints in the file; 0: none
    bool resume = false;                  // continue the interrupted run in `output` from its checkpoint
    std::string source;                   // how the scenario was given (path, --set overrides), kept
    std::vector<std::string> overrides;   // in the file so that --resume can load it again
    std::int64_t max_memory = 0;          // bytes a rank may use; 0: what the machine has available
    // A test hook: called on every rank at the start of each day (rank, day) before it is
    // stepped; what it throws is that rank failing in the middle of a run. The CLI sets it
    // from MIGSIM_TEST_FAULT (docs/CLUSTER.md); the library reads no environment for it.
    std::function<void(int rank, int day)> before_day;
};

// Bytes one rank needs for a run of `scenario` (agents, route tables, the writer's buffers,
// checkpoints), from its sizes alone: checked before a run starts.
[[nodiscard]] std::int64_t estimate_memory(const Scenario& scenario, const RunOptions& options, int ranks);
// Memory this machine has available now (MemAvailable), or 0 when it cannot be read.
[[nodiscard]] std::int64_t available_memory();

// The one rule for every file a command writes: an existing file is replaced only with
// `force`, and a file the command reads (`inputs`: a scenario's files, the run file being
// validated) never, with or without it. `option` names the option in the message (-o,
// --per-day). Throws OutputError.
void check_output_path(const std::filesystem::path& output, bool force, const std::vector<std::string>& inputs,
                       const std::string& option);

// On rank 0 every field is the run's; on other ranks only `interrupted` and the wall time.
struct RunResult {
    int days_completed = 0;
    bool interrupted = false;
    double wall_seconds = 0;
    std::int64_t agents = 0;   // created, all replicates (and samples run now)
    double agent_days = 0;
    int samples_run = 0, samples_skipped = 0;   // sweeps: run now, found done in the file
    Comm::Traffic traffic;                      // what this rank sent to the others (MPI)
};

// Throws ScenarioError / OutputError. An interrupted run leaves a file with every finished day.
RunResult run(const Scenario& scenario, const RunOptions& options);

// A sweep: one sample per row of `values`, each the base scenario with `parameters[p]` set to
// `values[k][p]` (any --set key, or event:N.value for the N-th event), `replicates` seeds each.
struct SweepPlan {
    std::filesystem::path scenario;
    std::vector<std::string> overrides;   // applied before the swept parameters
    std::vector<std::string> parameters;
    std::vector<std::vector<double>> values;
    // A posterior run (migsim run --posterior FILE --draws N): the samples are N draws from the
    // calibration FILE (posterior.hpp), applied after `overrides`. The file's leading dimension
    // is then `draw` (kind "posterior"), and draw k's replicates use the seeds
    // seed + k * replicates + r, r = 0..replicates-1: every (draw, replicate) its own seed, so
    // that the draws' seed noise is independent (docs/COMPARE.md, "With parameter uncertainty").
    std::string posterior;          // the calibration file as given
    std::string posterior_sha256;   // of its bytes
    std::uint64_t seed = 0;         // the scenario's seed (after overrides): draws and seeds come from it
    [[nodiscard]] bool is_posterior() const { return !posterior.empty(); }
};

// Grid: every combination of `--param KEY=LOW:HIGH:N` (N evenly spaced values, both ends
// included) or `KEY=V1,V2,...`; the first parameter varies slowest.
// Latin hypercube (`samples` > 0): `samples` points, LOW:HIGH ranges, strata permuted and
// jittered by counter-based draws from `seed`. Throws ScenarioError on a malformed spec.
[[nodiscard]] SweepPlan plan_sweep(const std::filesystem::path& scenario, const std::vector<std::string>& overrides,
                                   const std::vector<std::string>& specs, int samples, std::uint64_t seed);

// Runs the samples the file at options.output does not yet hold (all, for a new file).
RunResult run_sweep(const SweepPlan& plan, const RunOptions& options);

}   // namespace migsim
