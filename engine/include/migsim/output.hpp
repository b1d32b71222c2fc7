// The HDF5 output: one file per run, netCDF-4 compatible (dimension scales, coordinate
// variables), so `xarray.open_dataset(path, engine="h5netcdf")` and h5py both read it.
// Series are (replicate, time, entity), chunked along time, compressed, and flushed after
// every day: an interrupted run leaves a file holding every finished day.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "migsim/scenario.hpp"
#include "migsim/simulation.hpp"

namespace migsim {

struct RunInfo {
    std::vector<std::uint64_t> seeds;   // one per replicate
    int threads = 1;
    int ranks = 1;
};

class Hdf5Writer {
public:
    Hdf5Writer(const std::string& path, const Scenario& scenario, const RunInfo& info);
    ~Hdf5Writer();
    Hdf5Writer(const Hdf5Writer&) = delete;
    Hdf5Writer& operator=(const Hdf5Writer&) = delete;

    void write_day(int replicate, const DayTotals& totals);   // appends and flushes
    void finish(double wall_seconds);                         // marks the run complete

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Names of the series every output holds, with their entity dimension, for docs and tests.
struct SeriesInfo {
    const char* name;
    const char* dimension;   // location, link, border, market, pathway, status
    const char* units;
    const char* description;
};
[[nodiscard]] const std::vector<SeriesInfo>& series_catalogue();

// One line per dataset: "name sha256-of-its-raw-values", sorted by name. Attributes (which
// hold the wall time and thread count) are left out: equal lines mean equal results.
[[nodiscard]] std::vector<std::string> dataset_checksums(const std::string& path);

// A human summary of a file: metadata, dimensions, and totals over the run.
[[nodiscard]] std::string describe_output(const std::string& path);

[[nodiscard]] const char* engine_version();
[[nodiscard]] const char* git_revision();

}  // namespace migsim
