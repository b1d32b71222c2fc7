// Reading an output file back: checksums of every dataset (the determinism check) and a
// plain-text description with totals over the run (`migsim info`, the end of `migsim run`).
#include <hdf5.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <iomanip>
#include <map>
#include <numeric>
#include <sstream>
#include <string_view>

#include "io/hdf5_util.hpp"
#include "common/sha256.hpp"
#include "migsim/errors.hpp"
#include "migsim/output.hpp"
#include "version.hpp"

namespace migsim {

using namespace detail;

const char* engine_version() { return MIGSIM_VERSION; }
const char* git_revision() { return MIGSIM_GIT_REVISION; }

namespace {

// Sums a (replicate, time, entity) series over time, averaged over replicates; its entity
// axis must have `width` places (the length of the dimension it is read against).
std::vector<double> run_totals(hid_t file, const std::string& name, std::size_t width) {
    std::vector<hsize_t> shape;
    auto values = read_numbers<double>(file, name, H5T_NATIVE_DOUBLE, shape);
    if (shape.size() != 3 || shape[2] != width)
        throw OutputError(file_name(file) + ": dataset '" + name + "' has " + std::to_string(shape.size()) +
                          " dimensions and " + std::to_string(shape.empty() ? 0 : shape.back()) +
                          " entities, expected 3 "
                          "(replicate, time, entity) and " +
                          std::to_string(width) + " (a damaged file?)");
    std::vector<double> total(shape.at(2), 0.0);
    for (hsize_t r = 0; r < shape[0]; ++r)
        for (hsize_t t = 0; t < shape[1]; ++t)
            for (hsize_t e = 0; e < shape[2]; ++e) total[e] += values[(r * shape[1] + t) * shape[2] + e];
    for (auto& x : total) x /= static_cast<double>(std::max<hsize_t>(1, shape[0]));
    return total;
}

// run_totals of a series against the length of its own entity dimension.
std::vector<double> totals_of(hid_t file, const SeriesInfo& series) {
    const std::string name(series.name);
    return run_totals(file, name, read_strings(file, to_string(series.entity)).size());
}

std::string fixed(double x) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(0) << x;
    return s.str();
}

double sum(const std::vector<double>& values) { return std::accumulate(values.begin(), values.end(), 0.0); }

// A table of totals over the run, one row per entity (those `shown`), one column per series
// (headed by its outcome name in `migsim compare`), then any `extra` columns.
void entity_table(
    hid_t file, const std::string& title, const std::vector<std::string>& entities,
    const std::vector<const SeriesInfo*>& series, const std::vector<std::pair<std::string, std::vector<double>>>& extra,
    std::ostream& out, const std::function<bool(std::size_t)>& shown = [](std::size_t) { return true; }) {
    std::vector<std::pair<std::string, std::vector<double>>> columns;
    for (const SeriesInfo* s : series)
        columns.emplace_back(s->outcome, run_totals(file, std::string(s->name), entities.size()));
    columns.insert(columns.end(), extra.begin(), extra.end());
    out << std::left << std::setw(28) << title << std::right;
    for (const auto& [name, values] : columns)
        out << std::setw(std::max<int>(10, static_cast<int>(name.size()) + 2)) << name;
    out << "\n";
    for (std::size_t e = 0; e < entities.size(); ++e) {
        if (!shown(e)) continue;
        out << std::left << std::setw(28) << entities[e] << std::right;
        for (const auto& [name, values] : columns)
            out << std::setw(std::max<int>(10, static_cast<int>(name.size()) + 2)) << fixed(values[e]);
        out << "\n";
    }
}

// Where people wait (docs/HARM.md): the catalogue's series by place that `migsim compare
// --by place` shows, at the places where any of them is above zero; then what each payee of
// the money series received. Nothing for a file without harms (Flee's rules, a scenario
// without harms.csv or link costs).
void describe_places(hid_t file, const std::vector<std::string>& locations, std::ostream& out) {
    std::vector<const SeriesInfo*> columns, money;
    for (const SeriesInfo& s : series_catalogue) {
        if (s.entity == Entity::location && s.compared(by_entity)) columns.push_back(&s);
        if (s.is_money() && s.paid_to != Payee::nobody) money.push_back(&s);
    }
    for (const auto* list : {&columns, &money})
        for (const SeriesInfo* s : *list)
            if (H5Lexists(file, std::string(s->name).c_str(), H5P_DEFAULT) <= 0) return;   // an older migsim's file
    std::vector<std::vector<double>> by_place;
    for (const SeriesInfo* s : columns) by_place.push_back(totals_of(file, *s));
    const bool any_harm = std::any_of(by_place.begin(), by_place.end(), [](const auto& v) { return sum(v) > 0; });
    if (any_harm) {
        out << "\n" << std::left << std::setw(28) << "where people wait" << std::right;
        std::vector<int> widths;
        for (const SeriesInfo* s : columns) {
            widths.push_back(std::max(10, static_cast<int>(s->outcome.size()) + 2));
            out << std::setw(widths.back()) << s->outcome;
        }
        out << "\n";
        for (std::size_t l = 0; l < locations.size(); ++l) {
            if (std::none_of(by_place.begin(), by_place.end(), [&](const auto& v) { return v[l] > 0; })) continue;
            out << std::left << std::setw(28) << locations[l] << std::right;
            for (std::size_t k = 0; k < by_place.size(); ++k) out << std::setw(widths[k]) << fixed(by_place[k][l]);
            out << "\n";
        }
    }
    // What each payee received; smugglers pass some of their revenue on (their market series
    // paid to others).
    std::map<Payee, double> paid;
    double passed_on = 0;
    for (const SeriesInfo* s : money) {
        const double total = sum(totals_of(file, *s));
        paid[s->paid_to] += total;
        if (s->entity == Entity::market && s->paid_to != Payee::smugglers) passed_on += total;
    }
    if (paid[Payee::officials] + paid[Payee::armed_groups] <= 0) return;
    out << "\npaid to: smugglers " << fixed(paid[Payee::smugglers] - passed_on) << " (after " << fixed(passed_on)
        << " passed on)";
    for (const auto& [payee, amount] : paid) {
        if (payee == Payee::smugglers) continue;
        std::string name = to_string(payee);
        std::replace(name.begin(), name.end(), '_', ' ');
        out << ", " << name << " " << fixed(amount);
    }
    out << " (migsim.money_flows per year)\n";
}

// "PATH: dataset 'NAME' WHAT (a damaged file?)".
std::string damaged(const std::string& path, const std::string& name, const char* what) {
    return path + ": dataset '" + name + "' " + what + " (a damaged file?)";
}

}   // namespace

