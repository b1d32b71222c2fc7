// Writing and reading the calibration file. netCDF-4 compatible: each dimension is a dimension
// scale (a coordinate variable), so xarray.open_dataset(path, engine="h5netcdf") reads it.
#include "calibration/calibration_file.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "io/hdf5_util.hpp"
#include "migsim/errors.hpp"
#include "migsim/output.hpp"

namespace migsim::calibration {

using namespace detail;

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

class Layout {
public:
    explicit Layout(hid_t file) : file_(file) {}

    void dimension(const std::string& name, const std::vector<std::string>& ids) {
        Handle ds = write_strings(file_, name, ids);
        check(H5DSset_scale(ds, name.c_str()), "scale " + name);
        sizes_[name] = ids.size();
        dims_[name] = std::move(ds);
    }
    void dimension(const std::string& name, hsize_t n) {
        sizes_[name] = n;
        dims_[name] = write_index_dimension(file_, name, n);
    }
    // A float64 variable over `dims` (in order).
    void write(const std::string& name, const std::vector<std::string>& dims, const std::vector<double>& values,
               const char* long_name) {
        std::vector<hsize_t> shape;
        for (const auto& d : dims) shape.push_back(sizes_.at(d));
        Handle space(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr), H5Sclose);
        Handle ds(H5Dcreate2(file_, name.c_str(), H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                  H5Dclose);
        check(ds, "create " + name);
        if (!values.empty())
            check(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "write " + name);
        if (long_name) write_attribute(ds, "long_name", std::string(long_name));
        for (unsigned axis = 0; axis < dims.size(); ++axis)
            check(H5DSattach_scale(ds, dims_.at(dims[axis]), axis), "attach " + dims[axis]);
    }
    void strings(const std::string& name, const std::string& dim, const std::vector<std::string>& values) {
        Handle ds = write_strings(file_, name, values);
        check(H5DSattach_scale(ds, dims_.at(dim), 0), "attach " + dim);
    }

private:
    hid_t file_;
    std::map<std::string, Handle> dims_;
    std::map<std::string, hsize_t> sizes_;
};

}   // namespace

