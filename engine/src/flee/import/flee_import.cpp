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
//
// This file holds import_flee itself and the writing of the four files; the readers are in
// flee_import_csv.cpp, flee_import_network.cpp and flee_import_settings.cpp.
#include "migsim/flee_import.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "migsim/errors.hpp"
#include "flee/import/flee_import_parts.hpp"
#include "scenario/quoting.hpp"

namespace migsim {

namespace fs = std::filesystem;
using namespace detail::flee_import;
using detail::csv_field;
using detail::yaml_string;

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

namespace {

using detail::FleeCsv;
using detail::format_number;
using detail::snake_id;

bool valid_date(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    const int month = std::stoi(s.substr(5, 2)), day = std::stoi(s.substr(8, 2));
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// ---- writing -----------------------------------------------------------------------------

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

}   // namespace

FleeImport import_flee(const fs::path& dir, const FleeImportOptions& options) {
    std::error_code error;
    if (!fs::is_directory(dir, error))
        throw ScenarioError("import-flee", 0, "DIR", dir.string(),
                            "a FabFlee scenario folder (with input_csv/, source_data/ and simsetting.yml)");
    const fs::path input = dir / "input_csv";
    for (const char* required : {"locations.csv", "routes.csv", "sim_period.csv"})
        if (!fs::is_regular_file(input / required, error))
            throw ScenarioError((input / required).string() + ": missing; a FabFlee scenario folder has "
                                                              "input_csv/locations.csv, routes.csv and "
                                                              "sim_period.csv (and optionally closures.csv, "
                                                              "conflicts.csv)");
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
                result.days =
                    static_cast<int>(whole_field(t, row, 1, "Length", 1, 65535, "a number of days from 1 to 65535"));
                have_length = true;
            } else {
                report.add("input_csv/sim_period.csv " + key, value, Status::ignored,
                           "not a key Flee reads (StartDate, Length)");
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
    if (fs::is_regular_file(input / "closures.csv", error))
        read_closures(input / "closures.csv", net, days, report, closed);
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
                   " conflict_zone and " + std::to_string(counts[0]) + " town rows -> " +
                   std::to_string(in_conflict_day0) +
                   " conflict zones on day 0, the others towns until their conflict starts");
    report.add("input_csv/routes.csv", std::to_string(net.routes.size()) + " routes", Status::supported,
               std::to_string(2 * net.routes.size()) + " links in links.csv (A__B and B__A), mode land, cost 0");

    // simsetting.yml
    SettingsReader settings{(dir / "simsetting.yml").string(), report, {}, {}};
    bool registrations_needed = true;
    // Anything there is read (a FIFO or a device is refused by read_text_file, not skipped).
    if (fs::exists(dir / "simsetting.yml", error))
        read_settings(dir / "simsetting.yml", settings, registrations_needed);
    else report.add("simsetting.yml", "", Status::supported, "absent: Flee's defaults for every setting");
    FleeSettings& flee = settings.flee;
    const int flee_hasten = flee.hasten;
    const bool hasten_in_file = settings.origin.count("hasten") > 0;
    if (options.hasten > 0) {
        flee.hasten = options.hasten;
        settings.origin["hasten"] =
            "set by the importer (--hasten); simsetting.yml's is " + std::to_string(flee_hasten);
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
        throw ScenarioError((source / "data_layout.csv").string() + ": missing; Flee spawns agents from the camps' "
                                                                    "registrations unless simsetting.yml "
                                                                    "sets spawn_rules.conflict_driven_spawning, and "
                                                                    "the registrations are listed there");
    }
    if (fs::is_regular_file(input / "registration_corrections.csv", error)) {
        flee.registration_corrections = "flee/input_csv/registration_corrections.csv";
        report.add("input_csv/registration_corrections.csv", "", Status::supported, "flee.registration_corrections");
    }

    // The other files of input_csv/.
    static const std::set<std::string> read_here{"locations.csv", "routes.csv",   "sim_period.csv",
                                                 "conflicts.csv", "closures.csv", "registration_corrections.csv"};
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
        else report.add(name, "", Status::ignored, "not a file Flee's run script reads");
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
            loc << l.id << ',' << csv_field(l.name) << ',' << csv_field(l.country) << ',' << l.lat << ',' << l.lon
                << ',' << kind << ',' << (camp ? 0 : l.population) << ',' << (camp ? std::to_string(l.population) : "")
                << ',' << format_number(camp ? 0.0 : l.day0_conflict) << '\n';
        }
        result.locations_csv = loc.str();
    }
    {
        std::ostringstream links;
        links << "# Imported from " << source_text
              << "/input_csv/routes.csv by migsim import-flee: each route both ways\n";
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
        b.line("camp_movechance: " + format_number(flee.camp_movechance), from("camp_movechance", "daily move chance, "
                                                                                                  "camps"));
        b.line("conflict_movechance: " + format_number(flee.conflict_movechance), from("conflict_movechance", "conflict"
                                                                                                              " zone"
                                                                                                              "s"));
        b.line("default_movechance: " + format_number(flee.default_movechance), from("default_movechance", "towns"));
        b.line("foreign_weight: " + format_number(flee.foreign_weight), from("foreign_weight", "score factor abroad"));
        b.line("camp_weight: " + format_number(flee.camp_weight), from("camp_weight", "score factor of camps"));
        b.line("conflict_weight: " + format_number(flee.conflict_weight), from("conflict_weight", "raised to decay x "
                                                                                                  "intensity"));
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
            b.line("conflict_spawn_decay: " + list + "]", from("conflict_spawn_decay", "per interval since a conflict "
                                                                                       "began"));
        }
        b.line("conflict_spawn_decay_interval: " + std::to_string(flee.conflict_spawn_decay_interval),
               from("conflict_spawn_decay_interval", "days"));
        b.line("hasten: " + std::to_string(flee.hasten), from("hasten", "1: full size; 10: a tenth"));
        b.line("capacity_occupancy: present_and_incoming", "migsim's choice (present: Flee's start-of-day count; "
                                                           "docs/FLEE.md)");
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
        y << "description: " << yaml_string("Flee scenario " + folder + ", imported from FabFlee by migsim import-flee")
          << "\n";
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

}   // namespace migsim
