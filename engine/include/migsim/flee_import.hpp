// Importing a FabFlee scenario folder (input_csv/, source_data/, simsetting.yml) as a migsim
// scenario with `rules: flee` (docs/FLEE.md, "Importing a FabFlee scenario"). The import is a
// pure function of the folder: it returns the text of the four files to write and a report of
// what every Flee setting, file, column and type became. Writing is the caller's business.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace migsim {

// One line of the import report: a setting (`move_rules.camp_weight`), a file
// (`input_csv/demographics_age.csv`), a column, a type or a row, and what became of it.
struct FleeImportItem {
    enum class Status : std::uint8_t {
        supported,     // imported; migsim applies it as Flee does
        unsupported,   // it matters in Flee but migsim cannot apply it (the run will differ)
        inert,         // read by Flee, but without effect with these settings
        ignored,       // not imported and not needed (a spare file, an unknown key, a dropped event)
    };
    std::string name;    // what it is
    std::string value;   // its value as read (may be empty)
    Status status = Status::supported;
    std::string reason;   // one short line
};

[[nodiscard]] const char* to_string(FleeImportItem::Status status);

struct FleeImportOptions {
    int hasten = 0;       // > 0: replaces optimisations.hasten of simsetting.yml
    std::string source;   // how to name the folder in the header comment (default: the path)
    std::string folder;   // the name the scenario is named after, flee-<folder> (default: DIR's own)
};

struct FleeImport {
    std::string name;   // the scenario name: flee-<folder>
    std::string scenario_yml, locations_csv, links_csv, events_csv;
    std::vector<FleeImportItem> report;
    int locations = 0, routes = 0, links = 0;   // counts, for the summary line
    int closure_events = 0, conflict_events = 0;
    int days = 0;
    std::string start_date;

    [[nodiscard]] std::size_t count(FleeImportItem::Status status) const;
};

// Reads the FabFlee scenario folder `dir`. Throws ScenarioError (file, line, field, value and
// what was expected) for anything that cannot be imported faithfully: a location type other
// than town, conflict_zone and camp, two names with the same id, a route to an unknown place,
// a malformed closure. Settings that migsim cannot apply are reported, not refused.
[[nodiscard]] FleeImport import_flee(const std::filesystem::path& dir, const FleeImportOptions& options = {});

}   // namespace migsim
