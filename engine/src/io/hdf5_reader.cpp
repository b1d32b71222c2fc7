// Reading an output file back: checksums of every dataset (the determinism check) and a
// plain-text description with totals over the run (`migsim info`, the end of `migsim run`).
#include <hdf5.h>

#include <algorithm>
#include <cstring>
#include <iomanip>
#include <map>
#include <numeric>
#include <sstream>
#include <string_view>

#include "io/hdf5_util.hpp"
#include "io/sha256.hpp"
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
                          " dimensions and " + std::to_string(shape.empty() ? 0 : shape.back()) + " entities, expected 3 "
                          "(replicate, time, entity) and " + std::to_string(width) + " (a damaged file?)");
    std::vector<double> total(shape.at(2), 0.0);
    for (hsize_t r = 0; r < shape[0]; ++r)
        for (hsize_t t = 0; t < shape[1]; ++t)
            for (hsize_t e = 0; e < shape[2]; ++e) total[e] += values[(r * shape[1] + t) * shape[2] + e];
    for (auto& x : total) x /= static_cast<double>(std::max<hsize_t>(1, shape[0]));
    return total;
}

// run_totals of a series against the length of its own entity dimension (series_catalogue()).
std::vector<double> totals_of(hid_t file, const std::string& name) {
    for (const auto& s : series_catalogue())
        if (name == s.name) return run_totals(file, name, read_strings(file, s.dimension).size());
    throw OutputError(file_name(file) + ": no series '" + name + "' in the catalogue");
}

std::string fixed(double x) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(0) << x;
    return s.str();
}

double sum(const std::vector<double>& values) { return std::accumulate(values.begin(), values.end(), 0.0); }

// Harm along the route (docs/HARM.md): the places where any harm happened, and who was paid.
// Nothing for a file without harms (Flee's rules, a scenario without harms.csv or link costs).
void describe_harms(hid_t file, const std::vector<std::string>& locations, std::ostream& out) {
    const char* paid[] = {"market_revenue", "protection_paid", "smuggler_bribes_paid", "bribes_paid", "ransom_paid",
                          "tolls_paid", "fares_paid", "pathway_fees_paid"};
    for (const char* name : paid)
        if (H5Lexists(file, name, H5P_DEFAULT) <= 0) return;   // written by an older migsim
    std::vector<std::vector<double>> by_place;   // each harm, then the ransom taken, by location
    for (const auto& harm : harm_outcomes) by_place.push_back(run_totals(file, harm.series, locations.size()));
    const std::vector<double>& ransom = by_place.emplace_back(run_totals(file, "ransom_paid", locations.size()));
    std::map<std::string, double> money;
    for (const char* name : paid)
        money[name] = std::string_view(name) == "ransom_paid" ? sum(ransom) : sum(totals_of(file, name));
    auto money_to = [&](const auto& names) {
        double total = 0;
        for (const char* name : names) total += money[name];
        return total;
    };
    const bool any_harm = std::any_of(by_place.begin(), by_place.end(), [](const auto& v) { return sum(v) > 0; });
    if (any_harm) {
        out << "\n" << std::left << std::setw(28) << "harm (place)" << std::right << std::setw(10) << "abducted"
            << std::setw(15) << "raid-detained" << std::setw(12) << "trafficked" << std::setw(10) << "violence"
            << std::setw(11) << "died held" << std::setw(12) << "ransom" << "\n";
        const int widths[] = {10, 15, 12, 10, 11, 12};
        for (std::size_t l = 0; l < locations.size(); ++l) {
            if (std::none_of(by_place.begin(), by_place.end(), [&](const auto& v) { return v[l] > 0; })) continue;
            out << std::left << std::setw(28) << locations[l] << std::right;
            for (std::size_t k = 0; k < by_place.size(); ++k) out << std::setw(widths[k]) << fixed(by_place[k][l]);
            out << "\n";
        }
    }
    const double passed_on = money["protection_paid"] + money["smuggler_bribes_paid"];
    const double officials = money_to(paid_to_officials), armed_groups = money_to(paid_to_armed_groups);
    if (officials + armed_groups <= 0) return;
    out << "\npaid to: smugglers " << fixed(money["market_revenue"] - passed_on) << " (after " << fixed(passed_on)
        << " passed on), officials " << fixed(officials) << ", armed groups " << fixed(armed_groups) << ", fares "
        << fixed(money["fares_paid"]) << ", pathway fees " << fixed(money["pathway_fees_paid"])
        << " (migsim.money_flows per year)\n";
}

