// The fuzz input format: one byte string holding a whole scenario folder, so that a fuzzer can
// mutate the YAML and every CSV table at once. Sections are separated by a line that is exactly
// `%%%`, in the fixed order of `container_files`; a missing section is a missing file. When the
// `variant.yml` section is not blank, that variant is loaded (it may `extends: scenario.yml` and
// name `variant-events.csv`); otherwise the folder. Each line of the last section is one
// override, as given to --set.
//
// Shared by the libFuzzer target (fuzz/fuzz_scenario.cpp) and the regression test that loads
// every case kept in fuzz/regressions/ (tests/scenario/fuzz_regressions_test.cpp).
#pragma once

#include <array>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace migsim::fuzz {

inline constexpr std::string_view separator = "%%%";
inline constexpr std::array<std::string_view, 11> container_files{"scenario.yml",       "locations.csv", "borders.csv",
                                                                  "links.csv",          "markets.csv",   "pathways.csv",
                                                                  "demand.csv",         "events.csv",    "variant.yml",
                                                                  "variant-events.csv", "harms.csv"};

struct Unpacked {
    std::filesystem::path load;           // what to pass to load_scenario
    std::vector<std::string> overrides;   // the last section, one per line
};

// Splits `input` into sections at separator lines.
inline std::vector<std::string> split_sections(std::string_view input) {
    std::vector<std::string> sections(1);
    std::size_t start = 0;
    while (start <= input.size()) {
        std::size_t end = input.find('\n', start);
        std::string_view line =
            input.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (line == separator) {
            sections.emplace_back();
        } else {
            sections.back() += line;
            if (end != std::string_view::npos) sections.back() += '\n';
        }
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return sections;
}

// Writes the sections of `input` into `dir` (emptied first) and says what to load.
inline Unpacked unpack(std::string_view input, const std::filesystem::path& dir) {
    namespace fs = std::filesystem;
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::vector<std::string> sections = split_sections(input);
    Unpacked out{dir, {}};
    for (std::size_t i = 0; i < sections.size() && i < container_files.size(); ++i) {
        std::ofstream(dir / container_files[i], std::ios::binary) << sections[i];
        const bool blank = sections[i].find_first_not_of(" \t\r\n") == std::string::npos;
        if (container_files[i] == "variant.yml" && !blank) out.load = dir / "variant.yml";
    }
    if (sections.size() > container_files.size()) {
        const std::string& overrides = sections[container_files.size()];
        std::size_t start = 0;
        while (start < overrides.size()) {
            std::size_t end = overrides.find('\n', start);
            if (end == std::string::npos) end = overrides.size();
            if (end > start) out.overrides.push_back(overrides.substr(start, end - start));
            start = end + 1;
        }
    }
    return out;
}

}   // namespace migsim::fuzz
