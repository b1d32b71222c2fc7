#include "flee/flee_scenario.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <unordered_map>

#include "migsim/errors.hpp"
#include "scenario/parameters.hpp"
#include "migsim/flee.hpp"
#include "scenario/csv_table.hpp"
#include "scenario/tables.hpp"
#include "scenario/text_file.hpp"

namespace migsim::detail {

namespace {

struct Real {
    const char* name;
    double FleeSettings::*field;
    double low, high;
    bool low_open;
    const char* expected;
};

constexpr double inf = HUGE_VAL;

// The real-valued settings, with the range Flee's formulas need.
const Real reals[] = {
    {"max_move_speed", &FleeSettings::max_move_speed, 0, 100000, true, "km per day > 0"},
    {"camp_movechance", &FleeSettings::camp_movechance, 0, 1, false, "a probability in [0, 1]"},
    {"conflict_movechance", &FleeSettings::conflict_movechance, 0, 1, false, "a probability in [0, 1]"},
    {"default_movechance", &FleeSettings::default_movechance, 0, 1, false, "a probability in [0, 1]"},
    {"foreign_weight", &FleeSettings::foreign_weight, 0, inf, false, "a weight >= 0"},
    {"camp_weight", &FleeSettings::camp_weight, 0, inf, false, "a weight >= 0"},
    {"conflict_weight", &FleeSettings::conflict_weight, 0, inf, false, "a weight >= 0"},
    {"capacity_buffer", &FleeSettings::capacity_buffer, 0, 1, false, "a share in [0, 1]"},
    {"capacity_scaling", &FleeSettings::capacity_scaling, 0, inf, false, "a factor >= 0"},
    {"softening", &FleeSettings::softening, 0, inf, false, "km >= 0"},
    {"weight_softening", &FleeSettings::weight_softening, 0, inf, false, "a weight >= 0"},
    {"distance_power", &FleeSettings::distance_power, 0, 100, false, "a power in [0, 100]"},
    {"weight_power", &FleeSettings::weight_power, 0, 100, false, "a power in [0, 100]"},
    {"displaced_per_conflict_day", &FleeSettings::displaced_per_conflict_day, 0, 1e9, false,
     "people per conflict day >= 0"},
};

bool truth(const std::string& value, bool& out) {
    std::string v = value;
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
    if (v == "true" || v == "yes" || v == "1") return out = true, true;
    if (v == "false" || v == "no" || v == "0") return out = false, true;
    return false;
}

std::string trimmed(const std::string& text) {
    const auto begin = text.find_first_not_of(" \t");
    if (begin == std::string::npos) return {};
    return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

}   // namespace

const std::vector<std::string>& flee_setting_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> n;
        for (const auto& r : reals) n.emplace_back(r.name);
        for (const char* k : {"awareness_level", "conflict_spawn_decay", "conflict_spawn_decay_interval", "hasten",
                              "capacity_occupancy", "spawning", "insert_day0", "take_from_population",
                              "conflict_spawn_mode", "registrations", "registration_corrections"})
            n.emplace_back(k);
        return n;
    }();
    return names;
}

void apply_flee_setting(FleeSettings& flee, const std::string& key, const std::string& value, const Origin& origin) {
    auto fail = [&](const std::string& expected) {
        throw ScenarioError(origin.file, origin.line, "flee." + key, value, expected);
    };
    const auto number = parse_number(trimmed(value));
    for (const auto& r : reals) {
        if (key != r.name) continue;
        if (!number || *number < r.low || (r.low_open && *number == r.low) || *number > r.high)
            fail(std::string(r.expected) + (number ? "" : " (a finite number)"));
        flee.*r.field = *number;
        return;
    }
    auto whole = [&](double low, double high, const char* expected) {
        if (!number || *number < low || *number > high || std::floor(*number) != *number) fail(expected);
        return static_cast<int>(*number);
    };
    auto choice = [&](std::initializer_list<const char*> names) {
        int k = 0;
        std::string list;
        for (const char* n : names) {
            if (value == n) return k;
            list += (list.empty() ? "" : " or ") + std::string(n);
            ++k;
        }
        fail(list);
        return 0;
    };
    bool flag = false;
    if (key == "awareness_level") flee.awareness_level = whole(0, 4, "whole links from 0 to 4");
    else if (key == "conflict_spawn_decay_interval")
        flee.conflict_spawn_decay_interval = whole(1, 65535, "whole days >= 1");
    else if (key == "hasten") flee.hasten = whole(1, 1000000, "a whole divisor >= 1 (1: full size)");
    else if (key == "capacity_occupancy")
        flee.capacity_occupancy = static_cast<FleeSettings::Occupancy>(choice({"present", "present_and_incoming"}));
    else if (key == "spawning")
        flee.spawning = static_cast<FleeSettings::Spawning>(choice({"registrations", "conflict"}));
    else if (key == "conflict_spawn_mode")
        flee.conflict_spawn_mode = static_cast<FleeSettings::SpawnMode>(choice({"constant", "pop_ratio", "poisson"}));
    else if (key == "insert_day0" || key == "take_from_population") {
        if (!truth(value, flag)) fail("true or false");
        (key == "insert_day0" ? flee.insert_day0 : flee.take_from_population) = flag;
    } else if (key == "registrations") flee.registrations = value;
    else if (key == "registration_corrections") flee.registration_corrections = value;
    else if (key == "conflict_spawn_decay") {
        std::string list = trimmed(value);
        if (!list.empty() && list.front() == '[' && list.back() == ']') list = list.substr(1, list.size() - 2);
        std::vector<double> decay;
        std::stringstream items(list);
        for (std::string item; std::getline(items, item, ',');) {
            const auto factor = parse_number(trimmed(item));
            if (!factor || *factor < 0) fail("a list of factors >= 0, like [1, 1, 0.5, 0.1]");
            decay.push_back(*factor);
        }
        if (decay.empty()) fail("a list of one or more factors >= 0, like [1, 1, 0.5, 0.1]");
        flee.conflict_spawn_decay = std::move(decay);
    } else {
        std::string names;
        for (const auto& n : flee_setting_names()) names += (names.empty() ? "" : ", ") + n;
        throw ScenarioError(origin.file, origin.line, "flee", key, "one of the Flee settings " + names);
    }
}

