// migsim sensitivity: Morris elementary effects and Sobol indices of a SPEC's outputs over its
// parameters (docs/CALIBRATION.md, "Sensitivity"). Collective: every rank runs its share of the
// points; rank 0 writes the file and prints the table.

#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "progress.hpp"
#include "migsim/calibration.hpp"
#include "migsim/errors.hpp"
#include "migsim/run.hpp"
#include "migsim/scenario.hpp"
#include "migsim/sensitivity.hpp"

namespace migsim::cli {

namespace {

namespace fs = std::filesystem;
using namespace migsim::calibration;

struct SensitivityArgs {
    std::string spec, output;
    int threads = 0;
    bool force = false, quiet = false;
};

int sensitivity_command(const SensitivityArgs& args, const Comm& world) {
    Spec spec;
    on_every_rank(world, [&] { spec = load_spec(args.spec); });
    if (!spec.sensitivity.morris && !spec.sensitivity.sobol)
        throw ScenarioError(args.spec, 0, "method", "(no morris: or sobol:)",
                            "method: {morris: {trajectories: 10, levels: 4}, sobol: {base_samples: 128}, "
                            "bootstrap: 200} (either or both)");
    spec.method = Method::sensitivity;
    const std::string output =
        args.output.empty() ? fs::path(args.spec).stem().string() + "-sensitivity.h5" : args.output;

    std::unique_ptr<ScenarioModel> model;
    on_every_rank(world, [&] {
        model = std::make_unique<ScenarioModel>(spec, args.threads, world);
        if (world.rank() != 0) return;
        // Before any run: the file could not be written at the end.
        std::vector<std::string> inputs{args.spec};
        for (const auto& file : model->base().inputs) inputs.push_back(file.path);
        check_output_path(output, args.force, inputs, "-o");
        const fs::path folder = fs::absolute(output).parent_path();
        std::error_code error;
        if (!fs::is_directory(folder, error))
            throw OutputError(output + ": the folder " + folder.string() + " does not exist: create it first");
    });

    if (world.rank() == 0 && !args.quiet) {
        const auto k = static_cast<std::int64_t>(spec.parameters.size());
        std::int64_t runs = 0;
        if (spec.sensitivity.morris) runs += spec.sensitivity.trajectories * (k + 1);
        if (spec.sensitivity.sobol) runs += spec.sensitivity.base_samples * (k + 2);
        std::cerr << "migsim: sensitivity of " << spec.targets.size() << " output(s) to " << k
                  << " parameter(s): " << runs << " runs x " << spec.replicates << " replicate(s) of "
                  << spec.scenario.string() << ", all on seed " << spec.seed << "\n";
    }
    // Runs done / total and the time left.
    StatusLine line(!args.quiet && world.rank() == 0);
    const SensitivityResult result = analyse_sensitivity(spec, *model, [&line](const SensitivityProgress& p) {
        std::string text = "runs " + std::to_string(p.done) + "/" + std::to_string(p.total) + "  " +
                           std::to_string(std::llround(p.seconds_elapsed)) + " s elapsed";
        if (p.done > 0) text += "  " + std::to_string(std::llround(p.seconds_left)) + " s left";
        line.show(p.seconds_elapsed, p.done == p.total, text);
    });
    line.finish();

    on_every_rank(world, [&] {
        if (world.rank() == 0) write_sensitivity(output, spec, result);
    });
    if (world.rank() != 0) return exit_ok;
    std::cout << sensitivity_table(result);
    std::cout << "wrote " << output << ": " << result.samples.size() << " runs (" << result.simulations
              << " simulations), " << sensitivity_methods(spec.sensitivity) << ", " << std::fixed
              << std::setprecision(1) << result.wall_seconds << " s\n";
    return exit_ok;
}

Action setup_sensitivity(CLI::App& sensitivity) {
    auto args = std::make_shared<SensitivityArgs>();
    sensitivity.add_option("spec", args->spec, "the SPEC: a YAML file with parameters:, outputs: and method:")
        ->required();
    sensitivity.add_option("-o,--output", args->output,
                           "the HDF5 file to write (default SPEC-NAME-sensitivity.h5); never a scenario input");
    sensitivity.add_option("--threads", args->threads, "worker threads, one run each (default: all cores)")
        ->check(CLI::Range(0, 1024));
    sensitivity.add_flag("--force", args->force, "replace an existing output file");
    sensitivity.add_flag("-q,--quiet", args->quiet, "no progress on stderr");
    sensitivity.footer("Which parameters move the outputs, and how much of their variance each explains.\n"
                       "A SPEC (docs/CALIBRATION.md) names the scenario, the parameters with their priors, and the "
                       "outputs:\n"
                       "  scenario: ..                       # the scenario folder, relative to the SPEC\n"
                       "  set: {days: 60}                    # overrides for every run\n"
                       "  seed: 7                            # the designs' draws and every run's seed\n"
                       "  parameters:\n"
                       "    border:strait.patrol: {prior: uniform, low: 0.1, high: 0.9}\n"
                       "    behaviour.switching_cost: {prior: log_uniform, low: 0.1, high: 10}\n"
                       "  outputs:\n"
                       "    - {name: arrivals_mainland, series: arrivals, entities: [mainland], aggregation: sum}\n"
                       "  method:\n"
                       "    morris: {trajectories: 10, levels: 4}    # trajectories x (parameters + 1) runs\n"
                       "    sobol: {base_samples: 128}               # base_samples x (parameters + 2) runs\n"
                       "    bootstrap: 200                           # resamples for the 95% intervals\n"
                       "Example:\n"
                       "  migsim sensitivity scenarios/toy/calibration/sensitivity.yml -o sens.h5 --threads 4\n"
                       "prints, per output, the parameters by total index S_T (or Morris mu*) with S_1, S_T, mu*, "
                       "sigma\n"
                       "and their bootstrap 95% intervals; then in Python:\n"
                       "  xarray.open_dataset('sens.h5', engine='h5netcdf').sobol_total.to_pandas()\n"
                       "How to read it: S_1 is the share of an output's variance a parameter explains alone, S_T the\n"
                       "share it takes part in (alone or with others); S_T near 0: the parameter can be fixed "
                       "anywhere\n"
                       "in its prior. Morris mu* (output change per unit of prior probability) ranks parameters with\n"
                       "fewer runs; a large sigma next to mu* means interactions or a curved response.\n"
                       "Every run uses the SPEC's seed, so differences between runs come from the parameters alone.\n"
                       "Under mpirun every rank runs its share of the points; rank 0 writes the file.");
    return {Scope::collective, [args](const Comm& world) { return sensitivity_command(*args, world); }, {}};
}

}   // namespace

const Command sensitivity_entry = {"sensitivity",
                                   "Morris and Sobol sensitivity of a SPEC's outputs to its parameters, with 95% "
                                   "intervals.",
                                   setup_sensitivity};

}   // namespace migsim::cli
