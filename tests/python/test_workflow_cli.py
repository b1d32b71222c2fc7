"""Ensembles, sweeps and comparisons through the CLI, against single runs: an ensemble's
replicate r is the run with seed + r, a sweep's sample k is the run with its parameters, an
interrupted sweep resumed equals one run straight through, and compare's intervals behave."""
from __future__ import annotations

import csv
import io
import signal
import time

import numpy as np
import pytest

from conftest import TOY, series_catalogue

xr = pytest.importorskip("xarray")

SERIES = [name for name, _ in series_catalogue()] + ["agents_created"]


def load(path):
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        return ds.load()


def test_ensemble_replicate_equals_single_run_with_seed_plus_r(migsim, tmp_path):
    ensemble = tmp_path / "ensemble.h5"
    migsim.ok("run", TOY, "-o", ensemble, "-q", "--replicates", 3, "--seed", 5, "--days", 60)
    ens = load(ensemble)
    assert list(ens.seed.values) == [5, 6, 7]
    for r in range(3):
        single = tmp_path / f"single{r}.h5"
        migsim.ok("run", TOY, "-o", single, "-q", "--seed", 5 + r, "--days", 60)
        one = load(single)
        for name in SERIES:
            np.testing.assert_array_equal(ens[name].isel(replicate=r).values, one[name].isel(replicate=0).values,
                                          err_msg=f"{name}, replicate {r}")


def test_ensemble_summaries_are_mean_and_quantiles_over_replicates(migsim, tmp_path):
    path = tmp_path / "ensemble.h5"
    migsim.ok("run", TOY, "-o", path, "-q", "--replicates", 4, "--days", 50)
    ds = load(path)
    for name in ["arrivals", "border_interceptions", "market_revenue", "status_counts"]:
        values = ds[name].values.astype(float)
        summary = ds[f"{name}_summary"]
        assert summary.dims[0] == "statistic"
        np.testing.assert_allclose(summary.sel(statistic="mean").values, values.mean(axis=0), rtol=1e-12)
        for label, q in [("q05", 0.05), ("q50", 0.5), ("q95", 0.95)]:
            np.testing.assert_allclose(summary.sel(statistic=label).values, np.quantile(values, q, axis=0),
                                       rtol=1e-12, atol=1e-12)


def test_sweep_sample_equals_single_run_with_its_parameters(migsim, tmp_path):
    path = tmp_path / "sweep.h5"
    migsim.ok("sweep", TOY, "--param", "border:strait.patrol=0.2:0.8:3", "--param", "event:1.value=0.5,0.9",
              "--replicates", 2, "--days", 80, "-o", path, "-q")
    sweep = load(path)
    assert sweep.sizes["sample"] == 6
    assert list(sweep.parameter.values) == ["border:strait.patrol", "event:1.value"]
    assert sweep.sample_completed.values.tolist() == [1] * 6
    k = 3   # patrol 0.5, event value 0.9
    assert sweep.param_border_strait_patrol.values[k] == pytest.approx(0.5)
    assert sweep.param_event_1_value.values[k] == pytest.approx(0.9)
    single = tmp_path / "single.h5"
    migsim.ok("run", TOY, "-o", single, "-q", "--days", 80, "--replicates", 2,
              "--set", "border:strait.patrol=0.5", "--set", "event:1.value=0.9")
    one = load(single)
    for name in SERIES:
        np.testing.assert_array_equal(sweep[name].isel(sample=k).values, one[name].values, err_msg=name)


