// Reading the scenario's CSV tables into the Scenario's entity vectors. Each reader checks
// every field of every row and resolves ids to indices; cross-table checks live in validate.
#pragma once

#include <string>

#include "migsim/scenario.hpp"
#include "scenario/csv_table.hpp"

namespace migsim::detail {

// Each returns the bytes it read (for the input hash and the resolved text).
std::string read_locations(Scenario& s, const std::string& path);
// name, country, lat and lon of a locations row, checked (both rule sets' locations tables).
void read_place_columns(const CsvTable& t, const CsvTable::Row& row, Location& l);
std::string read_borders(Scenario& s, const std::string& path);
std::string read_links(Scenario& s, const std::string& path);      // after locations, borders
std::string read_markets(Scenario& s, const std::string& path);    // after links
std::string read_pathways(Scenario& s, const std::string& path);   // after profiles
std::string read_demand(Scenario& s, const std::string& path);
std::string read_harms(Scenario& s, const std::string& path);    // after locations and groups
std::string read_events(Scenario& s, const std::string& path);   // appends; sorts by day

}   // namespace migsim::detail
