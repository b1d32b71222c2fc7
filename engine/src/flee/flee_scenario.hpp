// The Flee side of a scenario (`rules: flee`, docs/FLEE.md): the `flee:` settings block, the
// locations table with Flee's kinds, and what load_scenario() derives once every override is
// in: hasten, the camps' registrations and the daily spawn counts.
#pragma once

#include <filesystem>
#include <string>

#include "migsim/scenario.hpp"
#include "scenario/parameters.hpp"

namespace migsim::detail {

// One `flee:` setting by its Flee name (`camp_weight`, `conflict_spawn_decay` as a list
// "1, 1, 0.5" or "[1, 1, 0.5]"). Throws ScenarioError naming `origin`, the key and the value.
void apply_flee_setting(FleeSettings& flee, const std::string& key, const std::string& value, const Origin& origin);

// The names apply_flee_setting() accepts, for messages and the fuzz dictionary.
[[nodiscard]] const std::vector<std::string>& flee_setting_names();

// locations.csv under Flee's rules: id, name, country, lat, lon, kind (town | conflict_zone |
// camp), population, optional capacity and conflict. Returns the bytes read.
std::string read_flee_locations(Scenario& s, const std::string& path);

// After all overrides: divides populations and capacities by hasten, reads the registrations
// named by flee.registrations (relative to `dir`) into s.registrations, matches them to camps
// by name and computes s.spawns_per_day. Returns the files read (path, bytes) for provenance.
std::vector<std::pair<std::string, std::string>> finish_flee(Scenario& s, const std::filesystem::path& dir);

// Whole-scenario checks under Flee's rules (every conflict zone can reach a camp, ...).
void validate_flee(const Scenario& s);

}   // namespace migsim::detail
