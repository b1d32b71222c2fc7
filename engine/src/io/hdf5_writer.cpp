// Writing the output file. Layout (see docs/ARCHITECTURE.md, "Output"):
//   dimensions  replicate, time (unlimited), location, link, border, market, pathway, profile,
//               status, replan_cause, border_switch: each a coordinate variable that is an
//               HDF5 dimension scale;
//   coordinates names, countries, lat/lon, kinds, link ends: variables along one dimension,
//               listed in each series' `coordinates` attribute so xarray makes them coords;
//   series      (replicate, time, entity), int64 counts or float64 money, chunked by 8 days,
//               shuffled and deflated, written 64 days at a time (see Pending).
#include <hdf5.h>
#include <hdf5_hl.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <thread>
#include <utility>

#include "io/hdf5_util.hpp"
#include "common/sha256.hpp"
#include "migsim/errors.hpp"
#include "migsim/output.hpp"

namespace migsim {

using namespace detail;

namespace {

// Crash safety: days are written in blocks (eight whole 8-day chunks, or what a second brought)
// and flushed. The file is created without free-space reuse, so a chunk's old copy is never
// overwritten while the flushed index may still point to it: a run killed at any instant
// leaves a readable file. Writing whole chunks instead of every day (which recompressed the
// open chunk of every series and flushed twice a day) cut the writer's share of a
// Mediterranean run from about 1 ms a day to a tenth of that (docs/PERFORMANCE.md).
constexpr hsize_t days_per_chunk = 8;
constexpr hsize_t days_per_write = 64;   // eight chunks per write and flush
constexpr std::chrono::seconds longest_unwritten{1};
constexpr std::size_t most_bytes_held = std::size_t{64} << 20;

// What a write adds besides its raw bytes (chunk index nodes, object headers, the superblock's
// update): generous, so that a write never starts unless it can end. A disk that would fill in
// the middle of a write leaves HDF5's metadata half-written and the whole file unreadable; a
// write refused before it starts leaves a file that ends cleanly after its last full block.
constexpr std::uintmax_t metadata_margin = std::uintmax_t{256} << 10;

std::string megabytes(std::uintmax_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f MB", static_cast<double>(bytes) / 1e6);
    return text;
}

// Why a file could not be created at `path`, as far as the file system tells.
std::string why_not_created(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path file(path), folder = fs::absolute(file, ec).parent_path();
    if (file.filename().string().size() > 255)
        return "its name has " + std::to_string(file.filename().string().size()) +
               " characters; file systems allow at most 255: give a shorter -o";
    if (!fs::exists(folder, ec)) return "the folder " + folder.string() + " does not exist: create it first";
    if (!fs::is_directory(folder, ec)) return folder.string() + " is not a folder";
    return "is the folder writable?";
}

// The coordinate variables along an entity's dimension, for a series' `coordinates` attribute.
std::string entity_coordinates(Entity entity) {
    switch (entity) {
        case Entity::location: return "location_name location_country location_kind lat lon";
        case Entity::link: return "link_from link_to link_mode link_border link_distance_km";
        case Entity::border: return "border_name";
        case Entity::market: return "market_name market_border market_links";
        case Entity::pathway: return "pathway_name";
        case Entity::status:
        case Entity::profile:
        case Entity::replan_cause:
        case Entity::border_switch: return "";
    }
    return "";
}

// A series' row of the catalogue, in its variable's attributes (units and long_name are written
// with the variable): what the Python package and `migsim info` read back.
void describe(hid_t dataset, const SeriesInfo& row) {
    write_attribute(dataset, "entity", to_string(row.entity));
    write_attribute(dataset, "measure", to_string(row.measure));
    write_attribute(dataset, "made", row.made == Made::counted ? "counted" : "derived");
    write_attribute(dataset, "rule_sets", to_string(row.rules));
    write_attribute(dataset, "grouped", std::int64_t{row.grouped});
    write_attribute(dataset, "summarised", std::int64_t{row.summarised});
    std::string where;
    for (const auto& [bit, name] : {std::pair{in_total, "total"}, std::pair{by_entity, "entity"},
                                    std::pair{by_destination, "destination"}, std::pair{by_group, "group"}})
        if (row.compared(bit)) where += (where.empty() ? "" : " ") + std::string(name);
    if (!where.empty()) {
        write_attribute(dataset, "compare_outcome", std::string(row.outcome));
        write_attribute(dataset, "compare_in", where);
    }
    if (row.paid_to != Payee::nobody) write_attribute(dataset, "paid_to", to_string(row.paid_to));
}

std::string parameter_variable(const std::string& key) {
    std::string name = "param_";
    for (char c : key) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return name;
}

}   // namespace

struct Hdf5Writer::Impl {
    std::string path;
    Handle file;
    Handle time;
    Handle sample_completed;
    std::map<std::string, Handle> dims;   // dimension scales by name (while creating)
    struct Series {
        std::string name;
        Handle dataset;
        hsize_t width;
        hid_t type;
        std::string dimension;              // the entity dimension; empty for agents_created
        hsize_t groups = 0;                 // a trailing group dimension (NAME_by_group series): its length
        std::optional<migsim::Series> of;   // its row of the catalogue; none for agents_created
    };
    std::vector<Series> series;   // the catalogue's, then agents_created (width 0)
    bool sweep = false;
    std::string sample_dim = "sample";   // a sweep's leading dimension; "draw" in posterior runs
    hsize_t samples = 1, replicates = 1;
    std::vector<std::string> sweep_coordinates;   // param_* variables, coordinates along sample
    hsize_t days_written = 0;
    // The parameters events change or overrides set, each day's value (runs only).
    PolicyTimeline policy;
    Handle policy_value;
    int days_committed = 0;   // what the attribute days_completed says
    // The journey sample, by replicate, written at the end or when stopped (write_journeys).
    std::vector<std::pair<int, std::vector<Journey>>> journeys;
    bool has_journeys = false;
    double journey_sample = 0;

    // Days given but not yet written, per sample: consecutive days from `first_day`, a byte
    // block per (series, replicate) holding `days` rows. Several samples run side by side when
    // a sweep spreads them over MPI ranks.
    struct Pending {
        hsize_t sample = 0, first_day = 0, days = 0;
        std::vector<std::vector<std::vector<char>>> rows;   // [series][replicate]
        std::size_t bytes = 0;
    };
    struct Held {
        std::vector<Pending> samples;
        int days_done = 0;   // what day_done last said; days_completed once written
        std::chrono::steady_clock::time_point since = std::chrono::steady_clock::now();
        [[nodiscard]] std::size_t bytes() const {
            std::size_t n = 0;
            for (const auto& p : samples) n += p.bytes;
            return n;
        }
    } pending, writing;   // `writing`: the blocks the committer thread is writing out

    Pending& pending_of(hsize_t sample) {
        for (auto& p : pending.samples)
            if (p.sample == sample) return p;
        Pending& p = pending.samples.emplace_back();
        p.sample = sample;
        return p;
    }

    // Commits run on a thread of their own while the simulation goes on (on two cores the
    // writer took 10-20% of a run's wall time between days). One commit at a time, and the
    // main thread calls HDF5 only after waiting for it: HDF5 is called by one thread at a time.
    std::thread committer;
    std::exception_ptr committer_error;

    ~Impl() {
        if (committer.joinable()) committer.join();
    }

    void wait_for_committer() {
        if (committer.joinable()) committer.join();
        if (committer_error) std::rethrow_exception(std::exchange(committer_error, nullptr));
    }

