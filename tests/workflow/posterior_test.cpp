// Runs under parameter uncertainty (docs/COMPARE.md, "With parameter uncertainty"): reading a
// calibration's posterior, drawing from it, a posterior run of the toy and the comparison of two
// of them, whose interval is recomputed here from the files' series.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "migsim/compare.hpp"
#include "migsim/errors.hpp"
#include "migsim/posterior.hpp"
#include "migsim/run.hpp"

using namespace migsim;

namespace {

const std::string toy = std::string(MIGSIM_SOURCE_DIR) + "/scenarios/toy";

std::filesystem::path scratch(const std::string& name) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("migsim-posterior-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir);
    return dir / name;
}

// A calibration file as migsim calibrate writes it: posterior_value(particle, parameter),
// posterior_weight(particle), the string coordinate `parameter` and the root attribute `method`.
// `leave_out` names a dataset or attribute not to write (a file that is not a calibration).
void write_calibration(const std::filesystem::path& path, const std::vector<std::string>& keys,
                       const std::vector<std::vector<double>>& values, const std::vector<double>& weights,
                       const std::string& leave_out = "") {
    const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    const hsize_t P = values.size(), K = keys.size();
    const hid_t string = H5Tcopy(H5T_C_S1);
    H5Tset_size(string, H5T_VARIABLE);
    H5Tset_cset(string, H5T_CSET_UTF8);
    if (leave_out != "parameter") {
        const hid_t space = H5Screate_simple(1, &K, nullptr);
        const hid_t ds = H5Dcreate2(file, "parameter", string, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        std::vector<const char*> names;
        for (const auto& k : keys) names.push_back(k.c_str());
        H5Dwrite(ds, string, H5S_ALL, H5S_ALL, H5P_DEFAULT, names.data());
        H5DSset_scale(ds, "parameter");
        H5Dclose(ds);
        H5Sclose(space);
    }
    if (leave_out != "posterior_value") {
        const hsize_t shape[2] = {P, K};
        std::vector<double> flat;
        for (const auto& row : values) flat.insert(flat.end(), row.begin(), row.end());
        const hid_t space = H5Screate_simple(2, shape, nullptr);
        const hid_t ds =
            H5Dcreate2(file, "posterior_value", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, flat.data());
        H5Dclose(ds);
        H5Sclose(space);
    }
    if (leave_out != "posterior_weight") {
        const hsize_t n = weights.size();
        const hid_t space = H5Screate_simple(1, &n, nullptr);
        const hid_t ds =
            H5Dcreate2(file, "posterior_weight", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, weights.data());
        H5Dclose(ds);
        H5Sclose(space);
    }
    if (leave_out != "method") {
        const hid_t fixed = H5Tcopy(H5T_C_S1);
        const std::string method = "abc-smc";
        H5Tset_size(fixed, method.size());
        const hid_t space = H5Screate(H5S_SCALAR);
        const hid_t attribute = H5Acreate2(file, "method", fixed, space, H5P_DEFAULT, H5P_DEFAULT);
        H5Awrite(attribute, fixed, method.data());
        H5Aclose(attribute);
        H5Sclose(space);
        H5Tclose(fixed);
    }
    H5Tclose(string);
    H5Fclose(file);
}

// A dataset read whole as doubles, with its shape.
std::vector<double> read_all(const std::filesystem::path& path, const std::string& name,
                             std::vector<hsize_t>* shape = nullptr) {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const hid_t ds = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
    const hid_t space = H5Dget_space(ds);
    std::vector<hsize_t> dims(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space)));
    H5Sget_simple_extent_dims(space, dims.data(), nullptr);
    std::vector<double> out(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
    H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data());
    H5Sclose(space);
    H5Dclose(ds);
    H5Fclose(file);
    if (shape) *shape = dims;
    return out;
}

