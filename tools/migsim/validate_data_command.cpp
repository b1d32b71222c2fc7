// migsim validate-data: a run of a Flee scenario against the UNHCR camp registrations, with
// Flee's averaged relative difference (docs/FLEE.md, "Validating against UNHCR data").
#include <spawn.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "migsim/errors.hpp"
#include "migsim/flee.hpp"
#include "migsim/output.hpp"
#include "migsim/run.hpp"
#include "migsim/scenario.hpp"

extern char** environ;

namespace migsim::cli {

namespace fs = std::filesystem;

namespace {

// The scenario the run was made from, as --resume loads it (its path and --set overrides).
Scenario scenario_of_run(const std::string& run) {
    ResumePoint point;
    try {
        point = read_resume_point(run);
    } catch (const OutputError& e) {
        throw OutputError(std::string(e.what()) + "; give --data DIR/source_data (and --hasten N)");
    }
    return load_scenario(point.source, point.overrides);
}

// The registrations the run is compared with: from --data, or those of the run's scenario.
std::vector<CampSeries> registrations_for(const ValidateDataArgs& args) {
    const RunPeriod period = read_run_period(args.run);
    if (!args.data.empty()) {
        const fs::path dir = args.data;
        fs::path corrections = args.corrections;
        if (corrections.empty() && fs::exists(dir / ".." / "input_csv" / "registration_corrections.csv"))
            corrections = dir / ".." / "input_csv" / "registration_corrections.csv";
        int hasten = args.hasten;
        if (hasten == 0) {
            try {
                hasten = scenario_of_run(args.run).flee.hasten;
            } catch (const std::exception& e) {
                throw ScenarioError(args.run + ": cannot load the scenario it ran to read flee.hasten (" + e.what() +
                                    "); give --hasten N");
            }
        }
        return read_registrations(dir / "data_layout.csv", corrections, period.start_date, period.days, hasten);
    }
    const Scenario s = scenario_of_run(args.run);
    if (!s.registrations.empty()) return s.registrations;
    if (s.flee.registrations.empty())
        throw ScenarioError(args.run + ": its scenario names no flee.registrations; give --data DIR/source_data");
    // Paths in scenario.yml are relative to it.
    const fs::path source = read_resume_point(args.run).source;
    const fs::path base = fs::is_directory(source) ? source : source.parent_path();
    const fs::path corrections =
        s.flee.registration_corrections.empty() ? fs::path{} : base / s.flee.registration_corrections;
    return read_registrations(base / s.flee.registrations, corrections, s.settings.start_date, s.settings.days,
                              s.flee.hasten);
}

nlohmann::ordered_json json_spread(const Spread& s) {
    return {{"mean", s.mean}, {"sd", s.sd},   {"min", s.min}, {"q05", s.q05},
            {"q50", s.q50},   {"q95", s.q95}, {"max", s.max}};
}

void print_table(const ValidateDataArgs& args, const RunValidation& v, std::size_t days) {
    std::cout << "validate-data " << args.run << ": " << v.replicates.size() << " replicate(s), " << v.camps.size()
              << " camps, " << days << " days\n\n"
              << std::fixed << std::setprecision(4);
    std::cout << std::left << std::setw(12) << "replicate" << std::right << std::setw(10) << "ARD" << std::setw(12)
              << "rescaled"
              << "\n";
    for (std::size_t r = 0; r < v.replicates.size(); ++r)
        std::cout << std::left << std::setw(12) << r << std::right << std::setw(10) << v.replicates[r].ard
                  << std::setw(12) << v.replicates[r].rescaled << "\n";
    std::cout << "\n" << std::left << std::setw(14) << "over replicates" << std::right;
    for (const char* h : {"mean", "sd", "min", "q05", "q50", "q95", "max"}) std::cout << std::setw(9) << h;
    std::cout << "\n";
    auto row = [](const char* name, const Spread& s) {
        std::cout << std::left << std::setw(15) << name << std::right;
        for (double x : {s.mean, s.sd, s.min, s.q05, s.q50, s.q95, s.max}) std::cout << std::setw(9) << x;
        std::cout << "\n";
    };
    row("ARD", v.ard);
    row("rescaled", v.rescaled);
    std::cout << "\nARD of the ensemble-mean trajectory (not the mean ARD): " << v.ensemble_mean_trajectory.ard
              << ", rescaled " << v.ensemble_mean_trajectory.rescaled << "\n\n"
              << std::left << std::setw(24) << "camp" << std::right << std::setw(16) << "mean |error| share"
              << "\n";
    for (std::size_t c = 0; c < v.camps.size(); ++c)
        std::cout << std::left << std::setw(24) << v.camps[c] << std::right << std::setw(16) << v.camp_share[c] << "\n";
}

void print_csv(const RunValidation& v) {
    std::cout << std::setprecision(17) << "quantity,item,value\n";
    for (std::size_t r = 0; r < v.replicates.size(); ++r)
        std::cout << "ard,replicate " << r << "," << v.replicates[r].ard << "\nard_rescaled,replicate " << r << ","
                  << v.replicates[r].rescaled << "\n";
    for (const auto& [name, s] : {std::pair{"ard", v.ard}, std::pair{"ard_rescaled", v.rescaled}}) {
        const std::pair<const char*, double> stats[] = {{"mean", s.mean}, {"sd", s.sd},   {"min", s.min},
                                                        {"q05", s.q05},   {"q50", s.q50}, {"q95", s.q95},
                                                        {"max", s.max}};
        for (const auto& [stat, x] : stats) std::cout << name << "," << stat << "," << x << "\n";
    }
    std::cout << "ard,ensemble_mean_trajectory," << v.ensemble_mean_trajectory.ard
              << "\nard_rescaled,ensemble_mean_trajectory," << v.ensemble_mean_trajectory.rescaled << "\n";
    for (std::size_t c = 0; c < v.camps.size(); ++c) {
        std::string name = v.camps[c];
        if (name.find_first_of(",\"") != std::string::npos) {
            std::string quoted = "\"";
            for (char ch : name) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
            name = quoted + "\"";
        }
        std::cout << "camp_share," << name << "," << v.camp_share[c] << "\n";
    }
}

void print_json(const RunValidation& v, std::size_t days) {
    auto replicates = nlohmann::ordered_json::array();
    for (const auto& r : v.replicates) replicates.push_back({{"ard", r.ard}, {"ard_rescaled", r.rescaled}});
    auto camp_share = nlohmann::ordered_json::object();
    for (std::size_t c = 0; c < v.camps.size(); ++c) camp_share[v.camps[c]] = v.camp_share[c];
    const nlohmann::ordered_json json = {
        {"days", days},
        {"camps", v.camps},
        {"replicates", replicates},
        {"ensemble", {{"ard", json_spread(v.ard)}, {"ard_rescaled", json_spread(v.rescaled)}}},
        {"ensemble_mean_trajectory",
         {{"ard", v.ensemble_mean_trajectory.ard}, {"ard_rescaled", v.ensemble_mean_trajectory.rescaled}}},
        {"camp_share", camp_share}};
    std::cout << json_text(json) << "\n";
}

// day, replicate (or "mean": the ensemble-mean trajectory), registered and simulated camp
// totals, and that day's error and rescaled error.
void write_per_day(const std::string& path, const std::vector<CampSeries>& data, const RunValidation& v,
                   const std::vector<std::vector<std::vector<std::int64_t>>>& simulated) {
    std::ofstream out(path);
    if (!out) throw OutputError(path + ": cannot be written (--per-day)");
    out << std::setprecision(17) << "day,replicate,registered,simulated,error,error_rescaled\n";
    auto rows = [&](const std::string& who, const ArdResult& r, auto&& simulated_total) {
        for (std::size_t t = 0; t < r.daily.size(); ++t) {
            std::int64_t registered = 0;
            for (const auto& c : data) registered += c.daily[t];
            out << t << "," << who << "," << registered << "," << simulated_total(t) << "," << r.daily[t] << ","
                << r.daily_rescaled[t] << "\n";
        }
    };
    for (std::size_t r = 0; r < v.replicates.size(); ++r)
        rows(std::to_string(r), v.replicates[r], [&](std::size_t t) {
            std::int64_t sum = 0;
            for (const auto& camp : simulated[r]) sum += camp[t];
            return static_cast<double>(sum);
        });
    rows("mean", v.ensemble_mean_trajectory, [&](std::size_t t) {
        double sum = 0;
        for (const auto& camp : v.mean_trajectory) sum += camp[t];
        return sum;
    });
    if (!out.flush()) throw OutputError(path + ": write failed (--per-day)");
}

// The plots come from the Python package (matplotlib): tools/python of this source tree, or
// $MIGSIM_PYTHONPATH.
void draw_plots(const ValidateDataArgs& args) {
    const char* env = std::getenv("MIGSIM_PYTHONPATH");
    std::string path = env ? env : MIGSIM_PYTHON_DIR;
    if (const char* old = std::getenv("PYTHONPATH"); old && *old) path += std::string(":") + old;
    ::setenv("PYTHONPATH", path.c_str(), 1);
    std::vector<std::string> words = {"/usr/bin/python3", "-m", "migsim.flee_plots", args.run, args.plots};
    if (!args.data.empty()) words.insert(words.end(), {"--data", args.data});
    if (!args.corrections.empty()) words.insert(words.end(), {"--corrections", args.corrections});
    if (args.hasten > 0) words.insert(words.end(), {"--hasten", std::to_string(args.hasten)});
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0)
        throw OutputError("--plots: cannot start /usr/bin/python3 (the plots need Python 3 with matplotlib)");
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw OutputError("--plots: python3 -m migsim.flee_plots failed (its message is above)");
}

}   // namespace

