// load_scenario: scenario.yml (and the chain of variants that `extends:` it), the CSV tables,
// the overrides, then whole-scenario validation. Nothing runs before all of it has passed.
#include <yaml-cpp/yaml.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "common/sha256.hpp"
#include "migsim/errors.hpp"
#include "migsim/scenario.hpp"
#include "scenario/csv_table.hpp"
#include "flee/flee_scenario.hpp"
#include "scenario/parameters.hpp"
#include "scenario/tables.hpp"
#include "scenario/text_file.hpp"
#include "scenario/validate.hpp"
#include "scenario/yaml_tree.hpp"

namespace migsim {

namespace fs = std::filesystem;

namespace {

// One YAML file with its path, for messages that name the line of a key.
struct YamlFile {
    std::string path;
    std::string bytes;
    YAML::Node root;
};

YamlFile read_yaml(const fs::path& path) {
    YamlFile file{path.string(), detail::read_text_file(path.string()), {}};
    try {
        file.root = YAML::Load(std::string(detail::without_bom(file.bytes)));
    } catch (const YAML::Exception& e) {
        throw ScenarioError(file.path + ":" + std::to_string(e.mark.line + 1) + ":" +
                            std::to_string(e.mark.column + 1) + ": malformed YAML (" + e.msg +
                            "); expected YAML as in docs/SCENARIOS.md (indent with spaces, not "
                            "tabs; quote values that contain ': ' or start with '[', '{', '*')");
    }
    detail::check_yaml_tree(file.path, file.root, file.bytes.size());
    if (!file.root.IsMap()) throw ScenarioError(file.path + ": expected a YAML mapping of settings at the top level");
    return file;
}

long line_of(const YAML::Node& node) { return node.Mark().line + 1; }

[[noreturn]] void fail(const YamlFile& f, const YAML::Node& node, const std::string& key, const std::string& expected) {
    const std::string value = node.IsScalar()     ? node.Scalar()
                              : node.IsSequence() ? "(a list)"
                              : node.IsMap()      ? "(a mapping)"
                                                  : "(nothing)";
    throw ScenarioError(f.path, line_of(node), key, value, expected);
}

std::string scalar(const YamlFile& f, const YAML::Node& node, const std::string& key) {
    if (!node.IsScalar()) fail(f, node, key, "a single value");
    return node.Scalar();
}

double number(const YamlFile& f, const YAML::Node& node, const std::string& key, double low, const char* expected) {
    auto value = detail::parse_number(scalar(f, node, key));
    if (!value) fail(f, node, key, std::string(expected) + " (a finite number)");
    if (*value < low) fail(f, node, key, expected);
    return *value;
}

const YAML::Node required(const YamlFile& f, const YAML::Node& map, const std::string& key, const std::string& where) {
    // A scalar or a list where a mapping belongs: yaml-cpp would throw on map[key].
    if (!map.IsMap()) fail(f, map, where.empty() ? key : where, "a mapping with the key '" + key + "'");
    YAML::Node node = map[key];
    if (!node)
        throw ScenarioError(f.path, line_of(map), where.empty() ? key : where + "." + key, "",
                            "the key '" + key + "' (it is missing)");
    return node;
}

void check_keys(const YamlFile& f, const YAML::Node& map, const std::vector<std::string>& known,
                const std::string& where) {
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    if (!map.IsMap()) fail(f, map, where.empty() ? "key" : where, "a mapping with the keys " + list);
    for (const auto& item : map) {
        auto key = item.first.Scalar();
        if (std::find(known.begin(), known.end(), key) == known.end()) {
            throw ScenarioError(f.path, line_of(item.first), where.empty() ? "key" : where, key,
                                "one of the keys " + list);
        }
    }
}

template <class Items>
int index_of(const Items& items, const std::string& id) {
    for (std::size_t i = 0; i < items.size(); ++i)
        if (items[i].id == id) return static_cast<int>(i);
    return no_index;
}

void read_settings(Scenario& s, const YamlFile& f) {
    const auto& root = f.root;
    for (const char* key : {"name", "description", "start_date", "days", "seed", "information_lag_days", "max_attempts",
                            "give_up_days", "give_up_action", "output_by_group", "journey_sample"})
        if (root[key]) detail::apply_setting(s.settings, key, scalar(f, root[key], key), {f.path, line_of(root[key])});
    if (s.settings.name.empty())
        throw ScenarioError(f.path, 1, "name", "", "a scenario name (the key 'name' is missing)");
    if (!root["days"]) throw ScenarioError(f.path, 1, "days", "", "the run length in days (the key 'days' is missing)");
    if (auto speeds = root["speeds_km_per_day"]) {
        if (!speeds.IsMap()) fail(f, speeds, "speeds_km_per_day", "a mapping like {land: 200, sea: 300}");
        check_keys(f, speeds, {"land", "sea", "air"}, "speeds_km_per_day");
        for (const auto& item : speeds)
            detail::apply_setting(s.settings, "speed." + item.first.Scalar(),
                                  scalar(f, item.second, "speeds_km_per_day"), {f.path, line_of(item.second)});
    }
    if (auto behaviour = root["behaviour"]) {
        if (!behaviour.IsMap()) fail(f, behaviour, "behaviour", "a mapping like {switching_cost: 2, retry_penalty: 2}");
        for (const auto& item : behaviour)
            detail::apply_setting(s.settings, "behaviour." + item.first.Scalar(), scalar(f, item.second, "behaviour"),
                                  {f.path, line_of(item.second)});
    }
}

// `rules: logit | flee` and, for Flee's rules, the `flee:` block of Flee's settings.
void read_rules(Scenario& s, const YamlFile& f) {
    if (auto rules = f.root["rules"]) {
        const std::string name = scalar(f, rules, "rules");
        if (name == "flee") s.rules = Rules::flee;
        else if (name != "logit")
            fail(f, rules, "rules", "logit (migsim's route choice) or flee (Flee's rules, docs/FLEE.md)");
    }
    if (s.rules == Rules::flee)   // migsim's own rules' settings would be silently unused
        for (const char* key : {"profiles", "speeds_km_per_day", "information_lag_days", "max_attempts", "give_up_days",
                                "give_up_action", "behaviour"})
            if (f.root[key])
                fail(f, f.root[key], key,
                     "no such key with 'rules: flee' (it belongs to migsim's own rules; Flee's settings go under "
                     "'flee:', docs/FLEE.md)");
    const YAML::Node block = f.root["flee"];
    if (!block) return;
    if (s.rules != Rules::flee) fail(f, block, "flee", "no 'flee:' block unless 'rules: flee'");
    if (!block.IsMap()) fail(f, block, "flee", "a mapping of Flee's settings, like {camp_weight: 5}");
    for (const auto& item : block) {
        const std::string key = item.first.Scalar();
        std::string value;
        if (item.second.IsSequence())
            for (const auto& v : item.second) value += (value.empty() ? "" : ",") + scalar(f, v, "flee." + key);
        else value = scalar(f, item.second, "flee." + key);
        detail::apply_flee_setting(s.flee, key, value, {f.path, line_of(item.first)});
    }
}

std::vector<int> id_list(const YamlFile& f, const YAML::Node& node, const std::string& key,
                         const std::vector<std::string>& ids, const char* what) {
    std::vector<int> out;
    if (!node) return out;
    if (!node.IsSequence()) fail(f, node, key, std::string("a list of ") + what + " ids, like [a, b]");
    for (const auto& item : node) {
        auto id = scalar(f, item, key);
        auto it = std::find(ids.begin(), ids.end(), id);
        if (it == ids.end()) fail(f, item, key, std::string("the id of a ") + what + " (unknown id)");
        out.push_back(static_cast<int>(it - ids.begin()));
    }
    return out;
}

// A group's `weight_factors: {death: 2}` (optional): multipliers of the profiles' route
// weights for its members; a weight not named keeps its factor 1.
void read_weight_factors(const YamlFile& f, const YAML::Node& node, const std::string& where, RouteWeights& factors) {
    if (!node) return;
    if (!node.IsMap()) fail(f, node, where, "a mapping of route weights to factors, like {death: 2, time: 0.5}");
    check_keys(f, node, {"time", "money", "interception", "death"}, where);
    auto factor = [&](const char* key, double& out) {
        if (node[key]) out = number(f, node[key], where + "." + key, 0, "a factor >= 0");
    };
    factor("time", factors.time);
    factor("money", factors.money);
    factor("interception", factors.interception);
    factor("death", factors.death);
}

// `groups:` (optional): demographic groups, each {id, sex: female|male, age: child|adult} and
// optional weight_factors.
void read_groups(Scenario& s, const YamlFile& f) {
    const YAML::Node groups = f.root["groups"];
    if (!groups) return;
    if (!groups.IsSequence() || groups.size() == 0 || groups.size() > 255)
        fail(f, groups, "groups", "a list of 1 to 255 groups like - {id: woman, sex: female, age: adult}");
    for (std::size_t i = 0; i < groups.size(); ++i) {
        const auto& node = groups[i];
        const std::string where = "groups[" + std::to_string(i) + "]";
        if (!node.IsMap()) fail(f, node, where, "a mapping {id, sex, age}");
        check_keys(f, node, {"id", "sex", "age", "weight_factors"}, where);
        Group g;
        g.id = scalar(f, required(f, node, "id", where), where + ".id");
        if (index_of(s.groups, g.id) != no_index) fail(f, node["id"], where + ".id", "a unique group id");
        g.sex = scalar(f, required(f, node, "sex", where), where + ".sex");
        if (g.sex != "female" && g.sex != "male") fail(f, node["sex"], where + ".sex", "female or male");
        g.age = scalar(f, required(f, node, "age", where), where + ".age");
        if (g.age != "child" && g.age != "adult") fail(f, node["age"], where + ".age", "child or adult");
        read_weight_factors(f, node["weight_factors"], where + ".weight_factors", g.weight_factors);
        s.groups.push_back(std::move(g));
    }
}

// A profile's `groups: {woman: 0.2, man: 0.7, ...}`: the shares of its migrants by group.
void read_group_shares(const Scenario& s, const YamlFile& f, const YAML::Node& node, const std::string& where,
                       Profile& p) {
    if (!node) {
        if (!s.groups.empty())
            throw ScenarioError(f.path, 0, where, "",
                                "the shares of each group among this profile's migrants, like {woman: 0.3, man: 0.7} "
                                "(the scenario defines groups)");
        return;
    }
    if (s.groups.empty()) fail(f, node, where, "no group shares: the scenario has no 'groups:'");
    if (!node.IsMap()) fail(f, node, where, "a mapping of group ids to shares, like {woman: 0.3, man: 0.7}");
    p.group_shares.assign(s.groups.size(), 0.0);
    double total = 0;
    for (const auto& item : node) {
        const std::string id = item.first.Scalar();
        const int g = index_of(s.groups, id);
        if (g == no_index) fail(f, item.first, where, "the id of a group defined under 'groups:'");
        std::string key = where;
        key += "." + id;
        p.group_shares[static_cast<std::size_t>(g)] = number(f, item.second, key, 0, "a share >= 0");
        total += p.group_shares[static_cast<std::size_t>(g)];
    }
    if (std::abs(total - 1) > 1e-6) {
        std::ostringstream sum;
        sum << total;
        throw ScenarioError(f.path, line_of(node), where, "shares adding up to " + sum.str(),
                            "shares that add up to 1");
    }
}

void read_profiles(Scenario& s, const YamlFile& f) {
    auto profiles = required(f, f.root, "profiles", "");
    if (!profiles.IsSequence() || profiles.size() == 0) fail(f, profiles, "profiles", "a list of one or more profiles");
    std::vector<std::string> location_ids, border_ids;
    for (const auto& l : s.locations) location_ids.push_back(l.id);
    for (const auto& b : s.borders) border_ids.push_back(b.id);
    for (std::size_t i = 0; i < profiles.size(); ++i) {
        const auto& node = profiles[i];
        std::string where = "profiles[" + std::to_string(i) + "]";
        if (!node.IsMap()) fail(f, node, where, "a mapping with id, budget, weights, tau, destinations");
        check_keys(f, node, {"id", "budget", "weights", "tau", "destinations", "visa_free", "groups"}, where);
        Profile p;
        p.id = scalar(f, required(f, node, "id", where), where + ".id");
        if (index_of(s.profiles, p.id) != no_index) fail(f, node["id"], where + ".id", "a unique profile id");
        auto budget = required(f, node, "budget", where);
        check_keys(f, budget, {"median", "sigma"}, where + ".budget");
        p.budget_median =
            number(f, required(f, budget, "median", where + ".budget"), where + ".budget.median", 0, "money >= 0");
        p.budget_sigma =
            number(f, required(f, budget, "sigma", where + ".budget"), where + ".budget.sigma", 0, "a log-sd >= 0");
        auto weights = required(f, node, "weights", where);
        check_keys(f, weights, {"time", "money", "interception", "death"}, where + ".weights");
        auto weight = [&](const char* key) {
            return number(f, required(f, weights, key, where + ".weights"), where + ".weights." + key, 0,
                          "a weight >= 0");
        };
        p.weights = {weight("time"), weight("money"), weight("interception"), weight("death")};
        p.tau = number(f, required(f, node, "tau", where), where + ".tau", 1e-9, "a logit scale > 0");
        p.destinations =
            id_list(f, required(f, node, "destinations", where), where + ".destinations", location_ids, "location");
        if (p.destinations.empty()) fail(f, node["destinations"], where + ".destinations", "at least one destination");
        for (std::size_t d = 0; d < p.destinations.size(); ++d)
            if (s.locations[static_cast<std::size_t>(p.destinations[d])].kind != LocationKind::destination)
                fail(f, node["destinations"][d], where + ".destinations", "a location of kind destination");
        p.visa_free = id_list(f, node["visa_free"], where + ".visa_free", border_ids, "border");
        read_group_shares(s, f, node["groups"], where + ".groups", p);
        s.profiles.push_back(std::move(p));
    }
}

}   // namespace

namespace {

std::string megabytes(std::uintmax_t bytes) {
    char text[32];
    const double b = static_cast<double>(bytes);
    if (b < 1000) std::snprintf(text, sizeof text, "%.0f bytes", b);
    else if (b < 999.5e3) std::snprintf(text, sizeof text, "%.3g kB", b / 1e3);
    else if (b < 999.5e6) std::snprintf(text, sizeof text, "%.3g MB", b / 1e6);
    else std::snprintf(text, sizeof text, "%.3g GB", b / 1e9);
    return text;
}

// MemAvailable of /proc/meminfo, or 0 when it cannot be read. (run.cpp's available_memory()
// says the same; the loader is also built without run.cpp, in the fuzz target.)
std::int64_t memory_available_now() {
    std::ifstream meminfo("/proc/meminfo");
    std::string key, unit;
    std::int64_t kib = 0;
    while (meminfo >> key >> kib >> unit)
        if (key == "MemAvailable:") return kib * 1024;
    return 0;
}

// Refuses tables whose parse would not fit in `max_memory` (0: the memory available now), from
// their sizes on disk, before any of them is read (a missing file is reported when it is read).
void check_load_memory(const YamlFile& base, const YAML::Node& tables, std::int64_t max_memory,
                       const std::string& name) {
    std::uintmax_t total = 0, largest = 0;
    std::string largest_path;
    auto add = [&](const YAML::Node& node) {
        if (!node.IsScalar()) return;   // reported when the table is read
        const fs::path file = fs::path(base.path).parent_path() / node.Scalar();
        std::error_code ec;
        const std::uintmax_t bytes = fs::is_regular_file(file, ec) ? fs::file_size(file, ec) : 0;
        if (ec || bytes > detail::max_input_bytes) return;   // refused, more plainly, when read
        total += bytes;
        if (bytes > largest) largest = bytes, largest_path = file.string();
    };
    for (const auto& item : tables) {
        if (item.second.IsSequence())
            for (const auto& node : item.second) add(node);
        else add(item.second);
    }
    const std::int64_t bound = max_memory > 0 ? max_memory : memory_available_now();
    // The process itself (libraries, HDF5, TBB) takes about 32 MB before it reads anything.
    const std::int64_t need = (std::int64_t{32} << 20) + static_cast<std::int64_t>(total) * load_bytes_per_byte;
    if (bound <= 0 || need <= bound) return;
    throw ScenarioError(std::string(max_memory > 0 ? "--max-memory" : "memory") + ": loading '" + name +
                        "' needs about " + megabytes(static_cast<std::uintmax_t>(need)) + " (its tables hold " +
                        megabytes(total) + ", the largest " + largest_path + " with " + megabytes(largest) +
                        "; parsing takes about " + std::to_string(load_bytes_per_byte) +
                        " bytes per byte), expected at most " + megabytes(static_cast<std::uintmax_t>(bound)) +
                        (max_memory > 0 ? " (--max-memory)" : " (the memory available now)") +
                        "; use smaller tables (fewer demand rows: one row may set out many migrants over "
                        "spread_days), or raise --max-memory");
}

}   // namespace

Scenario load_scenario(const fs::path& given, const std::vector<std::string>& overrides, std::int64_t max_memory) {
    // The error_code overloads: a path the system refuses (too long, no permission) is a path
    // that does not exist, reported as a ScenarioError, never a filesystem_error.
    std::error_code ec;
    fs::path path = fs::is_directory(given, ec) ? given / "scenario.yml" : given;
    if (fs::is_directory(given, ec) && !fs::exists(path, ec) && fs::exists(given / "input_csv", ec))
        throw ScenarioError(given.string() +
                            ": a FabFlee scenario folder (input_csv/, simsetting.yml), not a migsim "
                            "scenario; expected a folder with scenario.yml: convert it once with 'migsim import-flee " +
                            given.string() + " -o scenarios/NAME' (docs/FLEE.md)");
    // The chain from the file given down to the base. (Held by value in a vector and never
    // assigned: assigning a YAML::Node rewrites the node it shares with its copies.)
    std::vector<YamlFile> chain;
    chain.push_back(read_yaml(path));
    while (chain.back().root["extends"]) {
        const YamlFile& variant = chain.back();
        check_keys(variant, variant.root, {"extends", "name", "description", "set", "events"}, "");
        if (chain.size() >= 16)
            throw ScenarioError(variant.path + ": 'extends' chain is longer than 16 files; expected a "
                                               "shorter chain of variants ending in a scenario without 'extends'");
        const YAML::Node extends = variant.root["extends"];
        const std::string target = scalar(variant, extends, "extends");
        fs::path next = fs::path(variant.path).parent_path() / target;
        if (fs::is_directory(next, ec)) next /= "scenario.yml";
        if (!fs::is_regular_file(next, ec))
            throw ScenarioError(variant.path, line_of(extends), "extends", target,
                                "the path of an existing scenario folder or .yml, relative to this file (" +
                                    next.string() + " does not exist)");
        // A variant that extends itself, directly or through others, would never reach a base.
        std::error_code ec;
        const fs::path resolved = fs::weakly_canonical(next, ec);
        for (const auto& earlier : chain)
            if (fs::weakly_canonical(earlier.path, ec) == resolved) {
                std::string cycle;
                for (const auto& f : chain) cycle += fs::path(f.path).filename().string() + " -> ";
                throw ScenarioError(variant.path, line_of(extends), "extends", target,
                                    "a scenario other than this chain's own files (" + cycle +
                                        resolved.filename().string() + " is a cycle): extend the base scenario");
            }
        chain.push_back(read_yaml(next));
    }
    const YamlFile& base = chain.back();
    check_keys(base, base.root,
               {"name", "description", "start_date", "days", "seed", "speeds_km_per_day", "information_lag_days",
                "max_attempts", "give_up_days", "give_up_action", "behaviour", "tables", "profiles", "rules", "flee",
                "groups", "output_by_group", "journey_sample"},
               "");

    Scenario s;
    std::string text;
    // Each file is headed by its path relative to the folder of the file given, so that the
    // text (which --resume compares) is the same however the scenario was named: relative or
    // absolute, from any working directory, or after the folder was moved.
    const fs::path given_dir = fs::absolute(path, ec).parent_path().lexically_normal();
    auto record = [&](const std::string& file, const std::string& bytes) {
        s.inputs.push_back({file, detail::sha256_hex(bytes)});
        const fs::path relative = fs::absolute(file, ec).lexically_normal().lexically_relative(given_dir);
        text += "# ---- " + (relative.empty() ? file : relative.generic_string()) + "\n" + bytes +
                (bytes.empty() || bytes.back() == '\n' ? "" : "\n");
    };
    record(base.path, base.bytes);
    read_settings(s, base);
    read_rules(s, base);
    const bool flee = s.rules == Rules::flee;

    const fs::path dir = fs::path(base.path).parent_path();
    auto tables = required(base, base.root, "tables", "");
    if (!tables.IsMap()) fail(base, tables, "tables", "a mapping of table names to CSV files");
    if (flee) check_keys(base, tables, {"locations", "links", "events"}, "tables (rules: flee)");
    else
        check_keys(base, tables, {"locations", "links", "borders", "markets", "pathways", "demand", "events", "harms"},
                   "tables");
    check_load_memory(base, tables, max_memory, s.settings.name);
    auto table = [&](const char* key, bool needed) -> std::string {
        auto node = tables[key];
        if (!node) {
            if (needed) required(base, tables, key, "tables");
            return {};
        }
        return (dir / scalar(base, node, std::string("tables.") + key)).string();
    };
    auto read = [&](const char* key, bool needed, auto reader) {
        std::string file = table(key, needed);
        if (!file.empty()) record(file, reader(s, file));
    };
    read("locations", true, flee ? detail::read_flee_locations : detail::read_locations);
    if (!flee) {
        read_groups(s, base);
        read("borders", true, detail::read_borders);
        read_profiles(s, base);
    }
    read("links", true, detail::read_links);
    if (!flee) {
        read("markets", true, detail::read_markets);
        read("pathways", false, detail::read_pathways);
        read("demand", true, detail::read_demand);
        read("harms", false, detail::read_harms);
    }
    // Events may come from several files (the policy timeline, fitted values), in order.
    if (auto events = tables["events"]) {
        const std::vector<YAML::Node> files = events.IsSequence()
                                                  ? std::vector<YAML::Node>(events.begin(), events.end())
                                                  : std::vector<YAML::Node>{events};
        for (const auto& node : files) {
            std::string file = (dir / scalar(base, node, "tables.events")).string();
            record(file, detail::read_events(s, file));
        }
    }

    for (auto it = chain.rbegin() + 1; it != chain.rend(); ++it) {   // base first, then variants
        const YamlFile& v = *it;
        record(v.path, v.bytes);
        for (const char* key : {"name", "description"})
            if (v.root[key])
                detail::apply_setting(s.settings, key, scalar(v, v.root[key], key), {v.path, line_of(v.root[key])});
        if (auto set = v.root["set"]) {
            if (!set.IsMap()) fail(v, set, "set", "a mapping of keys to values, like border:strait.patrol: 0.6");
            for (const auto& item : set)
                detail::apply_override(s, item.first.Scalar(), scalar(v, item.second, item.first.Scalar()),
                                       {v.path, line_of(item.first)});
        }
        if (auto events = v.root["events"]) {
            const std::vector<YAML::Node> files = events.IsSequence()
                                                      ? std::vector<YAML::Node>(events.begin(), events.end())
                                                      : std::vector<YAML::Node>{events};
            for (const auto& node : files) {
                std::string file = (fs::path(v.path).parent_path() / scalar(v, node, "events")).string();
                record(file, detail::read_events(s, file));
            }
        }
    }
    for (const auto& o : overrides) {
        auto eq = o.find('=');
        if (eq == std::string::npos)
            throw ScenarioError("--set", 0, "override", o, "KEY=VALUE, e.g. border:strait.patrol=0.6");
        detail::apply_override(s, o.substr(0, eq), o.substr(eq + 1), {"--set " + o, 0});
        text += "# ---- --set " + o + "\n";
    }
    if (flee)
        for (const auto& [file, bytes] : detail::finish_flee(s, dir)) record(file, bytes);
    s.resolved_text = std::move(text);
    if (flee) detail::validate_flee(s);
    else detail::validate(s);
#if defined(__GLIBC__)
    // The parse's rows and fields are freed by now, but glibc keeps freed small blocks mapped:
    // hand them back, so that a run's memory is the scenario's and the simulations' (what
    // estimate_memory counts), not also the parse's leftovers (150 MB after a million demand rows).
    malloc_trim(0);
#endif
    return s;
}

int Scenario::travel_days(const Link& link) const {
    double speed = settings.speed_km_per_day[static_cast<std::size_t>(link.mode)];
    return std::max(1, static_cast<int>(std::ceil(link.distance_km / speed)));
}

std::vector<double> Scenario::largest_demand_factors() const {
    std::vector<double> largest;
    largest.reserve(profiles.size());
    for (const Profile& p : profiles) largest.push_back(p.demand_factor);
    for (const Event& e : events)
        if (e.change.kind == TargetKind::profile && e.change.parameter == Parameter::demand_factor) {
            double& f = largest[static_cast<std::size_t>(e.change.index)];
            f = std::max(f, e.change.value);
        }
    return largest;
}

std::int64_t Scenario::total_agents() const {
    // Held below 2^62 whatever the tables say (validate refuses anything past 32 bits): a row
    // adds at most 2^32 x 10^6 (demand_factor's bound), far below what is left.
    constexpr std::int64_t most = std::int64_t{1} << 62;
    std::int64_t total = 0;
    for (auto n : spawns_per_day) total = std::min(most, total + n);   // Flee rules
    if (demand.empty()) return total;
    const std::vector<double> factors = largest_demand_factors();
    for (const auto& d : demand)
        total = std::min(most, total + demand_count(d.count, factors[static_cast<std::size_t>(d.profile)]));
    return total;
}

namespace {

// What one allocation of `bytes` takes from glibc's malloc: 8 bytes of header, rounded up to
// 16, at least 32 (none for an empty vector).
std::int64_t heap_block(std::size_t bytes) {
    if (bytes == 0) return 0;
    return std::max<std::int64_t>(32, static_cast<std::int64_t>((bytes + 8 + 15) / 16 * 16));
}

// A copied string's heap: none up to 15 characters (kept inside the string object).
std::int64_t heap_of(const std::string& s) { return s.size() > 15 ? heap_block(s.size() + 1) : 0; }

template <class T>
std::int64_t heap_of(const std::vector<T>& v) {
    return heap_block(v.size() * sizeof(T));
}

template <class T, class Each>
std::int64_t heap_of(const std::vector<T>& v, Each each) {
    std::int64_t bytes = heap_block(v.size() * sizeof(T));
    for (const T& item : v) bytes += each(item);
    return bytes;
}

}   // namespace

std::int64_t Scenario::memory_bytes() const {
    std::int64_t bytes = sizeof(Scenario);
    bytes += heap_of(settings.name) + heap_of(settings.description) + heap_of(settings.start_date);
    bytes += heap_of(locations, [](const Location& l) { return heap_of(l.id) + heap_of(l.name) + heap_of(l.country); });
    bytes += heap_of(links, [](const Link& l) { return heap_of(l.id); });
    bytes += heap_of(borders, [](const Border& b) { return heap_of(b.id) + heap_of(b.name); });
    bytes += heap_of(markets, [](const Market& m) { return heap_of(m.id) + heap_of(m.name) + heap_of(m.links); });
    bytes += heap_of(pathways, [](const Pathway& p) {
        return heap_of(p.id) + heap_of(p.name) + heap_of(p.eligible) + heap_of(p.groups) + heap_of(p.from);
    });
    bytes += heap_of(profiles, [](const Profile& p) {
        return heap_of(p.id) + heap_of(p.destinations) + heap_of(p.visa_free) + heap_of(p.group_shares);
    });
    bytes += heap_of(demand, [](const DemandRow& d) { return heap_of(d.file); });
    bytes += heap_of(groups, [](const Group& g) { return heap_of(g.id) + heap_of(g.sex) + heap_of(g.age); });
    bytes += heap_of(harms, [](const Harm& h) { return heap_of(h.id); });
    bytes += heap_of(events, [](const Event& e) { return heap_of(e.id) + heap_of(e.where); });
    bytes += heap_of(overrides, [](const Override& o) { return heap_of(o.where); });
    bytes += heap_of(flee.conflict_spawn_decay) + heap_of(flee.registrations) + heap_of(flee.registration_corrections);
    bytes += heap_of(registrations, [](const CampSeries& c) { return heap_of(c.camp) + heap_of(c.daily); });
    bytes += heap_of(spawns_per_day);
    bytes += heap_of(inputs, [](const InputFile& f) { return heap_of(f.path) + heap_of(f.sha256); });
    bytes += heap_of(resolved_text);
    return bytes;
}

const char* to_string(LocationKind kind) {
    switch (kind) {
        case LocationKind::origin: return "origin";
        case LocationKind::transit: return "transit";
        case LocationKind::coast: return "coast";
        case LocationKind::destination: return "destination";
        case LocationKind::town: return "town";
        case LocationKind::conflict_zone: return "conflict_zone";
        case LocationKind::camp: return "camp";
    }
    return "?";
}

const char* to_string(Mode mode) {
    switch (mode) {
        case Mode::land: return "land";
        case Mode::sea: return "sea";
        case Mode::air: return "air";
    }
    return "?";
}

}   // namespace migsim
