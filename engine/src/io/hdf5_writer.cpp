// Writing the output file. Layout (see docs/ARCHITECTURE.md, "Output"):
//   dimensions  replicate, time (unlimited), location, link, border, market, pathway, profile,
//               status: each a coordinate variable that is an HDF5 dimension scale;
//   coordinates names, countries, lat/lon, kinds, link ends: variables along one dimension,
//               listed in each series' `coordinates` attribute so xarray makes them coords;
//   series      (replicate, time, entity), int64 counts or float64 money, chunked by 8 days,
//               shuffled and deflated, written and flushed day by day.
#include <hdf5.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <map>

#include "io/hdf5_util.hpp"
#include "migsim/errors.hpp"
#include "migsim/output.hpp"

namespace migsim {

using namespace detail;

const std::vector<SeriesInfo>& series_catalogue() {
    static const std::vector<SeriesInfo> catalogue = {
        {"status_counts", "status", "agents", "agents in each status at the end of the day"},
        {"location_population", "location", "agents", "agents present at the location at the end of the day"},
        {"arrivals", "location", "agents/day", "irregular arrivals at the destination"},
        {"arrivals_regular", "location", "agents/day", "arrivals through a pathway or a visa-free crossing"},
        {"link_flow", "link", "agents/day", "departures onto the link"},
        {"link_deaths", "link", "agents/day", "dead or missing on the link"},
        {"border_attempts", "border", "attempts/day", "irregular crossing attempts"},
        {"border_interceptions", "border", "attempts/day", "irregular attempts intercepted"},
        {"border_deaths", "border", "agents/day", "dead or missing while crossing"},
        {"border_crossings", "border", "agents/day", "irregular attempts that got through"},
        {"border_regular_crossings", "border", "agents/day", "crossings by permit holders"},
        {"market_seats", "market", "seats/day", "seats sold"},
        {"market_unmet_demand", "market", "seats/day", "buyers turned away: demand above capacity"},
        {"market_price", "market", "money/seat", "price with the risk premium"},
        {"market_revenue", "market", "money/day", "seats sold times price"},
        {"pathway_applications", "pathway", "agents/day", "eligible agents who applied"},
        {"pathway_admissions", "pathway", "agents/day", "applicants admitted (at most the quota per period)"},
    };
    return catalogue;
}

namespace {

// Crash safety: each day rewrites (recompresses) the open chunk of every series and flushes.
// The file is created without free-space reuse, so a chunk's old copy is never overwritten
// while the flushed index may still point to it: a run killed at any instant leaves a
// readable file. The price is dead space of up to one chunk per rewrite; 8-day chunks keep
// it small (the 4-year Mediterranean file is ~3 MB; with 64-day chunks it was ~15 MB).
constexpr hsize_t days_per_chunk = 8;

bool is_money(const std::string& name) { return name == "market_price" || name == "market_revenue"; }

const std::vector<std::int64_t>* counts_of(const DayTotals& t, const std::string& name) {
    static const std::map<std::string, std::vector<std::int64_t> DayTotals::*> fields = {
        {"location_population", &DayTotals::location_population}, {"arrivals", &DayTotals::arrivals},
        {"arrivals_regular", &DayTotals::arrivals_regular}, {"link_flow", &DayTotals::link_flow},
        {"link_deaths", &DayTotals::link_deaths}, {"border_attempts", &DayTotals::border_attempts},
        {"border_interceptions", &DayTotals::border_interceptions}, {"border_deaths", &DayTotals::border_deaths},
        {"border_crossings", &DayTotals::border_crossings},
        {"border_regular_crossings", &DayTotals::border_regular_crossings},
        {"market_seats", &DayTotals::market_seats}, {"market_unmet_demand", &DayTotals::market_unmet_demand},
        {"pathway_applications", &DayTotals::pathway_applications},
        {"pathway_admissions", &DayTotals::pathway_admissions}};
    auto it = fields.find(name);
    return it == fields.end() ? nullptr : &(t.*(it->second));
}

}  // namespace

struct Hdf5Writer::Impl {
    std::string path;
    Handle file;
    Handle time;
    std::map<std::string, Handle> dims;   // dimension scales by name
    struct Series {
        std::string name;
        Handle dataset;
        hsize_t width;
    };
    std::vector<Series> series;
    Handle agents_created;
    hsize_t replicates = 1;
    hsize_t days_written = 0;
    std::vector<double> money_row;

