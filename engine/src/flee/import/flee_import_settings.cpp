// The FabFlee importer's settings: simsetting.yml read as Flee reads it (a default for every
// missing key, each key reported), and source_data/'s data_layout.csv checked.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "migsim/errors.hpp"
#include "scenario/csv_table.hpp"
#include "flee/import/flee_import_parts.hpp"
#include "scenario/text_file.hpp"
#include "scenario/yaml_tree.hpp"

namespace migsim::detail::flee_import {

namespace fs = std::filesystem;

// ---- simsetting.yml ----------------------------------------------------------------------

void SettingsReader::bad(const std::string& key, const YAML::Node& node, const std::string& expected) const {
    throw ScenarioError(path, node.Mark().line + 1, key, text(node), expected);
}

std::string SettingsReader::text(const YAML::Node& node) {
    if (node.IsScalar()) return node.Scalar();
    if (node.IsSequence()) {
        std::string out = "[";
        for (std::size_t i = 0; i < node.size(); ++i) out += (i ? ", " : "") + text(node[i]);
        return out + "]";
    }
    if (node.IsMap()) {
        std::string out = "{";
        for (const auto& kv : node) out += (out.size() > 1 ? ", " : "") + text(kv.first) + ": " + text(kv.second);
        return out + "}";
    }
    return "";
}

double SettingsReader::number(const std::string& key, const YAML::Node& node) const {
    if (!node.IsScalar()) bad(key, node, "a number");
    auto v = parse_number(node.Scalar());
    if (!v) bad(key, node, "a number");
    return *v;
}

long long SettingsReader::whole(const std::string& key, const YAML::Node& node, long long low) const {
    if (!node.IsScalar()) bad(key, node, "a whole number >= " + std::to_string(low));
    auto v = parse_whole(node.Scalar());
    if (!v) {   // Flee's int(float) accepts 10.0
        auto d = parse_number(node.Scalar());
        if (d && *d == std::floor(*d) && std::abs(*d) < 1e15) v = static_cast<long long>(*d);
    }
    if (!v || *v < low) bad(key, node, "a whole number >= " + std::to_string(low));
    return *v;
}

bool SettingsReader::boolean(const std::string& key, const YAML::Node& node) const {
    bool value = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) bad(key, node, "true or false");
    return value;
}

std::string yes_no(bool b) { return b ? "true" : "false"; }

