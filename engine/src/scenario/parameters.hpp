// Named parameters: the keys that --set, variants and events.csv use to change a scenario
// ("border:strait.patrol", "days"), resolved to indices and checked like the table columns.
#pragma once

#include <array>

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

// The behaviour settings (`behaviour:` in scenario.yml, `--set behaviour.KEY=V`): one list for
// the loader, the parameter keys and the scenario writer.
struct BehaviourKey {
    const char* name;
    double Behaviour::*member;
    double low, high;
    const char* expected;
};
inline constexpr double unbounded = 1e300;
inline constexpr std::array<BehaviourKey, 5> behaviour_keys{{
    {"switching_cost", &Behaviour::switching_cost, 0, unbounded, "a cost >= 0 (1e9: nobody switches)"},
    {"replan_threshold", &Behaviour::replan_threshold, 0, unbounded, "a cost >= 0"},
    {"retry_penalty", &Behaviour::retry_penalty, 0, unbounded, "a cost >= 0 per remembered failure"},
    {"local_information_lag_days", &Behaviour::local_information_lag_days, 1, unbounded, "days >= 1"},
    {"give_up_switch", &Behaviour::give_up_switch, 0, 1, "a share from 0 to 1"},
}};
[[nodiscard]] inline const BehaviourKey* find_behaviour_key(const std::string& name) {
    for (const BehaviourKey& k : behaviour_keys)
        if (name == k.name) return &k;
    return nullptr;
}
void apply_setting(Settings& settings, const std::string& key, const std::string& value, const Origin& origin);

// "key=value" (or a key and a value) applied to a loaded scenario: a setting or
// TARGET.PARAMETER. Throws ScenarioError.
void apply_override(Scenario& scenario, const std::string& key, const std::string& value, const Origin& origin);

}   // namespace migsim::detail
