// migsim calibrate SPEC.yml -o calib.h5: ABC-SMC or history matching over a scenario's
// parameters (docs/CALIBRATION.md). Collective: under mpirun every rank runs its share of each
// generation's points; rank 0 writes the file and prints.
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "progress.hpp"
#include "migsim/calibration.hpp"
#include "migsim/errors.hpp"

namespace migsim::cli {

namespace {

std::atomic<bool> stop_calibration{false};
extern "C" void on_calibration_signal(int) { stop_calibration.store(true); }

struct CalibrateArgs {
    std::string spec, output;
    int threads = 0;
    bool force = false, quiet = false;
    long long synthetic = -1;   // --synthetic SEED: targets made by the model at truth:
};

// Synthetic recovery: every target's observed value becomes the model's at the SPEC's truth:,
// run on `seed` (each target keeps its error). Kept in the SPEC text, so that a resumed or
// repeated calibration checks it is the same data.
void make_synthetic(calibration::Spec& spec, calibration::Model& model, std::uint64_t seed) {
    std::vector<double> truth;
    for (const auto& p : spec.parameters) {
        if (!p.truth)
            throw ScenarioError(spec.path.string(), 0, "truth", p.key,
                                "a truth: value for every parameter with --synthetic (the point that makes the data)");
        truth.push_back(*p.truth);
    }
    const auto rows = model.evaluate({truth}, {seed}, {});
    spec.text += "\n# --synthetic " + std::to_string(seed) + ": observed values made by the model at truth:\n";
    for (std::size_t t = 0; t < spec.targets.size(); ++t) {
        spec.targets[t].observed = rows[0][t];
        if (!(spec.targets[t].sd() > 0))
            throw ScenarioError(spec.path.string(), 0, "targets[" + std::to_string(t) + "].error", "relative",
                                "an absolute error: the synthetic value of " + spec.targets[t].name + " is 0");
        std::ostringstream line;
        line.precision(17);
        line << "#   " << spec.targets[t].name << ": " << rows[0][t] << "\n";
        spec.text += line.str();
    }
}

// Generation, tolerance, accepted and simulated proposals, the last acceptance rate, time left.
void show(StatusLine& line, const calibration::CalibrationProgress& p) {
    char text[256];
    const int n =
        std::snprintf(text, sizeof text,
                      "generation %d/%d  tolerance %.4g  accepted %lld/%d of %lld simulated  last "
                      "acceptance %.3g  %.0f s",
                      p.generation, p.generations, p.tolerance, static_cast<long long>(p.accepted), p.population,
                      static_cast<long long>(p.simulated), p.acceptance_rate, p.seconds_elapsed);
    if (p.seconds_left > 0 && n > 0 && n < static_cast<int>(sizeof text))
        std::snprintf(text + n, sizeof text - static_cast<std::size_t>(n), ", ~%.0f s left", p.seconds_left);
    line.show(p.seconds_elapsed, false, text);
}

int calibrate_command(const CalibrateArgs& args, const Comm& world) {
    calibration::Spec spec;
    on_every_rank(world, [&] { spec = calibration::load_spec(args.spec); });
    const std::string output =
        args.output.empty() ? std::filesystem::path(args.spec).stem().string() + "-calibration.h5" : args.output;
    std::signal(SIGINT, on_calibration_signal);
    std::signal(SIGTERM, on_calibration_signal);
    std::unique_ptr<calibration::ScenarioModel> model;
    on_every_rank(world, [&] { model = std::make_unique<calibration::ScenarioModel>(spec, args.threads, world); });
    if (world.rank() == 0)
        for (const auto& note : model->replaced_parameters()) std::cerr << "migsim: note: " << note << "\n";
    if (args.synthetic >= 0)
        on_every_rank(world, [&] { make_synthetic(spec, *model, static_cast<std::uint64_t>(args.synthetic)); });
    if (args.synthetic >= 0 && world.rank() == 0 && !args.quiet) {
        std::cerr << "synthetic targets (the model at truth:, seed " << args.synthetic << "):";
        for (const auto& t : spec.targets) std::cerr << " " << t.name << " " << t.observed << ";";
        std::cerr << "\n";
    }
    StatusLine line(!args.quiet && world.rank() == 0);
    calibration::CalibrationOptions options;
    options.output = output;
    options.threads = args.threads;
    options.comm = &world;
    options.force = args.force;
    options.stop = &stop_calibration;
    options.progress = [&line](const calibration::CalibrationProgress& p) { show(line, p); };
    calibration::CalibrationResult result;
    on_every_rank(world, [&] { result = calibration::calibrate(spec, *model, options); });
    line.finish();
    if (world.rank() != 0) return result.interrupted ? exit_interrupted : exit_ok;
    if (result.already_complete) {
        std::cout << output << " already holds this calibration, finished (" << result.generations
                  << " generations); --force runs it again\n\n"
                  << calibration::describe_calibration(output);
        return exit_ok;
    }
    if (result.interrupted) {
        std::cerr << "migsim: interrupted; " << output << " keeps " << result.generations
                  << " finished generation(s); run the same command again to resume\n";
        return exit_interrupted;
    }
    std::cout << "wrote " << output << ": " << result.generations << " generations, " << result.simulations
              << " simulations" << (result.resumed ? " (resumed)" : "") << ", " << result.wall_seconds << " s\n\n"
              << calibration::describe_calibration(output);
    return exit_ok;
}

Action setup_calibrate(CLI::App& app) {
    auto args = std::make_shared<CalibrateArgs>();
    app.add_option("spec", args->spec, "the SPEC: scenario, parameters with priors, targets, method (YAML)")
        ->required();
    app.add_option("-o,--output", args->output,
                   "the calibration file (default SPEC-calibration.h5); if it holds this calibration unfinished, it "
                   "goes on from its last finished generation");
    app.add_option("--threads", args->threads, "points run side by side (default: all cores)")
        ->check(CLI::Range(0, 1024));
    app.add_option("--synthetic", args->synthetic,
                   "synthetic recovery: replace every target's observed value by the model's at the SPEC's truth:, "
                   "run with this seed")
        ->check(CLI::Range(0LL, 4503599627370495LL));
    app.add_flag("--force", args->force, "replace a finished calibration, or another file, at -o");
    app.add_flag("-q,--quiet", args->quiet, "no progress line");
    app.footer("A SPEC names a scenario, the parameters to vary (any --set key) with priors (uniform, log_uniform, "
               "normal, truncated_normal), the targets (a series summed over entities and a window, with an observed "
               "value and its error) and the method (abc_smc or history_matching). docs/CALIBRATION.md.\n"
               "Examples:\n"
               "  migsim calibrate scenarios/toy/calibration/recovery.yml -o post.h5\n"
               "  migsim info post.h5                      each parameter's prior, posterior median and 90% interval\n"
               "  migsim run scenarios/toy --posterior post.h5 --draws 20 --replicates 2 -o base.h5\n"
               "  mpirun -n 4 migsim calibrate SPEC.yml -o calib.h5   points shared over ranks, same result\n"
               "Interrupted (Ctrl-C, a killed job)? Run the same command again: it resumes from the last finished "
               "generation and ends exactly as an uninterrupted calibration.");
    return {Scope::collective, [args](const Comm& world) { return calibrate_command(*args, world); }, {}};
}

}   // namespace

const Command calibrate_entry = {"calibrate", "Calibrate parameters to observed targets: ABC-SMC or history matching.",
                                 setup_calibrate};

}   // namespace migsim::cli