int validate_data_command(const ValidateDataArgs& args) {
    // What is written is checked before anything is read or computed.
    if (!args.per_day.empty()) check_output_path(args.per_day, args.force, {args.run}, "--per-day");
    if (!args.plots.empty()) {
        std::error_code ec;
        if (std::filesystem::exists(args.plots, ec) && !std::filesystem::is_directory(args.plots, ec))
            throw OutputError(args.plots + ": is a file; expected a folder for --plots");
        if (std::filesystem::is_directory(args.plots, ec) && !std::filesystem::is_empty(args.plots, ec) && !args.force)
            throw OutputError(args.plots + ": holds files; give --force to draw into it (same names are replaced), "
                                           "or another --plots");
    }
    const auto data = registrations_for(args);
    const auto simulated = read_camp_populations(args.run, data);
    if (simulated.empty() || simulated.front().empty() || simulated.front().front().empty())
        throw OutputError(args.run + ": holds no finished day to compare with the registrations");
    const RunValidation v = validate_replicates(data, simulated);
    const std::size_t days = v.replicates.front().daily.size();
    if (args.format == "csv") print_csv(v);
    else if (args.format == "json") print_json(v, days);
    else print_table(args, v, days);
    if (!args.per_day.empty()) write_per_day(args.per_day, data, v, simulated);
    if (!args.plots.empty()) draw_plots(args);
    return exit_ok;
}