void read_settings(const fs::path& file, SettingsReader& s, bool& registrations_spawning_needed) {
    registrations_spawning_needed = true;
    YAML::Node root;
    const std::string bytes = detail::read_text_file(file.string());
    try {
        root = YAML::Load(std::string(detail::without_bom(bytes)));
    } catch (const YAML::Exception& e) {
        throw ScenarioError(s.path, e.mark.line + 1, "YAML", "", "valid YAML (" + e.msg + ")");
    }
    detail::check_yaml_tree(s.path, root, bytes.size());
    if (root.IsNull()) return;
    if (!root.IsMap())
        s.bad("simsetting.yml", root, "a mapping with log_levels, spawn_rules, move_rules, optimisations");

    auto section = [&](const char* name) -> YAML::Node {
        YAML::Node n = root[name];
        if (!n || n.IsNull()) return YAML::Node(YAML::NodeType::Map);
        if (!n.IsMap()) s.bad(name, n, "a mapping of settings");
        return n;
    };
    const YAML::Node move = section("move_rules"), spawn = section("spawn_rules"), opt = section("optimisations");
    std::set<std::string> handled;

    auto get = [&](const YAML::Node& sec, const std::string& sec_name, const std::string& key) -> YAML::Node {
        handled.insert(sec_name + "." + key);
        return sec[key];   // const: a missing key gives an invalid node (false), nothing is inserted
    };
    // A setting migsim applies: into the block under `target`.
    auto supported_number = [&](const YAML::Node& sec, const std::string& sec_name, const std::string& key,
                                const std::string& target, double& into, const std::string& what) {
        YAML::Node n = get(sec, sec_name, key);
        if (!n) return;
        into = s.number(sec_name + "." + key, n);
        s.origin[target] = sec_name + "." + key;
        s.report.add(sec_name + "." + key, SettingsReader::text(n), Status::supported, "flee." + target + ": " + what);
    };
    // A rule migsim does not have: fine at Flee's default (off), unsupported otherwise.
    auto rule_flag = [&](const YAML::Node& sec, const std::string& sec_name, const std::string& key, bool flee_default,
                         const std::string& what) -> bool {
        YAML::Node n = get(sec, sec_name, key);
        if (!n) return flee_default;
        const bool on = s.boolean(sec_name + "." + key, n);
        if (on == flee_default)
            s.report.add(sec_name + "." + key, yes_no(on), Status::inert,
                         "Flee's default: " + what + " stays off, as in migsim");
        else
            s.report.add(sec_name + "." + key, yes_no(on), Status::unsupported,
                         what + " is not implemented in migsim: the run differs from Flee's");
        return on;
    };

    // move_rules
    auto& f = s.flee;
    YAML::Node v1 = get(move, "move_rules", "use_v1_rules");
    const bool use_v1 = v1 && s.boolean("move_rules.use_v1_rules", v1);
    supported_number(move, "move_rules", "max_move_speed", "max_move_speed", f.max_move_speed, "km per day");
    const bool on_foot =
        rule_flag(move, "move_rules", "start_on_foot", false, "walking the first link (start_on_foot)");
    if (YAML::Node n = get(move, "move_rules", "max_walk_speed")) {
        s.number("move_rules.max_walk_speed", n);
        s.report.add("move_rules.max_walk_speed", SettingsReader::text(n),
                     on_foot ? Status::unsupported : Status::inert,
                     on_foot ? "walking speed: start_on_foot is not implemented"
                             : "used only with start_on_foot (off) or a link's walking attribute");
    }
    if (YAML::Node n = get(move, "move_rules", "max_crossing_speed")) {
        s.number("move_rules.max_crossing_speed", n);
        s.report.add("move_rules.max_crossing_speed", SettingsReader::text(n), Status::inert,
                     "used only on river-crossing links (a link attribute), which are not imported");
    }
    supported_number(move, "move_rules", "foreign_weight", "foreign_weight", f.foreign_weight, "score factor abroad");
    supported_number(move, "move_rules", "camp_weight", "camp_weight", f.camp_weight, "score factor of camps");
    supported_number(move, "move_rules", "conflict_weight", "conflict_weight", f.conflict_weight,
                     "score factor of conflict zones, raised to decay x intensity");
    supported_number(move, "move_rules", "conflict_movechance", "conflict_movechance", f.conflict_movechance,
                     "daily move chance in a conflict zone");
    supported_number(move, "move_rules", "camp_movechance", "camp_movechance", f.camp_movechance,
                     "daily move chance in a camp");
    supported_number(move, "move_rules", "default_movechance", "default_movechance", f.default_movechance,
                     "daily move chance in a town");
    if (YAML::Node n = get(move, "move_rules", "idpcamp_movechance")) {
        s.number("move_rules.idpcamp_movechance", n);
        s.report.add("move_rules.idpcamp_movechance", SettingsReader::text(n), Status::inert,
                     "for idpcamp locations, which the import refuses (none here)");
    }
    if (YAML::Node n = get(move, "move_rules", "awareness_level")) {
        f.awareness_level = static_cast<int>(s.whole("move_rules.awareness_level", n, 0));
        if (f.awareness_level > 16) s.bad("move_rules.awareness_level", n, "a whole number from 0 to 16");
        s.origin["awareness_level"] = "move_rules.awareness_level";
        s.report.add("move_rules.awareness_level", SettingsReader::text(n), Status::supported,
                     "flee.awareness_level: links per candidate route");
    }
    supported_number(move, "move_rules", "capacity_buffer", "capacity_buffer", f.capacity_buffer,
                     "camps weigh less from buffer x capacity");
    supported_number(move, "move_rules", "capacity_scaling", "capacity_scaling", f.capacity_scaling,
                     "multiplies every capacity");
    supported_number(move, "move_rules", "softening", "softening", f.softening,
                     "km added to every route's length (Flee's distance softening)");
    supported_number(move, "move_rules", "weight_softening", "weight_softening", f.weight_softening,
                     "added to every location score");
    supported_number(move, "move_rules", "weight_power", "weight_power", f.weight_power, "power of route weights");
    supported_number(move, "move_rules", "distance_power", "distance_power", f.distance_power,
                     "power of route lengths");
    rule_flag(move, "move_rules", "avoid_short_stints", false, "avoiding short stints (avoid_short_stints)");
    const bool close_home = rule_flag(move, "move_rules", "stay_close_to_home", false,
                                      "weighing by distance from home (stay_close_to_home)");
    if (YAML::Node n = get(move, "move_rules", "home_distance_power")) {
        s.number("move_rules.home_distance_power", n);
        s.report.add("move_rules.home_distance_power", SettingsReader::text(n),
                     close_home ? Status::unsupported : Status::inert,
                     close_home ? "part of stay_close_to_home, not implemented"
                                : "used only with stay_close_to_home (off)");
    }
    const bool pop_weight = rule_flag(move, "move_rules", "use_pop_for_loc_weight", false,
                                      "weighing locations by population (use_pop_for_loc_weight)");
    if (YAML::Node n = get(move, "move_rules", "pop_power_for_loc_weight")) {
        s.number("move_rules.pop_power_for_loc_weight", n);
        s.report.add("move_rules.pop_power_for_loc_weight", SettingsReader::text(n),
                     pop_weight ? Status::unsupported : Status::inert,
                     pop_weight ? "part of use_pop_for_loc_weight, not implemented"
                                : "used only with use_pop_for_loc_weight (off)");
    }
    double pop_factor = 0;
    if (YAML::Node n = get(move, "move_rules", "movechance_pop_scale_factor")) {
        pop_factor = s.number("move_rules.movechance_pop_scale_factor", n);
        s.report.add("move_rules.movechance_pop_scale_factor", SettingsReader::text(n),
                     pop_factor == 0 ? Status::inert : Status::unsupported,
                     pop_factor == 0 ? "0 (Flee's default): move chances do not scale with population"
                                     : "scaling move chances by population is not implemented");
    }
    if (YAML::Node n = get(move, "move_rules", "movechance_pop_base")) {
        s.number("move_rules.movechance_pop_base", n);
        s.report.add("move_rules.movechance_pop_base", SettingsReader::text(n),
                     pop_factor == 0 ? Status::inert : Status::unsupported,
                     pop_factor == 0 ? "used only when movechance_pop_scale_factor is not 0"
                                     : "part of the population scaling of move chances, not implemented");
    }
    for (const char* rule :
         {"ChildrenAvoidHazards", "BoysTakeRisk", "MatchCampEthnicity", "MatchTownEthnicity", "MatchConflictEthnicity"})
        rule_flag(move, "move_rules", rule, false, std::string("the demographic rule ") + rule);
    if (YAML::Node n = get(move, "move_rules", "flood_rules"))
        s.report.add("move_rules.flood_rules", SettingsReader::text(n), Status::unsupported,
                     "DFlee's flood rules are not implemented");
    if (v1) {
        if (use_v1) {
            f.max_move_speed = 200;
            f.camp_weight = 2;
            f.conflict_weight = 0.25;
            for (const char* k : {"max_move_speed", "camp_weight", "conflict_weight"})
                s.origin[k] = "move_rules.use_v1_rules";
        }
        s.report.add("move_rules.use_v1_rules", yes_no(use_v1), use_v1 ? Status::supported : Status::inert,
                     use_v1 ? "Flee 1's values replace max_move_speed (200), camp_weight (2) and conflict_weight (0.25)"
                            : "Flee's default: Flee 3's rules");
    }

    // spawn_rules
    if (YAML::Node n = get(spawn, "spawn_rules", "take_from_population")) {
        f.take_from_population = s.boolean("spawn_rules.take_from_population", n);
        s.origin["take_from_population"] = "spawn_rules.take_from_population";
        s.report.add("spawn_rules.take_from_population", yes_no(f.take_from_population), Status::supported,
                     "flee.take_from_population: each agent spawned lowers its zone's population");
    }
    if (YAML::Node n = get(spawn, "spawn_rules", "insert_day0")) {
        f.insert_day0 = s.boolean("spawn_rules.insert_day0", n);
        s.origin["insert_day0"] = "spawn_rules.insert_day0";
        s.report.add("spawn_rules.insert_day0", yes_no(f.insert_day0), Status::supported,
                     "flee.insert_day0: day 0's registrations start in the camps");
    }
    if (YAML::Node n = get(spawn, "spawn_rules", "conflict_spawn_decay")) {
        f.conflict_spawn_decay.clear();
        if (n.IsSequence()) {
            for (const auto& item : n) {
                double d = s.number("spawn_rules.conflict_spawn_decay", item);
                if (d < 0) s.bad("spawn_rules.conflict_spawn_decay", item, "factors >= 0");
                f.conflict_spawn_decay.push_back(d);
            }
        } else if (!n.IsNull()) {
            s.bad("spawn_rules.conflict_spawn_decay", n, "a list of factors, like [1.0, 1.0, 0.5]");
        }
        s.origin["conflict_spawn_decay"] = "spawn_rules.conflict_spawn_decay";
        s.report.add("spawn_rules.conflict_spawn_decay", SettingsReader::text(n), Status::supported,
                     "flee.conflict_spawn_decay: factor per interval since a conflict began");
    }
    if (YAML::Node n = get(spawn, "spawn_rules", "conflict_spawn_decay_interval")) {
        f.conflict_spawn_decay_interval = static_cast<int>(s.whole("spawn_rules.conflict_spawn_decay_interval", n, 1));
        s.origin["conflict_spawn_decay_interval"] = "spawn_rules.conflict_spawn_decay_interval";
        s.report.add("spawn_rules.conflict_spawn_decay_interval", SettingsReader::text(n), Status::supported,
                     "flee.conflict_spawn_decay_interval: days per decay step");
    }
    if (YAML::Node n = get(spawn, "spawn_rules", "conflict_zone_spawning_only")) {
        const bool only = s.boolean("spawn_rules.conflict_zone_spawning_only", n);
        s.report.add("spawn_rules.conflict_zone_spawning_only", yes_no(only),
                     only ? Status::supported : Status::unsupported,
                     only ? "migsim spawns at conflict zones only"
                          : "spawning outside conflict zones is not implemented");
    }
    rule_flag(spawn, "spawn_rules", "flood_zone_spawning_only", false, "spawning at flood zones");
    rule_flag(spawn, "spawn_rules", "camps_are_sicks", false, "camps as sinks (Flee's key camps_are_sicks, sic)");
    if (YAML::Node n = get(spawn, "spawn_rules", "camps_are_sinks"))
        s.report.add("spawn_rules.camps_are_sinks", SettingsReader::text(n), Status::ignored,
                     "not a key Flee reads (it reads camps_are_sicks, sic): Flee ignores it, and so does the import");
    rule_flag(spawn, "spawn_rules", "read_from_agents_csv_file", false, "reading agents from agents.csv");
    if (YAML::Node n = get(spawn, "spawn_rules", "sum_from_camps")) {
        const bool sum = s.boolean("spawn_rules.sum_from_camps", n);
        s.report.add("spawn_rules.sum_from_camps", yes_no(sum), sum ? Status::supported : Status::unsupported,
                     sum ? "migsim spawns the daily rise of the camps' registrations summed"
                         : "spawning from the total row (refugees.csv) is not implemented; migsim sums the camps");
    }
    if (YAML::Node n = get(spawn, "spawn_rules", "conflict_driven_spawning"); n && !n.IsNull()) {
        if (!n.IsMap())
            s.bad("spawn_rules.conflict_driven_spawning", n,
                  "a mapping with spawn_mode and displaced_per_conflict_day");
        registrations_spawning_needed = false;
        f.spawning = FleeSettings::Spawning::conflict;
        std::string mode = "constant";
        for (const auto& kv : n) {
            const std::string key = kv.first.as<std::string>();
            const std::string full = "spawn_rules.conflict_driven_spawning." + key;
            if (key == "spawn_mode") {
                if (!kv.second.IsScalar()) s.bad(full, kv.second, "constant, pop_ratio or poisson");
                mode = lower(kv.second.Scalar());
                if (mode != "constant" && mode != "pop_ratio" && mode != "poisson")
                    s.bad(full, kv.second, "constant, pop_ratio or poisson");
            } else if (key == "displaced_per_conflict_day") {
                f.displaced_per_conflict_day = s.number(full, kv.second);
                if (f.displaced_per_conflict_day < 0) s.bad(full, kv.second, "a number >= 0");
                s.origin["displaced_per_conflict_day"] = full;
            } else {
                s.report.add(full, SettingsReader::text(kv.second), Status::ignored,
                             "unknown key (Flee ignores it too)");
            }
        }
        f.conflict_spawn_mode = mode == "pop_ratio" ? FleeSettings::SpawnMode::pop_ratio
                                : mode == "poisson" ? FleeSettings::SpawnMode::poisson
                                                    : FleeSettings::SpawnMode::constant;
        if (!s.origin.count("displaced_per_conflict_day"))   // Flee's defaults differ by mode
            f.displaced_per_conflict_day = mode == "pop_ratio" ? 0.01 : 500;
        s.origin["spawning"] = s.origin["conflict_spawn_mode"] = "spawn_rules.conflict_driven_spawning";
        s.report.add("spawn_rules.conflict_driven_spawning", SettingsReader::text(n), Status::supported,
                     "flee.spawning: conflict, conflict_spawn_mode: " + mode +
                         ", displaced_per_conflict_day: " + format_number(f.displaced_per_conflict_day));
    }
    if (YAML::Node n = get(spawn, "spawn_rules", "flood_driven_spawning"))
        s.report.add("spawn_rules.flood_driven_spawning", SettingsReader::text(n), Status::unsupported,
                     "DFlee's flood-driven spawning is not implemented");

    // optimisations
    if (YAML::Node n = get(opt, "optimisations", "hasten")) {
        f.hasten = static_cast<int>(s.whole("optimisations.hasten", n, 1));
        s.origin["hasten"] = "optimisations.hasten";
        s.report.add("optimisations.hasten", SettingsReader::text(n), Status::supported,
                     "flee.hasten: populations, capacities and registrations divided by this");
    }

    // everything else
    for (const auto& kv : root) {
        const std::string key = kv.first.as<std::string>();
        if (key == "move_rules" || key == "spawn_rules" || key == "optimisations") {
            for (const auto& inner : kv.second.IsMap() ? kv.second : YAML::Node(YAML::NodeType::Map)) {
                const std::string full = key + "." + inner.first.as<std::string>();
                if (!handled.count(full))
                    s.report.add(full, SettingsReader::text(inner.second), Status::ignored,
                                 "warning: unknown key (Flee ignores it too)");
            }
        } else if (key == "log_levels") {
            s.report.add("log_levels", SettingsReader::text(kv.second), Status::inert,
                         "Flee's logging: no effect on the model");
        } else if (key == "number_of_steps") {
            s.report.add(key, SettingsReader::text(kv.second), Status::inert,
                         "the run's length comes from input_csv/sim_period.csv");
        } else if (key == "conflict_input_file") {
            s.report.add(key, SettingsReader::text(kv.second), Status::inert,
                         "the import reads input_csv/conflicts.csv, as FabFlee's run script does");
        } else {
            s.report.add(key, SettingsReader::text(kv.second), Status::ignored,
                         "warning: unknown key (Flee ignores it too)");
        }
    }
}

