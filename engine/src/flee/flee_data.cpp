// Flee's UNHCR registration data: reading the camp series, the level-1 corrections, the daily
// interpolation and the spawn schedule derived from it, done the way Flee's DataTable does so
// that the number of agents (and the validation's reference) match Flee's to the agent.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "migsim/errors.hpp"
#include "migsim/flee.hpp"
#include "scenario/csv_table.hpp"
#include "flee/flee_data_detail.hpp"
#include "scenario/text_file.hpp"

namespace migsim {

namespace detail {

std::optional<std::int64_t> civil_day(const std::string& iso) {
    // Exactly YYYY-MM-DD, as Flee's strptime("%Y-%m-%d") accepts it for these files.
    if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::nullopt;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (iso[i] < '0' || iso[i] > '9') return std::nullopt;
    const int y = std::stoi(iso.substr(0, 4));
    const auto m = static_cast<unsigned>(std::stoi(iso.substr(5, 2)));
    const auto d = static_cast<unsigned>(std::stoi(iso.substr(8, 2)));
    const std::chrono::year_month_day date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
    if (!date.ok()) return std::nullopt;
    return std::chrono::sys_days{date}.time_since_epoch().count();
}

std::vector<std::int64_t> interpolate_daily(const std::vector<DataPoint>& points, int days) {
    std::vector<std::int64_t> daily(static_cast<std::size_t>(std::max(0, days)));
    // Flee casts each day's value to int (truncation: the counts are never negative). Flee
    // leaves the first value as it is (a fraction when hasten > 1); here it is truncated too,
    // which changes a day's camp count by less than one agent.
    std::size_t next = 1;
    for (int t = 0; t < days; ++t) {
        double value = 0;
        if (t <= points.front().day) {
            value = points.front().count;
        } else {
            while (next < points.size() && points[next].day <= t) ++next;
            if (next == points.size()) {
                value = points.back().count;
            } else {
                const DataPoint& a = points[next - 1];
                const DataPoint& b = points[next];
                const double fraction = static_cast<double>(t - a.day) / static_cast<double>(b.day - a.day);
                value = a.count + fraction * (b.count - a.count);
            }
        }
        daily[static_cast<std::size_t>(t)] = static_cast<std::int64_t>(value);
    }
    return daily;
}

namespace {

std::string trim(const std::string& s) {
    const auto begin = s.find_first_not_of(" \t\r");
    const auto end = s.find_last_not_of(" \t\r");
    return begin == std::string::npos ? std::string{} : s.substr(begin, end - begin + 1);
}

std::vector<CsvTable::Row> rows_of(const std::string& path) {
    auto rows = read_csv_rows(path, read_text_file(path));
    for (auto& row : rows)
        for (auto& field : row.fields) field = trim(field);
    return rows;
}

// One camp series file: `date,count` rows, days counted from `start`.
std::vector<DataPoint> read_series(const std::string& path, std::int64_t start) {
    std::vector<DataPoint> points;
    const auto rows = rows_of(path);
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const auto& row = rows[r];
        const std::string& first = row.fields[0];
        if (r == 0 && (first == "Date" || first == "DateTime")) continue;   // a header row
        if (row.fields.size() < 2)
            throw ScenarioError(path, row.line, "the row", first, "'date,count' (a date, a comma and a count)");
        if (row.fields[1].empty()) continue;   // Flee skips a date without a count
        const auto day = civil_day(first);
        if (!day) throw ScenarioError(path, row.line, "date", first, "a date YYYY-MM-DD");
        const auto count = parse_number(row.fields[1]);
        if (!count || *count < 0)
            throw ScenarioError(path, row.line, "count", row.fields[1], "a number of people, 0 or more");
        if (!points.empty() && *day - start <= points.back().day)
            throw ScenarioError(path, row.line, "date", first,
                                "a date after the previous row's (the rows must be in date order, each date once)");
        points.push_back({*day - start, *count, row.line});
    }
    if (points.empty())
        throw ScenarioError(path + ": holds no 'date,count' rows; expected at least one registration count");
    return points;
}

// Flee adds the files of one layout row on the union of their dates, each file counting with
// its latest value on or before the date (0 before its first); no interpolation in between.
std::vector<DataPoint> add_series(const std::vector<std::vector<DataPoint>>& files) {
    std::map<std::int64_t, double> total;
    for (const auto& file : files)
        for (const auto& p : file) total[p.day] = 0;
    for (const auto& file : files)
        for (auto& [day, sum] : total) {
            auto after = std::upper_bound(file.begin(), file.end(), day,
                                          [](std::int64_t d, const DataPoint& p) { return d < p.day; });
            if (after != file.begin()) sum += std::prev(after)->count;
        }
    std::vector<DataPoint> points;
    for (const auto& [day, sum] : total) points.push_back({day, sum, 0});
    return points;
}

struct Camp {
    std::string name;
    std::vector<DataPoint> points;
    std::string file;   // where its dates come from (the first file), for error messages
    long line = 0;      // its row in data_layout.csv
};

// Level-1 registrations (counted at the border, later found too high) are scaled down to the
// level-2 count: every row of the camp before the correction's date is multiplied by
// value(date) / value(row before), in the file's order, as Flee does.
void apply_corrections(const std::string& path, std::vector<Camp>& camps, std::int64_t start) {
    for (const auto& row : rows_of(path)) {
        const std::string& name = row.fields[0];
        if (row.fields.size() < 2) throw ScenarioError(path, row.line, "the row", name, "'camp,date,normalize'");
        auto camp = std::find_if(camps.begin(), camps.end(), [&](const Camp& c) { return c.name == name; });
        if (camp == camps.end()) throw ScenarioError(path, row.line, "camp", name, "a camp named in data_layout.csv");
        const auto day = civil_day(row.fields[1]);
        if (!day) throw ScenarioError(path, row.line, "date", row.fields[1], "a date YYYY-MM-DD");
        auto& points = camp->points;
        auto at = std::find_if(points.begin(), points.end(), [&](const DataPoint& p) { return p.day == *day - start; });
        if (at == points.end())
            throw ScenarioError(path, row.line, "date", row.fields[1],
                                "a date that has a row in " + camp->file +
                                    " (the correction scales the rows before it)");
        if (*day < start || at == points.begin()) continue;   // Flee 3: nothing to scale in the run
        const double before = std::prev(at)->count;
        if (before < 1)
            throw ScenarioError(path, row.line, "date", row.fields[1],
                                "a date whose previous count in " + camp->file + " is at least 1 (it is " +
                                    std::to_string(before) + "; the correction divides by it)");
        const double factor = at->count / before;
        for (auto p = points.begin(); p != at; ++p) p->count *= factor;
    }
}

}   // namespace
}   // namespace detail