std::vector<std::string> dataset_checksums(const std::string& path) {
    Handle file = open_file(path);
    std::vector<std::string> lines;
    // The series at the root, then the journey table's columns (docs/JOURNEYS.md), if any.
    std::vector<std::string> names = dataset_names(file);
    if (H5Lexists(file, "journeys", H5P_DEFAULT) > 0) {
        Handle journeys(H5Gopen2(file, "journeys", H5P_DEFAULT), H5Gclose);
        for (const auto& column : dataset_names(journeys)) names.push_back("journeys/" + column);
    }
    for (const auto& name : names) {
        Handle ds = open_dataset(file, name);
        Handle type(H5Dget_type(ds), H5Tclose);
        if (type.get() < 0) throw OutputError(damaged(path, name, "has no readable type"));
        std::string bytes;
        if (H5Tis_variable_str(type) > 0) {
            for (const auto& s : read_strings(file, name)) bytes += s + '\0';
        } else {
            Handle native(H5Tget_native_type(type, H5T_DIR_ASCEND), H5Tclose);
            auto shape = shape_of(ds);
            const std::size_t n = element_count(ds, H5Tget_size(native), name);
            bytes.resize(n * H5Tget_size(native));
            if (n > 0 && H5Dread(ds, native, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()) < 0)
                throw OutputError(damaged(path, name, "cannot be read"));
            for (auto d : shape) bytes += "|" + std::to_string(d);
        }
        lines.push_back(name + " " + sha256_hex(bytes));
    }
    return lines;
}

void verify_output(const std::string& path) {
    {
        Handle file = open_file(path);
        for (const char* name : {"kind", "scenario", "start_date"})
            if (read_string_attribute(file, name).empty())
                throw OutputError(path + ": lacks its attribute '" + name + "'");
        if (H5Aexists(file, "days_completed") <= 0 || H5Aexists(file, "completed") <= 0)
            throw OutputError(path + ": lacks its attributes days_completed and completed");
    }
    (void)dataset_checksums(path);   // reads every value of every dataset
}

