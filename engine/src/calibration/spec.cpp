// load_spec: a calibration or sensitivity SPEC (docs/CALIBRATION.md, "The SPEC"), checked key by
// key against the scenario it names, so that a typo is reported with its line before any run.
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <set>
#include <sstream>

#include "calibration/targets.hpp"
#include "migsim/calibration.hpp"
#include "migsim/errors.hpp"
#include "migsim/scenario.hpp"
#include "migsim/series.hpp"
#include "scenario/csv_table.hpp"
#include "scenario/parameters.hpp"
#include "scenario/text_file.hpp"
#include "scenario/yaml_tree.hpp"

namespace migsim::calibration {

namespace fs = std::filesystem;

namespace {

class Reader {
public:
    explicit Reader(std::string path) : path_(std::move(path)) {}
    const std::string& path() const { return path_; }

    [[noreturn]] void fail(const YAML::Node& node, const std::string& key, const std::string& expected) const {
        const std::string value = node.IsScalar()     ? node.Scalar()
                                  : node.IsSequence() ? "(a list)"
                                  : node.IsMap()      ? "(a mapping)"
                                                      : "(nothing)";
        throw ScenarioError(path_, node.Mark().line + 1, key, value, expected);
    }
    std::string scalar(const YAML::Node& node, const std::string& key) const {
        if (!node.IsScalar()) fail(node, key, "a single value");
        return node.Scalar();
    }
    double number(const YAML::Node& node, const std::string& key, const std::string& expected) const {
        auto x = detail::parse_number(scalar(node, key));
        if (!x) fail(node, key, expected + " (a finite number)");
        return *x;
    }
    int whole(const YAML::Node& node, const std::string& key, int low, int high) const {
        const std::string expected = "a whole number from " + std::to_string(low) + " to " + std::to_string(high);
        const double x = number(node, key, expected);
        if (x != std::floor(x) || x < low || x > high) fail(node, key, expected);
        return static_cast<int>(x);
    }
    void check_keys(const YAML::Node& map, const std::string& where, std::initializer_list<const char*> allowed) const {
        if (!map.IsMap()) fail(map, where, "a mapping");
        for (const auto& kv : map) {
            const std::string key = kv.first.Scalar();
            bool known = false;
            std::string list;
            for (const char* a : allowed) {
                known = known || key == a;
                list += (list.empty() ? "" : ", ") + std::string(a);
            }
            if (!known) fail(kv.first, where.empty() ? key : where + "." + key, "one of: " + list);
        }
    }

private:
    std::string path_;
};

Prior read_prior(const Reader& r, const YAML::Node& node, const std::string& key) {
    r.check_keys(node, key, {"prior", "low", "high", "mean", "sd"});
    if (!node["prior"]) r.fail(node, key + ".prior", "a prior: uniform, log_uniform, normal or truncated_normal");
    const std::string kind = r.scalar(node["prior"], key + ".prior");
    Prior p;
    auto need = [&](const char* field) {
        if (!node[field])
            r.fail(node, key + "." + field, std::string("a value for '") + field + "' with prior " + kind);
        return r.number(node[field], key + "." + field, std::string("a number for ") + field);
    };
    auto optional = [&](const char* field, double otherwise) {
        return node[field] ? r.number(node[field], key + "." + field, std::string("a number for ") + field) : otherwise;
    };
    if (kind == "uniform" || kind == "log_uniform") {
        p.kind = kind == "uniform" ? PriorKind::uniform : PriorKind::log_uniform;
        p.a = p.low = need("low");
        p.b = p.high = need("high");
        if (!(p.high > p.low)) r.fail(node["high"], key + ".high", "a number above low (" + node["low"].Scalar() + ")");
        if (p.kind == PriorKind::log_uniform && p.low <= 0)
            r.fail(node["low"], key + ".low", "a number above 0 (a log-uniform prior)");
        if (node["mean"] || node["sd"]) r.fail(node, key, "low and high only, for a " + kind + " prior");
    } else if (kind == "normal" || kind == "truncated_normal") {
        p.kind = kind == "normal" ? PriorKind::normal : PriorKind::truncated_normal;
        p.a = need("mean");
        p.b = need("sd");
        if (!(p.b > 0)) r.fail(node["sd"], key + ".sd", "a standard deviation above 0");
        if (p.kind == PriorKind::normal) {
            if (node["low"] || node["high"])
                r.fail(node, key, "mean and sd only, for a normal prior (truncated_normal takes low and high)");
        } else {
            if (!node["low"] && !node["high"]) r.fail(node, key, "low, high or both, for a truncated_normal prior");
            p.low = optional("low", -infinity);
            p.high = optional("high", infinity);
            if (!(p.high > p.low)) r.fail(node["high"], key + ".high", "a number above low");
            if (p.cdf(p.high) - p.cdf(p.low) <= 0 || !std::isfinite(p.quantile(0.5)))
                r.fail(node, key, "bounds that keep some of the normal's mass");
        }
    } else {
        r.fail(node["prior"], key + ".prior", "uniform, log_uniform, normal or truncated_normal");
    }
    return p;
}

// Day number of an ISO date counted from the scenario's start date; nullopt when not a date.
std::optional<int> day_of_date(const std::string& text, const std::string& start) {
    auto parse = [](const std::string& s) -> std::optional<std::chrono::sys_days> {
        int y = 0;
        unsigned m = 0, d = 0;
        char c1 = 0, c2 = 0;
        std::istringstream in(s);
        in >> y >> c1 >> m >> c2 >> d;
        if (!in || c1 != '-' || c2 != '-' || in.peek() != EOF) return std::nullopt;
        const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
        if (!ymd.ok()) return std::nullopt;
        return std::chrono::sys_days{ymd};
    };
    const auto date = parse(text), first = parse(start);
    if (!date || !first) return std::nullopt;
    return static_cast<int>((*date - *first).count());
}

Selection read_selection(const Reader& r, const YAML::Node& node, const std::string& where, const Scenario& s) {
    Selection sel;
    if (!node["series"]) r.fail(node, where + ".series", "a series name (docs/OUTPUT.md, the catalogue)");
    sel.series = r.scalar(node["series"], where + ".series");
    const auto series = find_series(sel.series);
    if (!series) r.fail(node["series"], where + ".series", "a series of the catalogue (docs/OUTPUT.md), like arrivals");
    const std::vector<std::string> ids = entity_ids(s, info(*series).entity);
    if (const YAML::Node e = node["entities"]) {
        if (!e.IsSequence()) r.fail(e, where + ".entities", "a list of ids, like [mainland, island]");
        for (const auto& id : e) {
            const std::string name = r.scalar(id, where + ".entities");
            if (std::find(ids.begin(), ids.end(), name) == ids.end())
                r.fail(id, where + ".entities",
                       std::string("an id along ") + to_string(info(*series).entity) + " (" +
                           (ids.empty() ? std::string("none in this scenario")
                                        : ids.front() + (ids.size() > 1 ? ", " + ids[1] : "") +
                                              (ids.size() > 2 ? ", ..." : "")) +
                           ")");
            sel.entities.push_back(name);
        }
    }
    sel.to_day = s.settings.days - 1;
    if (const YAML::Node w = node["window"]) {
        if (!w.IsSequence() || w.size() != 2)
            r.fail(w, where + ".window", "[FIRST, LAST]: days from 0 or dates YYYY-MM-DD, both included");
        auto day = [&](const YAML::Node& v) {
            const std::string text = r.scalar(v, where + ".window");
            std::optional<int> d = day_of_date(text, s.settings.start_date);
            if (!d) {
                const auto x = detail::parse_number(text);
                if (x && *x == std::floor(*x) && std::fabs(*x) < 1e9) d = static_cast<int>(*x);
            }
            if (!d || *d < 0 || *d >= s.settings.days)
                r.fail(v, where + ".window",
                       "a day from 0 to " + std::to_string(s.settings.days - 1) + " or a date from " +
                           s.settings.start_date + " within the run's " + std::to_string(s.settings.days) + " days");
            return *d;
        };
        sel.from_day = day(w[0]);
        sel.to_day = day(w[1]);
        if (sel.to_day < sel.from_day) r.fail(w[1], where + ".window", "a last day at or after the first");
    }
    return sel;
}

Target read_target(const Reader& r, const YAML::Node& node, const std::string& where, const Scenario& s,
                   bool observed) {
    r.check_keys(node, where,
                 {"name", "series", "entities", "window", "aggregation", "denominator", "observed", "error"});
    Target t;
    if (!node["name"]) r.fail(node, where + ".name", "a name for the target");
    t.name = r.scalar(node["name"], where + ".name");
    t.numerator = read_selection(r, node, where, s);
    const std::string agg = node["aggregation"] ? r.scalar(node["aggregation"], where + ".aggregation") : "sum";
    if (agg == "sum") t.aggregation = Aggregation::sum;
    else if (agg == "mean") t.aggregation = Aggregation::mean;
    else if (agg == "ratio") t.aggregation = Aggregation::ratio;
    else r.fail(node["aggregation"], where + ".aggregation", "sum, mean (per day of the window) or ratio");
    if (t.aggregation == Aggregation::ratio) {
        const YAML::Node d = node["denominator"];
        if (!d) r.fail(node, where + ".denominator", "{series: ..., entities: [...], window: [...]} for a ratio");
        r.check_keys(d, where + ".denominator", {"series", "entities", "window"});
        t.denominator = read_selection(r, d, where + ".denominator", s);
        if (!d["window"]) {
            t.denominator.from_day = t.numerator.from_day;
            t.denominator.to_day = t.numerator.to_day;
        }
    } else if (node["denominator"]) {
        r.fail(node["denominator"], where + ".denominator", "no denominator unless aggregation is ratio");
    }
    if (observed) {
        if (!node["observed"]) r.fail(node, where + ".observed", "the observed value of the target");
        t.observed = r.number(node["observed"], where + ".observed", "the observed value");
        const YAML::Node e = node["error"];
        if (!e) r.fail(node, where + ".error", "{absolute: SD} or {relative: SHARE}: the observation error");
        r.check_keys(e, where + ".error", {"absolute", "relative"});
        if (e.size() != 1) r.fail(e, where + ".error", "one of absolute or relative");
        t.relative_error = static_cast<bool>(e["relative"]);
        const YAML::Node v = t.relative_error ? e["relative"] : e["absolute"];
        t.error = r.number(v, where + ".error", "a standard deviation above 0");
        if (!(t.error > 0)) r.fail(v, where + ".error", "a standard deviation above 0");
        if (!(t.sd() > 0)) r.fail(v, where + ".error", "an absolute error (the observed value is 0)");
    } else if (node["observed"] && !node["observed"].IsNull()) {
        t.observed = r.number(node["observed"], where + ".observed", "a number");
    }
    return t;
}

std::string formatted(double x) {
    std::ostringstream out;
    out.precision(17);
    out << x;
    return out.str();
}

}   // namespace

Spec load_spec(const fs::path& path) {
    Spec spec;
    spec.path = path;
    const Reader r(path.string());
    spec.text = detail::read_text_file(path.string());
    YAML::Node root;
    try {
        root = YAML::Load(std::string(detail::without_bom(spec.text)));
    } catch (const YAML::Exception& e) {
        throw ScenarioError(r.path() + ":" + std::to_string(e.mark.line + 1) + ": malformed YAML (" + e.msg +
                            "); expected a SPEC as in docs/CALIBRATION.md");
    }
    detail::check_yaml_tree(r.path(), root, spec.text.size());
    if (!root.IsMap()) throw ScenarioError(r.path() + ": expected a YAML mapping (a SPEC, docs/CALIBRATION.md)");
    r.check_keys(root, "",
                 {"name", "description", "scenario", "set", "seed", "replicates", "parameters", "targets", "outputs",
                  "method", "truth"});
    if (!root["scenario"])
        r.fail(root, "scenario", "the scenario to calibrate (a folder or YAML file, relative to this SPEC)");
    const fs::path given = r.scalar(root["scenario"], "scenario");
    spec.scenario = (given.is_absolute() ? given : path.parent_path() / given).lexically_normal();
    if (spec.scenario.empty()) spec.scenario = ".";
    if (const YAML::Node set = root["set"]) {
        if (!set.IsMap()) r.fail(set, "set", "a mapping KEY: VALUE of --set overrides");
        for (const auto& kv : set)
            spec.overrides.push_back(kv.first.Scalar() + "=" + r.scalar(kv.second, "set." + kv.first.Scalar()));
    }
    if (root["seed"]) {
        const double x = r.number(root["seed"], "seed", "a whole number from 0 to 2^53");
        if (x < 0 || x != std::floor(x) || x > 9007199254740992.0)
            r.fail(root["seed"], "seed", "a whole number from 0 to 2^53");
        spec.seed = static_cast<std::uint64_t>(x);
    }
    if (root["replicates"]) spec.replicates = r.whole(root["replicates"], "replicates", 1, 10000);

    Scenario scenario;
    try {
        scenario = load_scenario(spec.scenario, spec.overrides);
    } catch (const ScenarioError& e) {
        throw ScenarioError(std::string(e.what()) + " (the scenario of " + r.path() + ")");
    }

    const YAML::Node params = root["parameters"];
    if (!params || !params.IsMap() || params.size() == 0)
        r.fail(params ? params : root, "parameters",
               "a mapping of --set keys to priors, like border:strait.patrol: {prior: uniform, low: 0.1, high: 0.9}");
    std::set<std::string> seen;
    for (const auto& kv : params) {
        Parameter p;
        p.key = kv.first.Scalar();
        if (!seen.insert(p.key).second) r.fail(kv.first, "parameters", "each key once");
        p.prior = read_prior(r, kv.second, "parameters." + p.key);
        // The key must be one --set accepts here, and the prior's values ones it takes.
        for (double u : {0.5, 1e-6, 1 - 1e-6}) {
            Scenario copy = scenario;
            detail::apply_override(copy, p.key, formatted(p.prior.quantile(u)), {r.path(), kv.first.Mark().line + 1});
        }
        spec.parameters.push_back(std::move(p));
    }
    if (const YAML::Node truth = root["truth"]) {
        if (!truth.IsMap()) r.fail(truth, "truth", "a mapping of parameter keys to the values that made the targets");
        for (const auto& kv : truth) {
            const std::string key = kv.first.Scalar();
            auto it = std::find_if(spec.parameters.begin(), spec.parameters.end(),
                                   [&](const Parameter& p) { return p.key == key; });
            if (it == spec.parameters.end()) r.fail(kv.first, "truth", "a key of parameters:");
            it->truth = r.number(kv.second, "truth." + key, "a number");
        }
    }

    const bool has_targets = static_cast<bool>(root["targets"]), has_outputs = static_cast<bool>(root["outputs"]);
    if (has_targets == has_outputs)
        r.fail(root, "targets", "either targets: (observed values, for calibrate) or outputs: (for sensitivity)");
    const YAML::Node list = has_targets ? root["targets"] : root["outputs"];
    const std::string where = has_targets ? "targets" : "outputs";
    if (!list.IsSequence() || list.size() == 0) r.fail(list, where, "a list of {name, series, ...}");
    seen.clear();
    for (std::size_t k = 0; k < list.size(); ++k) {
        const std::string at = where + "[" + std::to_string(k) + "]";
        spec.targets.push_back(read_target(r, list[k], at, scenario, has_targets));
        if (!seen.insert(spec.targets.back().name).second)
            r.fail(list[k]["name"], at + ".name", "a name not used before");
    }

    const YAML::Node method = root["method"];
    if (!method) r.fail(root, "method", "abc_smc: {...}, history_matching: {...}, or morris/sobol for sensitivity");
    r.check_keys(method, "method", {"abc_smc", "history_matching", "morris", "sobol", "bootstrap"});
    if (const YAML::Node m = method["abc_smc"]) {
        r.check_keys(m, "method.abc_smc",
                     {"population", "generations", "final_tolerance", "quantile", "kernel_scale", "min_acceptance"});
        spec.method = Method::abc_smc;
        AbcSettings& a = spec.abc;
        if (m["population"]) a.population = r.whole(m["population"], "method.abc_smc.population", 2, 1000000);
        if (m["generations"]) a.generations = r.whole(m["generations"], "method.abc_smc.generations", 0, 1000);
        if (m["final_tolerance"])
            a.final_tolerance = r.number(m["final_tolerance"], "method.abc_smc.final_tolerance", "a distance >= 0");
        if (m["quantile"]) {
            a.quantile = r.number(m["quantile"], "method.abc_smc.quantile", "a share above 0 and below 1");
            if (!(a.quantile > 0 && a.quantile < 1))
                r.fail(m["quantile"], "method.abc_smc.quantile", "a share above 0 and below 1");
        }
        if (m["kernel_scale"]) {
            a.kernel_scale = r.number(m["kernel_scale"], "method.abc_smc.kernel_scale", "a factor above 0");
            if (!(a.kernel_scale > 0)) r.fail(m["kernel_scale"], "method.abc_smc.kernel_scale", "a factor above 0");
        }
        if (m["min_acceptance"]) {
            a.min_acceptance = r.number(m["min_acceptance"], "method.abc_smc.min_acceptance", "a share from 0 to 1");
            if (!(a.min_acceptance > 0 && a.min_acceptance <= 1))
                r.fail(m["min_acceptance"], "method.abc_smc.min_acceptance", "a share above 0, at most 1");
        }
        if (a.final_tolerance < 0) r.fail(m["final_tolerance"], "method.abc_smc.final_tolerance", "a distance >= 0");
    }
    if (const YAML::Node m = method["history_matching"]) {
        if (method["abc_smc"]) r.fail(m, "method", "one calibration method: abc_smc or history_matching");
        r.check_keys(m, "method.history_matching", {"waves", "design", "cutoff", "posterior"});
        spec.method = Method::history_matching;
        HistoryMatchingSettings& h = spec.history;
        if (m["waves"]) h.waves = r.whole(m["waves"], "method.history_matching.waves", 1, 100);
        if (m["design"]) h.design = r.whole(m["design"], "method.history_matching.design", 4, 100000);
        if (m["posterior"]) h.posterior = r.whole(m["posterior"], "method.history_matching.posterior", 1, 1000000);
        if (m["cutoff"]) {
            h.cutoff =
                r.number(m["cutoff"], "method.history_matching.cutoff", "an implausibility above 0 (3 is usual)");
            if (!(h.cutoff > 0))
                r.fail(m["cutoff"], "method.history_matching.cutoff", "an implausibility above 0 (3 is usual)");
        }
    }
    SensitivitySettings& sens = spec.sensitivity;
    if (const YAML::Node m = method["morris"]) {
        r.check_keys(m, "method.morris", {"trajectories", "levels"});
        sens.morris = true;
        if (m["trajectories"]) sens.trajectories = r.whole(m["trajectories"], "method.morris.trajectories", 2, 100000);
        if (m["levels"]) sens.levels = r.whole(m["levels"], "method.morris.levels", 2, 1000);
    }
    if (const YAML::Node m = method["sobol"]) {
        r.check_keys(m, "method.sobol", {"base_samples"});
        sens.sobol = true;
        if (m["base_samples"]) sens.base_samples = r.whole(m["base_samples"], "method.sobol.base_samples", 4, 10000000);
    }
    if (method["bootstrap"]) sens.bootstrap = r.whole(method["bootstrap"], "method.bootstrap", 10, 100000);
    if (has_outputs && !sens.morris && !sens.sobol)
        r.fail(method, "method", "morris: {...}, sobol: {...} or both, for outputs: (sensitivity)");
    if (has_targets && !method["abc_smc"] && !method["history_matching"])
        r.fail(method, "method", "abc_smc: {...} or history_matching: {...}, for targets: (calibrate)");
    if (has_outputs) spec.method = Method::sensitivity;
    return spec;
}

}   // namespace migsim::calibration
