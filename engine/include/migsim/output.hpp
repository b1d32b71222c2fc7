// The HDF5 output: one file per run, netCDF-4 compatible (dimension scales, coordinate
// variables), so `xarray.open_dataset(path, engine="h5netcdf")` and h5py both read it.
// Series are (replicate, time, entity), chunked along time (8 days) and compressed. Days are
// kept in memory and written 64 at a time, by a thread of the writer's own while the run goes
// on, or sooner when a second has passed since the last write: a run killed outright loses at
// most that; one stopped by a signal calls stop() and keeps every finished day.
#pragma once

#include <cstdint>
#include <cstddef>
#include <memory>
#include <utility>
#include <string>
#include <vector>

#include "migsim/comm.hpp"
#include "migsim/scenario.hpp"
#include "migsim/series.hpp"
#include "migsim/simulation.hpp"

namespace migsim {

struct RunInfo {
    std::vector<std::uint64_t> seeds;   // one per replicate
    int threads = 1;
    int ranks = 1;
    Decomposition decomposition = Decomposition::replicates;
    // Sweeps only: the swept keys and, per sample, their values; `sweep_spec` identifies the
    // sweep so that a resumed sweep can check the file is its own.
    std::vector<std::string> parameters;
    std::vector<std::vector<double>> samples;
    std::string sweep_spec;
    // Posterior runs (run.hpp, SweepPlan::posterior): the samples are draws, along a dimension
    // `draw`; `seed` is then (draw, replicate), draw k's seeds in sample_seeds[k].
    std::string posterior, posterior_sha256;
    std::vector<std::vector<std::uint64_t>> sample_seeds;
    // Runs: how to load the scenario again to resume (absolute path, --set overrides).
    std::string source;
    std::vector<std::string> overrides;
    int checkpoint_every = 0;   // days between checkpoints; 0: none
    PolicyTimeline policy;      // written as policy_value (time, policy); runs only
    [[nodiscard]] bool is_sweep() const { return !parameters.empty(); }
    [[nodiscard]] bool is_posterior() const { return !posterior.empty(); }
    [[nodiscard]] std::string sample_dimension() const { return is_posterior() ? "draw" : "sample"; }
};

// What a run file says about resuming it (migsim run --resume).
struct ResumePoint {
    std::string source;   // the scenario as given, made absolute
    std::vector<std::string> overrides;
    int replicates = 1;
    int checkpoint_every = 0;
    int days_completed = 0;
    int checkpoint_day = 0;   // the day the newest checkpoint continues from; 0: none
    bool completed = false;
    std::string resolved_scenario;   // every input and override, to check nothing changed
};
// Throws OutputError when `path` is not a run file written by migsim.
[[nodiscard]] ResumePoint read_resume_point(const std::string& path);

class Hdf5Writer {
public:
    // Creates the file (replacing any), with every dimension, coordinate and empty series.
    Hdf5Writer(const std::string& path, const Scenario& scenario, const RunInfo& info);
    // Reopens a file to finish it: a sweep written by the same sweep (same spec), or an
    // interrupted run of the same scenario and replicates (days from the newest checkpoint
    // on are written again).
    struct Resume {};
    Hdf5Writer(Resume, const std::string& path, const RunInfo& info);
    ~Hdf5Writer();
    Hdf5Writer(const Hdf5Writer&) = delete;
    Hdf5Writer& operator=(const Hdf5Writer&) = delete;

    // Takes one replicate's day (sample 0 for plain runs); written to the file later.
    void write_day(int sample, int replicate, const DayTotals& totals);
    // After every replicate gave day `days - 1`. Writes and flushes the days held when a chunk
    // is complete or a second has passed, then counts them in `days_completed`.
    void day_done(int days);
    // A run stopped early: every day held and the journey sample so far reach the file, which
    // stays marked incomplete (a resumed run writes the table again at its end).
    void stop();
    void sample_done(int sample);   // sweeps: mark a finished sample
    [[nodiscard]] std::vector<bool> completed_samples() const;
    // Marks the run complete; plain runs also get their ensemble summaries. A checkpoint is
    // deleted (HDF5 keeps its space: docs/WORKFLOW.md, "Long runs").
    void finish(double wall_seconds);
    // One replicate's journey sample (settings.journey_sample = `sample`): the group `journeys`,
    // written by finish() or stop() (docs/JOURNEYS.md).
    void write_journeys(int replicate, double sample, std::vector<Journey> journeys);

    // Writes every held day, then each replicate's state as the checkpoint from which a run
    // continues at `day`. Two slots, the older overwritten: a kill while writing one leaves
    // the other.
    void write_checkpoint(int day, const std::vector<std::vector<std::byte>>& states);
    // The newest checkpoint's day and states (day 0 and no states when there is none).
    [[nodiscard]] std::pair<int, std::vector<std::vector<std::byte>>> checkpoint() const;

private:
    // Writes and flushes every day held now.
    void flush();

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// One line per dataset: "name sha256-of-its-raw-values", sorted by name. Attributes (which
// hold the wall time and thread count) are left out: equal lines mean equal results.
[[nodiscard]] std::vector<std::string> dataset_checksums(const std::string& path);

// Reads a run or sweep file back whole: every dataset, and the attributes that say how far it
// got. Throws OutputError naming what does not read (what a writer checks before it reports
// success).
void verify_output(const std::string& path);

// A human summary of a file: metadata, dimensions, and totals over the run.
[[nodiscard]] std::string describe_output(const std::string& path);

[[nodiscard]] const char* engine_version();
[[nodiscard]] const char* git_revision();

}   // namespace migsim
