// The output file: every day written, flushed, checksummed; an interrupted run keeps the
// finished days and says it was interrupted.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

#include <unistd.h>

#include "migsim/errors.hpp"
#include "migsim/output.hpp"
#include "migsim/run.hpp"

using namespace migsim;

namespace {
const std::string toy = std::string(MIGSIM_SOURCE_DIR) + "/scenarios/toy";

std::string temp_path(const std::string& name) {
    return (std::filesystem::temp_directory_path() / ("migsim_test_" + std::to_string(::getpid()) + "_" + name))
        .string();
}
}   // namespace

TEST(Output, ChecksumsAreEqualForEqualRunsAndCoverEveryDataset) {
    const auto a = temp_path("a.h5"), b = temp_path("b.h5");
    run(load_scenario(toy, {"days=40"}), RunOptions{a, 1, {}, nullptr});
    run(load_scenario(toy, {"days=40"}), RunOptions{b, 3, {}, nullptr});
    const auto sums = dataset_checksums(a);
    EXPECT_EQ(sums, dataset_checksums(b));
    for (const auto& series : series_catalogue) {
        bool found = false;
        for (const auto& line : sums) found = found || line.rfind(std::string(series.name) + " ", 0) == 0;
        EXPECT_TRUE(found) << series.name;
    }
}

TEST(Output, AnInterruptedRunKeepsEveryFinishedDay) {
    const auto path = temp_path("stopped.h5");
    std::atomic<bool> stop{false};
    RunOptions options{path, 2,
                       [&](const Progress& p) {
                           if (p.day == 17) stop = true;
                       },
                       &stop};
    const RunResult result = run(load_scenario(toy), options);
    EXPECT_TRUE(result.interrupted);
    EXPECT_EQ(result.days_completed, 17);
    const std::string text = describe_output(path);
    EXPECT_NE(text.find("17 of 120"), std::string::npos) << text;
    EXPECT_NE(text.find("INTERRUPTED"), std::string::npos) << text;
}

// The journey table as it stands after the last finished day: the same bytes as a run that
// was only ever that long.
TEST(Output, AStoppedRunKeepsTheJourneysSoFar) {
    const auto stopped = temp_path("stopped_journeys.h5"), short_run = temp_path("short_journeys.h5");
    std::atomic<bool> stop{false};
    RunOptions options{stopped, 2,
                       [&](const Progress& p) {
                           if (p.day == 17) stop = true;
                       },
                       &stop};
    ASSERT_TRUE(run(load_scenario(toy, {"journey_sample=1"}), options).interrupted);
    run(load_scenario(toy, {"journey_sample=1", "days=17"}), RunOptions{short_run, 1, {}, nullptr});
    const auto journey_lines = [](const std::string& path) {
        std::vector<std::string> lines;
        for (const auto& line : dataset_checksums(path))
            if (line.rfind("journeys/", 0) == 0) lines.push_back(line);
        return lines;
    };
    const auto kept = journey_lines(stopped);
    EXPECT_EQ(kept.size(), 28u);   // every column of docs/JOURNEYS.md
    EXPECT_EQ(kept, journey_lines(short_run));
}

TEST(Output, UnwritablePathIsAnOutputError) {
    EXPECT_THROW(run(load_scenario(toy, {"days=2"}), RunOptions{"/nonexistent-dir/x.h5", 1, {}, nullptr}), OutputError);
}

TEST(Output, ReadingSomethingElseIsAnOutputError) {
    EXPECT_THROW((void)dataset_checksums(toy + "/locations.csv"), OutputError);
}