std::string string_attribute(const std::filesystem::path& path, const char* name) {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const hid_t attribute = H5Aopen(file, name, H5P_DEFAULT);
    const hid_t type = H5Aget_type(attribute);
    std::string out;
    if (H5Tis_variable_str(type) > 0) {
        char* text = nullptr;
        H5Aread(attribute, type, &text);
        out = text ? text : "";
        H5free_memory(text);
    } else {
        out.resize(H5Tget_size(type));
        H5Aread(attribute, type, out.data());
        out = out.c_str();
    }
    H5Tclose(type);
    H5Aclose(attribute);
    H5Fclose(file);
    return out;
}

// Is the dataset `name`'s axis `axis` the dimension scale `dimension`?
bool attached(const std::filesystem::path& path, const std::string& name, unsigned axis, const std::string& dimension) {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const hid_t ds = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
    const hid_t scale = H5Dopen2(file, dimension.c_str(), H5P_DEFAULT);
    const bool yes = H5DSis_attached(ds, scale, axis) > 0;
    H5Dclose(scale);
    H5Dclose(ds);
    H5Fclose(file);
    return yes;
}

Posterior two_particles(double first, double second) {
    Posterior p;
    p.keys = {"border:strait.patrol"};
    p.values = {{0.2}, {0.6}};
    p.weights = {first, second};
    p.path = "(in memory)";
    return p;
}

}   // namespace

TEST(DrawPosterior, NeverDrawsAParticleOfWeightZero) {
    Posterior p;
    p.keys = {"border:strait.patrol"};
    p.values = {{0.0}, {0.1}, {0.2}, {0.3}, {0.4}};
    p.weights = {0, 0.5, 0, 0.5, 0};
    p.path = "(in memory)";
    for (std::uint64_t seed : {1u, 2u, 3u, 99u})
        for (int n : {1, 2, 3, 7, 100})
            for (const auto& row : draw_posterior(p, n, seed))
                EXPECT_TRUE(row[0] == 0.1 || row[0] == 0.3) << "seed " << seed << ", " << n << " draws: " << row[0];
}

TEST(DrawPosterior, SharesFollowTheWeights) {
    const int N = 4000;
    const auto draws = draw_posterior(two_particles(0.25, 0.75), N, 42);
    ASSERT_EQ(draws.size(), static_cast<std::size_t>(N));
    const auto first = std::count_if(draws.begin(), draws.end(), [](const auto& row) { return row[0] == 0.2; });
    const double sigma = std::sqrt(N * 0.25 * 0.75);
    EXPECT_LE(std::abs(static_cast<double>(first) - N * 0.25), 3 * sigma) << first << " of " << N;
    // Weights need not sum to 1: they are normalised.
    EXPECT_EQ(draw_posterior(two_particles(1, 3), N, 42), draws);
}

TEST(DrawPosterior, IsAPureFunctionOfPosteriorDrawsAndSeed) {
    const Posterior p = two_particles(0.5, 0.5);
    EXPECT_EQ(draw_posterior(p, 5, 7), draw_posterior(p, 5, 7));
    // Odd N over two equal weights: the seed decides which particle gets the third draw.
    std::map<int, int> firsts;
    for (std::uint64_t seed = 0; seed < 40; ++seed) {
        const auto d = draw_posterior(p, 5, seed);
        ++firsts[static_cast<int>(std::count_if(d.begin(), d.end(), [](const auto& row) { return row[0] == 0.2; }))];
    }
    EXPECT_EQ(firsts.size(), 2u);
    EXPECT_TRUE(firsts.count(2) && firsts.count(3));
    EXPECT_THROW((void)draw_posterior(p, 0, 1), ScenarioError);
}

TEST(ReadPosterior, ReadsACalibrationFile) {
    const auto path = scratch("calib.h5");
    write_calibration(path, {"border:strait.patrol", "behaviour.switching_cost"}, {{0.3, 50}, {0.5, 80}, {0.7, 20}},
                      {0.2, 0.3, 0.5});
    const Posterior p = read_posterior(path.string());
    EXPECT_EQ(p.keys, (std::vector<std::string>{"border:strait.patrol", "behaviour.switching_cost"}));
    ASSERT_EQ(p.values.size(), 3u);
    EXPECT_EQ(p.values[1], (std::vector<double>{0.5, 80}));
    EXPECT_EQ(p.weights, (std::vector<double>{0.2, 0.3, 0.5}));
}