    Handle& make_dimension(const std::string& name, const std::vector<std::string>& ids) {
        Handle ds = write_strings(file, name, ids);
        check(H5DSset_scale(ds, name.c_str()), "H5DSset_scale " + name);
        return dims[name] = std::move(ds);
    }

    void coordinate(const std::string& name, const std::string& dim, const std::vector<std::string>& values) {
        Handle ds = write_strings(file, name, values);
        check(H5DSattach_scale(ds, dims.at(dim), 0), "attach " + name);
    }
    void coordinate(const std::string& name, const std::string& dim, const std::vector<double>& values,
                    const char* units) {
        Handle ds = write_doubles(file, name, values);
        check(H5DSattach_scale(ds, dims.at(dim), 0), "attach " + name);
        if (units) write_attribute(ds, "units", units);
    }

    Handle make_series(const std::string& name, const std::string& dim, hsize_t width, hid_t type,
                       const std::string& units, const std::string& description,
                       const std::string& coordinates) {
        const int rank = dim.empty() ? 2 : 3;
        hsize_t shape[3] = {replicates, 0, width};
        // A fixed dimension of length 0 cannot hold a chunk: let an empty one grow instead.
        hsize_t max[3] = {replicates, H5S_UNLIMITED, width == 0 ? H5S_UNLIMITED : width};
        hsize_t chunk[3] = {1, days_per_chunk, std::max<hsize_t>(width, 1)};
        Handle space(H5Screate_simple(rank, shape, max), H5Sclose);
        Handle plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
        H5Pset_chunk(plist, rank, chunk);
        H5Pset_shuffle(plist);
        H5Pset_deflate(plist, 4);
        Handle ds(H5Dcreate2(file, name.c_str(), type, space, H5P_DEFAULT, plist, H5P_DEFAULT), H5Dclose);
        check(ds, "create dataset " + name);
        check(H5DSattach_scale(ds, dims.at("replicate"), 0), "attach replicate");
        check(H5DSattach_scale(ds, time, 1), "attach time");
        if (!dim.empty()) check(H5DSattach_scale(ds, dims.at(dim), 2), "attach " + dim);
        write_attribute(ds, "units", units);
        write_attribute(ds, "long_name", description);
        if (!coordinates.empty()) write_attribute(ds, "coordinates", coordinates);
        return ds;
    }

