"""migsim.posterior on small calibration files written here with h5py, laid out as
`migsim calibrate` writes them, with known values: weighted quantiles, the summary against the
priors' exact widths, the predictive check, the generations, the figures and the errors."""
from __future__ import annotations

import math

import h5py
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import xarray as xr
from scipy import stats

import migsim
from migsim.posterior import weighted_quantile

from .h5files import write_h5

PARAMETERS = ["border:strait.patrol", "behaviour.switching_cost", "x.normal", "x.trunc"]
TARGETS = ["arrivals_2019", "deaths_2019", "interceptions_2021"]
# the final population: six particles, the last not in it (weight 0, values NaN)
WEIGHTS = [0.1, 0.2, 0.4, 0.2, 0.1, 0.0]
VALUES = np.array([
    # patrol, switching cost, normal, truncated
    [0.1, 10.0, 4.0, 0.5],
    [0.2, 20.0, 5.0, 0.6],
    [0.3, 40.0, 6.0, 0.7],
    [0.4, 80.0, 7.0, 0.8],
    [0.5, 160.0, 3.0, 0.9],
    [np.nan, np.nan, np.nan, np.nan],
])
PREDICTIVE = np.array([
    # arrivals, deaths, interceptions
    [900.0, 10.0, 40000.0],
    [950.0, 11.0, 45000.0],
    [1000.0, 12.0, 50000.0],
    [1100.0, 13.0, 52000.0],
    [1200.0, 14.0, 60000.0],
    [np.nan, np.nan, np.nan],
])
OBSERVED = [1000.0, 5.0, 50000.0]
SD = [100.0, 1.0, 5000.0]
TOLERANCE = [10.0, 5.0, 2.0]


def calibration_variables():
    g, n = len(TOLERANCE), len(WEIGHTS)
    rng = np.random.default_rng(4)
    particle_value = np.repeat(VALUES[None], g, axis=0) * (1 + 0.1 * rng.random((g, n, len(PARAMETERS))))
    particle_value[-1] = VALUES
    particle_weight = np.tile(np.array([0.2, 0.2, 0.2, 0.2, 0.2, 0.0]), (g, 1))
    particle_weight[-1] = WEIGHTS
    coords = {"generation": np.arange(g), "particle": np.arange(n), "parameter": PARAMETERS, "target": TARGETS}
    variables = {
        "particle_value": (("generation", "particle", "parameter"), particle_value),
        "particle_weight": (("generation", "particle"), particle_weight),
        "particle_distance": (("generation", "particle"), rng.random((g, n))),
        "tolerance": (("generation",), TOLERANCE),
        "acceptance_rate": (("generation",), [0.5, 0.3, 0.1]),
        "ess": (("generation",), [5.0, 5.0, 1 / np.sum(np.square(WEIGHTS))]),
        "simulations": (("generation",), np.array([10, 17, 50], dtype="int64")),
        "posterior_value": (("particle", "parameter"), VALUES),
        "posterior_weight": (("particle",), WEIGHTS),
        "posterior_predictive": (("particle", "target"), PREDICTIVE),
        "observed": (("target",), OBSERVED),
        "observation_sd": (("target",), SD),
        "prior_kind": (("parameter",), ["uniform", "log_uniform", "normal", "truncated_normal"]),
        "prior_a": (("parameter",), [0.0, 1.0, 5.0, 0.0]),
        "prior_b": (("parameter",), [1.0, 1000.0, 2.0, 1.0]),
        "prior_low": (("parameter",), [0.0, 1.0, -np.inf, 0.0]),
        "prior_high": (("parameter",), [1.0, 1000.0, np.inf, np.inf]),
        "truth": (("parameter",), [0.3, np.nan, 5.5, 2.0]),
    }
    attrs = {"method": "abc-smc", "scenario": "toy", "seed": 7, "replicates": 2, "completed": 1,
             "generations_completed": g, "spec": "scenario: toy\nmethod: abc-smc\n"}
    return coords, variables, attrs


@pytest.fixture
def calib(tmp_path):
    coords, variables, attrs = calibration_variables()
    return write_h5(tmp_path / "calib.h5", coords, variables, attrs)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# --- weighted quantiles ----------------------------------------------------------------------------

