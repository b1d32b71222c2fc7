// Every input kept in fuzz/regressions/ (each once crashed, hung or leaked in the fuzz target)
// is loaded again: the loader must either accept it or throw ScenarioError, nothing else.
// Runs in every build; under the asan preset it also checks memory and undefined behaviour.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "migsim/errors.hpp"
#include "migsim/scenario.hpp"
#include "scenario_container.hpp"

namespace fs = std::filesystem;

TEST(FuzzRegressions, EachCaseLoadsOrThrowsScenarioError) {
    const fs::path folder = fs::path(MIGSIM_SOURCE_DIR) / "fuzz" / "regressions";
    const fs::path work = fs::temp_directory_path() / ("migsim-fuzz-regressions-" + std::to_string(::getpid()));
    int cases = 0;
    for (const auto& entry : fs::directory_iterator(folder)) {
        if (!entry.is_regular_file() || entry.path().extension() == ".md") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream bytes;
        bytes << in.rdbuf();
        const auto files = migsim::fuzz::unpack(bytes.str(), work);
        SCOPED_TRACE(entry.path().filename().string());
        try {
            (void)migsim::load_scenario(files.load, files.overrides);
        } catch (const migsim::ScenarioError&) {
            // expected for bad input
        } catch (const std::exception& e) {
            ADD_FAILURE() << "not a ScenarioError: " << e.what();
        }
        ++cases;
    }
    fs::remove_all(work);
    EXPECT_GT(cases, 0);
}