    void append(hid_t ds, int rank, hsize_t width, hsize_t replicate, hsize_t day, hid_t type, const void* data) {
        hsize_t shape[3] = {replicates, day + 1, width};
        hsize_t now[3];
        Handle old(H5Dget_space(ds), H5Sclose);
        H5Sget_simple_extent_dims(old, now, nullptr);
        if (now[1] < day + 1) check(H5Dset_extent(ds, shape), "extend dataset");
        Handle space(H5Dget_space(ds), H5Sclose);
        hsize_t start[3] = {replicate, day, 0}, count[3] = {1, 1, width};
        H5Sselect_hyperslab(space, H5S_SELECT_SET, start, nullptr, count, nullptr);
        Handle memory(H5Screate_simple(rank, count, nullptr), H5Sclose);
        if (width > 0 || rank == 2) check(H5Dwrite(ds, type, memory, space, H5P_DEFAULT, data), "write day");
    }
};

Hdf5Writer::Hdf5Writer(const std::string& path, const Scenario& s, const RunInfo& info)
    : impl_(std::make_unique<Impl>()) {
    Impl& w = *impl_;
    w.path = path;
    w.replicates = info.seeds.size();
    silence_hdf5_errors();
    Handle fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose);
    H5Pset_file_space_strategy(fcpl, H5F_FSPACE_STRATEGY_NONE, 0, 1);
    w.file = Handle(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl, H5P_DEFAULT), H5Fclose);
    if (w.file.get() < 0) throw OutputError(path + ": cannot create the output file (is the folder writable?)");

    // Time: unlimited, "days since start_date" so that xarray decodes dates.
    {
        hsize_t shape[1] = {0}, max[1] = {H5S_UNLIMITED}, chunk[1] = {days_per_chunk};
        Handle space(H5Screate_simple(1, shape, max), H5Sclose);
        Handle plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
        H5Pset_chunk(plist, 1, chunk);
        w.time = Handle(H5Dcreate2(w.file, "time", H5T_NATIVE_INT32, space, H5P_DEFAULT, plist, H5P_DEFAULT), H5Dclose);
        check(H5DSset_scale(w.time, "time"), "time scale");
        write_attribute(w.time, "units", "days since " + s.settings.start_date);
        write_attribute(w.time, "calendar", "proleptic_gregorian");
        write_attribute(w.time, "long_name", "simulated day (one step)");
    }
    {
        std::vector<std::int32_t> replicate(w.replicates);
        for (std::size_t r = 0; r < replicate.size(); ++r) replicate[r] = static_cast<std::int32_t>(r);
        hsize_t n[1] = {w.replicates};
        Handle space(H5Screate_simple(1, n, nullptr), H5Sclose);
        Handle ds(H5Dcreate2(w.file, "replicate", H5T_NATIVE_INT32, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
        H5Dwrite(ds, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, replicate.data());
        check(H5DSset_scale(ds, "replicate"), "replicate scale");
        w.dims["replicate"] = std::move(ds);
        Handle seed(H5Dcreate2(w.file, "seed", H5T_NATIVE_UINT64, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
        H5Dwrite(seed, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, info.seeds.data());
        check(H5DSattach_scale(seed, w.dims["replicate"], 0), "attach seed");
    }

    auto ids = [](const auto& items) {
        std::vector<std::string> out;
        for (const auto& x : items) out.push_back(x.id);
        return out;
    };
    auto column = [](const auto& items, auto get) {
        std::vector<decltype(get(items.front()))> out;
        for (const auto& x : items) out.push_back(get(x));
        return out;
    };
    std::vector<std::string> statuses;
    for (int k = 0; k < status_count; ++k) statuses.emplace_back(to_string(static_cast<Status>(k)));
    w.make_dimension("location", ids(s.locations));
    w.make_dimension("link", ids(s.links));
    w.make_dimension("border", ids(s.borders));
    w.make_dimension("market", ids(s.markets));
    w.make_dimension("pathway", ids(s.pathways));
    w.make_dimension("profile", ids(s.profiles));
    w.make_dimension("status", statuses);

    auto id_of = [&](int index, const auto& items) {
        return index == no_index ? std::string{} : items[static_cast<std::size_t>(index)].id;
    };
    if (!s.locations.empty()) {
        w.coordinate("location_name", "location", column(s.locations, [](const Location& l) { return l.name; }));
        w.coordinate("location_country", "location", column(s.locations, [](const Location& l) { return l.country; }));
        w.coordinate("location_kind", "location", column(s.locations, [](const Location& l) { return std::string(to_string(l.kind)); }));
        w.coordinate("lat", "location", column(s.locations, [](const Location& l) { return l.lat; }), "degrees_north");
        w.coordinate("lon", "location", column(s.locations, [](const Location& l) { return l.lon; }), "degrees_east");
    }
    w.coordinate("link_from", "link", column(s.links, [&](const Link& l) { return id_of(l.from, s.locations); }));
    w.coordinate("link_to", "link", column(s.links, [&](const Link& l) { return id_of(l.to, s.locations); }));
    w.coordinate("link_mode", "link", column(s.links, [](const Link& l) { return std::string(to_string(l.mode)); }));
    w.coordinate("link_border", "link", column(s.links, [&](const Link& l) { return id_of(l.border, s.borders); }));
    w.coordinate("link_distance_km", "link", column(s.links, [](const Link& l) { return l.distance_km; }), "km");
    if (!s.borders.empty()) w.coordinate("border_name", "border", column(s.borders, [](const Border& b) { return b.name; }));
    if (!s.markets.empty()) {
        w.coordinate("market_name", "market", column(s.markets, [](const Market& m) { return m.name; }));
        // The border a market's seats cross (its first crossing leg): revenue by route.
        w.coordinate("market_border", "market", column(s.markets, [&](const Market& m) {
            for (int l : m.links)
                if (s.links[static_cast<std::size_t>(l)].border != no_index)
                    return id_of(s.links[static_cast<std::size_t>(l)].border, s.borders);
            return std::string{};
        }));
        w.coordinate("market_links", "market", column(s.markets, [&](const Market& m) {
            std::string ids;
            for (int l : m.links) ids += (ids.empty() ? "" : ";") + s.links[static_cast<std::size_t>(l)].id;
            return ids;
        }));
    }
    if (!s.pathways.empty()) w.coordinate("pathway_name", "pathway", column(s.pathways, [](const Pathway& p) { return p.name; }));

    const std::map<std::string, std::pair<hsize_t, std::string>> widths = {
        {"location", {s.locations.size(), "location_name location_country location_kind lat lon"}},
        {"link", {s.links.size(), "link_from link_to link_mode link_border link_distance_km"}},
        {"border", {s.borders.size(), "border_name"}},
        {"market", {s.markets.size(), "market_name market_border market_links"}},
        {"pathway", {s.pathways.size(), "pathway_name"}},
        {"status", {status_count, ""}}};
    for (const auto& info_ : series_catalogue()) {
        const auto& [width, coordinates] = widths.at(info_.dimension);
        hid_t type = is_money(info_.name) ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT64;
        w.series.push_back({info_.name, w.make_series(info_.name, info_.dimension, width, type, info_.units,
                                                      info_.description, coordinates), width});
    }
    w.agents_created = w.make_series("agents_created", "", 0, H5T_NATIVE_INT64, "agents",
                                     "agents created so far (sum over status_counts)", "");

    hid_t root = w.file;
    write_attribute(root, "title", "migsim run: " + s.settings.name);
    write_attribute(root, "scenario", s.settings.name);
    write_attribute(root, "scenario_description", s.settings.description);
    write_attribute(root, "start_date", s.settings.start_date);
    write_attribute(root, "days_requested", static_cast<std::int64_t>(s.settings.days));
    write_attribute(root, "engine_version", engine_version());
    write_attribute(root, "git_revision", git_revision());
    write_attribute(root, "threads", static_cast<std::int64_t>(info.threads));
    write_attribute(root, "ranks", static_cast<std::int64_t>(info.ranks));
    write_attribute(root, "seed", static_cast<std::int64_t>(info.seeds.front()));
    std::string hashes;
    for (const auto& f : s.inputs) hashes += f.sha256 + "  " + f.path + "\n";
    write_attribute(root, "input_sha256", hashes);
    write_attribute(root, "resolved_scenario", s.resolved_text);
    write_attribute(root, "days_completed", std::int64_t{0});
    write_attribute(root, "completed", std::int64_t{0});
    write_attribute(root, "wall_time_s", -1.0);
    check(H5Fflush(w.file, H5F_SCOPE_GLOBAL), "flush");
}

Hdf5Writer::~Hdf5Writer() = default;

void Hdf5Writer::write_day(int replicate, const DayTotals& t) {
    Impl& w = *impl_;
    const auto day = static_cast<hsize_t>(t.day);
    const auto r = static_cast<hsize_t>(replicate);
    if (day + 1 > w.days_written) {
        hsize_t n[1] = {day + 1};
        check(H5Dset_extent(w.time, n), "extend time");
        Handle space(H5Dget_space(w.time), H5Sclose);
        hsize_t start[1] = {day}, count[1] = {1};
        H5Sselect_hyperslab(space, H5S_SELECT_SET, start, nullptr, count, nullptr);
        Handle memory(H5Screate_simple(1, count, nullptr), H5Sclose);
        const std::int32_t value = t.day;
        check(H5Dwrite(w.time, H5T_NATIVE_INT32, memory, space, H5P_DEFAULT, &value), "write time");
    }
    for (auto& series : w.series) {
        if (series.name == "status_counts") {
            w.append(series.dataset, 3, series.width, r, day, H5T_NATIVE_INT64, t.status_counts.data());
        } else if (is_money(series.name)) {
            const auto& values = series.name == "market_price" ? t.market_price : t.market_revenue;
            w.append(series.dataset, 3, series.width, r, day, H5T_NATIVE_DOUBLE, values.data());
        } else {
            w.append(series.dataset, 3, series.width, r, day, H5T_NATIVE_INT64, counts_of(t, series.name)->data());
        }
    }
    w.append(w.agents_created, 2, 1, r, day, H5T_NATIVE_INT64, &t.agents_created);
    w.days_written = std::max(w.days_written, day + 1);
    // The day's rows reach the file before days_completed counts them: a reader can trust
    // every day up to days_completed (a kill during the next day's write may leave that day
    // partly written after them).
    if (H5Fflush(w.file, H5F_SCOPE_GLOBAL) < 0)
        throw OutputError(w.path + ": cannot write day " + std::to_string(t.day) + " (disk full?)");
    write_attribute(w.file, "days_completed", static_cast<std::int64_t>(w.days_written));
    check(H5Fflush(w.file, H5F_SCOPE_GLOBAL), "flush");
}

void Hdf5Writer::finish(double wall_seconds) {
    write_attribute(impl_->file, "wall_time_s", wall_seconds);
    write_attribute(impl_->file, "completed", std::int64_t{1});
    impl_->series.clear();
    impl_->dims.clear();
    impl_->agents_created = Handle();
    impl_->time = Handle();
    impl_->file = Handle();
}

}  // namespace migsim
