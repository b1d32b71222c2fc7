"""The figures draw what they should (Agg backend; nothing is shown)."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PolyCollection

import migsim



@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def polys(ax):
    return [c for c in ax.collections if isinstance(c, PolyCollection)]


def test_series_of_one_run(toy_runs):
    ds = migsim.open_run(toy_runs(1))
    ax = migsim.plot_series(ds, "arrivals", by="location", select=["mainland", "island", "enclave"])
    assert [line.get_label() for line in ax.lines] == ["mainland", "island", "enclave"]
    assert polys(ax) == []                                   # one replicate: no band
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), ds["arrivals"].sel(location="mainland")[0].values)
    total = migsim.plot_series(ds, "border_crossings", freq="MS")
    assert len(total.lines) == 1 and len(total.lines[0].get_ydata()) == 4
    assert total.lines[0].get_ydata().sum() == int(ds["border_crossings"].sum())


def test_series_of_an_ensemble_have_bands(ensemble_pair):
    ds = migsim.open_run(ensemble_pair[0])
    fig, ax = plt.subplots()
    assert migsim.plot_series(ds, "border_crossings", by="border", ax=ax) is ax
    assert len(ax.lines) == 3 and len(polys(ax)) == 3
    np.testing.assert_allclose(ax.lines[0].get_ydata(),
                               ds["border_crossings"].sel(border="strait").mean("replicate").values)
    one = migsim.plot_series(ds, "status_counts", select={"status": "dead_missing"}, freq="MS")
    assert len(one.lines) == 1 and len(polys(one)) == 1


def test_series_of_a_sweep_need_a_sample(sweep_file):
    ds = migsim.open_run(sweep_file)
    with pytest.raises(ValueError, match="sample"):
        migsim.plot_series(ds, "arrivals")
    ax = migsim.plot_series(ds, "arrivals", select={"sample": 2})
    assert len(ax.lines) == 1 and len(polys(ax)) == 1


def test_route_map(toy_runs):
    ds = migsim.open_run(toy_runs(1))
    ax = migsim.plot_route_map(ds)
    assert len(ax.lines) == ds.sizes["link"]
    widths = {line.get_linewidth() for line in ax.lines}
    assert len(widths) > 3                                   # width by flow
    used = int((ds["link_flow"].sum(["replicate", "time"]) > 0).sum())
    assert sum(line.get_linestyle() == "-" for line in ax.lines) == used
    kinds = set(ds["location_kind"].values)
    labels = [c.get_label() for c in ax.collections]
    assert set(labels) == kinds | {"deaths"}
    deaths = next(c for c in ax.collections if c.get_label() == "deaths")
    assert len(deaths.get_offsets()) == int((ds["link_deaths"].sum(["replicate", "time"]) > 0).sum())
    assert len(ax.texts) == ds.sizes["location"]


def test_route_map_with_harm_at_places(toy_runs):
    ds = migsim.open_run(toy_runs(1, replicates=3))
    ax = migsim.plot_route_map(ds, places="harm_violence")
    circles = next(c for c in ax.collections if c.get_label() == "harm_violence")
    totals = ds["harm_violence"].sum("time").mean("replicate")
    harmed = [str(l) for l in ds["location"].values if float(totals.sel(location=l)) > 0]
    assert harmed and len(circles.get_offsets()) == len(harmed)
    lon = dict(zip(map(str, ds["location"].values), ds["lon"].values.astype(float)))
    assert sorted(circles.get_offsets()[:, 0]) == sorted(lon[p] for p in harmed)
    assert max(circles.get_sizes()) == pytest.approx(20 + 600)   # the largest total gets the largest circle
    with pytest.raises(ValueError, match="by location"):
        migsim.plot_route_map(ds, places="tolls_paid")


def test_route_shares(toy_runs):
    ds = migsim.open_run(toy_runs(1))
    ax = migsim.plot_route_shares(ds)
    assert len(polys(ax)) == ds.sizes["border"]
    shares = migsim.plot_route_shares(ds, share=True, legend=False)
    assert len(polys(shares)) == ds.sizes["border"]
    top = shares.collections[-1].get_paths()[0].vertices[:, 1]
    assert top.max() == pytest.approx(1.0)


def test_sweep_response(sweep_file):
    ds = migsim.open_run(sweep_file)
    ax = migsim.plot_sweep(ds, "border:strait.patrol", "deaths")
    assert len(ax.lines) == 1 and len(polys(ax)) == 1
    x, y = ax.lines[0].get_data()
    np.testing.assert_array_equal(x, [0.1, 0.5, 0.9])
    expected = ds["link_deaths"].sum(["time", "link"]).mean("replicate").values
    np.testing.assert_allclose(y, expected)
    assert ax.get_xlabel() == "border:strait.patrol"
    grouped = migsim.plot_sweep(ds, "param_border_strait_patrol", "crossings", by="border", group="strait")
    crossings = grouped.lines[0].get_ydata()
    assert crossings[0] > crossings[-1]                       # more patrol, fewer through
    series = migsim.plot_sweep(ds, "border:strait.patrol", "border_attempts", select=["strait"])
    assert len(series.lines) == 1
    with pytest.raises(ValueError):
        migsim.plot_sweep(ds, "border:fence.patrol", "deaths")


def test_sweep_plot_refuses_a_run(toy_runs):
    with pytest.raises(ValueError, match="sweep"):
        migsim.plot_sweep(toy_runs(1), "border:strait.patrol", "deaths")


def test_sweep_of_two_parameters(cli, tmp_path):
    """A 3 x 2 grid from `migsim sweep`: one curve per value of the other parameter."""
    out = tmp_path / "grid.h5"
    cli.ok("sweep", "scenarios/toy", "-o", out, "-q", "--replicates", 2, "--threads", 2,
           "--param", "border:strait.patrol=0.1:0.9:3", "--param", "market:strait_boats.price=400,1200")
    ds = migsim.open_run(out)
    assert ds.attrs["kind"] == "sweep"
    assert ds["arrivals"].dims[:3] == ("sample", "replicate", "time")
    assert not [v for v in ds.data_vars if v.endswith("_summary")]
    assert {"param_border_strait_patrol", "param_market_strait_boats_price"} <= set(ds.coords)
    assert ds["param_market_strait_boats_price"].attrs["key"] == "market:strait_boats.price"
    ax = migsim.plot_sweep(ds, "border:strait.patrol", "smuggler_revenue")
    assert [line.get_label() for line in ax.lines] == ["market:strait_boats.price=400",
                                                        "market:strait_boats.price=1200"]
    for line in ax.lines:
        np.testing.assert_allclose(line.get_xdata(), [0.1, 0.5, 0.9])
    assert len(polys(ax)) == 2
