// One run from scenario to file: a Simulation stepped day by day, each day written and
// flushed, progress reported through a callback, stoppable between days.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "migsim/scenario.hpp"

namespace migsim {

struct Progress {
    int day = 0;                       // days finished
    int days = 0;                      // days in the run
    std::int64_t agents = 0;           // created so far
    double agent_days_per_second = 0;  // since the start
    double seconds_elapsed = 0;
    double seconds_left = 0;           // estimate
};

struct RunOptions {
    std::string output;                             // HDF5 path
    int threads = 0;                                // 0: all the cores TBB sees
    std::function<void(const Progress&)> progress;  // called after every day
    const std::atomic<bool>* stop = nullptr;        // checked between days
};

struct RunResult {
    int days_completed = 0;
    bool interrupted = false;
    double wall_seconds = 0;
    std::int64_t agents = 0;
    double agent_days = 0;
};

// Throws ScenarioError / OutputError. An interrupted run leaves a file with every finished day.
RunResult run(const Scenario& scenario, const RunOptions& options);

}  // namespace migsim