def test_weighted_quantile_known_cases():
    x = [0.1, 0.2, 0.3, 0.4, 0.5]
    w = [0.1, 0.2, 0.4, 0.2, 0.1]                       # F: 0.1, 0.3, 0.7, 0.9, 1.0
    assert weighted_quantile(x, w, 0.5) == pytest.approx(0.3)
    assert weighted_quantile(x, w, 0.05) == pytest.approx(0.1)
    assert weighted_quantile(x, w, 0.95) == pytest.approx(0.5)
    assert weighted_quantile(x, w, 0.9) == pytest.approx(0.45)   # F = 0.9 exactly: mean of 0.4 and 0.5
    assert weighted_quantile(x, w, 0.31) == pytest.approx(0.3)
    # order of the input does not matter; a heavy value pulls the median to itself
    assert weighted_quantile([5, 1, 3], [0.1, 0.1, 0.8], 0.5) == 3
    assert weighted_quantile([5, 1, 3], [0.7, 0.2, 0.1], 0.5) == 5
    # even count, equal weights: the usual median
    np.testing.assert_allclose(weighted_quantile([4, 1, 3, 2], [1, 1, 1, 1], [0, 0.25, 0.5, 1]), [1, 1.5, 2.5, 4])
    # zero weights and NaN values are left out
    assert weighted_quantile([1, 2, 100, np.nan], [1, 1, 0, 3], 0.75) == 2
    assert math.isnan(weighted_quantile([1, 2], [0, 0], 0.5))
    with pytest.raises(ValueError):
        weighted_quantile([1, 2], [1, -1], 0.5)
    with pytest.raises(ValueError):
        weighted_quantile([1, 2], [1, 1], 1.5)


def test_weighted_quantile_is_the_quantile_of_the_repeated_sample():
    rng = np.random.default_rng(1)
    x = rng.normal(size=40)
    counts = rng.integers(0, 6, size=40)
    qs = np.arange(41) / 40          # not linspace: its 0.07500000000000001 * 40 is not 3, and numpy then takes the
    # upper value where weighted_quantile (to 1e-12) sees the tie; see below
    expected = np.quantile(np.repeat(x, counts), qs, method="averaged_inverted_cdf")
    np.testing.assert_allclose(weighted_quantile(x, counts, qs), expected)
    np.testing.assert_allclose(weighted_quantile(x, counts / counts.sum(), qs), expected)   # scale-free
    np.testing.assert_allclose(weighted_quantile(x, np.ones(40), qs),
                               np.quantile(x, qs, method="averaged_inverted_cdf"))
    # where numpy's rounding misses a tie (0.15000000000000002 * 40 > 6) the tie still counts
    assert weighted_quantile(x, np.ones(40), np.linspace(0, 1, 41)[6]) == pytest.approx(np.sort(x)[5:7].mean())


# --- reading and the tables ----------------------------------------------------------------------------

def test_draws(calib):
    post = migsim.posterior(calib)
    assert migsim.posterior(post) is post
    assert post.parameters == PARAMETERS and post.targets == TARGETS
    assert list(post.draws.columns) == PARAMETERS + ["weight"]
    assert list(post.draws.index) == [0, 1, 2, 3, 4]         # particle 5 has weight 0
    np.testing.assert_allclose(post.draws["weight"], WEIGHTS[:5])
    np.testing.assert_array_equal(post.draws[PARAMETERS].to_numpy(), VALUES[:5])
    assert post.method == "abc-smc" and post.completed and post.scenario == "toy"
    assert post.spec.startswith("scenario: toy")
    assert "abc-smc" in repr(post)