def test_interrupted_sweep_resumes_to_the_same_content(migsim, tmp_path):
    # 20 samples: long enough (a few seconds) that polling every 20 ms always catches it midway.
    args = ["sweep", TOY, "--param", "border:strait.patrol=0.1:0.9:20", "--replicates", 3, "--days", 60, "-q"]
    straight = tmp_path / "straight.h5"
    migsim.ok(*args, "-o", straight)

    resumed = tmp_path / "resumed.h5"
    proc = migsim.popen(*args, "-o", resumed)
    deadline = time.time() + 60
    import h5py
    while time.time() < deadline:   # stop it once a couple of samples are done
        try:
            with h5py.File(resumed, "r", locking=False) as f:
                if f["sample_completed"][()].sum() >= 2:
                    break
        except (OSError, KeyError):
            pass
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, f"the sweep was not interrupted midway (exit {proc.returncode}): {err}"
    with h5py.File(resumed, "r") as f:
        assert 0 < f["sample_completed"][()].sum() < 20
    out = migsim.ok(*args, "-o", resumed).stdout
    assert "already done" in out
    assert migsim.ok("info", straight, "--checksums").stdout == migsim.ok("info", resumed, "--checksums").stdout


def test_sweep_refuses_a_file_from_another_sweep(migsim, tmp_path):
    path = tmp_path / "sweep.h5"
    migsim.ok("sweep", TOY, "--param", "border:strait.patrol=0.2:0.8:2", "--days", 20, "-o", path, "-q")
    result = migsim("sweep", TOY, "--param", "border:strait.patrol=0.2:0.8:3", "--days", 20, "-o", path, "-q")
    assert result.returncode == 3
    assert "different sweep" in result.stderr


def compare_rows(migsim, *args):
    out = migsim.ok("compare", *args, "--format", "csv").stdout
    return list(csv.DictReader(io.StringIO(out)))


def test_compare_identical_runs_gives_zero_with_zero_width(migsim, tmp_path):
    base = tmp_path / "base.h5"
    migsim.ok("run", TOY, "-o", base, "-q", "--replicates", 3, "--days", 90)
    for by in ["total", "border", "route", "destination", "profile"]:
        rows = compare_rows(migsim, base, base, "--by", by)
        assert rows, by
        for row in rows:
            assert float(row["difference"]) == 0, row
            if row["low"] != "nan":
                assert float(row["low"]) == 0 and float(row["high"]) == 0, row
            assert row["replicates"] == "3"


def test_compare_patrol_up_raises_interceptions_there(migsim, tmp_path):
    base, variant = tmp_path / "base.h5", tmp_path / "variant.h5"
    migsim.ok("run", TOY, "-o", base, "-q", "--replicates", 4)
    migsim.ok("run", TOY, "-o", variant, "-q", "--replicates", 4, "--set", "border:fence.patrol=0.99")
    rows = {(r["group"], r["outcome"]): r for r in compare_rows(migsim, base, variant, "--by", "border")}
    fence = rows[("fence", "crossings")]
    assert float(fence["difference"]) < 0 and float(fence["high"]) < 0   # fewer get over the fence
    strait = rows[("strait", "attempts")]
    assert float(strait["difference"]) > 0 and float(strait["low"]) > 0   # they take the boats instead


def test_compare_refuses_unpaired_runs(migsim, tmp_path):
    a, b = tmp_path / "a.h5", tmp_path / "b.h5"
    migsim.ok("run", TOY, "-o", a, "-q", "--replicates", 2, "--days", 10)
    migsim.ok("run", TOY, "-o", b, "-q", "--replicates", 2, "--days", 10, "--seed", 9)
    result = migsim("compare", a, b)
    assert result.returncode == 2
    assert "seeds" in result.stderr


def test_compare_window_limits_the_days(migsim, tmp_path):
    base = tmp_path / "base.h5"
    migsim.ok("run", TOY, "-o", base, "-q", "--days", 60)
    ds = load(base)
    rows = {r["outcome"]: r for r in compare_rows(migsim, base, base, "--window", "2020-01-10:2020-01-31")}
    expected = ds.arrivals.sel(time=slice("2020-01-10", "2020-01-31")).sum().item()
    assert float(rows["arrivals"]["base"]) == expected
    result = migsim("compare", base, base, "--window", "2020-13-01:")
    assert result.returncode == 2
