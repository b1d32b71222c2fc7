// migsim import-flee: a FabFlee scenario folder as a migsim scenario folder (docs/FLEE.md).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "migsim/errors.hpp"
#include "migsim/flee_import.hpp"

namespace migsim::cli {

namespace fs = std::filesystem;

namespace {

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) throw OutputError(path.string() + ": cannot be written (permissions, or the disk is full)");
}

// `inner` is `outer` or lies inside it.
bool inside(const fs::path& inner, const fs::path& outer) {
    std::error_code error;
    const fs::path a = fs::weakly_canonical(inner, error), b = fs::weakly_canonical(outer, error);
    auto [end, _] = std::mismatch(b.begin(), b.end(), a.begin(), a.end());
    return end == b.end();
}

void print_report(const FleeImport& imported) {
    using Status = FleeImportItem::Status;
    for (Status status : {Status::supported, Status::unsupported, Status::inert, Status::ignored}) {
        const std::size_t n = imported.count(status);
        if (n == 0) continue;
        std::cout << "\n" << to_string(status) << " (" << n << "):";
        switch (status) {
            case Status::supported: std::cout << "  imported; migsim applies it as Flee does\n"; break;
            case Status::unsupported:
                std::cout << "  matters in Flee, not applied by migsim: the run will differ\n";
                break;
            case Status::inert: std::cout << "  read by Flee, no effect with these settings\n"; break;
            case Status::ignored: std::cout << "  not imported and not needed\n"; break;
        }
        for (const auto& item : imported.report) {
            if (item.status != status) continue;
            std::cout << "  " << item.name;
            if (!item.value.empty()) std::cout << " = " << item.value;
            std::cout << ": " << item.reason << "\n";
        }
    }
}

}   // namespace

int import_flee_command(const ImportFleeArgs& args) {
    const fs::path out = args.output;
    std::error_code error;
    if (fs::exists(out, error)) {
        if (!fs::is_directory(out, error))
            throw OutputError(args.output + ": exists and is a file; give a folder to write the scenario into");
        if (!fs::is_empty(out, error) && !args.force)
            throw OutputError(args.output + ": exists; give --force to write the imported files over it (its "
                                            "scenario.yml, the three tables and flee/ are replaced, other files kept), "
                                            "or another -o");
    }
    if (inside(args.dir, out / "flee"))
        throw ScenarioError("import-flee", 0, "-o", args.output,
                            "a folder whose flee/ subfolder does not hold the scenario being imported (" + args.dir +
                                ")");

    FleeImportOptions options;
    options.hasten = args.hasten;
    options.source = args.dir;
    const FleeImport imported = import_flee(args.dir, options);

    std::cout << "imported " << args.dir << ": " << imported.locations << " locations, " << imported.routes
              << " routes -> " << imported.links << " links, " << imported.conflict_events << " conflict events, "
              << imported.closure_events << " closure events; " << imported.days << " days from " << imported.start_date
              << "\n";
    print_report(imported);

    const std::size_t unsupported = imported.count(FleeImportItem::Status::unsupported);
    if (args.strict && unsupported > 0) {
        std::cerr << "migsim: error: --strict: " << unsupported
                  << " item(s) above are unsupported (migsim would not run them as Flee does); nothing written. "
                     "Without --strict the import goes ahead and the run differs from Flee's there.\n";
        return exit_bad_input;
    }

    try {
        fs::create_directories(out);
        write_text(out / "scenario.yml", imported.scenario_yml);
        write_text(out / "locations.csv", imported.locations_csv);
        write_text(out / "links.csv", imported.links_csv);
        write_text(out / "events.csv", imported.events_csv);
        const fs::path originals = out / "flee";
        fs::remove_all(originals);
        fs::create_directories(originals);
        const fs::path dir = args.dir;
        for (const char* sub : {"input_csv", "source_data"})
            if (fs::is_directory(dir / sub)) fs::copy(dir / sub, originals / sub, fs::copy_options::recursive);
        if (fs::is_regular_file(dir / "simsetting.yml"))
            fs::copy_file(dir / "simsetting.yml", originals / "simsetting.yml");
    } catch (const fs::filesystem_error& e) {
        throw OutputError(std::string(e.what()));
    }
    std::cout << "\nwrote " << args.output << "/: scenario.yml, locations.csv, links.csv, events.csv, and Flee's files "
              << "under flee/ (input_csv/, source_data/, simsetting.yml)\n"
              << "run it:       migsim run " << args.output << " -o " << imported.name << ".h5\n"
              << "then compare: migsim validate-data " << imported.name << ".h5\n";
    if (unsupported > 0)
        std::cout << "note: " << unsupported << " unsupported item(s) above: this run differs from Flee's there\n";
    return exit_ok;
}

namespace {

Action setup_import_flee(CLI::App& import_flee) {
    auto args = std::make_shared<ImportFleeArgs>();
    import_flee.add_option("dir", args->dir, "the FabFlee folder, e.g. FabFlee/config_files/mali2012")->required();
    import_flee
        .add_option("-o,--output", args->output,
                    "the scenario folder to write (new or empty; an existing one needs --force)")
        ->required();
    import_flee
        .add_option("--hasten", args->hasten,
                    "divide populations, capacities and registrations by N (1: full size); default: "
                    "simsetting.yml's optimisations.hasten")
        ->check(CLI::Range(1, 1000000));
    import_flee.add_flag("--force", args->force,
                         "write into an existing folder: scenario.yml, the tables and flee/ are replaced, other "
                         "files (a README, variants) are kept");
    import_flee.add_flag("--strict", args->strict,
                         "exit 2, writing nothing, if any Flee setting, file or row in use is unsupported");
    import_flee.footer(
        "What it writes (docs/FLEE.md, \"Importing a FabFlee scenario\"):\n"
        "  scenario.yml   rules: flee, start_date and days from input_csv/sim_period.csv, and a flee: block with\n"
        "                 every setting, each commented with the simsetting.yml key it came from;\n"
        "  locations.csv  ids in snake_case of Flee's names; camps get Flee's population as capacity; a\n"
        "                 conflict_zone whose conflict starts later is a town until then;\n"
        "  links.csv      each route of routes.csv both ways (A__B, B__A), mode land, cost 0;\n"
        "  events.csv     conflicts.csv's changes (location:ID conflict) and closures.csv (link:ID open 0/1);\n"
        "  flee/          Flee's input_csv/, source_data/ and simsetting.yml, copied: the registrations\n"
        "                 (UNHCR camp counts) that drive spawning and migsim validate-data are read there.\n"
        "The report lists every setting, file, column and row as supported, unsupported (Flee uses it, migsim\n"
        "cannot: the run differs), inert (no effect with these settings) or ignored. Location types other than\n"
        "town, conflict_zone and camp (idpcamp, marker, forward, flood_zone) are refused with an error.\n"
        "Example:\n"
        "  migsim import-flee FabFlee/config_files/mali2012 -o scenarios/flee-mali2012 --hasten 1\n"
        "  migsim run scenarios/flee-mali2012 -o mali.h5 && migsim validate-data mali.h5\n"
        "Exit codes: 0 imported, 2 bad input or --strict refused, 3 the folder exists (add --force) or "
        "cannot be written.");
    return {Scope::rank0, [args](const Comm&) { return import_flee_command(*args); }, {}};
}

}   // namespace

const Command import_flee_entry = {"import-flee",
                                   "Convert a FabFlee scenario folder (Flee's input_csv/, source_data/, "
                                   "simsetting.yml) into a "
                                   "migsim scenario with Flee's rules.",
                                   setup_import_flee};

}   // namespace migsim::cli
