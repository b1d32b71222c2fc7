"""migsim.sensitivity on small files written here with h5py, laid out as `migsim sensitivity`
writes them: the Morris and Sobol tables, most important first, the figure, the errors."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.container import BarContainer

import migsim

from .h5files import write_h5

OUTPUTS = ["deaths", "arrivals"]
PARAMETERS = ["border:strait.patrol", "market:boats.price", "behaviour.switching_cost"]
# (output, parameter) values
MU = np.array([[-5.0, 1.0, 0.5], [3.0, -8.0, 0.1]])
MU_STAR = np.array([[5.0, 2.0, 9.0], [3.0, 8.0, 0.2]])
SIGMA = np.array([[1.0, 2.5, 4.0], [0.5, 6.0, 0.1]])
S1 = np.array([[0.50, 0.10, 0.20], [0.05, 0.70, 0.01]])
ST = np.array([[0.55, 0.30, 0.25], [0.10, 0.85, 0.02]])


def sensitivity_variables(method="morris sobol"):
    runs = 8
    rng = np.random.default_rng(3)
    coords = {"output": OUTPUTS, "parameter": PARAMETERS, "run": np.arange(runs)}
    pair = ("output", "parameter")
    variables = {"sample_value": (("run", "parameter"), rng.random((runs, 3))),
                 "output_value": (("run", "output"), rng.random((runs, 2)) * 100)}
    if "morris" in method:
        variables.update({"morris_mu": (pair, MU), "morris_mu_star": (pair, MU_STAR),
                          "morris_sigma": (pair, SIGMA), "morris_mu_star_low": (pair, MU_STAR * 0.8),
                          "morris_mu_star_high": (pair, MU_STAR * 1.3)})
    if "sobol" in method:
        variables.update({"sobol_first": (pair, S1), "sobol_first_low": (pair, S1 - 0.05),
                          "sobol_first_high": (pair, S1 + 0.04), "sobol_total": (pair, ST),
                          "sobol_total_low": (pair, ST - 0.03), "sobol_total_high": (pair, ST + 0.06)})
    return coords, variables, {"method": method, "seed": 11, "completed": 1}


@pytest.fixture
def sens_file(tmp_path):
    return write_h5(tmp_path / "sens.h5", *sensitivity_variables())


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_morris_table(sens_file):
    sens = migsim.sensitivity(sens_file)
    assert migsim.sensitivity(sens) is sens
    assert sens.outputs == OUTPUTS and sens.parameters == PARAMETERS and sens.completed and sens.seed == 11
    m = sens.morris()
    assert list(m.columns) == ["output", "parameter", "mu", "mu_star", "mu_star_low", "mu_star_high", "sigma", "rank"]
    deaths = m[m["output"] == "deaths"]
    assert list(deaths["parameter"]) == ["behaviour.switching_cost", "border:strait.patrol", "market:boats.price"]
    np.testing.assert_allclose(deaths["mu_star"], [9.0, 5.0, 2.0])
    np.testing.assert_allclose(deaths["sigma"], [4.0, 1.0, 2.5])
    np.testing.assert_allclose(deaths["mu"], [0.5, -5.0, 1.0])
    np.testing.assert_allclose(deaths["mu_star_low"], [7.2, 4.0, 1.6])
    np.testing.assert_allclose(deaths["mu_star_high"], [11.7, 6.5, 2.6])
    assert deaths["rank"].tolist() == [1, 2, 3]
    arrivals = sens.morris("arrivals")
    assert set(arrivals["output"]) == {"arrivals"}
    assert list(arrivals["parameter"]) == ["market:boats.price", "border:strait.patrol", "behaviour.switching_cost"]
    with pytest.raises(ValueError, match="no output 'crossings'"):
        sens.morris("crossings")


def test_sobol_table(sens_file):
    s = migsim.sensitivity(sens_file).sobol()
    assert list(s.columns) == ["output", "parameter", "S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high", "rank"]
    deaths = s[s["output"] == "deaths"]
    assert list(deaths["parameter"]) == ["border:strait.patrol", "market:boats.price", "behaviour.switching_cost"]
    np.testing.assert_allclose(deaths["ST"], [0.55, 0.30, 0.25])
    np.testing.assert_allclose(deaths["S1"], [0.50, 0.10, 0.20])
    np.testing.assert_allclose(deaths["S1_low"], [0.45, 0.05, 0.15])
    np.testing.assert_allclose(deaths["ST_high"], [0.61, 0.36, 0.31])
    arrivals = s[s["output"] == "arrivals"]
    assert list(arrivals["parameter"]) == ["market:boats.price", "border:strait.patrol", "behaviour.switching_cost"]
    assert list(s["output"]) == ["deaths"] * 3 + ["arrivals"] * 3


def test_samples(sens_file):
    sens = migsim.sensitivity(sens_file)
    frame = sens.samples()
    assert list(frame.columns) == PARAMETERS + OUTPUTS and len(frame) == 8
    np.testing.assert_allclose(frame[PARAMETERS].to_numpy(), sens.dataset["sample_value"].values)


def test_plot_sobol(sens_file):
    fig = migsim.plot_sensitivity(sens_file)
    assert isinstance(fig, plt.Figure) and len(fig.axes) == 2
    ax = fig.axes[0]
    assert ax.get_title() == "deaths"
    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    assert [b.get_label() for b in bars] == ["first order (S1)", "total (ST)"]
    np.testing.assert_allclose([r.get_height() for r in bars[1]], [0.55, 0.30, 0.25])   # by ST
    assert [t.get_text() for t in ax.get_xticklabels()] == ["border:strait.patrol", "market:boats.price",
                                                             "behaviour.switching_cost"]
    assert "Sobol" in ax.get_ylabel() and ax.get_xlabel() == "parameter"
    whiskers = bars[1].errorbar.lines[2][0].get_segments()                 # ST's error bars
    np.testing.assert_allclose([s[:, 1] for s in whiskers], [[0.52, 0.61], [0.27, 0.36], [0.22, 0.31]])
    one = migsim.plot_sensitivity(sens_file, "arrivals")
    assert len(one.axes) == 1 and one.axes[0].get_title() == "arrivals"


def test_plot_morris(tmp_path, sens_file):
    only = write_h5(tmp_path / "morris.h5", *sensitivity_variables("morris"))
    fig = migsim.plot_sensitivity(only, "deaths")
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    assert "mu*" in ax.get_xlabel() and "sigma" in ax.get_ylabel()
    points = ax.lines[0].get_xydata()
    np.testing.assert_allclose(points, [[9.0, 4.0], [5.0, 1.0], [2.0, 2.5]])
    assert [t.get_text() for t in ax.texts] == ["behaviour.switching_cost", "border:strait.patrol",
                                                "market:boats.price"]
    both = migsim.plot_sensitivity(sens_file, method="morris")      # the file has both: asked for Morris
    assert len(both.axes) == 2 and "mu*" in both.axes[1].get_xlabel()


def test_missing_indices_and_bad_files(tmp_path):
    only = migsim.sensitivity(write_h5(tmp_path / "morris.h5", *sensitivity_variables("morris")))
    assert only.has("morris") and not only.has("sobol")
    with pytest.raises(migsim.SensitivityFileError, match="morris.h5: has no sobol_first.*method: 'morris'"):
        only.sobol()
    coords, variables, attrs = sensitivity_variables()
    del coords["parameter"]
    for name in list(variables):
        if name not in ("output_value",):
            del variables[name]
    path = write_h5(tmp_path / "noparam.h5", coords, variables, attrs)
    with pytest.raises(migsim.SensitivityFileError, match=r"noparam.h5: not a complete sensitivity file: it has "
                                                           r"no parameter\(parameter\)") as error:
        migsim.sensitivity(path)
    assert "migsim sensitivity" in str(error.value) and isinstance(error.value, migsim.RunFileError)
    empty = tmp_path / "empty.h5"
    empty.write_bytes(b"")
    with pytest.raises(migsim.SensitivityFileError, match="empty.h5: the file is empty"):
        migsim.sensitivity(empty)
