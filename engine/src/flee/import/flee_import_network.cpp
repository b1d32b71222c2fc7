// The FabFlee importer's network: input_csv/locations.csv and routes.csv checked and read, and
// closures.csv and conflicts.csv turned into the events of links and locations.
#include <algorithm>
#include <limits>
#include <set>

#include "migsim/errors.hpp"
#include "scenario/csv_table.hpp"
#include "flee/import/flee_import_parts.hpp"

namespace migsim::detail::flee_import {

namespace fs = std::filesystem;

namespace {

constexpr double conflict_threshold = 1e-6;   // Flee: an intensity at or below this is no conflict

double number_field(const FleeCsv& t, const FleeCsv::Row& row, std::size_t i, const std::string& column,
                    const std::string& expected) {
    const std::string& text = field(t, row, i, column);
    auto value = parse_number(text);   // scenario/csv_table.hpp
    if (!value) fail(t, row.line, column, text, expected);
    return *value;
}

int location_index(const Network& net, const FleeCsv& t, const FleeCsv::Row& row, std::size_t i,
                   const std::string& column) {
    const std::string& name = field(t, row, i, column);
    auto it = net.by_name.find(name);
    if (it == net.by_name.end())
        fail(t, row.line, column, name, "a location name from input_csv/locations.csv (names are case-sensitive)");
    return it->second;
}

}   // namespace

// ---- locations and routes ----------------------------------------------------------------

Network read_locations(const fs::path& file, Report& report) {
    const FleeCsv t = detail::read_flee_csv(file.string());
    Network net;
    std::map<std::string, std::string> id_owner;
    const char* type_expected = "town, conflict_zone or camp (Flee's idpcamp, marker, forward and flood_zone locations "
                                "are not imported: "
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
            if (!parse_number(text)) fail(t, row.line, column, text, "a number of degrees");
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
                 "each location once (it is also on line " + std::to_string(net.locations[net.by_name[loc.name]].line) +
                     ")");
        loc.id = snake_id(loc.name);
        if (loc.id.empty())
            fail(t, row.line, "name", loc.name,
                 "a name with at least one ASCII letter or digit (ids are made from names)");
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

void read_routes(const fs::path& file, Network& net, Report& report) {
    const FleeCsv t = detail::read_flee_csv(file.string());
    for (const auto& row : t.rows) {
        Route r;
        r.line = row.line;
        r.a = location_index(net, t, row, 0, "name1");
        r.b = location_index(net, t, row, 1, "name2");
        if (r.a == r.b)
            fail(t, row.line, "name2", row.fields[1], "a location other than name1 (a route joins two places)");
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

void read_closures(const fs::path& file, const Network& net, int days, Report& report,
                   std::map<std::string, std::vector<Interval>>& closed) {
    const FleeCsv t = detail::read_flee_csv(file.string());
    for (const auto& row : t.rows) {
        const std::string& type = field(t, row, 0, "closure_type");
        const std::string where = "input_csv/closures.csv:" + std::to_string(row.line);
        if (type == "camp" || type == "idpcamp" || type == "remove_forced_redirection") {
            report.add(cat({where, " ", type, " closure ", row.fields.size() > 1 ? row.fields[1] : ""}), type,
                       Status::unsupported,
                       type == "remove_forced_redirection" ? "forced redirection is not implemented; the row is dropped"
                                                           : "a camp closure turns the camp into a town in Flee; "
                                                             "migsim's kinds do not change "
                                                             "that way; the row is dropped");
            continue;
        }
        if (type != "country" && type != "location" && type != "link")
            fail(t, row.line, "closure_type", type,
                 "country, location or link (or camp, idpcamp, remove_forced_redirection, which are reported and "
                 "dropped)");
        const std::string& name1 = field(t, row, 1, "name1");
        const std::string& name2 = field(t, row, 2, "name2");
        const int start = static_cast<int>(whole_field(t, row, 3, "closure_start", 0, std::numeric_limits<int>::max(),
                                                       "a whole number of days >= 0: the day the closure starts"));
        const long long end_value = whole_field(t, row, 4, "closure_end", -1, std::numeric_limits<int>::max(),
                                                "a whole number of days: the day the closure is lifted, or -1 for "
                                                "never");
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
            what = cat({"country closure ", name1, "-", name2});
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
                fail(t, row.line, "name2", name2,
                     "a location joined to " + name1 + " by a route of input_csv/routes.csv");
            links.emplace_back(a, b);
            links.emplace_back(b, a);
            what = cat({"link closure ", name1, "-", name2});
        }
        std::string span =
            "days " + std::to_string(start) + ".." + (end_value == -1 ? "never" : std::to_string(end_value));
        if (links.empty()) {
            report.add(cat({where, " ", what}), span, Status::ignored,
                       "no route joins them: nothing to close (Flee warns too)");
            continue;
        }
        if (start >= days) {
            report.add(cat({where, " ", what}), span, Status::ignored,
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
        report.add(cat({where, " ", what}), span, Status::supported, reason);
    }
}

// The union of a link's closures as open/close events: closed while any closure covers the day.
std::vector<ChangeRow> closure_events(const std::string& link, const std::vector<Interval>& intervals, int days) {
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
    if (t.header.empty())
        throw ScenarioError(t.path + ": empty; expected a '#Day,<location>,...' header and one row per day");
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
        const long long day = whole_field(t, row, 0, t.header[0].empty() ? "Day" : t.header[0],
                                          static_cast<long long>(r), static_cast<long long>(r),
                                          "day " + std::to_string(r) +
                                              " (one row per day from 0, in order: Flee reads "
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
        if (seen[at]) throw ScenarioError(t.path, t.header_line, "header", t.header[c], "each location once");
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
                       starts < 0 ? "conflicts.csv never starts a conflict there; migsim, like Flee, follows "
                                    "conflicts.csv"
                                  : "conflicts.csv starts the conflict on day " + std::to_string(starts) +
                                        "; migsim, like Flee, follows conflicts.csv");
    }
    for (std::size_t i = 0; i < net.locations.size(); ++i) {
        auto& loc = net.locations[i];
        if (seen[i] || loc.type != FleeType::conflict_zone) continue;
        report.add("input_csv/conflicts.csv column " + loc.name, "", Status::ignored,
                   "missing: the conflict_zone never has a conflict (Flee takes conflicts from conflicts.csv alone); "
                   "its conflict_date " +
                       std::to_string(loc.conflict_date) + " is not used");
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

}   // namespace migsim::detail::flee_import
