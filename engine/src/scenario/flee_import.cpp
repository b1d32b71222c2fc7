// import_flee: a FabFlee scenario folder as a migsim scenario with `rules: flee`.
//
// Flee reads its CSVs by column position with a '#'-marked header, takes the home country from
// the first location, turns a conflict_zone with a later conflict_date into a town until then,
// and reads its settings from simsetting.yml with a default for every missing key. The import
// does the same readings and writes them in migsim's format (docs/FLEE.md): locations.csv,
// links.csv (each route both ways), events.csv (conflicts and closures as `location:ID
// conflict` and `link:ID open` changes) and scenario.yml with the settings in a `flee:` block.
// Everything it cannot carry over faithfully is either refused (ScenarioError) or named in the
// report.
#include "migsim/flee_import.hpp"

#include <csv.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <utility>

#include "migsim/errors.hpp"
#include "migsim/scenario.hpp"
#include "scenario/flee_import.hpp"
#include "scenario/text_file.hpp"

namespace migsim {

namespace fs = std::filesystem;
using Status = FleeImportItem::Status;

const char* to_string(FleeImportItem::Status status) {
    switch (status) {
        case Status::supported: return "supported";
        case Status::unsupported: return "unsupported";
        case Status::inert: return "inert";
        case Status::ignored: return "ignored";
    }
    return "?";
}

std::size_t FleeImport::count(FleeImportItem::Status status) const {
    return static_cast<std::size_t>(
        std::count_if(report.begin(), report.end(), [&](const FleeImportItem& i) { return i.status == status; }));
}

namespace detail {

namespace {

std::string trim(const std::string& s) {
    auto begin = s.find_first_not_of(" \t\r");
    auto end = s.find_last_not_of(" \t\r");
    return begin == std::string::npos ? std::string{} : s.substr(begin, end - begin + 1);
}

struct ParseState {
    std::vector<FleeCsv::Row> rows;
    std::vector<std::string> fields;
    long line = 0, row_line = 0;
};

void on_field(void* data, std::size_t size, void* state_ptr) {
    auto& state = *static_cast<ParseState*>(state_ptr);
    if (state.fields.empty()) state.row_line = state.line;
    state.fields.push_back(trim(std::string(static_cast<const char*>(data), size)));
}

void on_row_end(int, void* state_ptr) {
    auto& state = *static_cast<ParseState*>(state_ptr);
    bool blank = true;
    for (const auto& f : state.fields) blank = blank && f.empty();
    if (!blank) state.rows.push_back({state.row_line, std::move(state.fields)});
    state.fields.clear();
}

}  // namespace

FleeCsv read_flee_csv(const std::string& path, bool first_row_is_header) {
    const std::string bytes = read_text_file(path);
    csv_parser parser{};
    csv_init(&parser, CSV_APPEND_NULL);
    ParseState state;
    std::istringstream lines{std::string(without_bom(bytes))};
    std::string line;
    while (std::getline(lines, line)) {
        ++state.line;
        line += '\n';
        if (csv_parse(&parser, line.data(), line.size(), on_field, on_row_end, &state) != line.size()) {
            std::string why = csv_strerror(csv_error(&parser));
            csv_free(&parser);
            throw ScenarioError(path + ":" + std::to_string(state.line) + ": malformed CSV (" + why + ")");
        }
    }
    if (csv_fini(&parser, on_field, on_row_end, &state) != 0) {
        csv_free(&parser);
        throw ScenarioError(path + ":" + std::to_string(state.line) +
                            ": malformed CSV (a quoted field is never closed)");
    }
    csv_free(&parser);

    FleeCsv table;
    table.path = path;
    bool seen_data = false;
    for (auto& row : state.rows) {
        const bool hash = !row.fields.empty() && !row.fields[0].empty() && row.fields[0][0] == '#';
        const bool header = table.header_line == 0 && !seen_data && (hash || first_row_is_header);
        if (header) {
            table.header = row.fields;
            if (hash) table.header[0] = trim(table.header[0].substr(1));
            table.header_line = row.line;
        } else if (!hash) {
            seen_data = true;
            table.rows.push_back(std::move(row));
        }
    }
    return table;
}

std::string snake_id(const std::string& name) {
    std::string id;
    bool gap = false;
    for (char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum) {
            gap = true;
            continue;
        }
        if (gap && !id.empty()) id += '_';
        gap = false;
        id += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return id;
}

std::string format_number(double value) {
    char buffer[64];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return ec == std::errc{} ? std::string(buffer, end) : std::to_string(value);
}

}  // namespace detail

namespace {

using detail::FleeCsv;
using detail::format_number;
using detail::snake_id;

constexpr double conflict_threshold = 1e-6;   // Flee: an intensity at or below this is no conflict

struct Report {
    std::vector<FleeImportItem> items;
    void add(std::string name, std::string value, Status status, std::string reason) {
        items.push_back({std::move(name), std::move(value), status, std::move(reason)});
    }
};

[[noreturn]] void fail(const FleeCsv& t, long line, const std::string& column, const std::string& value,
                       const std::string& expected) {
    throw ScenarioError(t.path, line, "column '" + column + "'", value, expected);
}

const std::string& field(const FleeCsv& t, const FleeCsv::Row& row, std::size_t i, const std::string& column) {
    if (i >= row.fields.size())
        throw ScenarioError(t.path + ":" + std::to_string(row.line) + ": the row has " +
                            std::to_string(row.fields.size()) + " fields; expected at least " +
                            std::to_string(i + 1) + " (column '" + column + "' is missing)");
    return row.fields[i];
}

std::optional<double> parse_double(const std::string& text) {
    double value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
    return value;
}

std::optional<long long> parse_whole(const std::string& text) {
    long long value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

double number_field(const FleeCsv& t, const FleeCsv::Row& row, std::size_t i, const std::string& column,
                    const std::string& expected) {
    const std::string& text = field(t, row, i, column);
    auto value = parse_double(text);
    if (!value) fail(t, row.line, column, text, expected);
    return *value;
}

long long whole_field(const FleeCsv& t, const FleeCsv::Row& row, std::size_t i, const std::string& column,
                      long long low, long long high, const std::string& expected) {
    const std::string& text = field(t, row, i, column);
    auto value = parse_whole(text);
    if (!value || *value < low || *value > high) fail(t, row.line, column, text, expected);
    return *value;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool valid_date(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    const int month = std::stoi(s.substr(5, 2)), day = std::stoi(s.substr(8, 2));
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// ---- the network -------------------------------------------------------------------------

enum class FleeType : std::uint8_t { town, conflict_zone, camp };

struct FleeLocation {
    std::string name, id, country, lat, lon;
    FleeType type = FleeType::town;
    long long conflict_date = 0;   // conflict zones only
    long long population = 0;      // camps: the capacity
    long line = 0;
    double day0_conflict = 0;      // the intensity written to locations.csv
};

struct Route {
    int a = 0, b = 0;
    double distance = 0;
    long line = 0;
};

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

Network read_locations(const fs::path& file, Report& report) {
    const FleeCsv t = detail::read_flee_csv(file.string());
    Network net;
    std::map<std::string, std::string> id_owner;
    const char* type_expected =
        "town, conflict_zone or camp (Flee's idpcamp, marker, forward and flood_zone locations are not imported: "
        "migsim has no rules for them; docs/FLEE.md, \"Importing a FabFlee scenario\")";
    for (const auto& row : t.rows) {
        FleeLocation loc;
        loc.line = row.line;
        loc.name = field(t, row, 0, "name");
        if (loc.name.empty()) fail(t, row.line, "name", "", "a location name (it is empty)");
        loc.country = field(t, row, 2, "country");
        if (loc.country.empty()) loc.country = "unknown";   // as Flee
        for (std::size_t i : {3, 4}) {
            const std::string column = i == 3 ? "latitude" : "longitude";
            std::string text = field(t, row, i, column);
            if (text.empty()) text = "0";   // as Flee
            if (!parse_double(text)) fail(t, row.line, column, text, "a number of degrees");
            (i == 3 ? loc.lat : loc.lon) = text;
        }
        const std::string type = field(t, row, 5, "location_type");
        const std::string lowered = lower(type);
        if (lowered == "camp") loc.type = FleeType::camp;
        else if (lowered == "town") loc.type = FleeType::town;
        else if (lowered.find("conflict") != std::string::npos) loc.type = FleeType::conflict_zone;
        else fail(t, row.line, "location_type", type, type_expected);
        if (loc.type == FleeType::conflict_zone)
            loc.conflict_date = whole_field(t, row, 6, "conflict_date", 0, std::numeric_limits<int>::max(),
                                            "a whole number of days >= 0: the day the conflict starts");
        const std::string& pop = field(t, row, 7, "population");
        if (!pop.empty()) {
            auto value = parse_whole(pop);
            if (!value || *value < 0)
                fail(t, row.line, "population", pop,
                     loc.type == FleeType::camp ? "a whole number >= 0: the camp's capacity"
                                                : "a whole number >= 0: the residents");
            loc.population = *value;
        }
        if (net.by_name.count(loc.name))
            fail(t, row.line, "name", loc.name,
                 "each location once (it is also on line " + std::to_string(net.locations[net.by_name[loc.name]].line) + ")");
        loc.id = snake_id(loc.name);
        if (loc.id.empty()) fail(t, row.line, "name", loc.name, "a name with at least one ASCII letter or digit (ids are made from names)");
        if (auto it = id_owner.find(loc.id); it != id_owner.end())
            fail(t, row.line, "name", loc.name,
                 "a name whose id differs from every other's: '" + loc.name + "' and '" + it->second +
                     "' both become the id '" + loc.id + "' (ids keep letters and digits, lowercase); rename one");
        id_owner.emplace(loc.id, loc.name);
        net.by_name.emplace(loc.name, static_cast<int>(net.locations.size()));
        net.locations.push_back(std::move(loc));
    }
    if (net.locations.empty())
        throw ScenarioError(t.path + ": no locations; expected one row per location after the '#name,...' header");
    if (t.header.size() > 1)
        report.add("input_csv/locations.csv column " + t.header[1], "", Status::ignored,
                   "the region: Flee uses it only for region-level scores, not in these rules");
    for (std::size_t i = 8; i < t.header.size(); ++i)
        report.add("input_csv/locations.csv column " + t.header[i], "", Status::ignored,
                   "an extra location attribute: Flee keeps it, no enabled rule reads it; not imported");
    return net;
}

int location_index(const Network& net, const FleeCsv& t, const FleeCsv::Row& row, std::size_t i,
                   const std::string& column) {
    const std::string& name = field(t, row, i, column);
    auto it = net.by_name.find(name);
    if (it == net.by_name.end())
        fail(t, row.line, column, name, "a location name from input_csv/locations.csv (names are case-sensitive)");
    return it->second;
}

void read_routes(const fs::path& file, Network& net, Report& report) {
    const FleeCsv t = detail::read_flee_csv(file.string());
    for (const auto& row : t.rows) {
        Route r;
        r.line = row.line;
        r.a = location_index(net, t, row, 0, "name1");
        r.b = location_index(net, t, row, 1, "name2");
        if (r.a == r.b) fail(t, row.line, "name2", row.fields[1], "a location other than name1 (a route joins two places)");
        r.distance = number_field(t, row, 2, "distance", "a distance in km > 0");
        if (r.distance <= 0) fail(t, row.line, "distance", row.fields[2], "a distance in km > 0");
        if (row.fields.size() > 3 && !row.fields[3].empty()) {
            auto forced = parse_whole(row.fields[3]);
            if (!forced) fail(t, row.line, "forced_redirection", row.fields[3], "0, 1 or 2");
            if (*forced != 0)
                report.add("input_csv/routes.csv:" + std::to_string(row.line) + " forced_redirection " +
                               net.locations[r.a].name + "-" + net.locations[r.b].name,
                           row.fields[3], Status::unsupported,
                           "forced redirection is not implemented: imported as an ordinary two-way route");
        }
        const auto key = std::minmax(r.a, r.b);
        if (auto it = net.route_of.find(key); it != net.route_of.end())
            fail(t, row.line, "name2", row.fields[1],
                 "each pair of locations once (" + row.fields[0] + "-" + row.fields[1] + " is also on line " +
                     std::to_string(net.routes[it->second].line) + ")");
        net.route_of.emplace(key, static_cast<int>(net.routes.size()));
        net.routes.push_back(r);
    }
    for (std::size_t i = 4; i < t.header.size(); ++i)
        report.add("input_csv/routes.csv column " + t.header[i], "", Status::ignored,
                   "an extra link attribute: Flee keeps it, no enabled rule reads it; not imported");
}

std::string link_id(const Network& net, int from, int to) {
    return net.locations[from].id + "__" + net.locations[to].id;
}

// ---- closures ----------------------------------------------------------------------------

struct Interval {
    int start = 0;
    int end = std::numeric_limits<int>::max();   // exclusive; max: never reopened
};

void read_closures(const fs::path& file, const Network& net, int days, Report& report,
                   std::map<std::string, std::vector<Interval>>& closed) {
    const FleeCsv t = detail::read_flee_csv(file.string());
    for (const auto& row : t.rows) {
        const std::string& type = field(t, row, 0, "closure_type");
        const std::string where = "input_csv/closures.csv:" + std::to_string(row.line);
        if (type == "camp" || type == "idpcamp" || type == "remove_forced_redirection") {
            report.add(where + " " + type + " closure " + (row.fields.size() > 1 ? row.fields[1] : ""), type,
                       Status::unsupported,
                       type == "remove_forced_redirection"
                           ? "forced redirection is not implemented; the row is dropped"
                           : "a camp closure turns the camp into a town in Flee; migsim's kinds do not change "
                             "that way; the row is dropped");
            continue;
        }
        if (type != "country" && type != "location" && type != "link")
            fail(t, row.line, "closure_type", type,
                 "country, location or link (or camp, idpcamp, remove_forced_redirection, which are reported and dropped)");
        const std::string& name1 = field(t, row, 1, "name1");
        const std::string& name2 = field(t, row, 2, "name2");
        const int start = static_cast<int>(whole_field(t, row, 3, "closure_start", 0, std::numeric_limits<int>::max(),
                                                       "a whole number of days >= 0: the day the closure starts"));
        const long long end_value = whole_field(t, row, 4, "closure_end", -1, std::numeric_limits<int>::max(),
                                                "a whole number of days: the day the closure is lifted, or -1 for never");
        if (end_value != -1 && end_value <= start)
            fail(t, row.line, "closure_end", row.fields[4],
                 "a day after closure_start (" + std::to_string(start) + "), or -1 for never");
        Interval interval{start, end_value == -1 ? std::numeric_limits<int>::max() : static_cast<int>(end_value)};

        std::vector<std::pair<int, int>> links;   // (from, to)
        std::string what;
        if (type == "country") {
            bool known1 = false, known2 = false;
            for (const auto& l : net.locations) {
                known1 = known1 || l.country == name1;
                known2 = known2 || l.country == name2;
            }
            if (!known1) fail(t, row.line, "name1", name1, "a country of input_csv/locations.csv");
            if (!known2) fail(t, row.line, "name2", name2, "a country of input_csv/locations.csv");
            for (const auto& r : net.routes) {
                const auto& ca = net.locations[r.a].country;
                const auto& cb = net.locations[r.b].country;
                if ((ca == name1 && cb == name2) || (ca == name2 && cb == name1)) {
                    links.emplace_back(r.a, r.b);
                    links.emplace_back(r.b, r.a);
                }
            }
            what = "country closure " + name1 + "-" + name2;
        } else if (type == "location") {
            const int at = location_index(net, t, row, 1, "name1");
            for (const auto& r : net.routes)
                if (r.a == at || r.b == at) {
                    links.emplace_back(r.a, r.b);
                    links.emplace_back(r.b, r.a);
                }
            what = "location closure " + name1;
        } else {
            const int a = location_index(net, t, row, 1, "name1");
            const int b = location_index(net, t, row, 2, "name2");
            if (!net.route_of.count(std::minmax(a, b)))
                fail(t, row.line, "name2", name2, "a location joined to " + name1 + " by a route of input_csv/routes.csv");
            links.emplace_back(a, b);
            links.emplace_back(b, a);
            what = "link closure " + name1 + "-" + name2;
        }
        std::string span = "days " + std::to_string(start) + ".." + (end_value == -1 ? "never" : std::to_string(end_value));
        if (links.empty()) {
            report.add(where + " " + what, span, Status::ignored, "no route joins them: nothing to close (Flee warns too)");
            continue;
        }
        if (start >= days) {
            report.add(where + " " + what, span, Status::ignored,
                       "starts on or after day " + std::to_string(days) + ", after the run's last day: dropped");
            continue;
        }
        for (const auto& [from, to] : links) closed[link_id(net, from, to)].push_back(interval);
        std::string reason = std::to_string(links.size()) + " links (both directions) closed on day " +
                             std::to_string(start) +
                             (end_value == -1 ? ", never reopened" : ", reopened on day " + std::to_string(end_value));
        if (end_value != -1 && end_value >= days)
            reason += " (after the run's last day, " + std::to_string(days - 1) + ": that event is dropped)";
        if (type == "link")
            reason += ". Flee's own code closes nothing for a link closure read from closures.csv (it compares "
                      "names by identity); migsim closes the route both ways, as intended";
        report.add(where + " " + what, span, Status::supported, reason);
    }
}

// The union of a link's closures as open/close events: closed while any closure covers the day.
std::vector<ChangeRow> closure_events(const std::string& link, std::vector<Interval> intervals, int days) {
    std::set<int> boundaries;
    for (const auto& i : intervals) {
        boundaries.insert(i.start);
        if (i.end < days) boundaries.insert(i.end);
    }
    std::vector<ChangeRow> events;
    bool open = true;
    for (int day : boundaries) {
        if (day >= days) break;
        bool covered = false;
        for (const auto& i : intervals) covered = covered || (i.start <= day && day < i.end);
        if (covered == !open) continue;
        open = !covered;
        events.push_back({day, "link:" + link, "open", open ? "1" : "0"});
    }
    return events;
}

// ---- conflicts ---------------------------------------------------------------------------

void read_conflicts(const fs::path& file, Network& net, int days, Report& report, std::vector<ChangeRow>& events) {
    const FleeCsv t = detail::read_flee_csv(file.string(), true);
    if (t.header.empty()) throw ScenarioError(t.path + ": empty; expected a '#Day,<location>,...' header and one row per day");
    std::vector<int> column_location(t.header.size(), no_index);
    for (std::size_t c = 1; c < t.header.size(); ++c) {
        if (t.header[c].empty()) continue;
        auto it = net.by_name.find(t.header[c]);
        if (it == net.by_name.end())
            throw ScenarioError(t.path, t.header_line, "header", t.header[c],
                                "a location name from input_csv/locations.csv (names are case-sensitive)");
        column_location[c] = it->second;
    }
    // values[c][day], days 0..rows-1
    std::vector<std::vector<double>> values(t.header.size());
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const auto& row = t.rows[r];
        const long long day = whole_field(t, row, 0, t.header[0].empty() ? "Day" : t.header[0], static_cast<long long>(r),
                                          static_cast<long long>(r),
                                          "day " + std::to_string(r) + " (one row per day from 0, in order: Flee reads "
                                          "row k as day k)");
        (void)day;
        if (row.fields.size() != t.header.size())
            throw ScenarioError(t.path + ":" + std::to_string(row.line) + ": the row has " +
                                std::to_string(row.fields.size()) + " fields; expected " +
                                std::to_string(t.header.size()) + " as in the header");
        for (std::size_t c = 1; c < t.header.size(); ++c) {
            if (column_location[c] == no_index) continue;
            double v = number_field(t, row, c, t.header[c], "a conflict intensity >= 0");
            if (v < 0) fail(t, row.line, t.header[c], row.fields[c], "a conflict intensity >= 0");
            values[c].push_back(v <= conflict_threshold ? 0.0 : v);
        }
    }
    const int rows = static_cast<int>(t.rows.size());
    if (rows == 0) throw ScenarioError(t.path + ": no rows; expected one row per day from day 0");
    if (rows < days)
        report.add("input_csv/conflicts.csv rows", std::to_string(rows), Status::supported,
                   "fewer rows than the run's " + std::to_string(days) +
                       " days: the last row's values hold after day " + std::to_string(rows - 1) +
                       " (Flee stops with an error there)");

    int started_later = 0, on_day0 = 0, changed_above_zero = 0;
    bool dropped_late = false;
    std::vector<bool> seen(net.locations.size(), false);
    for (std::size_t c = 1; c < t.header.size(); ++c) {
        const int at = column_location[c];
        if (at == no_index) continue;
        if (seen[at])
            throw ScenarioError(t.path, t.header_line, "header", t.header[c], "each location once");
        seen[at] = true;
        auto& loc = net.locations[at];
        const auto& v = values[c];
        const auto first = std::find_if(v.begin(), v.end(), [](double x) { return x > 0; });
        if (loc.type == FleeType::camp) {
            if (first != v.end())
                report.add("input_csv/conflicts.csv column " + loc.name, format_number(*first), Status::unsupported,
                           "a conflict at a camp (day " + std::to_string(first - v.begin()) +
                               "): camps stay camps in migsim; the column is dropped");
            continue;
        }
        loc.day0_conflict = v[0];
        if (v[0] > 0) ++on_day0;
        for (int d = 1; d < rows; ++d) {
            if (v[d] == v[d - 1]) continue;
            if (v[d] > 0 && v[d - 1] > 0) ++changed_above_zero;
            if (d >= days) {
                dropped_late = true;
                continue;
            }
            if (v[d - 1] == 0 && v[d] > 0) ++started_later;
            events.push_back({d, "location:" + loc.id, "conflict", format_number(v[d])});
        }
        // Flee follows conflicts.csv; conflict_date should say the same.
        const long long starts = first == v.end() ? -1 : first - v.begin();
        if (loc.type == FleeType::conflict_zone && loc.conflict_date != starts)
            report.add("input_csv/locations.csv conflict_date of " + loc.name, std::to_string(loc.conflict_date),
                       Status::ignored,
                       starts < 0 ? "conflicts.csv never starts a conflict there; migsim, like Flee, follows conflicts.csv"
                                  : "conflicts.csv starts the conflict on day " + std::to_string(starts) +
                                        "; migsim, like Flee, follows conflicts.csv");
    }
    for (std::size_t i = 0; i < net.locations.size(); ++i) {
        auto& loc = net.locations[i];
        if (seen[i] || loc.type != FleeType::conflict_zone) continue;
        report.add("input_csv/conflicts.csv column " + loc.name, "", Status::ignored,
                   "missing: the conflict_zone never has a conflict (Flee takes conflicts from conflicts.csv alone); "
                   "its conflict_date " + std::to_string(loc.conflict_date) + " is not used");
    }
    if (changed_above_zero > 0)
        report.add("input_csv/conflicts.csv intensity changes", std::to_string(changed_above_zero), Status::supported,
                   "the intensity changes while above 0: Flee ignores such changes (it reacts only to a conflict "
                   "starting or ending), migsim applies them");
    if (dropped_late)
        report.add("input_csv/conflicts.csv rows from day " + std::to_string(days), "", Status::ignored,
                   "changes after the run's last day: dropped");
    report.add("input_csv/conflicts.csv", std::to_string(rows) + " days", Status::supported,
               std::to_string(on_day0) + " locations in conflict on day 0 (locations.csv's conflict column), " +
                   std::to_string(started_later) + " conflict starts later (events.csv)");
}

// Without conflicts.csv Flee starts each conflict_zone's conflict (intensity 1) on its conflict_date.
void conflicts_from_dates(Network& net, int days, Report& report, std::vector<ChangeRow>& events) {
    for (auto& loc : net.locations) {
        if (loc.type != FleeType::conflict_zone) continue;
        if (loc.conflict_date == 0) {
            loc.day0_conflict = 1;
        } else if (loc.conflict_date < days) {
            events.push_back({static_cast<int>(loc.conflict_date), "location:" + loc.id, "conflict", "1"});
        } else {
            report.add("input_csv/locations.csv conflict_date of " + loc.name, std::to_string(loc.conflict_date),
                       Status::ignored, "after the run's last day: the conflict never starts in the run");
        }
    }
}

// ---- simsetting.yml ----------------------------------------------------------------------

struct SettingsReader {
    std::string path;
    Report& report;
    FleeSettings flee;
    std::map<std::string, std::string> origin;   // flee key -> where its value came from

    [[noreturn]] void bad(const std::string& key, const YAML::Node& node, const std::string& expected) const {
        throw ScenarioError(path, node.Mark().line + 1, key, text(node), expected);
    }
    // The value on one line: a scalar as written, a list as [a, b], a mapping as {k: v, ...}.
    static std::string text(const YAML::Node& node) {
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
    double number(const std::string& key, const YAML::Node& node) const {
        if (!node.IsScalar()) bad(key, node, "a number");
        auto v = parse_double(node.Scalar());
        if (!v) bad(key, node, "a number");
        return *v;
    }
    long long whole(const std::string& key, const YAML::Node& node, long long low) const {
        if (!node.IsScalar()) bad(key, node, "a whole number >= " + std::to_string(low));
        auto v = parse_whole(node.Scalar());
        if (!v) {   // Flee's int(float) accepts 10.0
            auto d = parse_double(node.Scalar());
            if (d && *d == std::floor(*d) && std::abs(*d) < 1e15) v = static_cast<long long>(*d);
        }
        if (!v || *v < low) bad(key, node, "a whole number >= " + std::to_string(low));
        return *v;
    }
    bool boolean(const std::string& key, const YAML::Node& node) const {
        bool value = false;
        if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) bad(key, node, "true or false");
        return value;
    }
};

std::string yes_no(bool b) { return b ? "true" : "false"; }

void read_settings(const fs::path& file, SettingsReader& s, bool& registrations_spawning_needed) {
    registrations_spawning_needed = true;
    YAML::Node root;
    try {
        root = YAML::Load(std::string(detail::without_bom(detail::read_text_file(file.string()))));
    } catch (const YAML::Exception& e) {
        throw ScenarioError(s.path, e.mark.line + 1, "YAML", "", "valid YAML (" + e.msg + ")");
    }
    if (root.IsNull()) return;
    if (!root.IsMap()) s.bad("simsetting.yml", root, "a mapping with log_levels, spawn_rules, move_rules, optimisations");

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
    const bool on_foot = rule_flag(move, "move_rules", "start_on_foot", false, "walking the first link (start_on_foot)");
    if (YAML::Node n = get(move, "move_rules", "max_walk_speed")) {
        s.number("move_rules.max_walk_speed", n);
        s.report.add("move_rules.max_walk_speed", SettingsReader::text(n), on_foot ? Status::unsupported : Status::inert,
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
    supported_number(move, "move_rules", "distance_power", "distance_power", f.distance_power, "power of route lengths");
    rule_flag(move, "move_rules", "avoid_short_stints", false, "avoiding short stints (avoid_short_stints)");
    const bool close_home = rule_flag(move, "move_rules", "stay_close_to_home", false,
                                      "weighing by distance from home (stay_close_to_home)");
    if (YAML::Node n = get(move, "move_rules", "home_distance_power")) {
        s.number("move_rules.home_distance_power", n);
        s.report.add("move_rules.home_distance_power", SettingsReader::text(n),
                     close_home ? Status::unsupported : Status::inert,
                     close_home ? "part of stay_close_to_home, not implemented" : "used only with stay_close_to_home (off)");
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
    for (const char* rule : {"ChildrenAvoidHazards", "BoysTakeRisk", "MatchCampEthnicity", "MatchTownEthnicity",
                             "MatchConflictEthnicity"})
        rule_flag(move, "move_rules", rule, false, std::string("the demographic rule ") + rule);
    if (YAML::Node n = get(move, "move_rules", "flood_rules"))
        s.report.add("move_rules.flood_rules", SettingsReader::text(n), Status::unsupported,
                     "DFlee's flood rules are not implemented");
    if (v1) {
        if (use_v1) {
            f.max_move_speed = 200;
            f.camp_weight = 2;
            f.conflict_weight = 0.25;
            for (const char* k : {"max_move_speed", "camp_weight", "conflict_weight"}) s.origin[k] = "move_rules.use_v1_rules";
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
        s.report.add("spawn_rules.conflict_zone_spawning_only", yes_no(only), only ? Status::supported : Status::unsupported,
                     only ? "migsim spawns at conflict zones only" : "spawning outside conflict zones is not implemented");
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
        if (!n.IsMap()) s.bad("spawn_rules.conflict_driven_spawning", n, "a mapping with spawn_mode and displaced_per_conflict_day");
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
                     "flee.spawning: conflict, conflict_spawn_mode: " + mode + ", displaced_per_conflict_day: " +
                         format_number(f.displaced_per_conflict_day));
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
            s.report.add(key, SettingsReader::text(kv.second), Status::ignored, "warning: unknown key (Flee ignores it too)");
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
            report.add("camp " + loc.name, "", Status::ignored, "no registrations in data_layout.csv: not in the validation");
    for (const auto& file : files_in(source)) {
        if (used.count(file)) {
            if (file != "data_layout.csv")
                report.add("source_data/" + file, "", Status::supported, "a camp's registrations (named by data_layout.csv)");
        } else if (file == total) {
            report.add("source_data/" + file, "total", Status::inert,
                       sum_from_camps ? "the layout's total row: used only when sum_from_camps is false"
                                      : "the layout's total row: sum_from_camps false is not implemented");
        } else {
            report.add("source_data/" + file, "", Status::ignored, "not named by data_layout.csv (copied for provenance)");
        }
    }
}

// ---- writing -----------------------------------------------------------------------------

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos && (s.empty() || (s.front() != ' ' && s.back() != ' ')))
        return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string yaml_string(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

struct Block {
    std::ostringstream out;
    void line(const std::string& key_value, const std::string& comment) {
        std::string text = "  " + key_value;
        if (!comment.empty()) {
            if (text.size() < 38) text.resize(38, ' ');
            else text += "  ";
            text += "# " + comment;
        }
        out << text << "\n";
    }
};

}  // namespace

FleeImport import_flee(const fs::path& dir, const FleeImportOptions& options) {
    std::error_code error;
    if (!fs::is_directory(dir, error))
        throw ScenarioError("import-flee", 0, "DIR", dir.string(),
                            "a FabFlee scenario folder (with input_csv/, source_data/ and simsetting.yml)");
    const fs::path input = dir / "input_csv";
    for (const char* required : {"locations.csv", "routes.csv", "sim_period.csv"})
        if (!fs::is_regular_file(input / required, error))
            throw ScenarioError((input / required).string() +
                                ": missing; a FabFlee scenario folder has input_csv/locations.csv, routes.csv and "
                                "sim_period.csv (and optionally closures.csv, conflicts.csv)");
    Report report;
    FleeImport result;

    // sim_period.csv: StartDate and Length, no header.
    {
        const FleeCsv t = detail::read_flee_csv((input / "sim_period.csv").string());
        bool have_start = false, have_length = false;
        for (const auto& row : t.rows) {
            const std::string& key = row.fields[0];
            const std::string& value = field(t, row, 1, key.empty() ? "value" : key);
            if (key == "StartDate") {
                if (!valid_date(value)) fail(t, row.line, "StartDate", value, "a date YYYY-MM-DD");
                result.start_date = value;
                have_start = true;
            } else if (key == "Length") {
                result.days = static_cast<int>(whole_field(t, row, 1, "Length", 1, 65535, "a number of days from 1 to 65535"));
                have_length = true;
            } else {
                report.add("input_csv/sim_period.csv " + key, value, Status::ignored, "not a key Flee reads (StartDate, Length)");
            }
        }
        if (!have_start || !have_length)
            throw ScenarioError(t.path + ": expected the rows 'StartDate,YYYY-MM-DD' and 'Length,DAYS' (" +
                                (have_start ? "Length" : "StartDate") + " is missing)");
        report.add("input_csv/sim_period.csv", result.start_date + ", " + std::to_string(result.days) + " days",
                   Status::supported, "start_date and days");
    }
    const int days = result.days;

    Network net = read_locations(input / "locations.csv", report);
    read_routes(input / "routes.csv", net, report);

    std::vector<ChangeRow> conflict_evts, closure_evts;
    if (fs::is_regular_file(input / "conflicts.csv", error)) {
        read_conflicts(input / "conflicts.csv", net, days, report, conflict_evts);
    } else {
        conflicts_from_dates(net, days, report, conflict_evts);
        report.add("input_csv/conflicts.csv", "", Status::supported,
                   "absent: each conflict_zone's conflict starts (intensity 1) on its conflict_date, as in Flee");
    }
    std::map<std::string, std::vector<Interval>> closed;
    if (fs::is_regular_file(input / "closures.csv", error)) read_closures(input / "closures.csv", net, days, report, closed);
    // Links in links.csv order, so that events are too.
    std::vector<std::string> link_ids;
    for (const auto& r : net.routes) {
        link_ids.push_back(link_id(net, r.a, r.b));
        link_ids.push_back(link_id(net, r.b, r.a));
    }
    for (const auto& id : link_ids)
        if (auto it = closed.find(id); it != closed.end())
            for (auto& e : closure_events(id, it->second, days)) closure_evts.push_back(std::move(e));

    int counts[3] = {0, 0, 0}, in_conflict_day0 = 0;
    for (const auto& loc : net.locations) {
        ++counts[static_cast<int>(loc.type)];
        if (loc.type != FleeType::camp && loc.day0_conflict > 0) ++in_conflict_day0;
    }
    report.add("input_csv/locations.csv", std::to_string(net.locations.size()) + " locations", Status::supported,
               std::to_string(counts[2]) + " camps (population -> capacity), " + std::to_string(counts[1]) +
                   " conflict_zone and " + std::to_string(counts[0]) + " town rows -> " + std::to_string(in_conflict_day0) +
                   " conflict zones on day 0, the others towns until their conflict starts");
    report.add("input_csv/routes.csv", std::to_string(net.routes.size()) + " routes", Status::supported,
               std::to_string(2 * net.routes.size()) + " links in links.csv (A__B and B__A), mode land, cost 0");

    // simsetting.yml
    SettingsReader settings{(dir / "simsetting.yml").string(), report, {}, {}};
    bool registrations_needed = true;
    if (fs::is_regular_file(dir / "simsetting.yml", error)) read_settings(dir / "simsetting.yml", settings, registrations_needed);
    else report.add("simsetting.yml", "", Status::supported, "absent: Flee's defaults for every setting");
    FleeSettings& flee = settings.flee;
    const int flee_hasten = flee.hasten;
    const bool hasten_in_file = settings.origin.count("hasten") > 0;
    if (options.hasten > 0) {
        flee.hasten = options.hasten;
        settings.origin["hasten"] = "set by the importer (--hasten); simsetting.yml's is " + std::to_string(flee_hasten);
    }

    // Spawning data.
    const fs::path source = dir / "source_data";
    const bool have_layout = fs::is_regular_file(source / "data_layout.csv", error);
    bool sum_from_camps = true;
    for (const auto& item : report.items)
        if (item.name == "spawn_rules.sum_from_camps") sum_from_camps = item.value == "true";
    if (have_layout) {
        read_layout(source, net, sum_from_camps, report);
        flee.registrations = "flee/source_data/data_layout.csv";
    } else if (registrations_needed) {
        throw ScenarioError((source / "data_layout.csv").string() +
                            ": missing; Flee spawns agents from the camps' registrations unless simsetting.yml "
                            "sets spawn_rules.conflict_driven_spawning, and the registrations are listed there");
    }
    if (fs::is_regular_file(input / "registration_corrections.csv", error)) {
        flee.registration_corrections = "flee/input_csv/registration_corrections.csv";
        report.add("input_csv/registration_corrections.csv", "", Status::supported, "flee.registration_corrections");
    }

    // The other files of input_csv/.
    static const std::set<std::string> read_here{"locations.csv", "routes.csv", "sim_period.csv", "conflicts.csv",
                                                 "closures.csv", "registration_corrections.csv"};
    for (const auto& file : files_in(input)) {
        if (read_here.count(file)) continue;
        const std::string name = "input_csv/" + file;
        auto starts = [&](const char* prefix) { return file.rfind(prefix, 0) == 0; };
        if (starts("demographics_"))
            report.add(name, "", Status::inert,
                       "read by Flee, no effect under these settings (no enabled rule reads agents' attributes)");
        else if (file == "location_changes.csv" || file == "major_routes.csv" || starts("region_attributes_") ||
                 starts("location_attributes_") || file == "flood_level.csv" || file == "agents.csv")
            report.add(name, "", Status::unsupported, "read by Flee in some configurations; not imported");
        else
            report.add(name, "", Status::ignored, "not a file Flee's run script reads");
    }

    // ---- the texts ----
    fs::path normal = fs::absolute(dir, error).lexically_normal();
    if (normal.filename().empty()) normal = normal.parent_path();
    const std::string folder = options.folder.empty() ? normal.filename().string() : options.folder;
    result.name = "flee-" + [&] {
        std::string id = snake_id(folder);
        std::replace(id.begin(), id.end(), '_', '-');
        return id.empty() ? std::string("scenario") : id;
    }();
    const std::string source_text = options.source.empty() ? dir.string() : options.source;

    {
        std::ostringstream loc;
        loc << "# Imported from " << source_text << "/input_csv/locations.csv by migsim import-flee (docs/FLEE.md)\n";
        loc << "id,name,country,lat,lon,kind,population,capacity,conflict\n";
        for (const auto& l : net.locations) {
            const bool camp = l.type == FleeType::camp;
            const char* kind = camp ? "camp" : l.day0_conflict > 0 ? "conflict_zone" : "town";
            loc << l.id << ',' << csv_field(l.name) << ',' << csv_field(l.country) << ',' << l.lat << ',' << l.lon << ','
                << kind << ',' << (camp ? 0 : l.population) << ',' << (camp ? std::to_string(l.population) : "") << ','
                << format_number(camp ? 0.0 : l.day0_conflict) << '\n';
        }
        result.locations_csv = loc.str();
    }
    {
        std::ostringstream links;
        links << "# Imported from " << source_text << "/input_csv/routes.csv by migsim import-flee: each route both ways\n";
        links << "id,from,to,distance_km,mode,cost\n";
        for (const auto& r : net.routes)
            for (auto [from, to] : {std::pair{r.a, r.b}, std::pair{r.b, r.a}})
                links << link_id(net, from, to) << ',' << net.locations[from].id << ',' << net.locations[to].id << ','
                      << format_number(r.distance) << ",land,0\n";
        result.links_csv = links.str();
    }
    {
        std::vector<ChangeRow> all = conflict_evts;
        all.insert(all.end(), closure_evts.begin(), closure_evts.end());
        std::stable_sort(all.begin(), all.end(), [](const ChangeRow& a, const ChangeRow& b) { return a.day < b.day; });
        std::ostringstream ev;
        ev << "# Imported from " << source_text
           << " by migsim import-flee: conflicts.csv (location conflict) and closures.csv (link open)\n";
        ev << "day,target,parameter,value\n";
        for (const auto& e : all) ev << e.day << ',' << e.target << ',' << e.parameter << ',' << e.value << '\n';
        result.events_csv = ev.str();
    }

    {
        auto from = [&](const std::string& key, const std::string& what) {
            auto it = settings.origin.find(key);
            std::string where = it == settings.origin.end() ? "Flee's default" : it->second;
            return what.empty() ? where : what + "; " + where;
        };
        Block b;
        b.line("max_move_speed: " + format_number(flee.max_move_speed), from("max_move_speed", "km per day"));
        b.line("camp_movechance: " + format_number(flee.camp_movechance), from("camp_movechance", "daily move chance, camps"));
        b.line("conflict_movechance: " + format_number(flee.conflict_movechance),
               from("conflict_movechance", "conflict zones"));
        b.line("default_movechance: " + format_number(flee.default_movechance), from("default_movechance", "towns"));
        b.line("foreign_weight: " + format_number(flee.foreign_weight), from("foreign_weight", "score factor abroad"));
        b.line("camp_weight: " + format_number(flee.camp_weight), from("camp_weight", "score factor of camps"));
        b.line("conflict_weight: " + format_number(flee.conflict_weight),
               from("conflict_weight", "raised to decay x intensity"));
        b.line("awareness_level: " + std::to_string(flee.awareness_level), from("awareness_level", "links per route"));
        b.line("capacity_buffer: " + format_number(flee.capacity_buffer), from("capacity_buffer", ""));
        b.line("capacity_scaling: " + format_number(flee.capacity_scaling), from("capacity_scaling", ""));
        b.line("softening: " + format_number(flee.softening), from("softening", "km added to every route"));
        b.line("weight_softening: " + format_number(flee.weight_softening), from("weight_softening", ""));
        b.line("distance_power: " + format_number(flee.distance_power), from("distance_power", ""));
        b.line("weight_power: " + format_number(flee.weight_power), from("weight_power", ""));
        if (flee.conflict_spawn_decay.empty()) {
            b.out << "  # conflict_spawn_decay: not set in simsetting.yml (no decay)\n";
        } else {
            std::string list = "[";
            for (std::size_t i = 0; i < flee.conflict_spawn_decay.size(); ++i)
                list += (i ? ", " : "") + format_number(flee.conflict_spawn_decay[i]);
            b.line("conflict_spawn_decay: " + list + "]", from("conflict_spawn_decay", "per interval since a conflict began"));
        }
        b.line("conflict_spawn_decay_interval: " + std::to_string(flee.conflict_spawn_decay_interval),
               from("conflict_spawn_decay_interval", "days"));
        b.line("hasten: " + std::to_string(flee.hasten), from("hasten", "1: full size; 10: a tenth"));
        b.line("capacity_occupancy: present_and_incoming",
               "migsim's choice (present: Flee's start-of-day count; docs/FLEE.md)");
        const bool conflict_spawning = flee.spawning == FleeSettings::Spawning::conflict;
        b.line(std::string("spawning: ") + (conflict_spawning ? "conflict" : "registrations"),
               conflict_spawning ? from("spawning", "") : "Flee's default: the daily rise of the camps' registrations");
        b.line("insert_day0: " + yes_no(flee.insert_day0), from("insert_day0", ""));
        b.line("take_from_population: " + yes_no(flee.take_from_population), from("take_from_population", ""));
        if (conflict_spawning) {
            const char* mode = flee.conflict_spawn_mode == FleeSettings::SpawnMode::pop_ratio ? "pop_ratio"
                               : flee.conflict_spawn_mode == FleeSettings::SpawnMode::poisson ? "poisson"
                                                                                             : "constant";
            b.line(std::string("conflict_spawn_mode: ") + mode, from("conflict_spawn_mode", ""));
            b.line("displaced_per_conflict_day: " + format_number(flee.displaced_per_conflict_day),
                   from("displaced_per_conflict_day", ""));
        }
        if (!flee.registrations.empty())
            b.line("registrations: " + flee.registrations, "source_data/data_layout.csv, copied");
        if (!flee.registration_corrections.empty())
            b.line("registration_corrections: " + flee.registration_corrections, "copied from input_csv/");

        std::ostringstream y;
        y << "# Imported from " << source_text << " by migsim import-flee (docs/FLEE.md, \"Importing a FabFlee\n"
          << "# scenario\"). Flee's original files are under flee/. Each setting below says where its value\n"
          << "# came from: a key of flee/simsetting.yml, or Flee's default when the file does not set it.\n"
          << "# Settings and files that migsim cannot apply are listed by the import's report.\n";
        y << "name: " << result.name << "\n";
        y << "description: " << yaml_string("Flee scenario " + folder + ", imported from FabFlee by migsim import-flee") << "\n";
        auto top = [&](const std::string& key_value, const std::string& comment) {
            std::string text = key_value;
            text.resize(std::max<std::size_t>(text.size() + 2, 38), ' ');
            y << text << "# " << comment << "\n";
        };
        top("start_date: " + result.start_date, "input_csv/sim_period.csv StartDate");
        top("days: " + std::to_string(days), "input_csv/sim_period.csv Length");
        y << "seed: 1\n";
        top("rules: flee", "Flee's rules (docs/FLEE.md)");
        y << "flee:\n" << b.out.str();
        y << "tables:\n"
          << "  locations: locations.csv            # input_csv/locations.csv (camps: population -> capacity)\n"
          << "  links: links.csv                    # input_csv/routes.csv, each route both ways\n"
          << "  events: events.csv                  # input_csv/conflicts.csv and closures.csv\n";
        result.scenario_yml = y.str();
    }

    if (options.hasten > 0 && options.hasten != flee_hasten)
        for (auto& item : report.items)
            if (item.name == "optimisations.hasten")
                item.reason += "; replaced by " + std::to_string(options.hasten) + " (--hasten)";
    if (options.hasten > 0 && !hasten_in_file)
        report.add("optimisations.hasten", "", Status::supported, "flee.hasten: set by --hasten");

    result.locations = static_cast<int>(net.locations.size());
    result.routes = static_cast<int>(net.routes.size());
    result.links = static_cast<int>(2 * net.routes.size());
    result.conflict_events = static_cast<int>(conflict_evts.size());
    result.closure_events = static_cast<int>(closure_evts.size());
    result.report = std::move(report.items);
    return result;
}

}  // namespace migsim
