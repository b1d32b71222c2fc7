// compare_runs: docs/COMPARE.md in code. Per replicate, each outcome is summed over the window
// (and per group); rows carry the means, the mean paired difference and its t interval.
#include "migsim/compare.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <functional>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <optional>
#include <set>
#include <stdexcept>

#include "io/hdf5_util.hpp"
#include "migsim/errors.hpp"
#include "migsim/output.hpp"
#include "scenario/csv_table.hpp"

namespace migsim {

using namespace detail;

double student_t_975(int df) {
    // P(|T| <= t) for integer df has a finite series (Abramowitz & Stegun 26.7.3-4); solve
    // P = 0.95 by bisection to double precision.
    auto central = [df](double t) {
        const double theta = std::atan(t / std::sqrt(static_cast<double>(df)));
        const double c2 = std::cos(theta) * std::cos(theta), s = std::sin(theta);
        if (df % 2 == 0) {
            double term = 1, sum = 1;
            for (int k = 2; k <= df - 2; k += 2) sum += term *= c2 * (k - 1) / k;
            return s * sum;
        }
        if (df == 1) return 2 * theta / std::numbers::pi;
        double term = std::cos(theta), sum = term;
        for (int k = 3; k <= df - 2; k += 2) sum += term *= c2 * (k - 1) / k;
        return 2 / std::numbers::pi * (theta + s * sum);
    };
    double low = 0, high = 1000;
    for (int i = 0; i < 200; ++i) {
        const double mid = (low + high) / 2;
        (central(mid) < 0.95 ? low : high) = mid;
    }
    return (low + high) / 2;
}

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

int day_number(const std::string& date, const std::string& what) {
    int y = 0;
    unsigned m = 0, d = 0;
    char dash1 = 0, dash2 = 0;
    std::istringstream in(date);
    in >> y >> dash1 >> m >> dash2 >> d;
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
    if (!in || dash1 != '-' || dash2 != '-' || !ymd.ok())
        throw ScenarioError("--window", 0, what, date, "a date YYYY-MM-DD");
    return static_cast<int>(std::chrono::sys_days{ymd}.time_since_epoch().count());
}

// One run file, read for comparison: per-replicate sums over a window of days. A posterior run
// (migsim run --posterior) has a leading `draw` dimension: its "replicates" here are the
// (draw, replicate) pairs, draw-major, as its seed(draw, replicate) lists them.
struct RunFile {
    std::string path;
    Handle file;
    std::vector<double> seeds;
    std::string start_date;
    hsize_t days = 0;
    hsize_t draws = 0;                      // posterior runs; 0 for a plain run
    std::vector<std::string> parameters;    // posterior runs: the keys drawn
    std::vector<double> parameter_values;   // (draw, parameter)

    explicit RunFile(const std::string& p) : path(p), file(open_file(p)) {
        const std::string kind = read_string_attribute(file, "kind");
        if (kind == "sweep") throw ScenarioError(path + ": is a sweep; compare takes run files (migsim run)");
        std::vector<hsize_t> shape;
        seeds = read_doubles(file, "seed", shape);
        start_date = read_string_attribute(file, "start_date");
        if ((kind != "run" && kind != "posterior") || start_date.empty())
            throw OutputError(path + ": lacks the attributes of a migsim run (kind, start_date): a damaged file, or "
                                     "not one written by migsim run");
        days = static_cast<hsize_t>(number_attribute(file, "days_completed"));
        if (days == 0) throw OutputError(path + ": holds no finished day (days_completed is 0); nothing to compare");
        if (kind == "posterior") read_draws(shape);
    }