std::string describe_output(const std::string& path) {
    Handle file = open_file(path);
    std::ostringstream out;
    const bool completed = number_attribute(file, "completed") > 0;
    out << "scenario    " << read_string_attribute(file, "scenario") << "\n"
        << "days        " << fixed(number_attribute(file, "days_completed")) << " of "
        << fixed(number_attribute(file, "days_requested")) << " from " << read_string_attribute(file, "start_date")
        << (completed ? "" : "  (INTERRUPTED: the file holds the finished days)") << "\n"
        << "seed        " << fixed(number_attribute(file, "seed")) << "\n";
    const bool posterior = read_string_attribute(file, "kind") == "posterior";
    if (const double replicates = number_attribute(file, "replicates"); posterior) {
        const double draws = number_attribute(file, "draws");
        out << "posterior   a posterior ensemble: " << fixed(draws) << " draws x " << fixed(replicates)
            << " replicates from " << read_string_attribute(file, "posterior") << " (seeds "
            << fixed(number_attribute(file, "seed")) << " to "
            << fixed(number_attribute(file, "seed") + draws * replicates - 1) << ", one per draw and replicate)\n";
    } else if (replicates > 1)
        out << "replicates  " << fixed(replicates) << " (seeds " << fixed(number_attribute(file, "seed")) << " to "
            << fixed(number_attribute(file, "seed") + replicates - 1)
            << "): the totals below are means over the replicates\n";
    out << "engine      migsim " << read_string_attribute(file, "engine_version") << " ("
        << read_string_attribute(file, "git_revision") << "), " << fixed(number_attribute(file, "threads"))
        << " threads";
    if (completed) out << ", " << std::setprecision(3) << number_attribute(file, "wall_time_s") << " s";
    out << "\n\n";
    if (read_string_attribute(file, "kind") == "sweep" || posterior) {
        std::vector<hsize_t> shape;
        const auto done = read_numbers<std::int64_t>(file, posterior ? "draw_completed" : "sample_completed",
                                                     H5T_NATIVE_INT64, shape);
        out << (posterior ? "draws       " : "sweep       ") << std::count(done.begin(), done.end(), 1) << " of "
            << done.size() << (posterior ? " draws done, of:" : " samples done, over:");
        for (const auto& p : read_strings(file, "parameter")) out << " " << p;
        out << (posterior ? "\n(effects under parameter uncertainty: migsim compare BASE VARIANT, two posterior runs; "
                            "docs/COMPARE.md)\n"
                          : "\n(totals by sample: migsim.plot_sweep or migsim.sweep_outcome in tools/python)\n");
        return out.str();
    }

    const auto borders = read_strings(file, "border");
    const auto markets = read_strings(file, "market");
    std::map<std::string, double> revenue_by_border;
    if (!markets.empty()) {
        const auto revenue = run_totals(file, "market_revenue", markets.size());
        const auto market_border = read_strings(file, "market_border");
        if (market_border.size() != markets.size())
            throw OutputError(path + ": market_border does not list one border per market (a damaged file?)");
        for (std::size_t m = 0; m < markets.size(); ++m) revenue_by_border[market_border[m]] += revenue[m];
    }
    if (!borders.empty()) {   // what `migsim compare --by border` shows, and the smugglers' revenue
        std::vector<const SeriesInfo*> columns;
        for (const SeriesInfo& series : series_catalogue)
            if (series.entity == Entity::border && series.compared(by_entity)) columns.push_back(&series);
        std::vector<double> revenue(borders.size());
        for (std::size_t b = 0; b < borders.size(); ++b) revenue[b] = revenue_by_border[borders[b]];
        entity_table(file, "route (border)", borders, columns, {{"smuggler_revenue", revenue}}, out);
        out << "\n";
    }
    const auto locations = read_strings(file, "location");
    const auto kinds = read_strings(file, "location_kind");
    if (kinds.size() != locations.size())
        throw OutputError(path + ": location_kind does not list one kind per location (a damaged file?)");
    std::vector<hsize_t> shape;
    if (std::find(kinds.begin(), kinds.end(), "camp") != kinds.end()) {   // Flee's rules: camps, not destinations
        const auto population = read_numbers<std::int64_t>(file, "location_population", H5T_NATIVE_INT64, shape);
        if (shape.size() == 3 && shape[2] != locations.size())
            throw OutputError(path + ": location_population does not have one column per location (a damaged file?)");
        const hsize_t last = shape.size() == 3 && shape[1] > 0 ? shape[1] - 1 : 0;
        const auto arrivals = run_totals(file, "arrivals", locations.size());
        out << std::left << std::setw(28) << "camp" << std::right << std::setw(10) << "arrived" << std::setw(16)
            << "there at end"
            << "\n";
        for (std::size_t l = 0; l < locations.size(); ++l)
            if (kinds[l] == "camp")
                out << std::left << std::setw(28) << locations[l] << std::right << std::setw(10) << fixed(arrivals[l])
                    << std::setw(16) << (shape.size() == 3 ? population[last * shape[2] + l] : 0) << "\n";
        out << "(replicate 0 at the end; arrivals: mean over replicates; against UNHCR data: migsim validate-data "
               "FILE)\n";
    } else {
        std::vector<const SeriesInfo*> columns;   // what `migsim compare --by destination` shows
        for (const SeriesInfo& series : series_catalogue)
            if (series.entity == Entity::location && series.compared(by_destination)) columns.push_back(&series);
        entity_table(file, "destination", locations, columns, {}, out,
                     [&](std::size_t l) { return kinds[l] == "destination"; });
    }
    describe_places(file, locations, out);
    auto status = read_numbers<std::int64_t>(file, "status_counts", H5T_NATIVE_INT64, shape);
    const auto names = read_strings(file, "status");
    if (shape.size() == 3 && shape[1] > 0 && shape[2] == names.size()) {
        out << "\nstatus at the end (replicate 0):";
        for (hsize_t s = 0; s < shape[2]; ++s)
            out << " " << names[s] << " " << status[(shape[1] - 1) * shape[2] + s] << ";";
        out << "\n";
    }
    return out.str();
}

}   // namespace migsim