    // Hands the held days to the committer thread; each sample goes on from the next day.
    void commit_in_background() {
        wait_for_committer();
        std::swap(writing, pending);
        pending.samples.resize(writing.samples.size());
        for (std::size_t k = 0; k < writing.samples.size(); ++k) {
            Pending& next = pending.samples[k];
            const Pending& out = writing.samples[k];
            next.sample = out.sample;
            next.first_day = out.first_day + out.days;
            next.days = 0;
            next.bytes = 0;
            for (auto& per_series : next.rows)
                for (auto& block : per_series) block.clear();
        }
        pending.days_done = writing.days_done;
        pending.since = std::chrono::steady_clock::now();
        committer = std::thread([this] {
            try {
                commit(writing);
            } catch (...) {
                committer_error = std::current_exception();
            }
        });
    }

    // Where a day's row of a series is, and its size in bytes.
    [[nodiscard]] static std::pair<const void*, std::size_t> row_of(const DayTotals& t, const Series& s) {
        if (!s.of) return {&t.agents_created, sizeof t.agents_created};
        const std::size_t k = index(*s.of);
        if (s.groups > 0) return {t.by_group[k].data(), t.by_group[k].size() * sizeof(std::int64_t)};
        if (info(*s.of).is_money()) return {t.money[k].data(), t.money[k].size() * sizeof(double)};
        return {t.counts[k].data(), t.counts[k].size() * sizeof(std::int64_t)};
    }

    [[nodiscard]] std::size_t row_bytes(const Series& s) const {
        return (s.dimension.empty() && s.width == 0 ? 1 : s.width) * std::max<hsize_t>(s.groups, 1) *
               8;   // int64 or double
    }

    // An upper bound of what the journey table adds (raw; it is written uncompressed).
    [[nodiscard]] std::uintmax_t journey_bytes() const {
        std::uintmax_t bytes = 0;
        for (const auto& [replicate, table] : journeys)
            for (const Journey& j : table) bytes += sizeof(Journey) + j.route.size() * sizeof(j.route[0]);
        return bytes;
    }

    // Writes the held days of every series and the time coordinate (no flush).
    void write_pending(Pending& p) {
        if (p.days == 0) return;
        const hsize_t end = p.first_day + p.days;
        if (end > days_written) {
            hsize_t n[1] = {end};
            check(H5Dset_extent(time, n), "extend time");
            Handle space(H5Dget_space(time), H5Sclose);
            hsize_t start[1] = {days_written}, count[1] = {end - days_written};
            H5Sselect_hyperslab(space, H5S_SELECT_SET, start, nullptr, count, nullptr);
            Handle memory(H5Screate_simple(1, count, nullptr), H5Sclose);
            std::vector<std::int32_t> values(count[0]);
            for (hsize_t d = 0; d < count[0]; ++d) values[d] = static_cast<std::int32_t>(days_written + d);
            check(H5Dwrite(time, H5T_NATIVE_INT32, memory, space, H5P_DEFAULT, values.data()), "write time");
            write_policy(days_written, end);
            days_written = end;
        }
        for (std::size_t k = 0; k < series.size(); ++k)
            for (std::size_t r = 0; r < p.rows[k].size(); ++r)
                write_block(series[k], p.sample, r, p.first_day, p.days,
                            p.rows[k][r].data());   // width 0: extends only
        for (auto& per_series : p.rows)
            for (auto& block : per_series) block.clear();
        p.first_day = end;
        p.days = 0;
        p.bytes = 0;
    }

    // Throws OutputError, writing nothing, when the output's disk has less room than `bytes`
    // (an upper bound of what a write adds: raw, uncompressed) and the metadata margin.
    void ensure_space(std::uintmax_t bytes, const std::string& what) const {
        std::error_code error;
        const auto space = std::filesystem::space(std::filesystem::absolute(path, error).parent_path(), error);
        if (error || space.available >= bytes + metadata_margin) return;
        throw OutputError(path + ": " + what + ": " + megabytes(space.available) +
                          " free on its disk, expected at least " + megabytes(bytes + metadata_margin) +
                          " (disk full?)");
    }

    // The policy timeline's rows for days [first, end), beside the time axis.
    void write_policy(hsize_t first, hsize_t end) {
        if (policy_value.get() < 0) return;
        const hsize_t keys = policy.keys.size();
        hsize_t shape[2] = {end, keys};
        check(H5Dset_extent(policy_value, shape), "extend policy_value");
        Handle space(H5Dget_space(policy_value), H5Sclose);
        hsize_t start[2] = {first, 0}, count[2] = {end - first, keys};
        H5Sselect_hyperslab(space, H5S_SELECT_SET, start, nullptr, count, nullptr);
        Handle memory(H5Screate_simple(2, count, nullptr), H5Sclose);
        std::vector<double> rows;
        for (hsize_t d = first; d < end; ++d)
            rows.insert(rows.end(), policy.values.at(d).begin(), policy.values.at(d).end());
        check(H5Dwrite(policy_value, H5T_NATIVE_DOUBLE, memory, space, H5P_DEFAULT, rows.data()), "write policy_value");
    }

    // Writes, flushes, then counts the days as complete.
    void commit(Held& held) {
        const int days_done = held.days_done;
        ensure_space(held.bytes(), "cannot write days " + std::to_string(days_committed) + " to " +
                                       std::to_string(days_done - 1) + " (it keeps the " +
                                       std::to_string(days_committed) + " days before, marked incomplete)");
        for (Pending& p : held.samples) write_pending(p);
        if (H5Fflush(file, H5F_SCOPE_GLOBAL) < 0)
            throw OutputError(path + ": cannot write day " + std::to_string(days_done - 1) + " (disk full?)");
        write_attribute(file, "days_completed", static_cast<std::int64_t>(days_done));
        check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush");
        days_committed = days_done;
    }

    // Leading dimensions: (sample,) replicate, time.
    [[nodiscard]] int lead() const { return sweep ? 3 : 2; }

