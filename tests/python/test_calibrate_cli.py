"""migsim calibrate as a user runs it (docs/CALIBRATION.md): the shipped recovery SPEC over 20
synthetic data sets (small ABC settings; the full study is scenarios/toy/calibration/coverage/),
info on the file, a calibration killed outright and rerun, and a bad SPEC."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import h5py
import numpy as np
import pytest

from conftest import CRASH_MARKERS, REPO_ROOT, TOY

RECOVERY = "scenarios/toy/calibration/recovery.yml"

SMALL = """scenario: {toy}
set: {{days: 40}}
seed: 9
parameters:
  border:strait.patrol: {{prior: uniform, low: 0.05, high: 0.8}}
  market:east_package.price: {{prior: log_uniform, low: 200, high: 2000}}
targets:
  - {{name: share, aggregation: ratio, series: border_interceptions, entities: [strait],
     denominator: {{series: border_attempts, entities: [strait]}}, observed: 0.3, error: {{absolute: 0.05}}}}
  - {{name: island, series: arrivals, entities: [island], observed: 20, error: {{absolute: 5}}}}
method:
  abc_smc: {{population: 40, generations: 3}}
"""


def test_recovery_covers_the_truth_in_at_least_16_of_20_synthetic_data_sets(migsim, tmp_path):
    # The coverage study's script, with the shipped SPEC at a smaller population: deterministic
    # (fixed seeds 1001-1020), and it exits 1 when a parameter is covered in fewer than 16 sets
    # or a posterior is not narrower than its prior.
    result = subprocess.run([sys.executable, "scenarios/toy/calibration/coverage.py", "--population", "60",
                             "--generations", "3", "--out", str(tmp_path)], cwd=REPO_ROOT, capture_output=True,
                            text=True, timeout=600, env={**os.environ, "MIGSIM_BIN": str(migsim.path)})
    assert result.returncode == 0, result.stdout + result.stderr
    table = (tmp_path / "coverage.md").read_text()
    for key in ("border:strait.patrol", "border:fence.patrol", "market:east_package.price"):
        assert f"| {key} |" in table
    import pandas as pd
    rows = pd.read_csv(tmp_path / "coverage.csv")
    assert len(rows) == 60 and rows.groupby("parameter")["covered"].sum().min() >= 16
    assert (rows["width_ratio"] < 1).all()


def test_info_prints_priors_posteriors_and_the_predictive_check(migsim, tmp_path):
    spec = tmp_path / "small.yml"
    spec.write_text(SMALL.format(toy=TOY))
    out = tmp_path / "calib.h5"
    run = migsim.ok("calibrate", spec, "-o", out, "-q")
    assert "wrote" in run.stdout and "border:strait.patrol" in run.stdout
    info = migsim.ok("info", out).stdout
    assert "calibration of" in info and "abc-smc" in info and "completed" in info
    assert "uniform(0.05, 0.8)" in info and "log_uniform(200, 2000)" in info
    assert "90% interval" in info and "observed inside" in info
    with h5py.File(out, "r") as f:
        assert [k.decode() if isinstance(k, bytes) else k for k in f["parameter"][()]] == [
            "border:strait.patrol", "market:east_package.price"]
        assert f["posterior_value"].shape == (40, 2)
        assert np.isclose(f["posterior_weight"][()].sum(), 1)
        assert f["posterior_predictive"].shape == (40, 2)
    # Rerun: already finished, nothing is run again.
    again = migsim.ok("calibrate", spec, "-o", out, "-q")
    assert "already holds this calibration" in again.stdout


def test_a_killed_calibration_resumes_to_the_same_file(migsim, tmp_path):
    spec = tmp_path / "small.yml"
    spec.write_text(SMALL.format(toy=TOY).replace("generations: 3", "generations: 5"))
    straight = tmp_path / "straight.h5"
    migsim.ok("calibrate", spec, "-o", straight, "-q")
    killed = tmp_path / "killed.h5"
    process = migsim.popen("calibrate", spec, "-o", killed, "-q")
    deadline = time.time() + 120
    while not killed.exists() and time.time() < deadline:   # the first generation is written
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    with h5py.File(killed, "r") as f:
        assert f.attrs["completed"] == 0 or f.attrs["generations_completed"] == 6
    resumed = migsim.ok("calibrate", spec, "-o", killed, "-q")
    assert "(resumed)" in resumed.stdout or "already holds" in resumed.stdout
    checksums = lambda p: migsim.ok("info", "--checksums", p).stdout
    assert checksums(killed) == checksums(straight)


def test_ctrl_c_keeps_the_finished_generations(migsim, tmp_path):
    spec = tmp_path / "small.yml"
    spec.write_text(SMALL.format(toy=TOY).replace("generations: 3", "generations: 30").replace(
        "population: 40", "population: 200"))
    out = tmp_path / "calib.h5"
    process = migsim.popen("calibrate", spec, "-o", out, "-q")
    deadline = time.time() + 120
    while not out.exists() and time.time() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "run the same command again to resume" in stderr
    with h5py.File(out, "r") as f:
        assert f.attrs["completed"] == 0 and f.attrs["generations_completed"] >= 1


@pytest.mark.parametrize("change, expected", [
    ("border:strait.patrol: {prior: uniform, low: 0.05, high: 0.8}",
     "parameters.border:strait.patrol.high"),
    ("series: arrivals, entities: [island]", "a series of the catalogue"),
])
def test_a_bad_spec_names_file_line_and_what_was_expected(migsim, tmp_path, change, expected):
    spec = tmp_path / "bad.yml"
    text = SMALL.format(toy=TOY)
    bad = {"parameters.border:strait.patrol.high": change.replace("high: 0.8", "high: 0.01"),
           "a series of the catalogue": change.replace("arrivals", "arrivalz")}[expected]
    spec.write_text(text.replace(change, bad))
    result = migsim("calibrate", spec, "-o", tmp_path / "out.h5")
    assert result.returncode == 2
    assert str(spec) in result.stderr and expected in result.stderr
    assert not any(marker in result.stderr for marker in CRASH_MARKERS)
    assert not (tmp_path / "out.h5").exists()


def test_the_shipped_history_matching_spec_from_the_repository_root(migsim, tmp_path):
    # As docs/CALIBRATION.md shows it: a relative SPEC path from the repository root, an -o file
    # relative to the working folder; rerun over the finished file, then over a run file (refused).
    spec = "scenarios/toy/calibration/history_matching.yml"
    result = subprocess.run(migsim.command("calibrate", REPO_ROOT / spec, "-o", "hm.h5", "-q"), cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "3 waves and the posterior" in result.stdout and "(inside)" in result.stdout
    relative = migsim("calibrate", spec, "-o", tmp_path / "hm.h5", "-q")   # cwd: the repository root
    assert relative.returncode == 0, relative.stderr
    assert "already holds this calibration" in relative.stdout
    assert "holds only until day 60" in result.stderr   # the toy's event replaces the strait patrol
    run = tmp_path / "run.h5"
    migsim.ok("run", "scenarios/toy", "--days", "10", "-o", run, "-q")
    refused = migsim("calibrate", spec, "-o", run, "-q")
    assert refused.returncode == 3 and "--force" in refused.stderr
    assert not any(marker in refused.stderr for marker in CRASH_MARKERS)
