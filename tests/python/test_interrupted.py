"""A run that is stopped keeps every finished day (docs/ARCHITECTURE.md, "Output"): after
SIGKILL the file still opens and its days equal those of an uninterrupted run with the same
seed; after Ctrl-C (SIGINT) or SIGTERM migsim finishes the day, exits with 130 and says so."""
from __future__ import annotations

import signal

import numpy as np
import pytest

from conftest import CRASH_MARKERS, MEDITERRANEAN, series_catalogue, wait_for_days

xr = pytest.importorskip("xarray")
h5py = pytest.importorskip("h5py")

SERIES = [name for name, _ in series_catalogue()] + ["agents_created"]


def unreadable_datasets(path) -> list[str]:
    """Datasets of `path` whose values cannot be read (for a useful failure message)."""
    bad = []
    with h5py.File(path, "r") as f:
        for name in f:
            try:
                f[name][()]
            except Exception as error:   # noqa: BLE001 - any failure is what we report
                bad.append(f"{name} ({error})")
    return bad


def open_loaded(path):
    """The killed run's file as plain xarray (h5netcdf, h5py) opens it: no repair (issue 16,
    item 10; docs/ARCHITECTURE.md, "Output")."""
    try:
        with xr.open_dataset(path, engine="h5netcdf") as ds:
            return ds.load()
    except Exception as error:   # noqa: BLE001 - reported below, without the long traceback
        problem = f"{type(error).__name__}: {error}"
    try:
        problem += f"; unreadable datasets: {unreadable_datasets(path)}"
    except Exception:   # noqa: BLE001
        pass
    pytest.fail(f"{path.name} left by the stopped run cannot be read with xarray: {problem}")


def assert_same_as_uninterrupted(migsim, tmp_path, stopped):
    """The days in `stopped` equal, exactly, those of a full run of that many days."""
    days = stopped.sizes["time"]
    reference_path = tmp_path / "reference.h5"
    migsim.ok("run", MEDITERRANEAN, "-o", reference_path, "-q", "--days", days)
    with xr.open_dataset(reference_path, engine="h5netcdf") as reference:
        reference = reference.load()
    assert reference.sizes["time"] == days
    np.testing.assert_array_equal(stopped["time"].values, reference["time"].values)
    for name in SERIES:
        assert stopped[name].shape == reference[name].shape, name
        np.testing.assert_array_equal(stopped[name].values, reference[name].values,
                                      err_msg=f"{name} differs from the uninterrupted run")


def start(migsim, out):
    return migsim.popen("run", MEDITERRANEAN, "-o", out, "-q")


def stop(proc):
    if proc.poll() is None:
        proc.kill()
    proc.communicate(timeout=30)


# Killed early, and at later days when the series' chunks (8 days) have been rewritten many
# times; several kill points because a kill lands at a random moment of the day's write.
@pytest.mark.parametrize("at_least", [5, 60, 150, 300, 500])
def test_sigkill_leaves_every_finished_day(migsim, tmp_path, at_least):
    out = tmp_path / "killed.h5"
    proc = start(migsim, out)
    try:
        wait_for_days(proc, out, at_least)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        stop(proc)
    assert proc.returncode == -signal.SIGKILL

    killed = open_loaded(out)
    days = killed.sizes["time"]
    finished = int(killed.attrs["days_completed"])
    assert int(killed.attrs["completed"]) == 0
    # Every day up to days_completed is whole; a kill during the next day's write may leave
    # that one day partly written after them.
    assert finished >= at_least
    assert finished in (days - 1, days)
    assert_same_as_uninterrupted(migsim, tmp_path, killed.isel(time=slice(0, finished)))


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_stops_after_the_day_and_keeps_the_file(migsim, tmp_path, signum):
    out = tmp_path / "stopped.h5"
    proc = start(migsim, out)
    try:
        wait_for_days(proc, out, 5)
        proc.send_signal(signum)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        stop(proc)
    assert proc.returncode == 130, f"exit code {proc.returncode}; stderr:\n{stderr}"
    assert "interrupted" in stderr, stderr
    for marker in CRASH_MARKERS:
        assert marker not in stderr, stderr

    stopped = open_loaded(out)
    days = stopped.sizes["time"]
    assert days >= 5
    assert int(stopped.attrs["completed"]) == 0
    assert int(stopped.attrs["days_completed"]) == days
    assert f"after day {days}" in stderr, stderr
    assert_same_as_uninterrupted(migsim, tmp_path, stopped)

    info = migsim.ok("info", out).stdout
    assert "INTERRUPTED" in info