    Handle& make_dimension(const std::string& name, const std::vector<std::string>& ids) {
        Handle ds = write_strings(file, name, ids);
        check(H5DSset_scale(ds, name.c_str()), "H5DSset_scale " + name);
        return dims[name] = std::move(ds);
    }
    Handle& make_index_dimension(const std::string& name, hsize_t n) {
        return dims[name] = write_index_dimension(file, name, n);
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

    // A chunked, compressed series (leading dims, then the entity dim unless `dim` is empty).
    Handle make_series(const std::string& name, const std::string& dim, hsize_t width, hid_t type,
                       const std::string& units, const std::string& description, const std::string& coordinates,
                       hsize_t groups = 0) {
        const int rank = lead() + (dim.empty() ? 0 : 1) + (groups > 0 ? 1 : 0);
        std::vector<hsize_t> shape, max, chunk;
        if (sweep) shape.push_back(samples), max.push_back(samples), chunk.push_back(1);
        shape.push_back(replicates), max.push_back(replicates), chunk.push_back(1);
        shape.push_back(0), max.push_back(H5S_UNLIMITED), chunk.push_back(days_per_chunk);
        if (!dim.empty()) {
            // A fixed dimension of length 0 cannot hold a chunk: let an empty one grow instead.
            shape.push_back(width), max.push_back(width == 0 ? H5S_UNLIMITED : width);
            chunk.push_back(std::max<hsize_t>(width, 1));
        }
        if (groups > 0) shape.push_back(groups), max.push_back(groups), chunk.push_back(groups);
        Handle space(H5Screate_simple(rank, shape.data(), max.data()), H5Sclose);
        Handle plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
        H5Pset_chunk(plist, rank, chunk.data());
        H5Pset_shuffle(plist);
        H5Pset_deflate(plist, 1);   // level 4: files 12% smaller, zlib 1.5 times the CPU
        Handle ds(H5Dcreate2(file, name.c_str(), type, space, H5P_DEFAULT, plist, H5P_DEFAULT), H5Dclose);
        check(ds, "create dataset " + name);
        unsigned axis = 0;
        if (sweep) check(H5DSattach_scale(ds, dims.at(sample_dim), axis++), "attach " + sample_dim);
        check(H5DSattach_scale(ds, dims.at("replicate"), axis++), "attach replicate");
        check(H5DSattach_scale(ds, time, axis++), "attach time");
        if (!dim.empty()) check(H5DSattach_scale(ds, dims.at(dim), axis++), "attach " + dim);
        if (groups > 0) check(H5DSattach_scale(ds, dims.at("group"), axis), "attach group");
        write_attribute(ds, "units", units);
        write_attribute(ds, "long_name", description);
        std::string all = coordinates;
        for (const auto& p : sweep_coordinates) all += (all.empty() ? "" : " ") + p;
        if (!all.empty()) write_attribute(ds, "coordinates", all);
        return ds;
    }

    // `days` consecutive rows of one replicate from `first_day`.
    void write_block(const Series& s, hsize_t sample, hsize_t replicate, hsize_t first_day, hsize_t days,
                     const void* data) {
        Handle old(H5Dget_space(s.dataset), H5Sclose);
        const int rank = H5Sget_simple_extent_ndims(old);
        std::vector<hsize_t> now(static_cast<std::size_t>(rank));
        H5Sget_simple_extent_dims(old, now.data(), nullptr);
        const std::size_t time_axis = static_cast<std::size_t>(lead() - 1);
        if (now[time_axis] < first_day + days) {
            now[time_axis] = first_day + days;
            check(H5Dset_extent(s.dataset, now.data()), "extend " + s.name);
        }
        Handle space(H5Dget_space(s.dataset), H5Sclose);
        std::vector<hsize_t> start, count;
        if (sweep) start.push_back(sample), count.push_back(1);
        start.push_back(replicate), count.push_back(1);
        start.push_back(first_day), count.push_back(days);
        if (rank > lead()) start.push_back(0), count.push_back(s.width);
        if (s.groups > 0) start.push_back(0), count.push_back(s.groups);
        H5Sselect_hyperslab(space, H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr);
        Handle memory(H5Screate_simple(rank, count.data(), nullptr), H5Sclose);
        if (rank == lead() || s.width > 0)
            check(H5Dwrite(s.dataset, s.type, memory, space, H5P_DEFAULT, data), "write " + s.name);
    }

    // One series' ensemble summary, computed and compressed before anything is written, so
    // that finish() knows to the byte what the summaries will take on disk.
    struct Summary {
        const Series* series;
        hsize_t days, width;
        std::array<std::vector<Bytef>, 4> chunks;   // deflated, one per statistic: (1, T, X)
    };

    // mean, q05, q50, q95 over replicates of one (replicate, time, entity) series.
    [[nodiscard]] Summary summarise(const Series& s) const {
        Handle space(H5Dget_space(s.dataset), H5Sclose);
        hsize_t shape[3];
        H5Sget_simple_extent_dims(space, shape, nullptr);
        const hsize_t R = shape[0], T = shape[1], X = shape[2];
        std::vector<double> values(R * T * X), summary(4 * T * X), column(R);
        if (R * T * X > 0)
            check(H5Dread(s.dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
                  "read " + s.name);
        for (hsize_t k = 0; k < T * X; ++k) {
            double sum = 0;
            for (hsize_t r = 0; r < R; ++r) sum += column[r] = values[r * T * X + k];
            std::sort(column.begin(), column.end());
            auto quantile = [&](double p) {   // linear between order statistics (numpy's default)
                const double h = static_cast<double>(R - 1) * p;
                const auto low = static_cast<hsize_t>(h);
                const hsize_t high = std::min(low + 1, R - 1);
                return column[low] + (h - static_cast<double>(low)) * (column[high] - column[low]);
            };
            summary[0 * T * X + k] = sum / static_cast<double>(R);
            summary[1 * T * X + k] = quantile(0.05);
            summary[2 * T * X + k] = quantile(0.50);
            summary[3 * T * X + k] = quantile(0.95);
        }
        Summary out{&s, T, X, {}};
        if (T * X == 0) return out;
        // Exactly what HDF5's deflate filter stores at level 1 (a zlib stream per chunk).
        const uLong raw = static_cast<uLong>(T * X * sizeof(double));
        for (std::size_t k = 0; k < 4; ++k) {
            uLongf size = compressBound(raw);
            out.chunks[k].resize(size);
            if (compress2(out.chunks[k].data(), &size, reinterpret_cast<const Bytef*>(summary.data() + k * T * X), raw,
                          1) != Z_OK)
                throw OutputError("compress the summary of " + s.name);
            out.chunks[k].resize(size);
            out.chunks[k].shrink_to_fit();   // held until every summary is written: only what it needs
        }
        return out;
    }

    void write_summary(const Summary& summary) {
        const Series& s = *summary.series;
        const hsize_t T = summary.days, X = summary.width;
        const std::string name = s.name + "_summary";
        hsize_t out[3] = {4, T, X}, chunk[3] = {1, std::max<hsize_t>(T, 1), std::max<hsize_t>(X, 1)};
        Handle out_space(H5Screate_simple(3, out, nullptr), H5Sclose);
        Handle plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
        if (T > 0 && X > 0) {
            H5Pset_chunk(plist, 3, chunk);
            H5Pset_deflate(plist, 1);
        }
        Handle ds(H5Dcreate2(file, name.c_str(), H5T_NATIVE_DOUBLE, out_space, H5P_DEFAULT, plist, H5P_DEFAULT),
                  H5Dclose);
        check(ds, "create " + name);
        for (std::size_t k = 0; k < 4 && T * X > 0; ++k) {
            const hsize_t offset[3] = {k, 0, 0};
            check(H5Dwrite_chunk(ds, H5P_DEFAULT, 0, offset, summary.chunks[k].size(), summary.chunks[k].data()),
                  "write " + name);
        }
        Handle statistic(H5Dopen2(file, "statistic", H5P_DEFAULT), H5Dclose);
        check(H5DSattach_scale(ds, statistic, 0), "attach statistic");
        check(H5DSattach_scale(ds, time, 1), "attach time");
        // The entity dimension: the same scale as the series' third axis.
        Handle entity(H5Dopen2(file, s.dimension.c_str(), H5P_DEFAULT), H5Dclose);
        check(entity, "dimension " + s.dimension);
        check(H5DSattach_scale(ds, entity, 2), "attach entity");
        write_attribute(ds, "units", std::string(info(*s.of).units));
        write_attribute(ds, "long_name", "mean and 5/50/95% quantiles over replicates of " + s.name);
        write_attribute(ds, "summary_of", s.name);
    }
};

Hdf5Writer::Hdf5Writer(const std::string& path, const Scenario& s, const RunInfo& info)
    : impl_(std::make_unique<Impl>()) {
    Impl& w = *impl_;
    w.path = path;
    w.sweep = info.is_sweep();
    w.sample_dim = info.sample_dimension();
    w.samples = w.sweep ? info.samples.size() : 1;
    w.replicates = info.seeds.size();
    silence_hdf5_errors();
    // HDF5 truncates the file before it finds the lock: a file another process holds (a run
    // still writing it) is refused before it is touched.
    if (const std::string held = held_by_another_program(path, Access::write); !held.empty())
        throw OutputError(path + ": cannot replace it: " + held);
    Handle fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose);
    H5Pset_file_space_strategy(fcpl, H5F_FSPACE_STRATEGY_NONE, false, 1);   // see days_per_chunk
    w.file = Handle(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl, H5P_DEFAULT), H5Fclose);
    if (w.file.get() < 0) throw OutputError(path + ": cannot create the output file (" + why_not_created(path) + ")");
    try {   // a disk that fills while the layout is written: say so, with the file's name

        // Time: unlimited, "days since start_date" so that xarray decodes dates.
        {
            hsize_t shape[1] = {0}, max[1] = {H5S_UNLIMITED}, chunk[1] = {days_per_chunk};
            Handle space(H5Screate_simple(1, shape, max), H5Sclose);
            Handle plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
            H5Pset_chunk(plist, 1, chunk);
            w.time =
                Handle(H5Dcreate2(w.file, "time", H5T_NATIVE_INT32, space, H5P_DEFAULT, plist, H5P_DEFAULT), H5Dclose);
            check(H5DSset_scale(w.time, "time"), "time scale");
            write_attribute(w.time, "units", "days since " + s.settings.start_date);
            write_attribute(w.time, "calendar", "proleptic_gregorian");
            write_attribute(w.time, "long_name", "simulated day (one step)");
        }
        if (w.sweep) w.make_index_dimension(w.sample_dim, w.samples);
        {
            w.make_index_dimension("replicate", w.replicates);
            // seed(replicate); in a posterior run seed(draw, replicate), each draw its own seeds.
            const bool per_draw = info.is_posterior();
            std::vector<std::uint64_t> seeds = info.seeds;
            if (per_draw) {
                seeds.clear();
                for (const auto& row : info.sample_seeds) seeds.insert(seeds.end(), row.begin(), row.end());
            }
            hsize_t n[2] = {per_draw ? w.samples : w.replicates, w.replicates};
            Handle space(H5Screate_simple(per_draw ? 2 : 1, n, nullptr), H5Sclose);
            Handle seed(H5Dcreate2(w.file, "seed", H5T_NATIVE_UINT64, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                        H5Dclose);
            H5Dwrite(seed, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, seeds.data());
            if (per_draw) check(H5DSattach_scale(seed, w.dims[w.sample_dim], 0), "attach seed");
            check(H5DSattach_scale(seed, w.dims["replicate"], per_draw ? 1 : 0), "attach seed");
        }
        if (w.sweep) {
            w.make_dimension("parameter", info.parameters);
            const hsize_t P = info.parameters.size();
            std::vector<double> values(w.samples * P);
            for (hsize_t k = 0; k < w.samples; ++k)
                for (hsize_t p = 0; p < P; ++p) values[k * P + p] = info.samples[k][p];
            hsize_t shape[2] = {w.samples, P};
            Handle space(H5Screate_simple(2, shape, nullptr), H5Sclose);
            Handle ds(H5Dcreate2(w.file, "parameter_value", H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT,
                                 H5P_DEFAULT),
                      H5Dclose);
            check(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "write "
                                                                                                 "parameter_value");
            check(H5DSattach_scale(ds, w.dims[w.sample_dim], 0), "attach " + w.sample_dim);
            check(H5DSattach_scale(ds, w.dims["parameter"], 1), "attach parameter");
            for (hsize_t p = 0; p < P; ++p) {
                std::vector<double> column(w.samples);
                for (hsize_t k = 0; k < w.samples; ++k) column[k] = values[k * P + p];
                w.sweep_coordinates.push_back(parameter_variable(info.parameters[p]));
                Handle c = write_doubles(w.file, w.sweep_coordinates.back(), column);
                check(H5DSattach_scale(c, w.dims[w.sample_dim], 0), "attach " + w.sample_dim);
                write_attribute(c, "key", info.parameters[p]);
            }
            std::vector<std::int8_t> none(w.samples, 0);
            Handle done_space(H5Screate_simple(1, &w.samples, nullptr), H5Sclose);
            w.sample_completed = Handle(H5Dcreate2(w.file, (w.sample_dim + "_completed").c_str(), H5T_NATIVE_INT8,
                                                   done_space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                                        H5Dclose);
            check(H5Dwrite(w.sample_completed, H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, none.data()), "write "
                                                                                                             "sample_"
                                                                                                             "complete"
                                                                                                             "d");
            check(H5DSattach_scale(w.sample_completed, w.dims[w.sample_dim], 0), "attach " + w.sample_dim);
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
        w.make_dimension("replan_cause", {replan_causes.begin(), replan_causes.end()});
        std::vector<std::string> switches;   // "from>to", in border_switch_slot order
        for (std::size_t from = 0; from <= s.borders.size(); ++from)
            for (std::size_t to = 0; to <= s.borders.size(); ++to)
                switches.push_back((from < s.borders.size() ? s.borders[from].id : "none") + ">" +
                                   (to < s.borders.size() ? s.borders[to].id : "none"));
        w.make_dimension("border_switch", switches);
        if (!w.sweep) w.make_dimension("statistic", {"mean", "q05", "q50", "q95"});

        auto id_of = [&](int index, const auto& items) {
            return index == no_index ? std::string{} : items[static_cast<std::size_t>(index)].id;
        };
        if (!s.locations.empty()) {
            w.coordinate("location_name", "location", column(s.locations, [](const Location& l) { return l.name; }));
            w.coordinate("location_country", "location",
                         column(s.locations, [](const Location& l) { return l.country; }));
            w.coordinate("location_kind", "location",
                         column(s.locations, [](const Location& l) { return std::string(to_string(l.kind)); }));
            w.coordinate("lat", "location", column(s.locations, [](const Location& l) { return l.lat; }),
                         "degrees_north");
            w.coordinate("lon", "location", column(s.locations, [](const Location& l) { return l.lon; }),
                         "degrees_east");
        }
        w.coordinate("link_from", "link", column(s.links, [&](const Link& l) { return id_of(l.from, s.locations); }));
        w.coordinate("link_to", "link", column(s.links, [&](const Link& l) { return id_of(l.to, s.locations); }));
        w.coordinate("link_mode", "link",
                     column(s.links, [](const Link& l) { return std::string(to_string(l.mode)); }));
        w.coordinate("link_border", "link", column(s.links, [&](const Link& l) { return id_of(l.border, s.borders); }));
        w.coordinate("link_distance_km", "link", column(s.links, [](const Link& l) { return l.distance_km; }), "km");
        if (!s.borders.empty())
            w.coordinate("border_name", "border", column(s.borders, [](const Border& b) { return b.name; }));
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
                             for (int l : m.links)
                                 ids += (ids.empty() ? "" : ";") + s.links[static_cast<std::size_t>(l)].id;
                             return ids;
                         }));
        }
        if (!s.pathways.empty())
            w.coordinate("pathway_name", "pathway", column(s.pathways, [](const Pathway& p) { return p.name; }));

