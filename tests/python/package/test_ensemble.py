"""ensemble_summary: mean and quantiles over replicates, as the file's S_summary variables."""
from __future__ import annotations

import numpy as np
import xarray as xr

import migsim


def test_quantiles_by_linear_interpolation():
    values = np.array([4, 0, 3, 1, 2], dtype="int64")[:, None, None]    # 5 replicates
    ds = xr.Dataset({"x": (("replicate", "time", "location"), values)})
    s = migsim.ensemble_summary(ds, "x")
    assert list(s["statistic"].values) == ["mean", "q05", "q50", "q95"]
    np.testing.assert_allclose(s.values[:, 0, 0], [2.0, 0.2, 2.0, 3.8])
    t = migsim.ensemble_summary(ds, "x", quantiles=(0.25, 0.975))
    assert list(t["statistic"].values) == ["mean", "q25", "q97_5"]
    np.testing.assert_allclose(t.values[:, 0, 0], [2.0, 1.0, 3.9])


def _assert_equals_file(ds):
    table = migsim.catalogue(ds)
    summarised = list(table.index[table["summarised"]])   # every one of them, from the file's catalogue
    assert len(summarised) >= 20
    present = [name for name in summarised if f"{name}_summary" in ds]
    assert present == summarised, f"summaries missing from the file: {set(summarised) - set(present)}"
    for name in summarised:
        ours = migsim.ensemble_summary(ds, name)
        theirs = ds[f"{name}_summary"]
        assert ours.dims == theirs.dims, name
        assert list(ours["statistic"].values) == list(theirs["statistic"].values)
        np.testing.assert_allclose(ours.values, theirs.values, rtol=1e-12, atol=0, err_msg=name)


def test_equals_the_summaries_of_a_single_run(toy_runs):
    _assert_equals_file(migsim.open_run(toy_runs(1)))


def test_equals_the_summaries_of_an_ensemble(toy_runs):
    ds = migsim.open_run(toy_runs(1, replicates=5))
    assert ds.sizes["replicate"] == 5
    assert [int(s) for s in ds["seed"].values] == [1, 2, 3, 4, 5]
    _assert_equals_file(ds)


def test_replicates_of_an_ensemble_are_the_single_runs(toy_runs):
    """Replicate r of `--seed 1 --replicates 3` is the run with seed 1 + r (ARCHITECTURE.md)."""
    ensemble = migsim.open_run(toy_runs(1, replicates=3))
    for r in range(3):
        single = migsim.open_run(toy_runs(1 + r))
        np.testing.assert_array_equal(ensemble["arrivals"].isel(replicate=r).values,
                                      single["arrivals"].isel(replicate=0).values)


def test_summary_of_a_sweep_keeps_samples(sweep_file):
    ds = migsim.open_run(sweep_file)
    s = migsim.ensemble_summary(ds, "border_crossings")
    assert s.dims == ("statistic", "sample", "time", "border")
    np.testing.assert_allclose(s.sel(statistic="mean").values, ds["border_crossings"].mean("replicate").values)


def test_summary_table(ensemble_pair):
    ds = migsim.open_run(ensemble_pair[0])
    table = migsim.summary_table(ds, "border_crossings", by="border")
    assert list(table.columns) == ["border", "mean", "q05", "q50", "q95"]
    assert len(table) == 3
    assert (table["q05"] <= table["q50"]).all() and (table["q50"] <= table["q95"]).all()