std::string read_flee_locations(Scenario& s, const std::string& path) {
    CsvTable t(path, {"id", "name", "country", "lat", "lon", "kind", "population"}, {"capacity", "conflict"});
    std::unordered_map<std::string, long> seen;
    for (const auto& row : t.rows()) {
        Location l;
        l.id = t.id(row, "id");
        if (auto [at, added] = seen.emplace(l.id, row.line); !added)
            t.fail(row, "id", l.id,
                   "a unique id (it is defined twice: already on line " + std::to_string(at->second) + ")");
        read_place_columns(t, row, l);
        const std::string kind = t.text(row, "kind");
        if (kind == "town") l.kind = LocationKind::town;
        else if (kind == "conflict_zone") l.kind = LocationKind::conflict_zone;
        else if (kind == "camp") l.kind = LocationKind::camp;
        else t.fail(row, "kind", kind, "town, conflict_zone or camp (rules: flee)");
        l.population =
            t.integer(row, "population", 0, "people >= 0", 1'000'000'000'000, "the largest count migsim accepts");
        if (t.has(row, "capacity"))
            l.capacity = t.integer(row, "capacity", 0, "people >= 0 (0: unlimited)", 1'000'000'000'000,
                                   "the largest count migsim accepts");
        l.conflict = l.kind == LocationKind::conflict_zone ? 1 : 0;
        if (t.has(row, "conflict")) l.conflict = t.number_at_least(row, "conflict", 0, "a conflict intensity >= 0");
        if (l.kind == LocationKind::conflict_zone && l.conflict == 0)
            t.fail(row, "conflict", t.text(row, "conflict"), "an intensity > 0 for a conflict_zone (or kind town)");
        if (l.kind == LocationKind::town && l.conflict > 0)
            t.fail(row, "kind", kind, "conflict_zone for a place with conflict > 0");
        s.locations.push_back(std::move(l));
    }
    if (t.rows().empty())
        throw ScenarioError(path + ": the table has no rows, only its header; expected at least one location");
    return t.bytes();
}

std::vector<std::pair<std::string, std::string>> finish_flee(Scenario& s, const std::filesystem::path& dir) {
    const FleeSettings& f = s.flee;
    for (Location& l : s.locations) {   // Flee divides with Python's int(x / hasten)
        l.population /= f.hasten;
        l.capacity /= f.hasten;
    }
    std::vector<std::pair<std::string, std::string>> read;
    if (f.spawning != FleeSettings::Spawning::registrations) return read;
    if (f.registrations.empty())
        throw ScenarioError(s.inputs.front().path, 0, "flee.registrations", "",
                            "the path of the camps' data_layout.csv (spawning: registrations needs it), or "
                            "spawning: conflict");
    const auto layout = dir / f.registrations;
    const auto corrections =
        f.registration_corrections.empty() ? std::filesystem::path() : dir / f.registration_corrections;
    s.registrations = read_registrations(layout, corrections, s.settings.start_date, s.settings.days, f.hasten);
    read.emplace_back(layout.string(), read_text_file(layout.string()));
    if (!corrections.empty()) read.emplace_back(corrections.string(), read_text_file(corrections.string()));
    for (CampSeries& camp : s.registrations) {
        for (std::size_t k = 0; k < s.locations.size(); ++k)
            if (s.locations[k].name == camp.camp) camp.location = static_cast<int>(k);
        if (camp.location == no_index)
            throw ScenarioError(layout.string(), camp.line, "camp", camp.camp,
                                "the name of a location in the locations table (data_layout.csv names camps by name)");
    }
    s.spawns_per_day = spawn_schedule(s.registrations, f.insert_day0);
    return read;
}

void validate_flee(const Scenario& s) {
    check_dates(s);
    if (s.locations.size() > 65535)
        throw ScenarioError("locations: " + std::to_string(s.locations.size()) +
                            "; expected at most 65535 (an agent's place is stored in 16 bits)");
    if (s.links.size() >= 65535)
        throw ScenarioError("links: " + std::to_string(s.links.size()) +
                            "; expected at most 65534 (the link an agent travels is stored in 16 bits)");
    bool any_camp = false;
    for (const auto& l : s.locations) any_camp = any_camp || l.kind == LocationKind::camp;
    if (!any_camp) throw ScenarioError("locations: no location of kind camp; expected at least one camp (rules: flee)");
    std::int64_t total = 0;
    for (auto n : s.spawns_per_day) total += n;
    if (total > 4294967295LL)
        throw ScenarioError("registrations: " + std::to_string(total) +
                            " agents; expected at most 4294967295 (agent ids are 32 bits): raise flee.hasten");
}

}   // namespace migsim::detail