    // The draws of a posterior run: every one finished, seed (draw x replicate), the values.
    void read_draws(const std::vector<hsize_t>& seed_shape) {
        std::vector<hsize_t> shape;
        const auto done = read_doubles(file, "draw_completed", shape);
        draws = done.size();
        if (draws == 0 || seed_shape.size() != 2 || seed_shape[0] != draws)
            throw OutputError(path + ": its seed is not (draw x replicate) over its " + std::to_string(draws) +
                              " draws (a damaged file?)");
        if (std::count(done.begin(), done.end(), 1.0) != static_cast<std::ptrdiff_t>(draws))
            throw ScenarioError(path + ": " + std::to_string(std::count(done.begin(), done.end(), 1.0)) + " of its " +
                                std::to_string(draws) +
                                " draws are finished; run the same migsim run --posterior command again to finish it "
                                "before comparing");
        parameters = read_strings(file, "parameter");
        parameter_values = read_doubles(file, "parameter_value", shape);
        if (shape.size() != 2 || shape[0] != draws || shape[1] != parameters.size())
            throw OutputError(path + ": parameter_value is not (draw x parameter) (a damaged file?)");
    }
    [[nodiscard]] hsize_t replicates_per_draw() const { return draws > 0 ? seeds.size() / draws : seeds.size(); }
    [[nodiscard]] std::vector<std::string> strings(const std::string& name) const { return read_strings(file, name); }
    [[nodiscard]] bool has(const std::string& name) const { return H5Lexists(file, name.c_str(), H5P_DEFAULT) > 0; }

    // sums[r][g] of a (replicate, time, entity, group) series (NAME_by_group) over days
    // [first, last) and every entity.
    [[nodiscard]] std::vector<std::vector<double>> group_sums(const std::string& name, hsize_t first,
                                                              hsize_t last) const {
        if (!has(name))
            throw ScenarioError(path + ": has no " + name +
                                "; expected runs split by group (both made with "
                                "migsim run --by-group, of a scenario with groups)");
        return sums(name, first, last);
    }

    // The ids along an entity dimension (border, market, location, ...), read once.
    [[nodiscard]] const std::vector<std::string>& ids(const std::string& dimension) const {
        auto [it, fresh] = id_cache.try_emplace(dimension);
        if (fresh) it->second = has(dimension) ? strings(dimension) : std::vector<std::string>{};
        return it->second;
    }

    // sums[r][k] of a (replicate, time, ..., k) series over days [first, last) and every axis
    // between time and the last: per entity of a (replicate, time, entity) series, per group of
    // a (replicate, time, entity, group) one. The shape is checked against the file's own
    // replicates, days and ids before anything is read: a damaged or foreign file is refused,
    // never read out of bounds.
    [[nodiscard]] std::vector<std::vector<double>> sums(const std::string& name, hsize_t first, hsize_t last) const {
        if (!has(name))
            throw OutputError(path + ": has no dataset " + name + "; expected a run file written by migsim run");
        Handle ds(H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose);
        check(ds, path + ": open " + name);
        std::vector<hsize_t> shape = shape_of(ds);
        const std::string dimension = dimension_of(name);
        const std::size_t expected_rank = (name.ends_with("_by_group") ? 4 : 3) + (draws > 0 ? 1 : 0);
        // A posterior run's (draw, replicate) read as one leading axis of draw-major pairs.
        const bool leads =
            draws == 0 || (shape.size() == expected_rank && shape[0] == draws && shape[1] == replicates_per_draw());
        if (draws > 0 && leads) {
            shape.erase(shape.begin(), shape.begin() + 2);
            shape.insert(shape.begin(), seeds.size());
        }
        const std::size_t rank = expected_rank - (draws > 0 ? 1 : 0);
        const bool fits = leads && shape.size() == rank && shape[0] == seeds.size() &&
                          shape[1] >= std::min(last, days) &&
                          (dimension.empty() || shape.back() == ids(dimension).size()) &&
                          (rank == 3 || shape[2] == ids(base_dimension_of(name)).size());
        if (!fits) {
            std::string got;
            for (hsize_t n : shape) got += (got.empty() ? "" : " x ") + std::to_string(n);
            throw OutputError(path + ": " + name + " has the shape (" + got + "), expected (" +
                              (draws > 0 ? "draw x " : "") + "replicate x time x " +
                              (rank == 4 ? base_dimension_of(name) + " x " : "") + dimension + ") matching its " +
                              std::to_string(seeds.size()) + " seeds, " + std::to_string(days) + " days and " +
                              std::to_string(ids(dimension).size()) + " " + dimension + " ids (a damaged file?)");
        }
        std::vector<hsize_t> shape_read;
        const auto values = read_doubles(file, name, shape_read);
        const hsize_t R = shape[0], T = shape[1], K = shape.back();
        hsize_t per_day = 1;
        for (std::size_t axis = 2; axis < shape.size(); ++axis) per_day *= shape[axis];
        std::vector<std::vector<double>> out(R, std::vector<double>(K, 0.0));
        for (hsize_t r = 0; r < R; ++r)
            for (hsize_t t = first; t < std::min(last, T); ++t)
                for (hsize_t i = 0; i < per_day; ++i) out[r][i % K] += values[(r * T + t) * per_day + i];
        return out;
    }