        // Every series of the catalogue, then those it splits by group when the scenario asks
        // (settings.output_by_group); the groups' dimension whenever the scenario has groups
        // (the journey table's `group` indexes them).
        const auto groups = static_cast<hsize_t>(s.groups.size());
        if (groups > 0) {
            w.make_dimension("group", ids(s.groups));
            w.coordinate("group_sex", "group", column(s.groups, [](const Group& g) { return g.sex; }));
            w.coordinate("group_age", "group", column(s.groups, [](const Group& g) { return g.age; }));
        }
        const bool split = s.settings.output_by_group && groups > 0;
        std::string names;
        for (const bool by_group : {false, true}) {
            if (by_group && !split) break;
            for (std::size_t k = 0; k < series_count; ++k) {
                const SeriesInfo& entry = series_catalogue[k];
                if (by_group && !entry.grouped) continue;
                const std::string dimension = to_string(entry.entity);
                const auto width = static_cast<hsize_t>(entity_count(s, entry.entity));
                const hid_t type = entry.is_money() && !by_group ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT64;
                std::string name(entry.name), long_name(entry.long_name),
                    coordinates = entity_coordinates(entry.entity);
                if (by_group) {
                    name += "_by_group", long_name += ", by group";
                    coordinates += (coordinates.empty() ? "" : " ") + std::string("group_sex group_age");
                } else {
                    names += (names.empty() ? "" : " ") + name;
                }
                Handle ds = w.make_series(name, dimension, width, type, std::string(entry.units), long_name,
                                          coordinates, by_group ? groups : 0);
                describe(ds, entry);
                if (by_group) write_attribute(ds, "split_of", std::string(entry.name));
                w.series.push_back({name, std::move(ds), width, type, dimension, by_group ? groups : 0, series_at(k)});
            }
        }
        // The catalogue itself, machine-readable: its names in order here, each row in the
        // attributes of its variable (describe()).
        write_attribute(w.file, "series_catalogue", names);
        w.series.push_back({"agents_created",
                            w.make_series("agents_created", "", 0, H5T_NATIVE_INT64, "agents",
                                          "agents created so far (sum over status_counts)", ""),
                            0, H5T_NATIVE_INT64, ""});