std::vector<CampSeries> read_registrations(const std::filesystem::path& layout,
                                           const std::filesystem::path& corrections, const std::string& start_date,
                                           int days, int hasten) {
    using namespace detail;
    const auto start = civil_day(start_date);
    if (!start) throw ScenarioError(layout.string(), 0, "start_date", start_date, "a date YYYY-MM-DD");
    if (hasten < 1)
        throw ScenarioError(layout.string(), 0, "flee.hasten", std::to_string(hasten), "a whole number, 1 or more");
    const std::string layout_path = layout.string();
    const auto folder = layout.parent_path();
    std::vector<Camp> camps;
    for (const auto& row : rows_of(layout_path)) {
        const std::string& name = row.fields[0];
        if (name == "total") continue;   // Flee's overall count, not used: spawning sums the camps
        if (row.fields.size() < 2 || row.fields[1].empty())
            throw ScenarioError(layout_path, row.line, "the row", name, "'camp name,file.csv[,more files]'");
        if (std::any_of(camps.begin(), camps.end(), [&](const Camp& c) { return c.name == name; }))
            throw ScenarioError(layout_path, row.line, "camp", name, "each camp once");
        std::vector<std::vector<DataPoint>> files;
        for (std::size_t f = 1; f < row.fields.size(); ++f)
            if (!row.fields[f].empty()) files.push_back(read_series((folder / row.fields[f]).string(), *start));
        Camp camp{name, files.size() == 1 ? files.front() : add_series(files), (folder / row.fields[1]).string(),
                  row.line};
        camps.push_back(std::move(camp));
    }
    if (camps.empty()) throw ScenarioError(layout_path + ": names no camps; expected rows 'camp name,file.csv'");
    if (!corrections.empty()) apply_corrections(corrections.string(), camps, *start);

    std::vector<CampSeries> series;
    for (auto& camp : camps) {
        for (auto& p : camp.points) p.count /= static_cast<double>(hasten);   // as reals, before interpolating
        series.push_back({camp.name, no_index, interpolate_daily(camp.points, days), camp.line});
    }
    return series;
}

std::vector<std::int64_t> spawn_schedule(const std::vector<CampSeries>& camps, bool insert_day0) {
    std::size_t days = 0;
    for (const auto& c : camps) days = std::max(days, c.daily.size());
    std::vector<std::int64_t> total(days, 0);
    for (const auto& c : camps)
        for (std::size_t t = 0; t < c.daily.size(); ++t) total[t] += c.daily[t];
    std::vector<std::int64_t> spawns(days, 0);
    if (days == 0) return spawns;
    spawns[0] = insert_day0 ? total[0] : 0;
    // A fall in the registrations cannot remove agents; it is made up by the next rises.
    std::int64_t debt = 0;
    for (std::size_t t = 1; t < days; ++t) {
        const std::int64_t rise = total[t] - total[t - 1] - debt;
        debt = rise < 0 ? -rise : 0;
        spawns[t] = std::max<std::int64_t>(rise, 0);
    }
    return spawns;
}

}   // namespace migsim