def test_summary_numbers(calib):
    s = migsim.posterior(calib).summary()
    assert list(s.index) == PARAMETERS
    np.testing.assert_allclose(s["median"], [0.3, 40.0, 6.0, 0.7])
    np.testing.assert_allclose(s["q05"], [0.1, 10.0, 3.0, 0.5])
    np.testing.assert_allclose(s["q95"], [0.5, 160.0, 7.0, 0.9])
    np.testing.assert_allclose(s["mean"], [0.3, 0.1 * 10 + 0.2 * 20 + 0.4 * 40 + 0.2 * 80 + 0.1 * 160,
                                           0.1 * 4 + 0.2 * 5 + 0.4 * 6 + 0.2 * 7 + 0.1 * 3, 0.7])
    assert list(s["prior"]) == ["uniform", "log_uniform", "normal", "truncated_normal"]
    # the priors' 90% widths, worked out by hand
    z = 1.6448536269514722                              # the standard normal's 95% point
    half_normal = (stats.norm.ppf(0.975), stats.norm.ppf(0.525))   # truncated at the mean: |N(0, 1)|
    prior_widths = [0.9, 1000 ** 0.95 - 1000 ** 0.05, 2 * z * 2.0, half_normal[0] - half_normal[1]]
    np.testing.assert_allclose(s["prior_q95"] - s["prior_q05"], prior_widths, rtol=1e-9)
    np.testing.assert_allclose(s["prior_q05"], [0.05, 1000 ** 0.05, 5 - 2 * z, half_normal[1]], rtol=1e-9)
    np.testing.assert_allclose(s["width_ratio"], np.array([0.4, 150.0, 4.0, 0.4]) / prior_widths, rtol=1e-9)
    assert s.loc["behaviour.switching_cost", "width_ratio_log"] == pytest.approx(math.log10(16) / 2.7)
    assert s["width_ratio_log"].isna().sum() == 3
    # truth: inside the interval, none, inside, outside
    np.testing.assert_array_equal(s["truth"].isna(), [False, True, False, False])
    assert s["truth_covered"].tolist() == [True, pd.NA, True, False]
    wider = migsim.posterior(calib).summary(level=0.5)      # other levels name their columns
    assert {"q25", "q75", "prior_q25", "prior_q75"} <= set(wider.columns)
    assert wider.loc["border:strait.patrol", "q25"] == pytest.approx(0.2)    # F = 0.3 > 0.25 at 0.2


def test_predictive(calib):
    p = migsim.posterior(calib).predictive()
    assert list(p.index) == TARGETS
    np.testing.assert_allclose(p["observed"], OBSERVED)
    np.testing.assert_allclose(p["sd"], SD)
    np.testing.assert_allclose(p["median"], [1000.0, 12.0, 50000.0])
    np.testing.assert_allclose(p["q05"], [900.0, 10.0, 40000.0])
    np.testing.assert_allclose(p["q95"], [1200.0, 14.0, 60000.0])
    assert p["covered"].tolist() == [True, False, True]
    assert p["covered"].dtype == bool
    # a narrower interval leaves the observed arrivals out no more: 1000 is the median
    assert migsim.posterior(calib).predictive(level=0.2)["covered"].tolist() == [True, False, True]


def test_generations_and_populations(calib):
    post = migsim.posterior(calib)
    g = post.generations()
    assert list(g.index) == [0, 1, 2]
    np.testing.assert_allclose(g["tolerance"], TOLERANCE)
    np.testing.assert_allclose(g["acceptance_rate"], [0.5, 0.3, 0.1])
    assert g["simulations"].tolist() == [10, 17, 50] and g["total_simulations"].tolist() == [10, 27, 77]
    assert g["particles"].tolist() == [5, 5, 5]
    last = post.population()
    pd.testing.assert_frame_equal(last[PARAMETERS + ["weight"]], post.draws)
    assert len(post.population(0)) == 5 and "distance" in last.columns
    with pytest.raises(IndexError):
        post.population(3)


def test_an_unfinished_calibration_keeps_its_finished_generations(tmp_path):
    coords, variables, attrs = calibration_variables()
    attrs.update(completed=0, generations_completed=2)
    post = migsim.posterior(write_h5(tmp_path / "part.h5", coords, variables, attrs))
    assert not post.completed
    assert list(post.generations().index) == [0, 1]
    assert len(post.population()) == 5 and post.population()["weight"].tolist() == [0.2] * 5


def test_reads_without_dimension_scales_and_as_xarray_does(tmp_path, calib):
    coords, variables, attrs = calibration_variables()
    plain = migsim.posterior(write_h5(tmp_path / "plain.h5", coords, variables, attrs, scales=False))
    scaled = migsim.posterior(calib)
    pd.testing.assert_frame_equal(plain.summary(), scaled.summary())
    pd.testing.assert_frame_equal(plain.predictive(), scaled.predictive())
    # the fixture is a netCDF-4 file as the brief lays out: xarray reads the same numbers
    with xr.open_dataset(calib, engine="h5netcdf") as ds:
        assert list(ds["parameter"].values) == PARAMETERS
        assert ds["particle_value"].dims == ("generation", "particle", "parameter")
        xr.testing.assert_allclose(ds["posterior_value"].load(), scaled.dataset["posterior_value"])