        // The policy timeline: every parameter an event changes or an override sets, day by day.
        w.policy = info.policy;
        if (!w.sweep && !w.policy.keys.empty()) {
            w.make_dimension("policy", w.policy.keys);
            const hsize_t keys = w.policy.keys.size();
            hsize_t shape[2] = {0, keys}, max[2] = {H5S_UNLIMITED, keys}, chunk[2] = {days_per_chunk, keys};
            Handle space(H5Screate_simple(2, shape, max), H5Sclose);
            Handle plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
            H5Pset_chunk(plist, 2, chunk);
            H5Pset_deflate(plist, 1);
            w.policy_value =
                Handle(H5Dcreate2(w.file, "policy_value", H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, plist, H5P_DEFAULT),
                       H5Dclose);
            check(w.policy_value, "create policy_value");
            check(H5DSattach_scale(w.policy_value, w.time, 0), "attach time");
            check(H5DSattach_scale(w.policy_value, w.dims.at("policy"), 1), "attach policy");
            write_attribute(w.policy_value, "long_name",
                            "each day's value of every parameter that an event changes or an override (--set, "
                            "set:) sets, after that day's events");
            write_attribute(w.policy_value, "units", "the parameter's own (docs/SCENARIOS.md)");
        }

        hid_t root = w.file;
        const std::string kind = info.is_posterior() ? "posterior" : w.sweep ? "sweep" : "run";
        write_attribute(root, "title", "migsim " + kind + ": " + s.settings.name);
        write_attribute(root, "kind", kind);
        if (info.is_posterior()) {   // docs/COMPARE.md, "With parameter uncertainty"
            write_attribute(root, "posterior", info.posterior);
            write_attribute(root, "posterior_sha256", info.posterior_sha256);
            write_attribute(root, "draws", static_cast<std::int64_t>(w.samples));
        }
        write_attribute(root, "scenario", s.settings.name);
        write_attribute(root, "scenario_description", s.settings.description);
        write_attribute(root, "start_date", s.settings.start_date);
        write_attribute(root, "days_requested", static_cast<std::int64_t>(s.settings.days));
        write_attribute(root, "engine_version", engine_version());
        write_attribute(root, "git_revision", git_revision());
        write_attribute(root, "threads", static_cast<std::int64_t>(info.threads));
        write_attribute(root, "ranks", static_cast<std::int64_t>(info.ranks));
        write_attribute(root, "decomposition", info.decomposition == Decomposition::agents ? "agents" : "replicates");
        write_attribute(root, "seed", static_cast<std::int64_t>(info.seeds.front()));
        write_attribute(root, "replicates", static_cast<std::int64_t>(w.replicates));
        if (w.sweep) write_attribute(root, "sweep_spec", info.sweep_spec);
        if (!w.sweep) {
            write_attribute(root, "source", info.source);
            std::string overrides;
            for (const auto& o : info.overrides) overrides += (overrides.empty() ? "" : "\n") + o;
            write_attribute(root, "overrides", overrides);
            write_attribute(root, "checkpoint_every", static_cast<std::int64_t>(info.checkpoint_every));
        }
        std::string hashes;
        for (const auto& f : s.inputs) hashes += f.sha256 + "  " + f.path + "\n";
        write_attribute(root, "input_sha256", hashes);
        write_attribute(root, "resolved_scenario", s.resolved_text);
        write_attribute(root, "days_completed", std::int64_t{0});
        write_attribute(root, "completed", std::int64_t{0});
        write_attribute(root, "wall_time_s", -1.0);
        w.dims.clear();
        check(H5Fflush(w.file, H5F_SCOPE_GLOBAL), "flush");
    } catch (const OutputError& e) {
        throw OutputError(path + ": cannot write the file's layout (" + e.what() + "; disk full?)");
    }
}