    // The entity dimension a series is summed to: its own (the catalogue's), or `group` for
    // NAME_by_group.
    [[nodiscard]] static std::string dimension_of(const std::string& name) {
        return name.ends_with("_by_group") ? "group" : base_dimension_of(name);
    }
    [[nodiscard]] static std::string base_dimension_of(const std::string& name) {
        const std::string plain = name.ends_with("_by_group") ? name.substr(0, name.size() - 9) : name;
        if (const auto series = find_series(plain)) return to_string(info(*series).entity);
        throw OutputError(std::string("compare: no series '") + plain + "' in the catalogue");
    }

private:
    mutable std::map<std::string, std::vector<std::string>> id_cache;
};

// Where each of the base's ids sits in the variant, per entity dimension: rows are paired by
// id, never by position, and two files whose ids differ are refused with what each lacks.
class Pairing {
public:
    Pairing(const RunFile& base, const RunFile& variant) : base_(base), variant_(variant) {}

    // The variant's sums in the base's order of ids.
    [[nodiscard]] std::vector<std::vector<double>> in_base_order(const std::string& dimension,
                                                                 std::vector<std::vector<double>> sums) const {
        const std::vector<std::size_t>& at = order(dimension);
        for (auto& row : sums) {
            std::vector<double> reordered(at.size());
            for (std::size_t k = 0; k < at.size(); ++k) reordered[k] = row.at(at[k]);
            row = std::move(reordered);
        }
        return sums;
    }

private:
    const std::vector<std::size_t>& order(const std::string& dimension) const {
        auto [it, fresh] = orders_.try_emplace(dimension);
        if (!fresh) return it->second;
        const auto& b = base_.ids(dimension);
        const auto& v = variant_.ids(dimension);
        std::map<std::string, std::size_t> where;
        for (std::size_t k = 0; k < v.size(); ++k) where.emplace(v[k], k);
        std::string only_base, only_variant;
        for (const auto& id : b)
            if (where.count(id) > 0) it->second.push_back(where[id]);
            else only_base += (only_base.empty() ? "" : ", ") + id;
        const std::set<std::string> in_base(b.begin(), b.end());
        for (const auto& id : v)
            if (in_base.count(id) == 0) only_variant += (only_variant.empty() ? "" : ", ") + id;
        if (!only_base.empty() || !only_variant.empty() || where.size() != v.size() || in_base.size() != b.size())
            throw ScenarioError(variant_.path + ": its " + dimension + " ids differ from " + base_.path + "'s (" +
                                (only_base.empty() ? "" : "only in the base: " + only_base + "; ") +
                                (only_variant.empty() ? "" : "only in the variant: " + only_variant + "; ") +
                                (where.size() != v.size() || in_base.size() != b.size() ? "repeated ids; " : "") +
                                "expected the same " + dimension +
                                "s, in any order, so that rows pair by id; "
                                "compare runs of the same network)");
        return it->second;
    }
    const RunFile& base_;
    const RunFile& variant_;
    mutable std::map<std::string, std::vector<std::size_t>> orders_;
};

using PerReplicate = std::vector<double>;

PerReplicate total(const std::vector<std::vector<double>>& sums) {
    PerReplicate out;
    for (const auto& row : sums) {
        double s = 0;
        for (double x : row) s += x;
        out.push_back(s);
    }
    return out;
}

PerReplicate column(const std::vector<std::vector<double>>& sums, std::size_t x) {
    PerReplicate out;
    for (const auto& row : sums) out.push_back(row[x]);
    return out;
}

PerReplicate ratio(const PerReplicate& a, const PerReplicate& b) {
    PerReplicate out;
    for (std::size_t r = 0; r < a.size(); ++r) out.push_back(b[r] > 0 ? a[r] / b[r] : nan);
    return out;
}

ComparisonRow row(const std::string& group, const std::string& outcome, const PerReplicate& b, const PerReplicate& v) {
    const auto n = static_cast<double>(b.size());
    ComparisonRow out{group, outcome, 0, 0, 0, nan, nan, nan, static_cast<int>(b.size())};
    std::vector<double> d;
    for (std::size_t r = 0; r < b.size(); ++r) {
        out.base += b[r] / n;
        out.variant += v[r] / n;
        d.push_back(v[r] - b[r]);
    }
    for (double x : d) out.difference += x / n;
    if (b.size() >= 2) {
        double ss = 0;
        for (double x : d) ss += (x - out.difference) * (x - out.difference);
        const double half = student_t_975(static_cast<int>(b.size()) - 1) * std::sqrt(ss / (n - 1)) / std::sqrt(n);
        out.low = out.difference - half;
        out.high = out.difference + half;
    }
    out.relative = out.base != 0 ? out.difference / out.base : nan;
    return out;
}

// A posterior run's row: `b`, `v` hold draws x R values, draw-major (docs/COMPARE.md, "With
// parameter uncertainty"). low/high: the effect under parameter and seed uncertainty;
// low_seed_only/high_seed_only: the t interval of the same mean as if all draws x R differences
// were seeds of one scenario.
ComparisonRow posterior_row(const std::string& group, const std::string& outcome, const PerReplicate& b,
                            const PerReplicate& v, std::size_t draws) {
    ComparisonRow out = row(group, outcome, b, v);
    const std::size_t R = b.size() / draws;
    const PosteriorInterval p = posterior_interval(
        [&] {
            std::vector<double> d;
            for (std::size_t j = 0; j < b.size(); ++j) d.push_back(v[j] - b[j]);
            return d;
        }(),
        static_cast<int>(draws));
    out.low_seed_only = out.low;
    out.high_seed_only = out.high;
    out.difference = p.mean;
    out.low = p.low;
    out.high = p.high;
    out.replicates = static_cast<int>(R);
    out.draws = static_cast<int>(draws);
    return out;
}

}   // namespace

