"""open_run: a loaded Dataset with the file's attributes, trimmed to the finished days."""
from __future__ import annotations

import shutil
import signal

import h5py
import numpy as np
import pytest

import migsim
from conftest import MEDITERRANEAN, wait_for_days


def test_open_run_loads_everything_and_keeps_attributes(toy_runs, tmp_path):
    path = shutil.copy(toy_runs(1), tmp_path / "copy.h5")
    ds = migsim.open_run(path)
    (tmp_path / "copy.h5").unlink()            # loaded: the file is no longer needed
    assert ds.attrs["scenario"] == "toy"
    assert int(ds.attrs["days_completed"]) == ds.sizes["time"] == 120
    assert ds.sizes["replicate"] == 1
    assert int(ds["arrivals"].sum()) > 0
    assert str(ds["time"].values[0])[:10] == ds.attrs["start_date"]
    assert list(ds["location"].values[:2]) == ["village", "town"]    # str, not bytes


def test_sums_of_days_stay_numbers(toy_runs):
    """arrival_transit_days has units "days": it must not be decoded as a timedelta."""
    ds = migsim.open_run(toy_runs(1))
    assert np.issubdtype(ds["arrival_transit_days"].dtype, np.integer)
    arrived = int(ds["arrivals"].sum() + ds["arrivals_regular"].sum())
    mean_days = float(ds["arrival_transit_days"].sum()) / arrived
    assert 1 < mean_days < 120


def test_open_run_trims_to_days_completed(toy_runs, tmp_path):
    full = migsim.open_run(toy_runs(1))
    path = shutil.copy(toy_runs(1), tmp_path / "stopped.h5")
    with h5py.File(path, "r+") as f:            # as a run stopped while writing day 51
        f.attrs["days_completed"] = np.int64(50)
        f.attrs["completed"] = np.int64(0)
        f["arrivals"][0, 50, :] = -999           # the half-written day
    ds = migsim.open_run(path)
    assert ds.sizes["time"] == 50
    assert not migsim.is_complete(ds)
    assert int(ds["arrivals"].min()) >= 0
    for name in ("arrivals", "border_deaths", "market_revenue", "agents_created"):
        np.testing.assert_array_equal(ds[name].values, full[name].isel(time=slice(0, 50)).values)
    assert migsim.open_run(path, trim=False).sizes["time"] == 120


def test_open_run_of_a_killed_run_holds_only_whole_days(cli, tmp_path):
    out = tmp_path / "killed.h5"
    proc = cli.popen("run", MEDITERRANEAN, "-o", out, "-q", "--threads", 1)
    try:
        wait_for_days(proc, out, 20)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
    ds = migsim.open_run(out)
    assert ds.sizes["time"] == int(ds.attrs["days_completed"]) >= 20
    assert int(ds.attrs["completed"]) == 0


def test_open_run_of_a_missing_file():
    with pytest.raises(FileNotFoundError):
        migsim.open_run("/nonexistent/run.h5")


def test_sweep_files_keep_only_finished_samples(sweep_file, tmp_path):
    path = shutil.copy(sweep_file, tmp_path / "unfinished.h5")
    with h5py.File(path, "r+") as f:
        f["sample_completed"][2] = 0
    ds = migsim.open_run(path)
    assert migsim.is_sweep(ds)
    assert list(ds["sample"].values) == [0, 1]
    assert migsim.open_run(path, trim=False).sizes["sample"] == 3


def test_run_info_and_input_hashes(toy_runs):
    ds = migsim.open_run(toy_runs(1))
    info = migsim.run_info(ds)
    assert info["seeds"] == [1] and info["scenario"] == "toy"
    hashes = migsim.input_hashes(ds)
    assert any(name.endswith("links.csv") for name in hashes)
    assert all(len(h) == 64 for h in hashes.values())