def test_a_dimension_without_values_is_numbered(tmp_path):
    """netCDF writes a dimension without a coordinate variable as a placeholder scale (zeros,
    NAME "This is a netCDF dimension but not a netCDF variable."): particles numbered 0, 1, ..."""
    coords, variables, attrs = calibration_variables()
    path = write_h5(tmp_path / "phony.h5", coords, variables, attrs)
    with h5py.File(path, "r+") as f:
        f["particle"][...] = 0
        f["particle"].make_scale("This is a netCDF dimension but not a netCDF variable.         6")
    post = migsim.posterior(path)
    assert list(post.draws.index) == [0, 1, 2, 3, 4]
    np.testing.assert_allclose(post.summary()["median"], [0.3, 40.0, 6.0, 0.7])


# --- figures ----------------------------------------------------------------------------

def test_plot_marginals(calib):
    post = migsim.posterior(calib)
    fig = migsim.plot_posterior_marginals(post)
    assert isinstance(fig, plt.Figure)
    assert len(fig.axes) == len(PARAMETERS)
    assert [ax.get_xlabel() for ax in fig.axes] == PARAMETERS
    assert all(ax.get_ylabel() for ax in fig.axes)
    assert [ax.get_xscale() for ax in fig.axes] == ["linear", "log", "linear", "linear"]
    truths = [[l for l in ax.lines if l.get_label() == "truth"] for ax in fig.axes]
    assert [len(t) for t in truths] == [1, 0, 1, 1]
    assert truths[0][0].get_xdata()[0] == pytest.approx(0.3)
    priors = [[l for l in ax.lines if l.get_label() == "prior"] for ax in fig.axes]
    assert all(len(p) == 1 for p in priors)
    # the uniform prior's density is 1 on [0, 1]
    x, y = priors[0][0].get_data()
    assert np.allclose(y[(x > 0.01) & (x < 0.99)], 1.0)
    # the log-uniform prior, drawn per decade: flat at 1/3 (three decades)
    x, y = priors[1][0].get_data()
    assert np.allclose(y[(x > 1.1) & (x < 900)], 1 / 3)
    # the histogram's weights are the posterior weights: its area is 1
    bars = [p for p in fig.axes[0].patches]
    assert bars and sum(b.get_height() * b.get_width() for b in bars) == pytest.approx(1.0)
    one = migsim.plot_posterior_marginals(calib, parameters=["x.normal"])
    assert len(one.axes) == 1 and one.axes[0].get_xlabel() == "x.normal"
    with pytest.raises(ValueError, match="no parameter 'x.missing'"):
        migsim.plot_posterior_pairs(calib, parameters=["x.normal", "x.missing"])
    units = migsim.plot_posterior_marginals(calib, parameters=["x.normal"], units={"x.normal": "days"})
    assert units.axes[0].get_xlabel() == "x.normal (days)"


def test_plot_pairs(calib):
    fig = migsim.plot_posterior_pairs(migsim.posterior(calib))
    n = len(PARAMETERS)
    assert isinstance(fig, plt.Figure) and len(fig.axes) == n * (n + 1) // 2
    grid = {(ax.get_subplotspec().rowspan.start, ax.get_subplotspec().colspan.start): ax for ax in fig.axes}
    assert set(grid) == {(i, j) for i in range(n) for j in range(i + 1)}
    assert [grid[(n - 1, j)].get_xlabel() for j in range(n)] == PARAMETERS
    assert [grid[(i, 0)].get_ylabel() for i in range(1, n)] == PARAMETERS[1:]
    scatter = grid[(1, 0)].collections[0]
    assert len(scatter.get_offsets()) == 5
    alphas = scatter.get_facecolors()[:, 3]
    assert alphas.argmax() == 2                               # the heaviest particle the most opaque
    assert grid[(1, 0)].get_yscale() == "log" and grid[(3, 1)].get_xscale() == "log"


