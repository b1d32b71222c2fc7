"""migsim.diversion (docs/BEHAVIOUR.md, "Diversion as a measured quantity"): the ratio of extra
crossings on B to crossings removed from A when A's patrol is raised, from two paired files and
from the command line, on the toy (its strait and channel are parallel sea crossings, the fence
an alternative on land; an event raises the strait's patrol to 0.6 on day 60)."""
from __future__ import annotations

import math
import os
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from conftest import REPO_ROOT, TOY, migsim_path

from migsim.diversion import DiversionError, diversion

PATROL = "border:strait.patrol=0.9"
REPLICATES = 3


def run_cli(*args, timeout: float = 120) -> subprocess.CompletedProcess:
    """`python3 -m migsim.diversion ARGS` as a user runs it (package in place, the test binary)."""
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT / "tools" / "python"), MIGSIM_BIN=str(migsim_path()))
    return subprocess.run([sys.executable, "-m", "migsim.diversion", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, cwd=REPO_ROOT, env=env)


def crossings(path) -> xr.DataArray:
    """border_crossings summed over time, (replicate, border), read with xarray alone."""
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        return ds["border_crossings"].astype("float64").sum("time").load()


@pytest.fixture(scope="module")
def pair(cli, toy_runs):
    """3-replicate toy ensembles (seeds 1-3); the variant with the strait's patrol at 0.9."""
    return toy_runs(1, replicates=REPLICATES), toy_runs(1, PATROL, replicates=REPLICATES)


@pytest.fixture(scope="module")
def toy_report(cli, tmp_path_factory):
    """The command on the toy: strait -> channel, 3 replicates, with --csv and --out."""
    folder = tmp_path_factory.mktemp("diversion")
    result = run_cli(TOY, "--from", "strait", "--to", "channel", "--patrol", 0.9,
                     "--replicates", REPLICATES, "--csv", folder / "d.csv", "--out", folder / "runs")
    assert result.returncode == 0, result.stderr
    # round_trip: the file holds every digit, which pandas' default parser may drop
    return result, pd.read_csv(folder / "d.csv", float_precision="round_trip"), folder / "runs"


def test_the_function_computes_extra_on_b_over_removed_on_a(pair):
    base, variant = pair
    result = diversion(base, variant, "strait", ["channel", "fence"])
    cb, cv = crossings(base), crossings(variant)
    removed = (cb - cv).sel(border="strait").values
    assert (removed > 0).all()
    tidy = result.per_replicate.set_index(["quantity", "border", "replicate"])["value"].sort_index()
    for b in ("channel", "fence"):
        extra = (cv - cb).sel(border=b).values
        assert tidy.loc[("extra_crossings", b)].tolist() == extra.tolist()
        assert tidy.loc[("ratio", b)].tolist() == (extra / removed).tolist()
        assert result.ratio(b) == pytest.approx(extra.sum() / removed.sum(), rel=1e-12)
    both = (cv - cb).sel(border=["channel", "fence"]).sum("border").values
    assert result.ratio() == pytest.approx(both.sum() / removed.sum(), rel=1e-12)
    assert tidy.loc[("crossings_removed", "strait")].tolist() == removed.tolist()
    # what was neither diverted to another border is "stopped"
    elsewhere = (cv - cb).drop_sel(border="strait").sum("border").values
    assert tidy.loc[("stopped", "strait")].tolist() == (removed - elsewhere).tolist()
    assert result.seeds == [1, 2, 3]


def test_the_interval_holds_the_ratio(pair):
    summary = diversion(*pair, "strait", "fence").summary.set_index(["quantity", "border"])
    row = summary.loc[("ratio", "fence")]
    assert row["low"] < row["mean"] < row["high"]
    assert row["replicates"] == REPLICATES


def test_no_crossings_removed_is_a_clear_error(pair):
    base, _ = pair
    with pytest.raises(DiversionError, match=r"no crossings removed on border A 'strait'.*undefined"):
        diversion(base, base, "strait", ["channel"])


def test_the_function_refuses_bad_borders_and_unpaired_files(pair, toy_runs):
    base, variant = pair
    with pytest.raises(DiversionError, match=r"'nowhere' is not a border.*strait, channel, fence"):
        diversion(base, variant, "nowhere", ["channel"])
    with pytest.raises(DiversionError, match=r"'strait' is border A itself"):
        diversion(base, variant, "strait", ["strait"])
    with pytest.raises(DiversionError, match=r"seeds"):
        diversion(base, toy_runs(2, PATROL, replicates=REPLICATES), "strait", ["channel"])


def test_the_command_on_the_toy(toy_report):
    result, table, runs = toy_report
    out = result.stdout
    assert "DIVERSION RATIO to B" in out and "crossings removed on A" in out
    rows = table.set_index(["quantity", "border", "replicate"])["value"].sort_index()
    assert len(table.replicate.unique()) == REPLICATES
    assert (rows.loc[("crossings_removed", "strait")] > 0).all()
    assert np.isfinite(rows.loc[("ratio", "channel")]).all()
    # the CSV's numbers are the function's on the files the command kept
    again = diversion(runs / "base.h5", runs / "variant.h5", "strait", ["channel"]).per_replicate
    assert again["value"].tolist() == table["value"].tolist()


def test_a_later_event_on_a_patrol_is_reported(toy_report):
    """The toy's events.csv raises the strait's patrol to 0.6 on day 60, which ends a whole-run
    override; the report must say so, and --hold must keep the new value."""
    out = toy_report[0].stdout
    assert "WARNING: the scenario's event events.csv:2 sets border:strait.patrol to 0.6 on day 60" in out
    assert "variant 0.9 (days 0-59), 0.6 (days 60-119)" in out
    held = run_cli(TOY, "--from", "strait", "--to", "channel", "--patrol", 0.9, "--replicates", 2, "--hold")
    assert held.returncode == 0, held.stderr
    assert "variant 0.9 (days 0-119)" in held.stdout and "--hold gives it 0.9" in held.stdout


def test_from_day_writes_a_variant_with_an_event(cli, tmp_path):
    result = run_cli(TOY, "--from", "strait", "--to", "fence", "--patrol", 0.9, "--from-day", 30,
                     "--replicates", 2, "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "variant 0.3 (days 0-29), 0.9 (days 30-59), 0.6 (days 60-119)" in result.stdout
    assert "extends:" in (tmp_path / "diversion-variant.yml").read_text()
    assert "30,border:strait,patrol,0.9" in (tmp_path / "diversion-events.csv").read_text()
    with xr.open_dataset(tmp_path / "base.h5", engine="h5netcdf") as b, \
            xr.open_dataset(tmp_path / "variant.h5", engine="h5netcdf") as v:
        # same seeds, same days before the shift: the runs part only from day 30
        before = dict(time=slice(0, 30))
        assert (b.border_crossings.isel(before).values == v.border_crossings.isel(before).values).all()


def test_a_sweep_gives_a_ratio_per_setting(cli, tmp_path):
    result = run_cli(TOY, "--from", "strait", "--to", "fence", "--patrol", 0.9, "--replicates", 2, "--hold",
                     "--sweep", "profile:migrant.weight_interception=2,20", "--csv", tmp_path / "s.csv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("sweep: diversion from strait to fence", 1)[1].splitlines()
    settings = [l for l in lines if l.startswith("profile:migrant.weight_interception=")]
    assert len(settings) == 2
    ratios = [float(l.split()[2]) for l in settings]
    assert all(math.isfinite(r) for r in ratios) and ratios[0] != ratios[1]
    table = pd.read_csv(tmp_path / "s.csv")
    assert sorted(table["profile:migrant.weight_interception"].unique()) == [2, 20]


@pytest.mark.parametrize("args, named", [
    (["--from", "nowhere", "--to", "channel", "--patrol", 0.9], "'nowhere'"),
    (["--from", "strait", "--to", "nowhere", "--patrol", 0.9], "'nowhere'"),
    (["--from", "strait", "--to", "strait", "--patrol", 0.9], "'strait' is border A itself"),
    (["--from", "strait", "--to", "channel", "--patrol", 1.5], "--patrol '1.5'"),
    (["--from", "strait", "--to", "channel", "--patrol", -0.1], "--patrol '-0.1'"),
    (["--from", "strait", "--to", "channel", "--patrol", 0.9, "--days", 3], "no crossings removed"),
    (["--from", "strait", "--to", "channel", "--patrol", 0.9, "--from-day", 500], "--from-day 500"),
    (["--from", "strait", "--to", "channel", "--patrol", 0.9, "--sweep", "information_lag_days"],
     "--sweep 'information_lag_days'"),
    (["--from", "strait", "--to", "channel", "--patrol", 0.9, "--set", "border:nowhere.patrol=0.1"],
     "border:nowhere"),
])
def test_bad_input_is_one_line_naming_the_value(cli, args, named):
    result = run_cli(TOY, *args, "--replicates", 2)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("python3 -m migsim.diversion: error:"), result.stderr
    assert named in lines[0] and "expected" in lines[0]


def test_a_sweep_setting_without_removed_crossings_is_undefined_not_fatal(cli):
    """Three days: nobody reaches the strait yet, so that setting has no ratio; the sweep goes on."""
    result = run_cli(TOY, "--from", "strait", "--to", "fence", "--patrol", 0.9, "--replicates", 2,
                     "--sweep", "days=3,60")
    assert result.returncode == 0, result.stderr
    table = result.stdout.split("sweep: diversion", 1)[1]
    assert re.search(r"^days=3\s+0\.0\s+undefined$", table, re.M)
    assert re.search(r"^days=60\s+\d+\.\d\s+\d\.\d{3} \[", table, re.M)