// "PATH: dataset 'NAME' WHAT (a damaged file?)".
std::string damaged(const std::string& path, const std::string& name, const char* what) {
    return path + ": dataset '" + name + "' " + what + " (a damaged file?)";
}

}  // namespace

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
    if (const double replicates = number_attribute(file, "replicates"); replicates > 1)
        out << "replicates  " << fixed(replicates) << " (seeds " << fixed(number_attribute(file, "seed")) << " to "
            << fixed(number_attribute(file, "seed") + replicates - 1)
            << "): the totals below are means over the replicates\n";
    out
        << "engine      migsim " << read_string_attribute(file, "engine_version") << " ("
        << read_string_attribute(file, "git_revision") << "), " << fixed(number_attribute(file, "threads"))
        << " threads";
    if (completed) out << ", " << std::setprecision(3) << number_attribute(file, "wall_time_s") << " s";
    out << "\n\n";
    if (read_string_attribute(file, "kind") == "sweep") {
        std::vector<hsize_t> shape;
        const auto done = read_numbers<std::int64_t>(file, "sample_completed", H5T_NATIVE_INT64, shape);
        out << "sweep       " << std::count(done.begin(), done.end(), 1) << " of " << done.size()
            << " samples done, over:";
        for (const auto& p : read_strings(file, "parameter")) out << " " << p;
        out << "\n(totals by sample: migsim.plot_sweep or migsim.sweep_outcome in tools/python)\n";
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
    if (!borders.empty()) {
        const auto attempts = run_totals(file, "border_attempts", borders.size());
        const auto intercepted = run_totals(file, "border_interceptions", borders.size());
        const auto deaths = run_totals(file, "border_deaths", borders.size());
        const auto crossed = run_totals(file, "border_crossings", borders.size());
        const auto regular = run_totals(file, "border_regular_crossings", borders.size());
        out << std::left << std::setw(28) << "route (border)" << std::right << std::setw(10) << "attempts"
            << std::setw(13) << "intercepted" << std::setw(9) << "dead" << std::setw(10) << "crossed"
            << std::setw(10) << "regular" << std::setw(16) << "smuggler rev." << "\n";
        for (std::size_t b = 0; b < borders.size(); ++b)
            out << std::left << std::setw(28) << borders[b] << std::right << std::setw(10) << fixed(attempts[b])
                << std::setw(13) << fixed(intercepted[b]) << std::setw(9) << fixed(deaths[b]) << std::setw(10)
                << fixed(crossed[b]) << std::setw(10) << fixed(regular[b]) << std::setw(16)
                << fixed(revenue_by_border[borders[b]]) << "\n";
        out << "\n";
    }
    const auto locations = read_strings(file, "location");
    const auto kinds = read_strings(file, "location_kind");
    if (kinds.size() != locations.size())
        throw OutputError(path + ": location_kind does not list one kind per location (a damaged file?)");
    const auto arrivals = run_totals(file, "arrivals", locations.size());
    const auto regular = run_totals(file, "arrivals_regular", locations.size());
    std::vector<hsize_t> shape;
    if (std::find(kinds.begin(), kinds.end(), "camp") != kinds.end()) {   // Flee's rules: camps, not destinations
        const auto population = read_numbers<std::int64_t>(file, "location_population", H5T_NATIVE_INT64, shape);
        if (shape.size() == 3 && shape[2] != locations.size())
            throw OutputError(path + ": location_population does not have one column per location (a damaged file?)");
        const hsize_t last = shape.size() == 3 && shape[1] > 0 ? shape[1] - 1 : 0;
        out << std::left << std::setw(28) << "camp" << std::right << std::setw(10) << "arrived" << std::setw(16)
            << "there at end" << "\n";
        for (std::size_t l = 0; l < locations.size(); ++l)
            if (kinds[l] == "camp")
                out << std::left << std::setw(28) << locations[l] << std::right << std::setw(10) << fixed(arrivals[l])
                    << std::setw(16) << (shape.size() == 3 ? population[last * shape[2] + l] : 0) << "\n";
        out << "(replicate 0 at the end; arrivals: mean over replicates; against UNHCR data: migsim validate-data FILE)\n";
    } else {
        out << std::left << std::setw(28) << "destination" << std::right << std::setw(10) << "arrived" << std::setw(13)
            << "regular" << "\n";
        for (std::size_t l = 0; l < locations.size(); ++l)
            if (kinds[l] == "destination")
                out << std::left << std::setw(28) << locations[l] << std::right << std::setw(10) << fixed(arrivals[l])
                    << std::setw(13) << fixed(regular[l]) << "\n";
    }
    describe_harms(file, locations, out);
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

}  // namespace migsim