PosteriorInterval posterior_interval(const std::vector<double>& d, int draws) {
    PosteriorInterval p;
    const auto N = static_cast<std::size_t>(std::max(draws, 1));
    const std::size_t R = d.size() / N;
    if (R == 0 || R * N != d.size())
        throw std::invalid_argument("posterior_interval: " + std::to_string(d.size()) + " differences are not " +
                                    std::to_string(N) + " draws of equal replicates");
    std::vector<double> m(N, 0.0);
    for (std::size_t k = 0; k < N; ++k)
        for (std::size_t r = 0; r < R; ++r) m[k] += d[k * R + r] / static_cast<double>(R);
    for (double x : m) p.mean += x / static_cast<double>(N);
    double within = 0;
    for (std::size_t k = 0; k < N; ++k)
        for (std::size_t r = 0; r < R; ++r) within += (d[k * R + r] - m[k]) * (d[k * R + r] - m[k]);
    p.within = R >= 2 ? within / static_cast<double>(N * (R - 1)) : 0.0;
    if (N >= 2) {
        double between = 0;
        for (double x : m) between += (x - p.mean) * (x - p.mean);
        p.between = between / static_cast<double>(N - 1);
        p.parameter = std::max(0.0, p.between - p.within / static_cast<double>(R));
        const double half = 1.96 * std::sqrt(p.parameter + p.between / static_cast<double>(N));
        p.low = p.mean - half;
        p.high = p.mean + half;
    }
    return p;
}