TEST(ReadPosterior, RefusesWhatIsNotACalibrationFileNamingWhatIsMissing) {
    for (const std::string missing : {"posterior_value", "posterior_weight", "parameter", "method"}) {
        const auto path = scratch("no-" + missing + ".h5");
        write_calibration(path, {"border:strait.patrol"}, {{0.3}}, {1.0}, missing);
        try {
            (void)read_posterior(path.string());
            ADD_FAILURE() << "read without " << missing;
        } catch (const OutputError& e) {
            EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("'" + missing + "'"), std::string::npos) << e.what();
        }
    }
    const auto negative = scratch("negative.h5");
    write_calibration(negative, {"border:strait.patrol"}, {{0.3}, {0.4}}, {1.0, -0.5});
    EXPECT_THROW((void)read_posterior(negative.string()), OutputError);
    const auto zero = scratch("zero.h5");
    write_calibration(zero, {"border:strait.patrol"}, {{0.3}, {0.4}}, {0.0, 0.0});
    EXPECT_THROW((void)read_posterior(zero.string()), OutputError);
    const auto not_finite = scratch("nan.h5");
    write_calibration(not_finite, {"border:strait.patrol"}, {{0.3}, {0.4}}, {1.0, std::nan("")});
    EXPECT_THROW((void)read_posterior(not_finite.string()), OutputError);
}

TEST(PosteriorInterval, FollowsTheFormula) {
    // 3 draws x 2 seeds: m_d = 1, 4, 7; m = 4; s_m^2 = 9; within: (1+1+0+0+4+4)/3 = 10/3;
    // v_theta = 9 - 10/6 = 22/3; half = 1.96 sqrt(22/3 + 3).
    const PosteriorInterval p = posterior_interval({0, 2, 4, 4, 5, 9}, 3);
    EXPECT_DOUBLE_EQ(p.mean, 4);
    EXPECT_DOUBLE_EQ(p.between, 9);
    EXPECT_DOUBLE_EQ(p.within, 10.0 / 3);
    EXPECT_DOUBLE_EQ(p.parameter, 9 - 10.0 / 6);
    EXPECT_DOUBLE_EQ(p.high - p.mean, 1.96 * std::sqrt(22.0 / 3 + 3));
    // Between-draw spread no larger than the seed noise explains: no parameter variance.
    const PosteriorInterval q = posterior_interval({0, 4, 1, 3, 3, 1, 4, 0}, 4);
    EXPECT_EQ(q.parameter, 0);
    EXPECT_DOUBLE_EQ(q.high - q.mean, 1.96 * std::sqrt(q.between / 4));
    // One seed per draw: within is 0, the draws' spread is all of it.
    const PosteriorInterval r = posterior_interval({1, 2, 3}, 3);
    EXPECT_EQ(r.within, 0);
    EXPECT_DOUBLE_EQ(r.parameter, 1);
    EXPECT_TRUE(std::isnan(posterior_interval({1, 2}, 1).low));   // one draw: no interval
}