// ---- source_data -------------------------------------------------------------------------

std::vector<std::string> files_in(const fs::path& dir) {
    std::vector<std::string> names;
    std::error_code error;
    if (!fs::is_directory(dir, error)) return names;
    for (const auto& entry : fs::directory_iterator(dir, error))
        if (entry.is_regular_file(error)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

// Checks data_layout.csv against the locations; reports every file of source_data/.
void read_layout(const fs::path& source, const Network& net, bool sum_from_camps, Report& report) {
    const fs::path layout = source / "data_layout.csv";
    const FleeCsv t = detail::read_flee_csv(layout.string());
    std::set<std::string> used{"data_layout.csv"};
    std::string total;
    std::set<std::string> camps_with_data;
    for (const auto& row : t.rows) {
        const std::string& name = field(t, row, 0, "location");
        if (row.fields.size() < 2 || row.fields[1].empty())
            fail(t, row.line, "file", "", "at least one file of source_data/ after the name");
        if (name != "total") {
            auto it = net.by_name.find(name);
            if (it == net.by_name.end())
                fail(t, row.line, "location", name, "'total' or a camp name from input_csv/locations.csv");
            camps_with_data.insert(name);
        }
        for (std::size_t i = 1; i < row.fields.size(); ++i) {
            const std::string& file = row.fields[i];
            if (file.empty()) continue;
            std::error_code error;
            if (!fs::is_regular_file(source / file, error))
                fail(t, row.line, "file", file, "a file in " + source.string() + " (it is missing)");
            if (name == "total") total = file;
            else used.insert(file);
        }
    }
    report.add("source_data/data_layout.csv", std::to_string(camps_with_data.size()) + " camps", Status::supported,
               "flee.registrations: the UNHCR registrations per camp (spawning and validate-data)");
    for (const auto& loc : net.locations)
        if (loc.type == FleeType::camp && !camps_with_data.count(loc.name))
            report.add("camp " + loc.name, "", Status::ignored,
                       "no registrations in data_layout.csv: not in the validation");
    for (const auto& file : files_in(source)) {
        if (used.count(file)) {
            if (file != "data_layout.csv")
                report.add("source_data/" + file, "", Status::supported,
                           "a camp's registrations (named by data_layout.csv)");
        } else if (file == total) {
            report.add("source_data/" + file, "total", Status::inert,
                       sum_from_camps ? "the layout's total row: used only when sum_from_camps is false"
                                      : "the layout's total row: sum_from_camps false is not implemented");
        } else {
            report.add("source_data/" + file, "", Status::ignored,
                       "not named by data_layout.csv (copied for provenance)");
        }
    }
}

}   // namespace migsim::detail::flee_import
