#include "commands.hpp"

#include <csignal>
#include <filesystem>
#include <map>
#include <sstream>
#include <cstdio>
#include <cmath>
#include <algorithm>
#include <functional>
#include <iomanip>
#include <iostream>

#include "migsim/errors.hpp"
#include "migsim/output.hpp"
#include "migsim/run.hpp"
#include "migsim/scenario.hpp"
#include "migsim/compare.hpp"
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

// Runs `body` (a run or a sweep) with Ctrl-C/SIGTERM stopping it between days (on any rank:
// the ranks agree every day) and a progress line on stderr from rank 0 unless quiet.
template <class Body>
RunResult with_progress(const RunArgs& args, const Comm& world, const std::string& output, Body body) {
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    if (world.rank() == 0 && args.decompose == "replicates" && world.size() > args.replicates)
        std::cerr << "migsim: note: " << world.size() << " ranks for " << args.replicates << " replicate(s): "
                  << world.size() - args.replicates << " rank(s) have nothing to do; add --decompose agents to "
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
              << " KiB per day\n" << std::setprecision(6);
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
    const std::map<std::string, double> units = {{"", 1}, {"K", 1024.0}, {"M", 1024.0 * 1024}, {"G", 1024.0 * 1024 * 1024},
                                                 {"T", 1024.0 * 1024 * 1024 * 1024}};
    const auto factor = units.find(unit);
    if (used == 0 || factor == units.end() || !(value > 0) || value * factor->second > 9e18)
        throw ScenarioError("--max-memory", 0, "size", text, "a size such as 8G, 512M or 2000000000 (bytes)");
    return static_cast<std::int64_t>(value * factor->second);
}

}  // namespace

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
                } catch (const std::exception&) {   // reported below, by the same reads here
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
                throw ScenarioError(args.resume + ": its scenario " + point.source + " is gone; if the folder moved, "
                                    "give its new place: migsim run --resume " + args.resume + " --scenario NEW_PATH");
        }
        overrides = point.overrides;
        args.replicates = point.replicates;
        args.checkpoint_every = point.checkpoint_every;
        args.output = args.resume;
        if (world.rank() == 0 && !args.quiet)
            std::cerr << "migsim: resuming " << args.resume << " from day " << point.checkpoint_day << " ("
                      << point.days_completed << " days were written; "
                      << (point.checkpoint_day > 0 ? "the checkpoint's" : "no checkpoint yet, so from the start") << ")\n";
    } else if (args.scenario.empty()) {
        throw ScenarioError("give a scenario (a folder, scenario.yml or a variant .yml), or --resume FILE");
    }
    // --max-memory bounds the loading too: tables too big for it are refused before they are read.
    const Scenario scenario = load_on_every_rank(world, args.scenario, overrides, memory_size(args.max_memory));
    const std::string output = args.output.empty() ? scenario.settings.name + ".h5" : args.output;
    if (world.rank() == 0 && args.resume.empty()) report_replaced_overrides(scenario);

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
                          ? std::to_string(s.total_agents()) + " agents from " + std::to_string(s.registrations.size()) +
                                " camps' registrations"
                          : std::string("agents from conflict zones (spawning: conflict)"))
                  << " over " << s.settings.days << " days from " << s.settings.start_date << "\n";
    else
        std::cout << "ok: scenario '" << s.settings.name << "': " << s.locations.size() << " locations, "
                  << s.links.size() << " links, " << s.borders.size() << " borders, " << s.markets.size()
                  << " markets, " << s.pathways.size() << " pathways, " << s.profiles.size() << " profiles, "
                  << s.events.size() << " events; " << s.total_agents() << " migrants over "
                  << s.settings.days << " days from " << s.settings.start_date << "\n";
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
    const RunResult result = with_progress(args, world, output, [&](const RunOptions& o) { return run_sweep(plan, o); });
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

std::string json_number(double x) { return std::isnan(x) ? "null" : number(x, false); }

std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

}  // namespace

int compare_command(const CompareArgs& args) {
    CompareOptions options;
    const std::map<std::string, CompareBy> by = {{"total", CompareBy::total}, {"border", CompareBy::border},
                                                 {"route", CompareBy::route}, {"destination", CompareBy::destination},
                                                 {"profile", CompareBy::profile}, {"place", CompareBy::place},
                                                 {"group", CompareBy::group}};
    options.by = by.at(args.by);
    if (!args.window.empty()) {
        const auto colon = args.window.find(':');
        if (colon == std::string::npos)
            throw ScenarioError("--window", 0, "window", args.window, "FROM:TO as ISO dates, e.g. 2020-01-01:2020-12-31");
        options.from = args.window.substr(0, colon);
        options.to = args.window.substr(colon + 1);
    }
    const auto rows = compare_runs(args.base, args.variant, options);
    if (args.format == "csv") {
        std::cout << "group,outcome,base,variant,difference,low,high,relative,replicates\n";
        for (const auto& r : rows)
            std::cout << r.group << "," << r.outcome << "," << number(r.base, false) << "," << number(r.variant, false)
                      << "," << number(r.difference, false) << "," << number(r.low, false) << ","
                      << number(r.high, false) << "," << number(r.relative, false) << "," << r.replicates << "\n";
    } else if (args.format == "json") {
        std::cout << "[\n";
        for (std::size_t k = 0; k < rows.size(); ++k) {
            const auto& r = rows[k];
            std::cout << "  {\"group\": " << json_string(r.group) << ", \"outcome\": " << json_string(r.outcome)
                      << ", \"base\": " << json_number(r.base) << ", \"variant\": " << json_number(r.variant)
                      << ", \"difference\": " << json_number(r.difference) << ", \"low\": " << json_number(r.low)
                      << ", \"high\": " << json_number(r.high) << ", \"relative\": " << json_number(r.relative)
                      << ", \"replicates\": " << r.replicates << "}" << (k + 1 < rows.size() ? "," : "") << "\n";
        }
        std::cout << "]\n";
    } else {
        std::cout << std::left << std::setw(24) << "group" << std::setw(20) << "outcome" << std::right << std::setw(14)
                  << "base" << std::setw(14) << "variant" << std::setw(14) << "difference" << std::setw(26)
                  << "95% interval" << std::setw(10) << "change" << "\n";
        for (const auto& r : rows) {
            const std::string interval = std::isnan(r.low) ? (r.replicates == 1 ? "(1 replicate)" : "-") : "[" + number(r.low, true) + ", " + number(r.high, true) + "]";
            const std::string change = std::isnan(r.relative) ? "-" : number(100 * r.relative, true) + "%";
            std::cout << std::left << std::setw(24) << (r.group.empty() ? "all" : r.group) << std::setw(20) << r.outcome
                      << std::right << std::setw(14) << number(r.base, true) << std::setw(14) << number(r.variant, true)
                      << std::setw(14) << number(r.difference, true) << std::setw(26) << interval << std::setw(10)
                      << change << "\n";
        }
        std::cout << "\npaired by seed over " << (rows.empty() ? 0 : rows.front().replicates)
                  << " replicates; interval: mean paired difference +/- t(0.975, n-1) s/sqrt(n)\n";
    }
    return exit_ok;
}

}  // namespace migsim::cli