namespace {

// A posterior run of the toy, 40 days, through the library as `migsim run --posterior` does it.
void run_posterior(const std::filesystem::path& calibration, const std::filesystem::path& out, int draws,
                   int replicates, std::vector<std::string> overrides, std::uint64_t seed = 11) {
    overrides.insert(overrides.begin(), {"days=40", "seed=" + std::to_string(seed)});
    SweepPlan plan = plan_posterior(toy, overrides, calibration.string(), draws, seed);
    RunOptions options;
    options.output = out.string();
    options.replicates = replicates;
    options.threads = 2;
    const RunResult result = run_sweep(plan, options);
    ASSERT_FALSE(result.interrupted);
}

// Per (draw, replicate), draw-major: a series summed over time and entities.
std::vector<double> totals(const std::filesystem::path& path, const std::string& name) {
    std::vector<hsize_t> shape;
    const auto values = read_all(path, name, &shape);
    const std::size_t pairs = shape[0] * shape[1];
    std::vector<double> out(pairs, 0.0);
    const std::size_t per_pair = values.size() / pairs;
    for (std::size_t j = 0; j < pairs; ++j)
        for (std::size_t i = 0; i < per_pair; ++i) out[j] += values[j * per_pair + i];
    return out;
}

const ComparisonRow& row_of(const std::vector<ComparisonRow>& rows, const std::string& outcome) {
    const auto it =
        std::find_if(rows.begin(), rows.end(), [&](const ComparisonRow& r) { return r.outcome == outcome; });
    if (it == rows.end()) throw std::runtime_error("no row " + outcome);
    return *it;
}

}   // namespace

TEST(PosteriorRun, HasADrawDimensionAndComparePairsByDrawAndSeed) {
    const auto calibration = scratch("calib.h5");
    write_calibration(calibration, {"border:strait.patrol", "behaviour.switching_cost"},
                      {{0.1, 20}, {0.4, 60}, {0.8, 150}}, {0.3, 0.4, 0.3});
    const auto base = scratch("base.h5"), variant = scratch("variant.h5");
    run_posterior(calibration, base, 4, 2, {});
    run_posterior(calibration, variant, 4, 2, {"market:strait_boats.price=1500"});

    EXPECT_EQ(string_attribute(base, "kind"), "posterior");
    EXPECT_EQ(string_attribute(base, "posterior"), calibration.string());
    EXPECT_EQ(string_attribute(base, "posterior_sha256").size(), 64u);
    std::vector<hsize_t> shape;
    (void)read_all(base, "arrivals", &shape);
    ASSERT_EQ(shape.size(), 4u);   // (draw, replicate, time, location)
    EXPECT_EQ(shape[0], 4u);
    EXPECT_EQ(shape[1], 2u);
    EXPECT_EQ(shape[2], 40u);
    EXPECT_TRUE(attached(base, "arrivals", 0, "draw"));
    EXPECT_TRUE(attached(base, "param_border_strait_patrol", 0, "draw"));
    // The draws as drawn, in the param_* coordinates; each (draw, replicate) its own seed.
    const auto expected = draw_posterior(read_posterior(calibration.string()), 4, 11);
    const auto patrol = read_all(base, "param_border_strait_patrol");
    const auto cost = read_all(base, "param_behaviour_switching_cost");
    ASSERT_EQ(patrol.size(), 4u);
    for (std::size_t k = 0; k < 4; ++k) {
        EXPECT_EQ(patrol[k], expected[k][0]);
        EXPECT_EQ(cost[k], expected[k][1]);
    }
    EXPECT_EQ(read_all(base, "seed", &shape), (std::vector<double>{11, 12, 13, 14, 15, 16, 17, 18}));
    EXPECT_EQ(shape, (std::vector<hsize_t>{4, 2}));

    // compare's interval is the formula of docs/COMPARE.md over the files' series.
    const auto rows = compare_runs(base.string(), variant.string(), {});
    const ComparisonRow& arrivals = row_of(rows, "arrivals");
    EXPECT_EQ(arrivals.draws, 4);
    EXPECT_EQ(arrivals.replicates, 2);
    const auto b = totals(base, "arrivals"), v = totals(variant, "arrivals");
    std::vector<double> m(4, 0.0), d;
    for (std::size_t j = 0; j < 8; ++j) d.push_back(v[j] - b[j]), m[j / 2] += (v[j] - b[j]) / 2;
    double mean = 0, between = 0, within = 0;
    for (double x : m) mean += x / 4;
    for (double x : m) between += (x - mean) * (x - mean) / 3;
    for (std::size_t j = 0; j < 8; ++j) within += (d[j] - m[j / 2]) * (d[j] - m[j / 2]) / 4;   // 4 draws x (2 - 1)
    const double parameter = std::max(0.0, between - within / 2);
    const double half = 1.96 * std::sqrt(parameter + between / 4);
    EXPECT_NEAR(arrivals.difference, mean, 1e-9 * (1 + std::abs(mean)));
    EXPECT_NEAR(arrivals.low, mean - half, 1e-9 * (1 + half));
    EXPECT_NEAR(arrivals.high, mean + half, 1e-9 * (1 + half));
    double ss = 0;
    for (double x : d) ss += (x - mean) * (x - mean);
    const double seed_half = student_t_975(7) * std::sqrt(ss / 7) / std::sqrt(8.0);
    EXPECT_NEAR(arrivals.low_seed_only, mean - seed_half, 1e-9 * (1 + seed_half));
    EXPECT_NEAR(arrivals.high_seed_only, mean + seed_half, 1e-9 * (1 + seed_half));
    EXPECT_GT(half, 0);

    // A plain run against a posterior run, and two posterior runs of other draws, are refused.
    const auto plain = scratch("plain.h5");
    {
        RunOptions options;
        options.output = plain.string();
        options.replicates = 2;
        (void)run(load_scenario(toy, {"days=40", "seed=11"}), options);
    }
    EXPECT_THROW((void)compare_runs(plain.string(), variant.string(), {}), ScenarioError);
    EXPECT_THROW((void)compare_runs(base.string(), plain.string(), {}), ScenarioError);
    const auto other = scratch("other.h5");
    run_posterior(calibration, other, 4, 2, {}, 12);   // the same posterior, other draws and seeds
    EXPECT_THROW((void)compare_runs(base.string(), other.string(), {}), ScenarioError);
}

