// Named parameters: the keys that --set, variants and events.csv use to change a scenario
// ("border:strait.patrol", "days"), resolved to indices and checked like the table columns.
#pragma once

#include <string>

#include "migsim/scenario.hpp"

namespace migsim::detail {

// Where a key or value came from, for error messages ("--set", "events.csv" line 4, ...).
struct Origin {
    std::string file;
    long line = 0;
};

// `target` like "border:strait", `parameter` like "patrol". Throws ScenarioError.
[[nodiscard]] Assignment resolve_assignment(const Scenario& scenario, const std::string& target,
                                            const std::string& parameter, const std::string& value,
                                            const Origin& origin);

// Refuses a run whose days a notebook could not read as dates (before 1678, after 2262).
void check_dates(const Scenario& scenario);

// True for the top-level settings keys ("days", "speed.sea", ...).
[[nodiscard]] bool is_setting_key(const std::string& key);
void apply_setting(Settings& settings, const std::string& key, const std::string& value, const Origin& origin);

// "key=value" (or a key and a value) applied to a loaded scenario: a setting or
// TARGET.PARAMETER. Throws ScenarioError.
void apply_override(Scenario& scenario, const std::string& key, const std::string& value, const Origin& origin);

}   // namespace migsim::detail
