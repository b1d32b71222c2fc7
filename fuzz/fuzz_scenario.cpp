// libFuzzer target over the scenario loader: scenario.yml, every CSV table, variants and
// overrides (the input format: scenario_container.hpp). A ScenarioError is the expected answer
// to bad input; anything else (another exception, a crash, undefined behaviour, a leak, a hang)
// is a bug. Built by the `fuzz` preset with clang's -fsanitize=fuzzer,address,undefined.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "migsim/errors.hpp"
#include "migsim/scenario.hpp"
#include "scenario_container.hpp"

namespace {

// One folder per process (libFuzzer's -fork and -jobs run several).
const std::filesystem::path& work_dir() {
    static const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("migsim-fuzz-" + std::to_string(::getpid()));
    return dir;
}

bool verbose() {
    static const bool on = std::getenv("MIGSIM_FUZZ_VERBOSE") != nullptr;
    return on;
}

}   // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const migsim::fuzz::Unpacked files = migsim::fuzz::unpack(input, work_dir());
    try {
        const migsim::Scenario scenario = migsim::load_scenario(files.load, files.overrides);
        (void)scenario.total_agents();
    } catch (const migsim::ScenarioError& e) {
        // The expected outcome for bad input; MIGSIM_FUZZ_VERBOSE=1 prints why it was refused.
        if (verbose()) std::fprintf(stderr, "ScenarioError: %s\n", e.what());
    }
    return 0;
}