def test_plot_predictive(calib):
    fig = migsim.plot_predictive(calib)
    assert isinstance(fig, plt.Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == TARGETS
    assert ax.get_yscale() == "log"                            # 5 to 60000: decades apart
    assert ax.get_xlabel() and ax.get_ylabel()
    labels = [h.get_label() for h in ax.get_legend_handles_labels()[0]]
    assert any("observed" in l for l in labels) and any("90%" in l for l in labels)


def test_plot_predictive_linear_when_values_are_close(tmp_path):
    coords, variables, attrs = calibration_variables()
    variables["observed"] = (("target",), [1000.0, 900.0, 1100.0])
    variables["posterior_predictive"] = (("particle", "target"), np.full((6, 3), 1000.0))
    fig = migsim.plot_predictive(write_h5(tmp_path / "close.h5", coords, variables, attrs))
    assert fig.axes[0].get_yscale() == "linear"


def test_plot_generations(calib):
    fig = migsim.plot_generations(calib)
    assert isinstance(fig, plt.Figure) and len(fig.axes) == 2
    tolerance, acceptance = fig.axes
    np.testing.assert_allclose(tolerance.lines[0].get_ydata(), TOLERANCE)
    np.testing.assert_allclose(acceptance.lines[0].get_ydata(), [50.0, 30.0, 10.0])   # percent
    assert "tolerance" in tolerance.get_ylabel() and "accept" in acceptance.get_ylabel()
    assert tolerance.get_xlabel() == acceptance.get_xlabel() == "generation"


# --- errors ----------------------------------------------------------------------------

def test_a_file_without_posterior_value(tmp_path):
    coords, variables, attrs = calibration_variables()
    del variables["posterior_value"]
    path = write_h5(tmp_path / "nopost.h5", coords, variables, attrs)
    with pytest.raises(migsim.CalibrationFileError) as error:
        migsim.posterior(path)
    message = str(error.value)
    assert str(path) in message and "posterior_value(particle, parameter)" in message
    assert "migsim calibrate" in message
    assert isinstance(error.value, migsim.RunFileError) and isinstance(error.value, ValueError)


def test_a_file_without_predictive_reads_but_cannot_check(tmp_path):
    coords, variables, attrs = calibration_variables()
    del variables["posterior_predictive"]
    path = write_h5(tmp_path / "nopred.h5", coords, variables, attrs)
    post = migsim.posterior(path)
    assert len(post.summary()) == 4
    with pytest.raises(migsim.CalibrationFileError, match="nopred.h5.*posterior_predictive"):
        post.predictive()


def test_a_file_without_priors_has_no_prior_columns(tmp_path):
    coords, variables, attrs = calibration_variables()
    for name in ("prior_kind", "prior_a", "prior_b", "prior_low", "prior_high"):
        del variables[name]
    post = migsim.posterior(write_h5(tmp_path / "nopriors.h5", coords, variables, attrs))
    s = post.summary()
    assert s["width_ratio"].isna().all() and s["prior"].isna().all()
    np.testing.assert_allclose(s["median"], [0.3, 40.0, 6.0, 0.7])
    with pytest.raises(migsim.CalibrationFileError, match="prior_kind"):
        post.priors()
    assert len(migsim.plot_posterior_marginals(post).axes) == 4


def test_misshapen_and_wrong_files(tmp_path):
    coords, variables, attrs = calibration_variables()
    variables["posterior_weight"] = (("particle",), [0.5, 0.5])
    path = write_h5(tmp_path / "short.h5", coords, variables, attrs, scales=False)
    with pytest.raises(migsim.CalibrationFileError, match="short.h5: posterior_weight has 2 along particle"):
        migsim.posterior(path)
    run = write_h5(tmp_path / "run.h5", {"time": np.arange(3)}, {}, {"kind": "run", "engine_version": "1"})
    with pytest.raises(migsim.CalibrationFileError, match="run.h5: a migsim run file, not a calibration file"):
        migsim.posterior(run)
    text = tmp_path / "calib.csv"
    text.write_text("a,b\n1,2\n")
    with pytest.raises(migsim.CalibrationFileError, match="not an HDF5 file"):
        migsim.posterior(text)
    with pytest.raises(FileNotFoundError, match="missing.h5"):
        migsim.posterior(tmp_path / "missing.h5")


def test_dimension_scales_that_disagree_are_refused(tmp_path):
    coords, variables, attrs = calibration_variables()
    path = write_h5(tmp_path / "swapped.h5", coords, variables, attrs)
    with h5py.File(path, "r+") as f:   # posterior_predictive(particle, target) attached to other scales
        f["posterior_predictive"].dims[1].detach_scale(f["target"])
        f["posterior_predictive"].dims[1].attach_scale(f["parameter"])
    with pytest.raises(migsim.CalibrationFileError, match="posterior_predictive has dimensions"):
        migsim.posterior(path)
