#include "commands.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <csignal>
#include <filesystem>
#include <map>
#include <sstream>
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <algorithm>
#include <functional>
#include <iomanip>
#include <iostream>
#include <memory>

#include "migsim/errors.hpp"
#include "migsim/output.hpp"
#include "migsim/run.hpp"
#include "migsim/scenario.hpp"
#include "migsim/compare.hpp"
#include "migsim/calibration.hpp"
#include "migsim/posterior.hpp"
#include "migsim/sensitivity.hpp"
#include "isolated.hpp"
#include "progress.hpp"

namespace migsim::cli {

namespace {

std::atomic<bool> stop_requested{false};

extern "C" void on_signal(int) { stop_requested.store(true); }

std::vector<std::string> overrides_of(const RunArgs& args) {
    std::vector<std::string> overrides = args.overrides;
    if (args.seed >= 0) overrides.push_back("seed=" + std::to_string(args.seed));
    if (args.days > 0) overrides.push_back("days=" + std::to_string(args.days));
    if (args.by_group) overrides.emplace_back("output_by_group=true");
    if (!args.journeys.empty()) overrides.push_back("journey_sample=" + args.journeys);
    return overrides;
}

// Fault injection for the tests of failing ranks (docs/CLUSTER.md): MIGSIM_TEST_FAULT=RANK:DAY
// makes that rank throw at the start of that day, as a rank that hits a bug would. Null when unset.
std::function<void(int, int)> fault_from_environment() {
    const char* spec = std::getenv("MIGSIM_TEST_FAULT");
    int rank = -1, day = -1;
    if (spec == nullptr || std::sscanf(spec, "%d:%d", &rank, &day) != 2) return {};
    return [rank, day, text = std::string(spec)](int at_rank, int at_day) {
        if (at_rank == rank && at_day == day)
            throw std::runtime_error("injected fault (MIGSIM_TEST_FAULT=" + text + ")");
    };
}

// Runs `body` (a run or a sweep) with Ctrl-C/SIGTERM stopping it between days (on any rank:
// the ranks agree every day) and a progress line on stderr from rank 0 unless quiet.
template <class Body>
RunResult with_progress(const RunArgs& args, const Comm& world, const std::string& output, Body body) {
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    if (world.rank() == 0 && args.decompose == "replicates" && world.size() > args.replicates)
        std::cerr << "migsim: note: " << world.size() << " ranks for " << args.replicates
                  << " replicate(s): " << world.size() - args.replicates
                  << " rank(s) have nothing to do; add --decompose agents to "
                     "split each replicate over all ranks\n";
    ProgressLine progress(!args.quiet && world.rank() == 0);
    RunOptions options;
    options.output = output;
    options.threads = args.threads;
    options.progress = std::ref(progress);
    options.stop = &stop_requested;
    options.replicates = args.replicates;
    options.comm = &world;
    options.decompose = args.decompose == "agents" ? Decomposition::agents : Decomposition::replicates;
    options.before_day = fault_from_environment();
    const RunResult result = body(options);
    progress.finish();
    return result;
}

// Loads the scenario on every rank and checks that all of them read the same one (ranks on
// different nodes may see different files).
Scenario load_on_every_rank(const Comm& world, const std::string& path, const std::vector<std::string>& overrides,
                            std::int64_t max_memory = 0) {
    Scenario scenario;
    on_every_rank(world, [&] { scenario = load_scenario(path, overrides, max_memory); });
    on_every_rank(world, [&] {
        if (world.size() == 1) return;
        std::uint64_t digest = std::hash<std::string>{}(scenario.resolved_text);
        std::int64_t seen[2] = {static_cast<std::int64_t>(digest >> 1), static_cast<std::int64_t>(~digest >> 1)};
        world.max(seen);   // the largest and (negated) the smallest digest over ranks
        if (seen[0] != static_cast<std::int64_t>(digest >> 1) || seen[1] != static_cast<std::int64_t>(~digest >> 1))
            throw ScenarioError(path + ": the ranks read different scenarios (do all nodes see the same files, "
                                       "and were they changed during the start?)");
    });
    return scenario;
}

// One line on stderr for each value the user set that an event replaces later in the run.
void report_replaced_overrides(const Scenario& s) {
    for (const auto& [o, e] : replaced_overrides(s)) {
        const std::string key = target_name(s, o->change) + "." + to_string(o->change.parameter);
        std::ostringstream value, later;
        value << o->change.value;
        later << e->change.value;
        const bool given = o->where.rfind("--set ", 0) == 0;
        std::cerr << "migsim: note: " << o->where << (given ? "" : " (" + key + " = " + value.str() + ")")
                  << " holds only until day " << e->day << ": event " << e->id
                  << (e->id == e->where ? "" : " (" + e->where + ")") << " sets " << key << " to " << later.str()
                  << " then (the file's policy_value shows each day's value; to hold " << value.str()
                  << " all the run, also give --set event:" << e->id << ".value=" << value.str()
                  << ", or change the events that set it)\n";
    }
}

// Rank 0's share of the communication, per simulated day (what docs/CLUSTER.md scales up).
void report_traffic(const Comm& world, const RunArgs& args, const RunResult& result) {
    const double days = std::max(result.days_completed, 1);
    std::cout << "mpi: " << world.size() << " ranks, " << args.decompose << " decomposition; rank 0 took part in "
              << std::setprecision(4) << static_cast<double>(result.traffic.collectives) / days
              << " collective calls and sent " << static_cast<double>(result.traffic.bytes) / days / 1024
              << " KiB per day\n"
              << std::setprecision(6);
}

// "8G", "512M", "64K" (powers of 1024) or a number of bytes; empty: 0 (no bound given).
std::int64_t memory_size(const std::string& text) {
    if (text.empty()) return 0;
    std::size_t used = 0;
    double value = -1;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    const std::string unit = text.substr(used);
    const std::map<std::string, double> units = {
        {"", 1}, {"K", 1024.0}, {"M", 1024.0 * 1024}, {"G", 1024.0 * 1024 * 1024}, {"T", 1024.0 * 1024 * 1024 * 1024}};
    const auto factor = units.find(unit);
    if (used == 0 || factor == units.end() || !(value > 0) || value * factor->second > 9e18)
        throw ScenarioError("--max-memory", 0, "size", text, "a size such as 8G, 512M or 2000000000 (bytes)");
    return static_cast<std::int64_t>(value * factor->second);
}


// migsim run --posterior FILE --draws N: a sweep whose samples are N draws from the calibration
// FILE (docs/COMPARE.md, "With parameter uncertainty"), with a `draw` dimension.
int posterior_command(const RunArgs& args, const Comm& world, const Scenario& scenario,
                      const std::vector<std::string>& overrides) {
    if (args.checkpoint_every > 0)
        throw ScenarioError("--checkpoint-every: checkpoints are for plain runs; a posterior run resumes by draw "
                            "(run the same command again)");
    SweepPlan plan;
    on_every_rank(world, [&] {
        plan = plan_posterior(args.scenario, overrides, args.posterior, args.draws, scenario.settings.seed);
    });
    // Posterior values that an event replaces later in the run hold only until then, as --set does:
    // said once, for the first draw (every draw sets the same keys).
    if (world.rank() == 0 && !args.quiet && !plan.values.empty()) {
        std::vector<std::string> first = plan.overrides;
        for (std::size_t p = 0; p < plan.parameters.size(); ++p) {
            std::ostringstream value;
            value.precision(17);
            value << plan.values.front()[p];
            first.push_back(plan.parameters[p] + "=" + value.str());
        }
        try {
            report_replaced_overrides(load_scenario(args.scenario, first));
        } catch (const ScenarioError&) {
            // A key the scenario does not take: the run refuses it below, naming the posterior file.
        }
    }
    const std::string output = args.output.empty() ? scenario.settings.name + "-posterior.h5" : args.output;
    const RunResult result = with_progress(args, world, output, [&](RunOptions o) {
        o.overwrite = args.force;
        return run_sweep(plan, o);
    });
    if (world.rank() != 0) return result.interrupted ? exit_interrupted : exit_ok;
    if (result.interrupted) {
        std::cerr << "migsim: interrupted; run the same command again to resume " << output
                  << " (finished draws are kept)\n";
        return exit_interrupted;
    }
    std::cout << "wrote " << output << ": a posterior ensemble of " << args.draws << " draws x " << args.replicates
              << " replicates from " << args.posterior << " (" << result.samples_run << " draws run now, "
              << result.samples_skipped << " already done), " << result.wall_seconds << " s\n";
    return exit_ok;
}
}   // namespace

int run_command(const RunArgs& given, const Comm& world) {
    RunArgs args = given;
    std::vector<std::string> overrides = overrides_of(args);
    if (!args.resume.empty()) {   // everything but threads and verbosity comes from the file
        // A first look in a child process (isolated.hpp): a damaged file ends there, not here.
        if (world.size() == 1)
            (void)isolated({args.resume}, [&] {
                try {
                    (void)read_resume_point(args.resume);
                    (void)dataset_checksums(args.resume);   // every dataset, strings included
                } catch (const std::exception&) {           // reported below, by the same reads here
                }
                return exit_ok;
            });
        ResumePoint point;
        on_every_rank(world, [&] {
            point = read_resume_point(args.resume);
            if (point.completed) throw OutputError(args.resume + ": the run is complete; nothing to resume");
        });
        // The scenario where the run found it, or where the user says it is now (a moved
        // folder); either way its files must be the run's, byte for byte (checked by run()).
        if (args.scenario.empty()) {
            args.scenario = point.source;
            std::error_code ec;
            if (!std::filesystem::exists(point.source, ec))
                throw ScenarioError(args.resume + ": its scenario " + point.source +
                                    " is gone; if the folder moved, "
                                    "give its new place: migsim run --resume " +
                                    args.resume + " --scenario NEW_PATH");
        }
        overrides = point.overrides;
        args.replicates = point.replicates;
        args.checkpoint_every = point.checkpoint_every;
        args.output = args.resume;
        if (world.rank() == 0 && !args.quiet)
            std::cerr << "migsim: resuming " << args.resume << " from day " << point.checkpoint_day << " ("
                      << point.days_completed << " days were written; "
                      << (point.checkpoint_day > 0 ? "the checkpoint's" : "no checkpoint yet, so from the start")
                      << ")\n";
    } else if (args.scenario.empty()) {
        throw ScenarioError("give a scenario (a folder, scenario.yml or a variant .yml), or --resume FILE");
    }
    // --max-memory bounds the loading too: tables too big for it are refused before they are read.
    const Scenario scenario = load_on_every_rank(world, args.scenario, overrides, memory_size(args.max_memory));
    const std::string output = args.output.empty() ? scenario.settings.name + ".h5" : args.output;
    if (world.rank() == 0 && args.resume.empty()) report_replaced_overrides(scenario);
    if (!args.posterior.empty()) return posterior_command(args, world, scenario, overrides);

    const RunResult result = with_progress(args, world, output, [&](RunOptions o) {
        o.overwrite = args.force;
        o.checkpoint_every = args.checkpoint_every;
        o.resume = !args.resume.empty();
        o.source = std::filesystem::absolute(args.scenario).lexically_normal().string();
        o.overrides = overrides;
        o.max_memory = memory_size(args.max_memory);
        return run(scenario, o);
    });

    if (world.rank() != 0) return result.interrupted ? exit_interrupted : exit_ok;
    if (world.size() > 1) report_traffic(world, args, result);
    if (!args.quiet) std::cout << describe_output(output) << "\n";
    std::cout << "wrote " << output << " (" << result.days_completed << " days, " << result.agents << " agents"
              << (args.replicates > 1 ? " over " + std::to_string(args.replicates) + " replicates" : "") << ", "
              << result.wall_seconds << " s)\n";
    if (result.interrupted) {
        std::cerr << "migsim: interrupted after day " << result.days_completed << "; " << output
                  << " holds every finished day\n";
        return exit_interrupted;
    }
    return exit_ok;
}

int validate_command(const std::string& path, const std::vector<std::string>& overrides) {
    const Scenario s = load_scenario(path, overrides);
    if (s.rules == Rules::flee)
        std::cout << "ok: scenario '" << s.settings.name << "' (rules: flee): " << s.locations.size() << " locations ("
                  << std::count_if(s.locations.begin(), s.locations.end(),
                                   [](const Location& l) { return l.kind == LocationKind::camp; })
                  << " camps), " << s.links.size() << " links, " << s.events.size() << " events; "
                  << (s.flee.spawning == FleeSettings::Spawning::registrations
                          ? std::to_string(s.total_agents()) + " agents from " +
                                std::to_string(s.registrations.size()) + " camps' registrations"
                          : std::string("agents from conflict zones (spawning: conflict)"))
                  << " over " << s.settings.days << " days from " << s.settings.start_date << "\n";
    else
        std::cout << "ok: scenario '" << s.settings.name << "': " << s.locations.size() << " locations, "
                  << s.links.size() << " links, " << s.borders.size() << " borders, " << s.markets.size()
                  << " markets, " << s.pathways.size() << " pathways, " << s.profiles.size() << " profiles, "
                  << s.events.size() << " events; "
                  << (std::any_of(s.events.begin(), s.events.end(),
                                  [](const Event& e) { return e.change.parameter == Parameter::demand_factor; })
                          ? "at most "   // counted at each profile's largest demand_factor
                          : "")
                  << s.total_agents() << " migrants over " << s.settings.days << " days from " << s.settings.start_date
                  << "\n";
    // Each further replicate: the mean over a hundred (the second alone may cost little more
    // than the first, whose end already needs room the simulations have given back).
    RunOptions one, many;
    many.replicates = 101;
    const std::int64_t first = estimate_memory(s, one, 1), more = (estimate_memory(s, many, 1) - first) / 100;
    std::cout << "memory: a run needs about " << (first + 999999) / 1000000 << " MB, each further replicate "
              << (more + 999999) / 1000000 << " MB (estimate, checked before a run; --max-memory)\n";
    for (std::size_t k = 0; k < s.events.size(); ++k) {
        const Event& e = s.events[k];
        std::cout << "  event:" << e.id << "  (event:" << k + 1 << ")  day " << e.day << "  "
                  << target_name(s, e.change) << "." << to_string(e.change.parameter) << " = " << e.change.value
                  << (e.id == e.where ? "" : "  (" + e.where + ")") << "\n";
    }
    report_replaced_overrides(s);
    return exit_ok;
}

int info_command(const std::string& path, bool checksums) {
    if (checksums) {
        for (const auto& line : dataset_checksums(path)) std::cout << line << "\n";
    } else if (calibration::is_calibration_file(path)) {
        std::cout << calibration::describe_calibration(path);
    } else if (calibration::is_sensitivity_file(path)) {
        std::cout << calibration::describe_sensitivity(path);
    } else {
        std::cout << describe_output(path);
    }
    return exit_ok;
}

int sweep_command(const RunArgs& args, const Comm& world) {
    const Scenario base = load_on_every_rank(world, args.scenario, overrides_of(args));
    SweepPlan plan;
    on_every_rank(world, [&] {
        plan = plan_sweep(args.scenario, overrides_of(args), args.parameters, args.samples, base.settings.seed);
    });
    const std::string output = args.output.empty() ? base.settings.name + "-sweep.h5" : args.output;
    const RunResult result =
        with_progress(args, world, output, [&](const RunOptions& o) { return run_sweep(plan, o); });
    if (world.rank() != 0) return result.interrupted ? exit_interrupted : exit_ok;
    if (!result.interrupted)
        std::cout << "wrote " << output << ": " << plan.values.size() << " samples x " << args.replicates
                  << " replicates (" << result.samples_run << " run now, " << result.samples_skipped
                  << " already done), " << result.wall_seconds << " s\n";
    if (result.interrupted) {
        std::cerr << "migsim: interrupted; run the same command again to resume " << output << "\n";
        return exit_interrupted;
    }
    return exit_ok;
}

namespace {

std::string number(double x, bool rounded) {
    if (std::isnan(x)) return rounded ? "-" : "nan";
    std::ostringstream out;
    if (rounded) out << std::fixed << std::setprecision(std::fabs(x) < 100 ? 3 : 0) << x;
    else out << std::setprecision(17) << x;
    return out.str();
}

}   // namespace

std::string json_text(const nlohmann::ordered_json& json) {
    return json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

int compare_command(const CompareArgs& args) {
    CompareOptions options;
    const std::map<std::string, CompareBy> by = {{"total", CompareBy::total},
                                                 {"border", CompareBy::border},
                                                 {"route", CompareBy::route},
                                                 {"destination", CompareBy::destination},
                                                 {"profile", CompareBy::profile},
                                                 {"place", CompareBy::place},
                                                 {"group", CompareBy::group}};
    options.by = by.at(args.by);
    if (!args.window.empty()) {
        const auto colon = args.window.find(':');
        if (colon == std::string::npos)
            throw ScenarioError("--window", 0, "window", args.window,
                                "FROM:TO as ISO dates, e.g. 2020-01-01:2020-12-31");
        options.from = args.window.substr(0, colon);
        options.to = args.window.substr(colon + 1);
    }
    const auto rows = compare_runs(args.base, args.variant, options);
    // Posterior runs add the draws and the seed-only interval (docs/COMPARE.md); plain runs keep
    // their columns.
    const bool posterior = !rows.empty() && rows.front().draws > 0;
    if (args.format == "csv") {
        std::cout << "group,outcome,base,variant,difference,low,high,relative,replicates"
                  << (posterior ? ",draws,low_seed_only,high_seed_only" : "") << "\n";
        for (const auto& r : rows) {
            std::cout << r.group << "," << r.outcome << "," << number(r.base, false) << "," << number(r.variant, false)
                      << "," << number(r.difference, false) << "," << number(r.low, false) << ","
                      << number(r.high, false) << "," << number(r.relative, false) << "," << r.replicates;
            if (posterior)
                std::cout << "," << r.draws << "," << number(r.low_seed_only, false) << ","
                          << number(r.high_seed_only, false);
            std::cout << "\n";
        }
    } else if (args.format == "json") {
        auto json = nlohmann::ordered_json::array();
        for (const auto& r : rows) {
            json.push_back({{"group", r.group},
                            {"outcome", r.outcome},
                            {"base", r.base},
                            {"variant", r.variant},
                            {"difference", r.difference},
                            {"low", r.low},
                            {"high", r.high},
                            {"relative", r.relative},
                            {"replicates", r.replicates}});   // NaN (no interval, no relative change): null
            if (posterior) {
                json.back()["draws"] = r.draws;
                json.back()["low_seed_only"] = r.low_seed_only;
                json.back()["high_seed_only"] = r.high_seed_only;
            }
        }
        std::cout << json_text(json) << "\n";
    } else {
        std::cout << std::left << std::setw(24) << "group" << std::setw(20) << "outcome" << std::right << std::setw(14)
                  << "base" << std::setw(14) << "variant" << std::setw(14) << "difference" << std::setw(26)
                  << "95% interval" << std::setw(10) << "change";
        if (posterior) std::cout << std::setw(26) << "seed-only interval";
        std::cout << "\n";
        for (const auto& r : rows) {
            const std::string interval = std::isnan(r.low)
                                             ? (r.replicates == 1 ? "(1 replicate)" : "-")
                                             : "[" + number(r.low, true) + ", " + number(r.high, true) + "]";
            const std::string change = std::isnan(r.relative) ? "-" : number(100 * r.relative, true) + "%";
            std::cout << std::left << std::setw(24) << (r.group.empty() ? "all" : r.group) << std::setw(20) << r.outcome
                      << std::right << std::setw(14) << number(r.base, true) << std::setw(14) << number(r.variant, true)
                      << std::setw(14) << number(r.difference, true) << std::setw(26) << interval << std::setw(10)
                      << change;
            if (posterior)
                std::cout << std::setw(26)
                          << (std::isnan(r.low_seed_only)
                                  ? std::string("-")
                                  : "[" + number(r.low_seed_only, true) + ", " + number(r.high_seed_only, true) + "]");
            std::cout << "\n";
        }
        if (posterior)
            std::cout << "\npaired by (draw, seed) over " << rows.front().draws << " posterior draws x "
                      << rows.front().replicates
                      << " replicates; interval: under parameter and seed uncertainty, m +/- 1.96 sqrt(v_theta + "
                         "s_m^2/N); seed-only: m +/- t(0.975, NR-1) s/sqrt(NR) (docs/COMPARE.md)\n";
        else
            std::cout << "\npaired by seed over " << (rows.empty() ? 0 : rows.front().replicates)
                      << " replicates; interval: mean paired difference +/- t(0.975, n-1) s/sqrt(n)\n";
    }
    return exit_ok;
}

// The registrations: each command's options (migsim CMD --help) and what it runs.
namespace {

Action setup_run(CLI::App& run) {
    auto args = std::make_shared<RunArgs>();
    run.add_option("scenario,--scenario", args->scenario,
                   "scenario folder, scenario.yml, or a variant .yml; with --resume: where the run's scenario "
                   "is now, if its folder moved (checked: the same files, byte for byte)");
    auto* output = run.add_option("-o,--output", args->output,
                                  "output HDF5 file (default: NAME.h5, NAME from the scenario); an existing "
                                  "file is never replaced without --force");
    auto* seed =
        run.add_option("--seed", args->seed, "master seed (default: the scenario's); replicates use seed, seed+1, ...")
            ->check(CLI::Range(0LL, 4294967295LL));
    auto* days =
        run.add_option("--days", args->days, "days to simulate (default: the scenario's)")->check(CLI::Range(1, 65535));
    run.add_option("--threads", args->threads, "worker threads (default: all cores); never changes the result")
        ->check(CLI::Range(0, 1024));
    auto* set = run.add_option("--set", args->overrides,
                               "override a parameter, KEY=VALUE, repeatable: border:ID.patrol=0.6, "
                               "market:ID.price=900, "
                               "pathway:ID.quota=2000, days=365 (keys: docs/SCENARIOS.md)");
    auto* replicates = run.add_option("--replicates", args->replicates,
                                      "run N seeds (seed, seed+1, ...) into one file with a replicate dimension and "
                                      "ensemble "
                                      "summaries (mean, 5/50/95% quantiles)")
                           ->check(CLI::Range(1, 100000));
    auto* force = run.add_flag("--force", args->force, "replace the output file if it exists");
    auto* by_group = run.add_flag("--by-group", args->by_group,
                                  "also write every series that counts people split by demographic group "
                                  "(NAME_by_group, "
                                  "with a group dimension; the scenario's groups:); same as --set "
                                  "output_by_group=true");
    auto* journeys = run.add_option("--journeys", args->journeys,
                                    "record the whole journey of a share SHARE (0 to 1) of the agents, drawn by seed "
                                    "and id, "
                                    "in the group `journeys` of the file (docs/JOURNEYS.md); same as --set "
                                    "journey_sample=SHARE");
    auto* checkpoint = run.add_option("--checkpoint-every", args->checkpoint_every,
                                      "save the whole state in the output file every DAYS days, so that --resume "
                                      "continues a "
                                      "killed run from there (bit-identical to an uninterrupted run)")
                           ->check(CLI::Range(1, 65535));
    auto* posterior = run.add_option("--posterior", args->posterior,
                                     "a calibration file (migsim calibrate -o FILE): run an ensemble over --draws N "
                                     "draws from "
                                     "its posterior, --replicates seeds each, each draw's values applied as --set "
                                     "overrides "
                                     "(after yours); the file has a `draw` dimension (docs/COMPARE.md, \"With "
                                     "parameter "
                                     "uncertainty\")");
    auto* draws = run.add_option("--draws", args->draws,
                                 "with --posterior: how many draws, by weighted systematic resampling from the "
                                 "seed (the same draws for the same --seed)")
                      ->check(CLI::Range(1, 100000));
    posterior->needs(draws);
    draws->needs(posterior);
    run.add_option("--resume", args->resume,
                   "continue the interrupted run in FILE (the -o of the run) from its last checkpoint; "
                   "scenario and options come from the file")
        ->excludes(output)
        ->excludes(seed)
        ->excludes(days)
        ->excludes(set)
        ->excludes(replicates)
        ->excludes(force)
        ->excludes(by_group)
        ->excludes(journeys)
        ->excludes(checkpoint)
        ->excludes(posterior)
        ->excludes(draws);
    run.add_option("--max-memory", args->max_memory,
                   "refuse a run estimated to need more than SIZE per process (8G, 512M; default: the memory "
                   "available now)");
    run.add_flag("-q,--quiet", args->quiet, "no progress line and no summary table");
    run.add_option("--decompose", args->decompose,
                   "under mpirun: 'replicates' (default; ranks take whole replicates) or 'agents' (every "
                   "replicate split over all ranks by agent id); the file is the same bytes either way "
                   "(docs/CLUSTER.md)")
        ->check(CLI::IsMember({"replicates", "agents"}));
    run.footer("Progress (day, agents, agent-days per second, time left) goes to stderr; Ctrl-C stops "
               "after the current day and keeps the file.\n"
               "Long runs: migsim run SCENARIO -o long.h5 --checkpoint-every 90; if the job is killed, "
               "migsim run --resume long.h5 goes on from the last checkpoint (docs/WORKFLOW.md, \"Long runs\").\n"
               "Under parameter uncertainty (docs/COMPARE.md): --posterior calib.h5 --draws N runs N draws x R "
               "replicates; draw k's replicate r uses seed + k*R + r, and the draws come from --seed too. A "
               "what-if is two such runs, compared pair by pair (draw, seed):\n"
               "  migsim run scenarios/toy --posterior calib.h5 --draws 20 --replicates 5 -o base.h5\n"
               "  migsim run scenarios/toy --posterior calib.h5 --draws 20 --replicates 5 --set "
               "market:strait_boats.price=900 -o variant.h5\n"
               "  migsim compare base.h5 variant.h5\n"
               "An interrupted posterior run goes on when the same command is run again (finished draws are kept; "
               "--force starts over).");
    return {Scope::collective, [args](const Comm& world) { return run_command(*args, world); }, {}};
}

Action setup_sweep(CLI::App& sweep) {
    auto args = std::make_shared<RunArgs>();
    sweep.add_option("scenario", args->scenario, "scenario folder, scenario.yml, or a variant .yml")->required();
    sweep
        .add_option("--param", args->parameters,
                    "a swept parameter, repeatable: KEY=LOW:HIGH:N (N values), KEY=V1,V2,... or, with "
                    "--samples, KEY=LOW:HIGH. KEY as for --set, or event:N.value (N from migsim validate)")
        ->required();
    sweep.add_option("--samples", args->samples, "Latin hypercube of this many samples instead of a grid")
        ->check(CLI::Range(1, 100000));
    sweep.add_option("--replicates", args->replicates, "seeds per sample (seed, seed+1, ...)")
        ->check(CLI::Range(1, 100000));
    sweep.add_option("-o,--output", args->output,
                     "output HDF5 file (default NAME-sweep.h5); if it holds this sweep partly done, the "
                     "missing samples are run and the rest kept");
    sweep.add_option("--seed", args->seed, "master seed (also draws the Latin hypercube)")
        ->check(CLI::Range(0LL, 4294967295LL));
    sweep.add_option("--days", args->days, "days to simulate")->check(CLI::Range(1, 65535));
    sweep.add_option("--threads", args->threads, "worker threads (default: all cores)")->check(CLI::Range(0, 1024));
    sweep.add_option("--set", args->overrides, "override a parameter for every sample, KEY=VALUE");
    sweep.add_flag("--by-group", args->by_group, "also write the people-counting series split by group");
    sweep.add_flag("-q,--quiet", args->quiet, "no progress line");
    sweep
        .add_option("--decompose", args->decompose,
                    "under mpirun: 'replicates' (ranks take each sample's replicates) or 'agents'")
        ->check(CLI::IsMember({"replicates", "agents"}));
    sweep.footer("Example: migsim sweep scenarios/toy --param border:strait.patrol=0.2:0.8:7 --replicates 5 -o "
                 "sweep.h5\n"
                 "Interrupted (Ctrl-C)? Run the same command again: finished samples are kept.");
    return {Scope::collective, [args](const Comm& world) { return sweep_command(*args, world); }, {}};
}

Action setup_compare(CLI::App& compare) {
    auto args = std::make_shared<CompareArgs>();
    compare.add_option("base", args->base, "the base run (HDF5 from migsim run)")->required();
    compare
        .add_option("variant", args->variant,
                    "the variant run, same seeds and replicates (and the same posterior draws: two posterior "
                    "runs pair by draw and seed)")
        ->required();
    compare
        .add_option("--by", args->by,
                    "group rows: total (default), border, route (smuggler market), "
                    "destination, profile, place (harms where people wait), group (demographic groups: runs made "
                    "with --by-group)")
        ->check(CLI::IsMember({"total", "border", "route", "destination", "profile", "place", "group"}));
    compare.add_option("--window", args->window, "FROM:TO dates, inclusive (e.g. 2020-01-01:2020-12-31)");
    compare.add_option("--format", args->format, "table (default), csv or json")
        ->check(CLI::IsMember({"table", "csv", "json"}));
    compare.footer("Outcomes and statistics: docs/COMPARE.md. Example:\n"
                   "  migsim run scenarios/mediterranean --replicates 10 -o base.h5\n"
                   "  migsim run scenarios/mediterranean/variants/patrol-shift-atlantic.yml --replicates 10 -o "
                   "shift.h5\n"
                   "  migsim compare base.h5 shift.h5 --by border --window 2020-01-01:2020-12-31");
    return {Scope::rank0_reads, [args](const Comm&) { return compare_command(*args); },
            [args] {
                return std::vector<std::string>{args->base, args->variant};
            }};
}

Action setup_validate(CLI::App& validate) {
    struct Args {
        std::string path;
        std::vector<std::string> overrides;
    };
    auto args = std::make_shared<Args>();
    validate.add_option("scenario", args->path, "scenario folder, scenario.yml, or a variant .yml")->required();
    validate.add_option("--set", args->overrides, "override a parameter, KEY=VALUE (as for run)");
    validate.footer("Loads every file of the scenario, checks every row and the network (every origin reaches a "
                    "destination), and prints its size, the memory a run needs and its events.\n"
                    "Examples:\n"
                    "  migsim validate scenarios/mediterranean\n"
                    "  migsim validate scenarios/mediterranean/variants/patrol-shift-atlantic.yml\n"
                    "  migsim validate scenarios/toy --set border:strait.patrol=0.9\n"
                    "Bad input: one line naming the file, line, field, value and what was expected, exit code 2 "
                    "(docs/ERRORS.md).");
    return {Scope::rank0, [args](const Comm&) { return validate_command(args->path, args->overrides); }, {}};
}

Action setup_info(CLI::App& info) {
    struct Args {
        std::string path;
        bool checksums = false;
    };
    auto args = std::make_shared<Args>();
    info.add_option("file", args->path, "an HDF5 file written by migsim run")->required();
    info.add_flag("--checksums", args->checksums, "print a SHA-256 per dataset (equal lines: identical results)");
    info.footer("Prints the scenario, days, seeds and engine of a run file, then totals over the run by border, "
                "destination (or camp), harms by place and who was paid (means over replicates in an ensemble).\n"
                "Examples:\n"
                "  migsim info med.h5\n"
                "  migsim info --checksums a.h5 > a.txt && migsim info --checksums b.h5 | diff a.txt -   same "
                "results?\n"
                "A file of an interrupted run shows the days it holds; a damaged one gives one line saying so "
                "and exit code 3.");
    return {Scope::rank0_reads, [args](const Comm&) { return info_command(args->path, args->checksums); },
            [args] { return std::vector<std::string>{args->path}; }};
}

}   // namespace

const Command run_entry = {"run", "Run a scenario and write its time series to HDF5.", setup_run};
const Command sweep_entry = {"sweep", "Run a scenario over a grid or Latin hypercube of parameter values.",
                             setup_sweep};
const Command compare_entry = {"compare", "Compare two runs replicate by replicate (paired by seed).", setup_compare};
const Command validate_entry = {"validate", "Load and check a scenario completely; run nothing.", setup_validate};
const Command info_entry = {"info", "Describe an output file: metadata and totals by route.", setup_info};

}   // namespace migsim::cli