Hdf5Writer::Hdf5Writer(Resume, const std::string& path, const RunInfo& info) : impl_(std::make_unique<Impl>()) {
    Impl& w = *impl_;
    w.path = path;
    w.sweep = info.is_sweep();
    w.sample_dim = info.sample_dimension();
    silence_hdf5_errors();
    w.file = Handle(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
    if (w.file.get() < 0)
        throw OutputError(path + ": cannot reopen the file to resume it: " +
                          or_else(held_by_another_program(path, Access::write), "is it writable?"));
    if (w.sweep && info.is_posterior() && read_string_attribute(w.file, "sweep_spec") != info.sweep_spec)
        throw OutputError(path + ": holds another run than this posterior run (other scenario, posterior, draws, "
                                 "seed or replicates); give another -o, or --force to replace it");
    if (w.sweep && read_string_attribute(w.file, "sweep_spec") != info.sweep_spec)
        throw OutputError(path + ": holds a different sweep (other scenario, parameters, samples or replicates); "
                                 "give another -o, or delete the file to start over");
    if (!w.sweep) {
        if (read_string_attribute(w.file, "kind") != "run")
            throw OutputError(path + ": is not a run file (a sweep resumes with migsim sweep)");
        if (number_attribute(w.file, "completed") > 0)
            throw OutputError(path + ": the run is complete; nothing to resume");
        if (static_cast<std::size_t>(number_attribute(w.file, "replicates")) != info.seeds.size())
            throw OutputError(path + ": holds another number of replicates");
        if (!info.source.empty()) write_attribute(w.file, "source", info.source);   // a moved scenario: where it is now
    }
    w.time = Handle(H5Dopen2(w.file, "time", H5P_DEFAULT), H5Dclose);
    if (w.sweep)
        w.sample_completed = Handle(H5Dopen2(w.file, (w.sample_dim + "_completed").c_str(), H5P_DEFAULT), H5Dclose);
    w.samples = w.sweep ? info.samples.size() : 1;
    w.replicates = info.seeds.size();
    Handle time_space(H5Dget_space(w.time), H5Sclose);
    H5Sget_simple_extent_dims(time_space, &w.days_written, nullptr);
    w.days_committed = static_cast<int>(number_attribute(w.file, "days_completed"));
    auto reopen = [&](const std::string& name, hid_t type, const std::string& dimension, std::optional<Series> of) {
        Handle ds(H5Dopen2(w.file, name.c_str(), H5P_DEFAULT), H5Dclose);
        if (ds.get() < 0)
            throw OutputError(path + ": has no dataset " + name + " (not a migsim file of this version?)");
        Handle space(H5Dget_space(ds), H5Sclose);
        hsize_t dims[4] = {0, 0, 0, 0};
        const int rank = H5Sget_simple_extent_ndims(space);
        H5Sget_simple_extent_dims(space, dims, nullptr);
        w.series.push_back({name, std::move(ds), rank == w.lead() + 1 ? dims[w.lead()] : 0, type, dimension, 0, of});
    };
    for (std::size_t k = 0; k < series_count; ++k) {
        const SeriesInfo& entry = series_catalogue[k];
        reopen(std::string(entry.name), entry.is_money() ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT64,
               to_string(entry.entity), series_at(k));
    }
    reopen("agents_created", H5T_NATIVE_INT64, "", std::nullopt);
    w.policy = info.policy;
    if (!w.sweep && H5Lexists(w.file, "policy_value", H5P_DEFAULT) > 0)
        w.policy_value = Handle(H5Dopen2(w.file, "policy_value", H5P_DEFAULT), H5Dclose);
}

namespace {
constexpr const char* checkpoint_group = "checkpoint";
std::string slot_name(int slot, std::size_t replicate) {
    return "slot" + std::to_string(slot) + "_replicate" + std::to_string(replicate);
}

// The digest a checkpoint state is stored with: its day and its bytes, so that neither can be
// changed (a flipped byte, an edited attribute) without the resume noticing.
std::string state_digest(int day, const std::vector<std::byte>& state) {
    std::string bytes = "day " + std::to_string(day) + "\n";
    bytes.append(reinterpret_cast<const char*>(state.data()), state.size());
    return sha256_hex(bytes);
}

// Reads one replicate's state of a slot into `state`; returns its day, or sets `problem`.
int read_state(hid_t group, const std::string& name, std::vector<std::byte>& state, std::string& problem) {
    if (H5Lexists(group, name.c_str(), H5P_DEFAULT) <= 0) return problem = "no " + name, -1;
    Handle ds(H5Dopen2(group, name.c_str(), H5P_DEFAULT), H5Dclose);
    if (ds.get() < 0 || H5Aexists(ds, "sha256") <= 0 || H5Aexists(ds, "day") <= 0)
        return problem = name + " lacks its day or digest (written by an older migsim, or cut by a kill)", -1;
    Handle space(H5Dget_space(ds), H5Sclose);
    hsize_t n = 0;
    if (H5Sget_simple_extent_ndims(space) != 1 || H5Sget_simple_extent_dims(space, &n, nullptr) < 0 ||
        n > (hsize_t{1} << 40))
        return problem = name + " has a damaged shape", -1;
    state.resize(n);
    if (n > 0 && H5Dread(ds, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, state.data()) < 0)
        return problem = name + " cannot be read", -1;
    const auto day = static_cast<int>(number_attribute(ds, "day"));
    if (read_string_attribute(ds, "sha256") != state_digest(day, state))
        return problem = name + " does not match its digest", -1;
    return day;
}
}   // namespace

void Hdf5Writer::write_checkpoint(int day, const std::vector<std::vector<std::byte>>& states) {
    Impl& w = *impl_;
    flush();   // every day before `day` is in the file before the checkpoint says so
    if (H5Lexists(w.file, checkpoint_group, H5P_DEFAULT) <= 0)
        Handle(H5Gcreate2(w.file, checkpoint_group, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
    Handle group(H5Gopen2(w.file, checkpoint_group, H5P_DEFAULT), H5Gclose);
    check(group, "open the checkpoint group");
    const int newest = H5Aexists(group, "slot") > 0 ? static_cast<int>(number_attribute(group, "slot")) : 1;
    const int slot = 1 - newest;
    std::uintmax_t growth = 0;   // a slot's chunks are rewritten in place: only growth takes room
    for (std::size_t r = 0; r < states.size(); ++r) {
        hsize_t held = 0;
        if (H5Lexists(group, slot_name(slot, r).c_str(), H5P_DEFAULT) > 0) {
            Handle ds(H5Dopen2(group, slot_name(slot, r).c_str(), H5P_DEFAULT), H5Dclose);
            Handle space(H5Dget_space(ds), H5Sclose);
            H5Sget_simple_extent_dims(space, &held, nullptr);
        }
        growth += states[r].size() > held ? states[r].size() - held : 0;
    }
    w.ensure_space(growth, "cannot write the checkpoint of day " + std::to_string(day) +
                               " (the file keeps the days and the checkpoint before)");
    for (std::size_t r = 0; r < states.size(); ++r) {
        // Uncompressed chunks of a fixed size are rewritten in place: the file grows to two
        // states at most, however many checkpoints a run takes.
        const std::string name = slot_name(slot, r);
        const hsize_t n = states[r].size();
        if (H5Lexists(group, name.c_str(), H5P_DEFAULT) <= 0) {
            hsize_t zero = 0, unlimited = H5S_UNLIMITED, chunk = hsize_t{1} << 20;
            Handle space(H5Screate_simple(1, &zero, &unlimited), H5Sclose);
            Handle plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
            H5Pset_chunk(plist, 1, &chunk);
            Handle(H5Dcreate2(group, name.c_str(), H5T_NATIVE_UINT8, space, H5P_DEFAULT, plist, H5P_DEFAULT), H5Dclose);
        }
        Handle ds(H5Dopen2(group, name.c_str(), H5P_DEFAULT), H5Dclose);
        check(ds, "open " + name);
        check(H5Dset_extent(ds, &n), "size " + name);
        if (n > 0)
            check(H5Dwrite(ds, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, states[r].data()), "write " + name);
        write_attribute(ds, "day", static_cast<std::int64_t>(day));
        write_attribute(ds, "sha256", state_digest(day, states[r]));
    }
    if (H5Fflush(w.file, H5F_SCOPE_GLOBAL) < 0)
        throw OutputError(w.path + ": cannot write the checkpoint of day " + std::to_string(day) + " (disk full?)");
    write_attribute(group, "slot", static_cast<std::int64_t>(slot));
    write_attribute(group, "day", static_cast<std::int64_t>(day));
    check(H5Fflush(w.file, H5F_SCOPE_GLOBAL), "flush");
}

std::pair<int, std::vector<std::vector<std::byte>>> Hdf5Writer::checkpoint() const {
    const Impl& w = *impl_;
    if (H5Lexists(w.file, checkpoint_group, H5P_DEFAULT) <= 0) return {0, {}};
    Handle group(H5Gopen2(w.file, checkpoint_group, H5P_DEFAULT), H5Gclose);
    if (H5Aexists(group, "day") <= 0) return {0, {}};   // killed before the first checkpoint was complete
    const auto newest = static_cast<int>(number_attribute(group, "slot"));
    // The newest slot, or the other one when the newest does not check (damaged, or cut by a
    // kill while it was written): each replicate's state must carry the day and the digest
    // written with it, and the day must be one the file holds.
    std::string why;
    for (const int slot : {newest, 1 - newest}) {
        std::vector<std::vector<std::byte>> states;
        int day = -1;
        for (std::size_t r = 0; r < w.replicates; ++r) {
            std::string problem;
            auto& state = states.emplace_back();
            const int at = read_state(group, slot_name(slot, r), state, problem);
            if (problem.empty() && day >= 0 && at != day) problem = "replicates of different days";
            if (problem.empty() && (at <= 0 || at > w.days_committed))
                problem = "day " + std::to_string(at) + " is not among the " + std::to_string(w.days_committed) +
                          " days the file holds";
            if (!problem.empty()) {
                why += (why.empty() ? "" : "; ") + std::string("slot ") + std::to_string(slot) + ": " + problem;
                day = -1;
                break;
            }
            day = at;
        }
        if (day > 0) return {day, std::move(states)};
    }
    throw OutputError(w.path + ": its checkpoint is damaged (" + why +
                      "); it cannot be resumed bit for bit: run it again");
}

ResumePoint read_resume_point(const std::string& path) {
    silence_hdf5_errors();
    Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (file.get() < 0)
        throw OutputError(path + ": cannot open it to resume: " +
                          or_else(held_by_another_program(path, Access::read), "does it exist? is it an HDF5 file?"));
    if (read_string_attribute(file, "kind") != "run")
        throw OutputError(path + ": is not a migsim run file (sweeps and posterior runs resume by running the same "
                                 "migsim sweep or migsim run --posterior command again)");
    ResumePoint point;
    point.source = read_string_attribute(file, "source");
    if (point.source.empty())
        throw OutputError(path + ": does not say which scenario it ran (written by an older migsim?)");
    const std::string overrides = read_string_attribute(file, "overrides");
    for (std::size_t at = 0; at < overrides.size();) {
        const std::size_t end = std::min(overrides.find('\n', at), overrides.size());
        point.overrides.push_back(overrides.substr(at, end - at));
        at = end + 1;
    }
    point.replicates = static_cast<int>(number_attribute(file, "replicates"));
    point.checkpoint_every = static_cast<int>(number_attribute(file, "checkpoint_every"));
    point.days_completed = static_cast<int>(number_attribute(file, "days_completed"));
    point.completed = number_attribute(file, "completed") > 0;
    point.resolved_scenario = read_string_attribute(file, "resolved_scenario");
    if (H5Lexists(file, checkpoint_group, H5P_DEFAULT) > 0) {
        Handle group(H5Gopen2(file, checkpoint_group, H5P_DEFAULT), H5Gclose);
        point.checkpoint_day = static_cast<int>(number_attribute(group, "day"));
    }
    return point;
}

Hdf5Writer::~Hdf5Writer() = default;

void Hdf5Writer::write_day(int sample, int replicate, const DayTotals& t) {
    Impl& w = *impl_;
    const auto day = static_cast<hsize_t>(t.day);
    const auto r = static_cast<std::size_t>(replicate);
    Impl::Pending& p = w.pending_of(static_cast<hsize_t>(sample));
    // A sample's held days are consecutive (each given by every replicate in turn); anything
    // else writes them out first.
    const bool next_day = day == p.first_day + p.days;
    const bool same_day = p.days > 0 && day + 1 == p.first_day + p.days;
    if (!(next_day || same_day)) {
        w.wait_for_committer();
        w.write_pending(p);
        p.first_day = day;
    }
    if (day == p.first_day + p.days) ++p.days;
    if (p.rows.size() != w.series.size()) p.rows.resize(w.series.size());
    for (std::size_t s = 0; s < w.series.size(); ++s) {
        const auto& series = w.series[s];
        if (p.rows[s].size() <= r) p.rows[s].resize(r + 1);
        const auto [row, row_size] = Impl::row_of(t, series);
        const std::size_t bytes = w.row_bytes(series);
        if (row_size != bytes)
            throw std::logic_error(w.path + ": day " + std::to_string(day) + " gives " + std::to_string(row_size) +
                                   " bytes of " + series.name + " where the file takes " + std::to_string(bytes));
        auto& block = p.rows[s][r];
        block.resize(block.size() + bytes);
        std::memcpy(block.data() + block.size() - bytes, row, bytes);
        p.bytes += bytes;
    }
}

void Hdf5Writer::day_done(int days) {
    Impl& w = *impl_;
    auto& held = w.pending;
    held.days_done = days;
    // The rows reach the file before days_completed counts them: a reader can trust every day
    // up to days_completed (a kill during a later write may leave days after them).
    if (static_cast<hsize_t>(days) % days_per_write == 0 || held.bytes() > most_bytes_held ||
        std::chrono::steady_clock::now() - held.since >= longest_unwritten)
        w.commit_in_background();
}

void Hdf5Writer::flush() {
    Impl& w = *impl_;
    w.wait_for_committer();
    if (w.file.get() >= 0 && w.pending.bytes() > 0) {
        w.commit(w.pending);
        w.pending.since = std::chrono::steady_clock::now();
    }
    w.pending.samples.clear();   // the next days may be of other samples
}

void Hdf5Writer::sample_done(int sample) {
    Impl& w = *impl_;
    flush();
    Handle space(H5Dget_space(w.sample_completed), H5Sclose);
    hsize_t start[1] = {static_cast<hsize_t>(sample)}, count[1] = {1};
    H5Sselect_hyperslab(space, H5S_SELECT_SET, start, nullptr, count, nullptr);
    Handle memory(H5Screate_simple(1, count, nullptr), H5Sclose);
    const std::int8_t done = 1;
    check(H5Fflush(w.file, H5F_SCOPE_GLOBAL), "flush");
    check(H5Dwrite(w.sample_completed, H5T_NATIVE_INT8, memory, space, H5P_DEFAULT, &done), "mark sample");
    check(H5Fflush(w.file, H5F_SCOPE_GLOBAL), "flush");
}

std::vector<bool> Hdf5Writer::completed_samples() const {
    const Impl& w = *impl_;
    std::vector<std::int8_t> done(w.samples, 0);
    if (w.sample_completed.get() >= 0 && w.samples > 0)
        check(H5Dread(w.sample_completed, H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, done.data()), "read "
                                                                                                        "sample_"
                                                                                                        "completed");
    return {done.begin(), done.end()};
}

void Hdf5Writer::write_journeys(int replicate, double sample, std::vector<Journey> journeys) {
    impl_->has_journeys = true;
    impl_->journey_sample = sample;
    impl_->journeys.emplace_back(replicate, std::move(journeys));
}

namespace {
template <class T>
void write_column(hid_t group, const char* name, hid_t type, const std::vector<T>& values, const char* what) {
    const hsize_t n[1] = {values.size()};
    Handle space(H5Screate_simple(1, n, nullptr), H5Sclose);
    Handle ds(H5Dcreate2(group, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
    check(ds, std::string("create journeys/") + name);
    if (!values.empty())
        check(H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), std::string("write journeys/") + name);
    write_attribute(ds, "long_name", what);
}

// The group `journeys` (docs/JOURNEYS.md): one row per sampled journey, replicate by replicate
// and by agent id within each, a column per field; the routes end to end in `route`.
void write_journey_table(hid_t file, double sample, const std::vector<std::pair<int, std::vector<Journey>>>& all) {
    std::vector<std::int64_t> replicate, id, profile, group, origin, born, end_day, outcome, days_travelling, attempts,
        interceptions, route_start, route_length, plans_start, plans_length;
    std::array<std::vector<std::int64_t>, 4> harms;
    std::array<std::vector<std::int32_t>, 4> plans;   // day, place, border, cause (Journey::plans)
    std::vector<double> smugglers, officials, armed_groups, fares;
    std::vector<std::int32_t> route;
    for (const auto& [r, journeys] : all)
        for (const Journey& j : journeys) {
            replicate.push_back(r), id.push_back(j.id), profile.push_back(j.profile), group.push_back(j.group);
            origin.push_back(j.origin), born.push_back(j.born), end_day.push_back(j.end_day);
            outcome.push_back(static_cast<std::int64_t>(j.outcome)), days_travelling.push_back(j.days_travelling);
            attempts.push_back(j.attempts), interceptions.push_back(j.interceptions);
            for (std::size_t k = 0; k < 4; ++k) harms[k].push_back(j.harms[k]);
            smugglers.push_back(static_cast<double>(j.smugglers_cents) / 100);
            officials.push_back(static_cast<double>(j.officials_cents) / 100);
            armed_groups.push_back(static_cast<double>(j.armed_groups_cents) / 100);
            fares.push_back(static_cast<double>(j.fares_cents) / 100);
            route_start.push_back(static_cast<std::int64_t>(route.size()));
            route_length.push_back(static_cast<std::int64_t>(j.route.size()));
            route.insert(route.end(), j.route.begin(), j.route.end());
            plans_start.push_back(static_cast<std::int64_t>(plans[0].size()));
            plans_length.push_back(static_cast<std::int64_t>(j.plans.size()));
            for (const auto& plan : j.plans)
                for (std::size_t k = 0; k < 4; ++k) plans[k].push_back(plan[k]);
        }
    if (H5Lexists(file, "journeys", H5P_DEFAULT) > 0)
        check(H5Ldelete(file, "journeys", H5P_DEFAULT), "delete journeys");
    Handle g(H5Gcreate2(file, "journeys", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
    check(g, "create group journeys");
    write_attribute(g, "journey_sample", sample);
    std::string names;
    for (int k = 0; k < status_count; ++k) names += (k ? "," : "") + std::string(to_string(static_cast<Status>(k)));
    write_attribute(g, "outcome_names", names);
    const hid_t I = H5T_NATIVE_INT64, D = H5T_NATIVE_DOUBLE;
    write_column(g, "replicate", I, replicate, "replicate of the journey");
    write_column(g, "id", I, id, "global agent id");
    write_column(g, "profile", I, profile, "profile index");
    write_column(g, "group", I, group, "demographic group index");
    write_column(g, "origin", I, origin, "location index it set out from");
    write_column(g, "born", I, born, "day it was created");
    write_column(g, "end_day", I, end_day, "day its journey ended; -1: still on the way");
    write_column(g, "outcome", I, outcome, "status index at the end of the run (outcome_names)");
    write_column(g, "days_travelling", I, days_travelling, "days in status travelling");
    write_column(g, "attempts", I, attempts, "irregular crossing attempts");
    write_column(g, "interceptions", I, interceptions, "attempts intercepted");
    write_column(g, "abductions", I, harms[0], "times abducted");
    write_column(g, "trafficking", I, harms[1], "times trafficked");
    write_column(g, "violence", I, harms[2], "times suffering violence");
    write_column(g, "detentions", I, harms[3], "times detained in a raid");
    write_column(g, "paid_smugglers", D, smugglers, "money paid for smugglers' seats");
    write_column(g, "paid_officials", D, officials, "money paid in bribes");
    write_column(g, "paid_armed_groups", D, armed_groups, "money paid in tolls and ransom");
    write_column(g, "paid_fares", D, fares, "money paid in fares and pathway fees");
    write_column(g, "route_start", I, route_start, "first index of the journey's places in route");
    write_column(g, "route_length", I, route_length, "number of places on the route");
    write_column(g, "route", H5T_NATIVE_INT32, route, "location indices of every route, end to end");
    write_column(g, "plans_start", I, plans_start, "first index of the journey's plans in plan_*");
    write_column(g, "plans_length", I, plans_length, "number of plans it made (docs/BEHAVIOUR.md)");
    write_column(g, "plan_day", H5T_NATIVE_INT32, plans[0], "day of each plan, end to end");
    write_column(g, "plan_place", H5T_NATIVE_INT32, plans[1],
                 "location index where the planned route's crossing starts; -1: a pathway applied for anywhere");
    write_column(g, "plan_border", H5T_NATIVE_INT32, plans[2], "border index the planned route crosses; -1: none");
    std::string causes = "first";
    for (std::string_view c : replan_causes) causes += "," + std::string(c);
    write_column(g, "plan_cause", H5T_NATIVE_INT32, plans[3], "why it planned: index in plan_cause_names");
    write_attribute(g, "plan_cause_names", causes);
}
}   // namespace

void Hdf5Writer::stop() {
    Impl& w = *impl_;
    flush();
    if (!w.has_journeys) return;
    try {
        write_journey_table(w.file, w.journey_sample, w.journeys);
    } catch (const OutputError& e) {
        throw OutputError(w.path + ": stopped, but cannot write the journey table (" + e.what() +
                          "; disk full?): every finished day is in the file");
    }
    check(H5Fflush(w.file, H5F_SCOPE_GLOBAL), "flush");
}

void Hdf5Writer::finish(double wall_seconds) {
    Impl& w = *impl_;
    flush();
    const std::string kept = "every day is in it, the ensemble summaries are not, and it stays marked incomplete";
    std::vector<Impl::Summary> summaries;
    if (!w.sweep)
        for (const auto& series : w.series)
            if (series.of && series.groups == 0 && info(*series.of).summarised)
                summaries.push_back(w.summarise(series));
    std::uintmax_t bytes = w.journey_bytes();
    for (const auto& summary : summaries)
        for (const auto& chunk : summary.chunks) bytes += chunk.size();
    w.ensure_space(bytes, "cannot finish the file (" + kept + ")");
    try {
        if (w.has_journeys) write_journey_table(w.file, w.journey_sample, w.journeys);
        for (const auto& summary : summaries) w.write_summary(summary);
    } catch (const OutputError& e) {
        throw OutputError(w.path + ": cannot finish the file (" + e.what() + "; disk full?): " + kept);
    }
    if (H5Lexists(w.file, checkpoint_group, H5P_DEFAULT) > 0)
        check(H5Ldelete(w.file, checkpoint_group, H5P_DEFAULT), "delete checkpoint");
    write_attribute(w.file, "wall_time_s", wall_seconds);
    write_attribute(w.file, "completed", std::int64_t{1});
    w.series.clear();
    w.sample_completed = Handle();
    w.policy_value = Handle();
    w.time = Handle();
    // Success is reported only for a file that closed cleanly and reads back whole: HDF5 may
    // still fail while it writes its metadata at the close (a disk that filled just then).
    const herr_t closed = w.file.close();
    try {
        if (closed < 0) throw OutputError("HDF5 could not close it");
        verify_output(w.path);
    } catch (const OutputError& e) {
        throw OutputError(w.path + ": the finished file does not read back (" + e.what() +
                          "; disk full?): it is damaged; free some space and run again");
    }
}

}   // namespace migsim