namespace {

Action setup_validate_data(CLI::App& validate_data) {
    auto args = std::make_shared<ValidateDataArgs>();
    validate_data.add_option("run", args->run, "an HDF5 file written by migsim run (rules: flee)")->required();
    validate_data.add_option("--data", args->data,
                             "a Flee source_data folder (data_layout.csv and the camp series); default: the "
                             "registrations of the scenario the run was made from");
    validate_data.add_option("--corrections", args->corrections,
                             "registration_corrections.csv (default with --data: DATA/../input_csv/ if there)");
    validate_data.add_option("--hasten", args->hasten, "divide the data by N (default: the run's flee.hasten)")
        ->check(CLI::Range(1, 1000000));
    validate_data.add_option("--format", args->format, "table (default), csv or json")
        ->check(CLI::IsMember({"table", "csv", "json"}));
    validate_data.add_option("--per-day", args->per_day, "also write each day's error, per replicate, to FILE.csv");
    validate_data.add_option("--plots", args->plots, "also draw one PNG per camp into DIR (Python, matplotlib)");
    validate_data.add_flag("--force", args->force,
                           "replace an existing --per-day file, or draw into a --plots folder that holds files "
                           "(the run file and the data are never replaced)");
    validate_data.footer("The metric and its numbers: docs/FLEE.md, \"Validating against UNHCR data\". Example:\n"
                         "  migsim run scenarios/flee-mali2012 --replicates 10 -o mali.h5\n"
                         "  migsim validate-data mali.h5 --plots mali-plots");
    return {Scope::rank0_reads, [args](const Comm&) { return validate_data_command(*args); },
            [args] { return std::vector<std::string>{args->run}; }};
}

}   // namespace

const Command validate_data_entry = {"validate-data",
                                     "Compare a run of a Flee scenario with the UNHCR camp registrations (Flee's ARD).",
                                     setup_validate_data};

}   // namespace migsim::cli
