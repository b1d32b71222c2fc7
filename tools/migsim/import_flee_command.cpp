// migsim import-flee: a FabFlee scenario folder as a migsim scenario folder (docs/FLEE.md).
#include <filesystem>
#include <fstream>
#include <iostream>

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
            case Status::unsupported: std::cout << "  matters in Flee, not applied by migsim: the run will differ\n"; break;
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

}  // namespace

int import_flee_command(const ImportFleeArgs& args) {
    const fs::path out = args.output;
    std::error_code error;
    if (fs::exists(out, error)) {
        if (!fs::is_directory(out, error))
            throw OutputError(args.output + ": exists and is a file; give a folder to write the scenario into");
        if (!fs::is_empty(out, error) && !args.force)
            throw OutputError(args.output + ": exists; give --force to write the imported files over it (its "
                              "scenario.yml, the three tables and flee/ are replaced, other files kept), or another -o");
    }
    if (inside(args.dir, out / "flee"))
        throw ScenarioError("import-flee", 0, "-o", args.output,
                            "a folder whose flee/ subfolder does not hold the scenario being imported (" + args.dir + ")");

    FleeImportOptions options;
    options.hasten = args.hasten;
    options.source = args.dir;
    const FleeImport imported = import_flee(args.dir, options);

    std::cout << "imported " << args.dir << ": " << imported.locations << " locations, " << imported.routes
              << " routes -> " << imported.links << " links, " << imported.conflict_events << " conflict events, "
              << imported.closure_events << " closure events; " << imported.days << " days from "
              << imported.start_date << "\n";
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
            if (fs::is_directory(dir / sub))
                fs::copy(dir / sub, originals / sub, fs::copy_options::recursive);
        if (fs::is_regular_file(dir / "simsetting.yml")) fs::copy_file(dir / "simsetting.yml", originals / "simsetting.yml");
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

}  // namespace migsim::cli