TEST(PosteriorRun, IdenticalDrawsLeaveOnlySeedNoise) {
    // Every particle the same: the draws differ only by their seeds, so the parameter variance
    // is none but for noise, and the Monte Carlo part of the interval is about as wide as the
    // seed-only one. (v_theta itself is an estimate: when the draws' means happen to spread more
    // than within / R predicts, it is positive and the interval wider, by sqrt(v_theta), however
    // many draws; PosteriorInterval.FollowsTheFormula shows the exact 0.)
    const auto calibration = scratch("calib.h5");
    write_calibration(calibration, {"border:strait.patrol", "behaviour.switching_cost"}, {{0.4, 60}, {0.4, 60}},
                      {0.5, 0.5});
    const auto base = scratch("base.h5"), variant = scratch("variant.h5");
    run_posterior(calibration, base, 8, 3, {});
    run_posterior(calibration, variant, 8, 3, {"market:strait_boats.price=1500"});
    const auto rows = compare_runs(base.string(), variant.string(), {});
    const auto b = totals(base, "arrivals"), v = totals(variant, "arrivals");
    std::vector<double> d;
    for (std::size_t j = 0; j < b.size(); ++j) d.push_back(v[j] - b[j]);
    const PosteriorInterval p = posterior_interval(d, 8);
    const ComparisonRow& arrivals = row_of(rows, "arrivals");
    EXPECT_DOUBLE_EQ(arrivals.high, p.high);
    EXPECT_DOUBLE_EQ(arrivals.high - arrivals.low, 2 * 1.96 * std::sqrt(p.parameter + p.between / 8));
    // With identical draws E[between] = E[within / R]: v_theta = max(0, between - within / R) is 0
    // or noise. between > 4 within / R has a chance near 1% (F with 7 and 16 degrees of freedom);
    // the synthetic case of PosteriorInterval.FollowsTheFormula shows the exact 0.
    EXPECT_LE(p.parameter, 3 * p.within / 3) << "between " << p.between << ", within / R " << p.within / 3;
    const double width = 2 * 1.96 * std::sqrt(p.between / 8),
                 seed_width = arrivals.high_seed_only - arrivals.low_seed_only;
    EXPECT_GT(width, 0);
    EXPECT_GT(width / seed_width, 0.5) << width << " vs " << seed_width;
    EXPECT_LT(width / seed_width, 2.0) << width << " vs " << seed_width;
}
