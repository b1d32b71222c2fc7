// What the FabFlee importer's files share (flee_import*.cpp): the report, the field readers of
// Flee's CSVs, the network read from input_csv/, the simsetting.yml reader and source_data/.
// Internal to the importer; the pieces the tests use are in flee/import/flee_import.hpp.
#pragma once

#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "migsim/flee_import.hpp"
#include "migsim/scenario.hpp"
#include "flee/import/flee_import.hpp"

namespace YAML {
class Node;
}

// A namespace of its own, so that the importer's short names (Report, Network, Route, field)
// claim nothing in migsim::detail.
namespace migsim::detail::flee_import {

using Status = FleeImportItem::Status;

// The import report as it grows; import_flee returns its items.
struct Report {
    std::vector<FleeImportItem> items;
    void add(std::string name, std::string value, Status status, std::string reason) {
        items.push_back({std::move(name), std::move(value), status, std::move(reason)});
    }
};

// ---- fields of a Flee CSV (flee_import_csv.cpp) ----

// Throws ScenarioError: "PATH:LINE: column 'COLUMN': got 'VALUE', expected EXPECTED".
[[noreturn]] void fail(const FleeCsv& t, long line, const std::string& column, const std::string& value,
                       const std::string& expected);
// The row's field i; throws, naming `column`, when the row is shorter.
const std::string& field(const FleeCsv& t, const FleeCsv::Row& row, std::size_t i, const std::string& column);
// The whole text as a whole number; nullopt when it is not one (or empty).
std::optional<long long> parse_whole(const std::string& text);
// Field i as a whole number in [low, high], or fail with `expected`.
long long whole_field(const FleeCsv& t, const FleeCsv::Row& row, std::size_t i, const std::string& column,
                      long long low, long long high, const std::string& expected);
// ASCII lowercase, as Flee compares location types and spawn modes.
std::string lower(std::string s);

// The parts joined, in one allocation (labels of report items).
inline std::string cat(std::initializer_list<std::string_view> parts) {
    std::string out;
    for (auto part : parts) out += part;
    return out;
}

// ---- the network: locations, routes, closures, conflicts (flee_import_network.cpp) ----

enum class FleeType : std::uint8_t { town, conflict_zone, camp };

struct FleeLocation {
    std::string name, id, country, lat, lon;
    FleeType type = FleeType::town;
    long long conflict_date = 0;   // conflict zones only
    long long population = 0;      // camps: the capacity
    long line = 0;
    double day0_conflict = 0;   // the intensity written to locations.csv
};

struct Route {
    int a = 0, b = 0;
    double distance = 0;
    long line = 0;
};

// One row of events.csv.
struct ChangeRow {
    int day = 0;
    std::string target, parameter, value;
};

struct Network {
    std::vector<FleeLocation> locations;
    std::map<std::string, int> by_name;
    std::vector<Route> routes;
    std::map<std::pair<int, int>, int> route_of;   // (min, max) location index -> route
};

// Days a link is closed by one closures.csv row.
struct Interval {
    int start = 0;
    int end = std::numeric_limits<int>::max();   // exclusive; max: never reopened
};

// input_csv/locations.csv: every location, checked; unused columns reported.
Network read_locations(const std::filesystem::path& file, Report& report);
// input_csv/routes.csv into net.routes (each pair of locations once).
void read_routes(const std::filesystem::path& file, Network& net, Report& report);
// The link id of the route from `from` to `to` (location indices): FROM__TO.
std::string link_id(const Network& net, int from, int to);
// input_csv/closures.csv: the closed intervals of each link id, in `closed`.
void read_closures(const std::filesystem::path& file, const Network& net, int days, Report& report,
                   std::map<std::string, std::vector<Interval>>& closed);
// The union of a link's closures as open/close events: closed while any closure covers the day.
std::vector<ChangeRow> closure_events(const std::string& link, const std::vector<Interval>& intervals, int days);
// input_csv/conflicts.csv: day 0's intensities into the locations, later changes into `events`.
void read_conflicts(const std::filesystem::path& file, Network& net, int days, Report& report,
                    std::vector<ChangeRow>& events);
// Without conflicts.csv Flee starts each conflict_zone's conflict (intensity 1) on its conflict_date.
void conflicts_from_dates(Network& net, int days, Report& report, std::vector<ChangeRow>& events);

// ---- simsetting.yml and source_data/ (flee_import_settings.cpp) ----

// simsetting.yml as read: Flee's settings (its defaults where the file is silent) and where
// each value came from; the value checks throw ScenarioError naming the key and line.
struct SettingsReader {
    std::string path;
    Report& report;
    FleeSettings flee;
    std::map<std::string, std::string> origin;   // flee key -> where its value came from

    [[noreturn]] void bad(const std::string& key, const YAML::Node& node, const std::string& expected) const;
    // The value on one line: a scalar as written, a list as [a, b], a mapping as {k: v, ...}.
    static std::string text(const YAML::Node& node);
    double number(const std::string& key, const YAML::Node& node) const;
    long long whole(const std::string& key, const YAML::Node& node, long long low) const;
    bool boolean(const std::string& key, const YAML::Node& node) const;
};

// "true" or "false".
std::string yes_no(bool b);
// Reads simsetting.yml into `s`, reporting every key; `registrations_spawning_needed` is false
// when it sets conflict-driven spawning.
void read_settings(const std::filesystem::path& file, SettingsReader& s, bool& registrations_spawning_needed);
// The names of the regular files in `dir`, sorted; none when it is not a folder.
std::vector<std::string> files_in(const std::filesystem::path& dir);
// Checks data_layout.csv against the locations; reports every file of source_data/.
void read_layout(const std::filesystem::path& source, const Network& net, bool sum_from_camps, Report& report);

}   // namespace migsim::detail::flee_import