std::vector<ComparisonRow> compare_runs(const std::string& base_path, const std::string& variant_path,
                                        const CompareOptions& options) {
    const RunFile base(base_path), variant(variant_path);
    if ((base.draws > 0) != (variant.draws > 0)) {
        const RunFile& with = base.draws > 0 ? base : variant;
        throw ScenarioError(with.path + " is a posterior run (" + std::to_string(with.draws) + " draws), " +
                            (base.draws > 0 ? variant_path : base_path) +
                            " is not; expected two posterior runs of the same draws (migsim run --posterior, the "
                            "same file, --draws and --seed) or two plain runs");
    }
    if (base.draws > 0 && (base.parameters != variant.parameters || base.parameter_values != variant.parameter_values))
        throw ScenarioError(variant_path + ": its posterior draws differ from " + base_path +
                            "'s (other parameters, values or number of draws); expected the same draws, so that "
                            "runs pair by (draw, seed) (run both with the same --posterior, --draws and --seed)");
    if (base.seeds != variant.seeds)
        throw ScenarioError(variant_path + ": its seeds differ from " + base_path +
                            "'s (or its replicate count); expected the same seeds, so that replicates pair up "
                            "(run both with the same --seed and --replicates)");
    if (base.start_date != variant.start_date)
        throw ScenarioError(variant_path + ": starts on " + variant.start_date + ", " + base_path + " on " +
                            base.start_date + "; expected the same start date");
    const int start = day_number(base.start_date, "start_date");
    hsize_t first = 0, last = std::min(base.days, variant.days);
    if (!options.from.empty() && !options.to.empty() && day_number(options.from, "from") > day_number(options.to, "to"))
        throw ScenarioError("--window", 0, "window", options.from + ":" + options.to,
                            "FROM:TO with FROM on or before TO (the window is inclusive)");
    if (!options.from.empty()) first = static_cast<hsize_t>(std::max(0, day_number(options.from, "from") - start));
    if (!options.to.empty())
        last = std::min<hsize_t>(last, static_cast<hsize_t>(std::max(0, day_number(options.to, "to") - start + 1)));
    if (first >= last)
        throw ScenarioError("--window", 0, "window", options.from + ":" + options.to,
                            "a window that overlaps the runs' days (" +
                                std::to_string(std::min(base.days, variant.days)) +
                                (std::min(base.days, variant.days) == 1 ? " day" : " days") + " from " +
                                base.start_date + ")");

    const Pairing pairing(base, variant);
    // Per replicate and entity, in the base's order of ids for both files.
    auto in_order = [&](const RunFile& f, const std::string& name, std::vector<std::vector<double>> s) {
        return &f == &base ? s : pairing.in_base_order(RunFile::dimension_of(name), std::move(s));
    };
    auto sums = [&](const RunFile& f, const std::string& name) { return in_order(f, name, f.sums(name, first, last)); };
    // Totals over every entity need no pairing: a variant may add a border or a pathway.
    auto raw = [&](const RunFile& f, const std::string& name) { return f.sums(name, first, last); };
    // Outcomes whose series a file lacks (written by an older migsim) are left out, as the
    // Python package does.
    auto both_have = [&](const SeriesInfo& s) {
        return base.has(std::string(s.name)) && variant.has(std::string(s.name));
    };
    // The catalogue's series that the view shows (migsim/series.hpp: where compare shows each).
    auto shown = [&](CompareIn where, std::optional<Entity> entity) {
        std::vector<const SeriesInfo*> out;
        for (const SeriesInfo& s : series_catalogue)
            if (s.compared(where) && (!entity || s.entity == *entity) && both_have(s)) out.push_back(&s);
        return out;
    };
    std::vector<ComparisonRow> rows;
    auto add = [&](const std::string& group, const std::string& outcome, const PerReplicate& b, const PerReplicate& v) {
        rows.push_back(base.draws > 0 ? posterior_row(group, outcome, b, v, base.draws) : row(group, outcome, b, v));
    };
    // One row per entity `ids[e]` that `keep` admits, one outcome per series, then `extra`
    // outcomes computed per entity from the base's and the variant's files.
    using Sums = std::vector<std::vector<double>>;
    using Extra = std::function<PerReplicate(const RunFile&, std::size_t)>;
    auto per_entity = [&](const std::vector<std::string>& ids, const std::vector<const SeriesInfo*>& series,
                          const std::function<Sums(const RunFile&, const std::string&)>& sums_of,
                          const std::function<bool(std::size_t)>& keep,
                          const std::vector<std::pair<std::string, Extra>>& extra) {
        std::vector<Sums> b_sums, v_sums;
        for (const SeriesInfo* s : series) {
            b_sums.push_back(sums_of(base, std::string(s->name)));
            v_sums.push_back(sums_of(variant, std::string(s->name)));
        }
        for (std::size_t e = 0; e < ids.size(); ++e) {
            if (!keep(e)) continue;
            for (std::size_t k = 0; k < series.size(); ++k)
                add(ids[e], std::string(series[k]->outcome), column(b_sums[k], e), column(v_sums[k], e));
            for (const auto& [outcome, value] : extra) add(ids[e], outcome, value(base, e), value(variant, e));
        }
    };
    auto every = [](std::size_t) { return true; };
    // Transit days per arrival (regular or not): the days summed over arrivals, over the arrivals.
    auto transit = [](const PerReplicate& days, PerReplicate arrived, const PerReplicate& regular) {
        for (std::size_t r = 0; r < arrived.size(); ++r) arrived[r] += regular[r];
        return ratio(days, arrived);
    };
    switch (options.by) {
        case CompareBy::total: {
            for (const SeriesInfo* s : shown(in_total, std::nullopt))
                add("", std::string(s->outcome), total(raw(base, std::string(s->name))),
                    total(raw(variant, std::string(s->name))));
            auto transit_days = [&](const RunFile& f) {
                return transit(total(raw(f, "arrival_transit_days")), total(raw(f, "arrivals")),
                               total(raw(f, "arrivals_regular")));
            };
            add("", "transit_days", transit_days(base), transit_days(variant));
            // Money to those who profit besides smugglers (with what smugglers pass on to them):
            // each payee's series of the catalogue added up.
            for (const Payee payee : {Payee::armed_groups, Payee::officials, Payee::transport, Payee::pathway_fees}) {
                std::vector<const SeriesInfo*> paid;
                for (const SeriesInfo& s : series_catalogue)
                    if (s.paid_to == payee) paid.push_back(&s);
                if (!std::all_of(paid.begin(), paid.end(), [&](const SeriesInfo* s) { return both_have(*s); }))
                    continue;
                auto sum_paid = [&](const RunFile& f) {
                    PerReplicate out(f.seeds.size(), 0.0);   // (draw and) replicate
                    for (const SeriesInfo* s : paid) {
                        const PerReplicate part = total(raw(f, std::string(s->name)));
                        for (std::size_t r = 0; r < out.size(); ++r) out[r] += part[r];
                    }
                    return out;
                };
                add("", std::string("to_") + to_string(payee), sum_paid(base), sum_paid(variant));
            }
            break;
        }
        case CompareBy::border: {
            const auto market_border = base.strings("market_border");
            // Smugglers' revenue on the border's markets.
            std::map<const RunFile*, Sums> revenue{{&base, sums(base, "market_revenue")},
                                                   {&variant, sums(variant, "market_revenue")}};
            const auto borders = base.strings("border");
            auto smuggler_revenue = [&](const RunFile& f, std::size_t b) {
                const Sums& by_market = revenue.at(&f);
                PerReplicate out(by_market.size(), 0.0);
                for (std::size_t r = 0; r < by_market.size(); ++r)
                    for (std::size_t m = 0; m < market_border.size(); ++m)
                        if (market_border[m] == borders[b]) out[r] += by_market[r][m];
                return out;
            };
            per_entity(borders, shown(by_entity, Entity::border), sums, every,
                       {{"smuggler_revenue", smuggler_revenue}});
            break;
        }
        case CompareBy::route:
            per_entity(base.strings("market"), shown(by_entity, Entity::market), sums, every, {});
            break;
        case CompareBy::destination: {
            const auto locations = base.strings("location"), kinds = base.strings("location_kind");
            std::map<const RunFile*, std::array<Sums, 3>> parts;
            for (const RunFile* f : {&base, &variant})
                parts[f] = {sums(*f, "arrival_transit_days"), sums(*f, "arrivals"), sums(*f, "arrivals_regular")};
            auto transit_days = [&](const RunFile& f, std::size_t l) {
                const auto& [days, arrived, regular] = parts.at(&f);
                return transit(column(days, l), column(arrived, l), column(regular, l));
            };
            per_entity(locations, shown(by_destination, Entity::location), sums,
                       [&](std::size_t l) { return kinds[l] == "destination"; }, {{"transit_days", transit_days}});
            break;
        }
        case CompareBy::place: {   // harms where people wait: every location but the destinations
            const auto locations = base.strings("location"), kinds = base.strings("location_kind");
            per_entity(locations, shown(by_entity, Entity::location), sums,
                       [&](std::size_t l) { return kinds[l] != "destination"; }, {});
            break;
        }
        case CompareBy::group: {   // who suffers: each series NAME split by group is NAME_by_group
            auto group_sums = [&](const RunFile& f, const std::string& name) {
                return in_order(f, name + "_by_group", f.group_sums(name + "_by_group", first, last));
            };
            per_entity(base.strings("group"), shown(by_group, std::nullopt), group_sums, every, {});
            break;
        }
        case CompareBy::profile:
            per_entity(base.strings("profile"), shown(by_entity, Entity::profile), sums, every, {});
            break;
    }
    return rows;
}

}   // namespace migsim