void write_calibration(const std::string& path, const Spec& spec, const CalibrationRecord& record) {
    silence_hdf5_errors();
    const std::string temporary = path + ".part";
    {
        Handle file(H5Fcreate(temporary.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
        if (file.get() < 0)
            throw OutputError(temporary + ": cannot create the calibration file (a missing folder? no permission?)");
        try {
            const auto& gens = record.generations;
            const std::size_t G = gens.size(), P = spec.parameters.size(), T = spec.targets.size();
            std::size_t N = 0;
            for (const auto& g : gens) N = std::max(N, g.values.size());
            Layout out(file);
            out.dimension("generation", G);
            out.dimension("particle", N);
            std::vector<std::string> keys, names;
            for (const auto& p : spec.parameters) keys.push_back(p.key);
            for (const auto& t : spec.targets) names.push_back(t.name);
            out.dimension("parameter", keys);
            out.dimension("target", names);

            std::vector<double> value(G * N * P, nan), weight(G * N, 0), dist(G * N, nan), output(G * N * T, nan);
            std::vector<double> tolerance, acceptance, ess, simulations, count;
            for (std::size_t g = 0; g < G; ++g) {
                const Generation& gen = gens[g];
                for (std::size_t i = 0; i < gen.values.size(); ++i) {
                    for (std::size_t p = 0; p < P; ++p) value[(g * N + i) * P + p] = gen.values[i][p];
                    for (std::size_t t = 0; t < T; ++t) output[(g * N + i) * T + t] = gen.outputs[i][t];
                    weight[g * N + i] = gen.weights[i];
                    dist[g * N + i] = gen.distances[i];
                }
                tolerance.push_back(gen.tolerance);
                acceptance.push_back(gen.acceptance_rate);
                ess.push_back(gen.ess);
                simulations.push_back(static_cast<double>(gen.simulations));
                count.push_back(static_cast<double>(gen.values.size()));
            }
            out.write("particle_value", {"generation", "particle", "parameter"}, value, "each generation's particles");
            out.write("particle_weight", {"generation", "particle"}, weight, "importance weight (0: no particle)");
            out.write("particle_distance", {"generation", "particle"}, dist,
                      record.method == "abc-smc" ? "distance to the observed targets" : "implausibility");
            out.write("particle_output", {"generation", "particle", "target"}, output, "simulated target values");
            out.write("tolerance", {"generation"}, tolerance, "ABC tolerance, or the implausibility cut-off");
            out.write("acceptance_rate", {"generation"}, acceptance,
                      "ABC: accepted / simulated proposals; history matching: share of candidates not ruled out");
            out.write("ess", {"generation"}, ess, "effective sample size of the weights");
            out.write("simulations", {"generation"}, simulations, "model runs (points x replicates)");
            out.write("particle_count", {"generation"}, count, "particles in the generation");

            // The posterior: the last generation, along the same particle dimension (rows past its
            // size, when an earlier wave had more points, are NaN with weight 0).
            if (!gens.empty()) {
                const std::size_t g = G - 1;
                const auto row = [&](const std::vector<double>& all, std::size_t width) {
                    return std::vector<double>(all.begin() + static_cast<std::ptrdiff_t>(g * N * width),
                                               all.begin() + static_cast<std::ptrdiff_t>((g + 1) * N * width));
                };
                out.write("posterior_value", {"particle", "parameter"}, row(value, P), "posterior particles");
                out.write("posterior_weight", {"particle"}, row(weight, 1), "posterior weights (sum 1)");
                out.write("posterior_predictive", {"particle", "target"}, row(output, T),
                          "each posterior particle's simulated targets");
            }
            std::vector<double> observed, sd, a, b, low, high, truth;
            std::vector<std::string> kinds, series, aggregation;
            for (const auto& t : spec.targets) {
                observed.push_back(t.observed);
                sd.push_back(t.sd());
                series.push_back(t.numerator.series);
                aggregation.emplace_back(to_string(t.aggregation));
            }
            for (const auto& p : spec.parameters) {
                kinds.emplace_back(to_string(p.prior.kind));
                a.push_back(p.prior.a);
                b.push_back(p.prior.b);
                low.push_back(p.prior.low);
                high.push_back(p.prior.high);
                truth.push_back(p.truth ? *p.truth : nan);
            }
            out.write("observed", {"target"}, observed, "observed value of each target");
            out.write("observation_sd", {"target"}, sd, "observation error (standard deviation)");
            out.strings("target_series", "target", series);
            out.strings("target_aggregation", "target", aggregation);
            out.strings("prior_kind", "parameter", kinds);
            out.write("prior_a", {"parameter"}, a, "prior: low (uniform kinds) or mean (normal kinds)");
            out.write("prior_b", {"parameter"}, b, "prior: high (uniform kinds) or sd (normal kinds)");
            out.write("prior_low", {"parameter"}, low, "lower end of the prior's support");
            out.write("prior_high", {"parameter"}, high, "upper end of the prior's support");
            out.write("truth", {"parameter"}, truth, "value that made synthetic targets (NaN: none given)");

            write_attribute(file, "migsim_file", std::string("calibration"));
            write_attribute(file, "method", record.method);
            write_attribute(file, "spec", record.spec_text);
            write_attribute(file, "spec_path", spec.path.string());
            write_attribute(file, "scenario", record.scenario);
            write_attribute(file, "scenario_sha256", record.scenario_sha256);
            write_attribute(file, "seed", static_cast<std::int64_t>(record.seed));
            write_attribute(file, "replicates", static_cast<std::int64_t>(record.replicates));
            write_attribute(file, "completed", static_cast<std::int64_t>(record.completed ? 1 : 0));
            write_attribute(file, "generations_completed", static_cast<std::int64_t>(G));
            write_attribute(file, "wall_seconds", record.wall_seconds);
            write_attribute(file, "migsim_version", std::string(engine_version()));
            write_attribute(file, "git_revision", std::string(git_revision()));
            check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush");
        } catch (const OutputError& e) {
            file.close();
            std::filesystem::remove(temporary);
            throw OutputError(path + ": cannot write the calibration (disk full?): " + e.what());
        }
        if (file.close() < 0) {
            std::filesystem::remove(temporary);
            throw OutputError(path + ": cannot finish the calibration file (disk full?)");
        }
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error) throw OutputError(path + ": cannot replace it with the new generation: " + error.message());
}

CalibrationRecord read_calibration(const std::string& path) {
    silence_hdf5_errors();
    Handle file = open_file(path);
    if (read_string_attribute(file, "migsim_file") != "calibration")
        throw OutputError(path + ": not a calibration file (no attribute migsim_file = calibration); expected the -o "
                                 "file of migsim calibrate");
    CalibrationRecord r;
    r.method = read_string_attribute(file, "method");
    r.spec_text = read_string_attribute(file, "spec");
    r.scenario = read_string_attribute(file, "scenario");
    r.scenario_sha256 = read_string_attribute(file, "scenario_sha256");
    r.seed = static_cast<std::uint64_t>(number_attribute(file, "seed"));
    r.replicates = static_cast<int>(number_attribute(file, "replicates"));
    r.completed = number_attribute(file, "completed") != 0;
    r.wall_seconds = number_attribute(file, "wall_seconds");
    std::vector<hsize_t> shape, s2;
    const auto value = read_doubles(file, "particle_value", shape);
    if (shape.size() != 3) throw OutputError(path + ": particle_value is not (generation, particle, parameter)");
    const std::size_t G = shape[0], N = shape[1], P = shape[2];
    const auto output = read_doubles(file, "particle_output", s2);
    const std::size_t T = s2.size() == 3 ? s2[2] : 0;
    auto read = [&](const char* name, std::size_t expected) {
        std::vector<hsize_t> sh;
        auto v = read_doubles(file, name, sh);
        if (v.size() != expected)
            throw OutputError(path + ": dataset '" + name + "' has the wrong size (a damaged file?)");
        return v;
    };
    if (s2.size() != 3 || s2[0] != G || s2[1] != N) throw OutputError(path + ": particle_output has the wrong shape");
    const auto weight = read("particle_weight", G * N), dist = read("particle_distance", G * N);
    const auto tolerance = read("tolerance", G), acceptance = read("acceptance_rate", G), ess = read("ess", G),
               simulations = read("simulations", G), count = read("particle_count", G);
    for (std::size_t g = 0; g < G; ++g) {
        Generation gen;
        const auto n = static_cast<std::size_t>(count[g]);
        if (n > N) throw OutputError(path + ": particle_count exceeds the particle dimension (a damaged file?)");
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t at = g * N + i;
            gen.values.emplace_back(value.begin() + static_cast<std::ptrdiff_t>(at * P),
                                    value.begin() + static_cast<std::ptrdiff_t>((at + 1) * P));
            gen.outputs.emplace_back(output.begin() + static_cast<std::ptrdiff_t>(at * T),
                                     output.begin() + static_cast<std::ptrdiff_t>((at + 1) * T));
            gen.weights.push_back(weight[at]);
            gen.distances.push_back(dist[at]);
        }
        gen.tolerance = tolerance[g];
        gen.acceptance_rate = acceptance[g];
        gen.ess = ess[g];
        gen.simulations = static_cast<std::int64_t>(simulations[g]);
        r.generations.push_back(std::move(gen));
    }
    return r;
}

}   // namespace migsim::calibration
