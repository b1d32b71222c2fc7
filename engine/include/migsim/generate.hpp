// Synthetic scenarios of any size, for benchmarks and stress tests: a layered route network
// (origins -> transit hubs -> coasts -> destinations, with cross links so that migrants have
// real route choices), sea and land borders with patrol, smuggler markets whose capacities
// sometimes bind, regular pathways, several profiles, demand totalling exactly the agents
// asked for, and a few policy events. Built deterministically from the seed: same options,
// same scenario, on any machine and standard library.
#pragma once

#include <cstdint>
#include <filesystem>

#include "migsim/scenario.hpp"

namespace migsim {

struct GeneratorOptions {
    int locations = 1000;           // places in the network
    std::int64_t agents = 100000;   // migrants created over the run, in total
    int profiles = 4;               // migrant groups (nationalities) with their own weights, budgets
    int days = 365;                 // run length; migrants set out during the first half
    std::uint64_t seed = 1;         // draws the network, and is the scenario's run seed
};

// Limits, from how the engine stores things: location and link indices in 16 bits (a link
// index shares its range with the pathways), agent ids in 32 bits, profiles in 8 bits, day
// numbers in 16 bits.
inline constexpr int min_generated_locations = 10;
inline constexpr int max_generated_locations = 65000;
inline constexpr int max_generated_links = 65000;
inline constexpr std::int64_t max_generated_agents = 4294967295;
inline constexpr int max_generated_profiles = 255;
inline constexpr int max_generated_days = 65535;
inline constexpr std::uint64_t max_generated_seed = 4294967295;

// Throws ScenarioError naming the option (as `migsim generate` spells it), the value and the
// accepted range.
void check(const GeneratorOptions& options);

// The scenario, as load_scenario would return it after reading write_scenario's files (less
// the provenance: inputs, resolved_text, and the file and line of demand rows). Passes the
// engine's validation: every origin reaches a destination of each profile that starts there.
// Demand is a few rows of counts per origin: nothing is allocated per agent.
[[nodiscard]] Scenario generate_scenario(const GeneratorOptions& options);

// Writes scenario.yml and its CSV tables (docs/SCENARIOS.md) into `dir`, creating it and
// replacing files of the same names. Throws OutputError when a file cannot be written.
void write_scenario(const Scenario& scenario, const std::filesystem::path& dir);

}   // namespace migsim
