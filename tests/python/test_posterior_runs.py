"""`migsim run --posterior calib.h5 --draws N` and `migsim compare` of two such runs, as users
call them from the repository root (docs/COMPARE.md, "With parameter uncertainty").

The calibration file is written here as `migsim calibrate` writes it: posterior_value
(particle, parameter), posterior_weight (particle), the string coordinate `parameter` and the
root attribute `method`."""
from __future__ import annotations

import csv
import io
import math
import os
from pathlib import Path

import numpy as np
import pytest

from conftest import CRASH_MARKERS, REPO_ROOT

h5py = pytest.importorskip("h5py")

TOY = "scenarios/toy"
KEYS = ["border:strait.patrol", "behaviour.switching_cost"]
COMMON = ["--days", "40", "--replicates", "2", "--threads", "2", "-q", "--seed", "5"]


def relative(path: Path) -> str:
    return os.path.relpath(path, REPO_ROOT)


def write_calibration(path: Path, keys, values, weights, leave_out: str = "") -> str:
    with h5py.File(path, "w") as f:
        if leave_out != "parameter":
            f.create_dataset("parameter", data=np.array(keys, dtype=object), dtype=h5py.string_dtype("utf-8"))
        if leave_out != "posterior_value":
            f.create_dataset("posterior_value", data=np.asarray(values, dtype="float64"))
        if leave_out != "posterior_weight":
            f.create_dataset("posterior_weight", data=np.asarray(weights, dtype="float64"))
        if leave_out != "method":
            f.attrs["method"] = "abc-smc"
    return relative(path)


@pytest.fixture(scope="module")
def calibration(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("calib")
    return write_calibration(folder / "calib.h5", KEYS, [[0.1, 20], [0.4, 60], [0.8, 150]], [0.3, 0.4, 0.3])


@pytest.fixture(scope="module")
def pair(migsim, calibration, tmp_path_factory):
    folder = tmp_path_factory.mktemp("posterior")
    base, variant = relative(folder / "base.h5"), relative(folder / "variant.h5")
    first = migsim.ok("run", TOY, "--posterior", calibration, "--draws", 4, *COMMON, "-o", base)
    migsim.ok("run", TOY, "--posterior", calibration, "--draws", 4, *COMMON,
              "--set", "market:strait_boats.price=1500", "-o", variant)
    return base, variant, first


def csv_rows(result) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(result.stdout)))


def refused(result, code: int, *words: str) -> None:
    assert result.returncode == code, result.stdout + result.stderr
    for marker in CRASH_MARKERS:
        assert marker not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def test_the_file_has_draws_replicates_and_the_drawn_values(pair, calibration):
    base, _, first = pair
    assert "4 draws x 2 replicates" in first.stdout
    with h5py.File(REPO_ROOT / base, "r") as f:
        assert f.attrs["kind"] == "posterior"
        assert f.attrs["posterior"] == calibration
        assert len(f.attrs["posterior_sha256"]) == 64
        assert f["arrivals"].shape[:3] == (4, 2, 40)
        assert [d[0].name for d in f["arrivals"].dims][:3] == ["/draw", "/replicate", "/time"]
        assert [d[0].name for d in f["param_border_strait_patrol"].dims] == ["/draw"]
        assert list(f["draw_completed"][()]) == [1, 1, 1, 1]
        assert f["seed"][()].tolist() == [[5, 6], [7, 8], [9, 10], [11, 12]]
        drawn = set(zip(f["param_border_strait_patrol"][()], f["param_behaviour_switching_cost"][()]))
        assert drawn <= {(0.1, 20.0), (0.4, 60.0), (0.8, 150.0)}


def test_info_says_it_is_a_posterior_ensemble(migsim, pair):
    result = migsim.ok("info", pair[0])
    assert "posterior ensemble: 4 draws x 2 replicates" in result.stdout
    assert "4 of 4 draws done" in result.stdout


def test_compare_interval_is_the_documented_formula(migsim, pair):
    base, variant, _ = pair
    rows = csv_rows(migsim.ok("compare", base, variant, "--format", "csv"))
    row = next(r for r in rows if r["outcome"] == "arrivals")
    assert row["draws"] == "4" and row["replicates"] == "2"

    def totals(path):
        with h5py.File(REPO_ROOT / path, "r") as f:
            return f["arrivals"][()].astype("float64").sum(axis=(2, 3))   # (draw, replicate)
    d = totals(variant) - totals(base)
    n, r = d.shape
    m_d = d.mean(axis=1)
    m = m_d.mean()
    s_m2 = m_d.var(ddof=1)
    s_w2 = ((d - m_d[:, None]) ** 2).sum() / (n * (r - 1))
    v_theta = max(0.0, s_m2 - s_w2 / r)
    half = 1.96 * math.sqrt(v_theta + s_m2 / n)
    assert float(row["difference"]) == pytest.approx(m, rel=1e-12, abs=1e-9)
    assert float(row["low"]) == pytest.approx(m - half, rel=1e-12, abs=1e-9)
    assert float(row["high"]) == pytest.approx(m + half, rel=1e-12, abs=1e-9)
    seed_half = float(row["high_seed_only"]) - m
    sd = d.reshape(-1).std(ddof=1)
    assert seed_half == pytest.approx(2.3646242510102993 * sd / math.sqrt(n * r), rel=1e-9)   # t(0.975, 7)

    table = migsim.ok("compare", base, variant).stdout
    assert "seed-only interval" in table and "paired by (draw, seed) over 4 posterior draws x 2 replicates" in table
    json_rows = migsim.ok("compare", base, variant, "--format", "json").stdout
    assert '"draws": 4' in json_rows and '"low_seed_only"' in json_rows


def test_compare_refuses_unpaired_draws(migsim, pair, calibration, tmp_path):
    base, _, _ = pair
    plain = relative(tmp_path / "plain.h5")
    migsim.ok("run", TOY, *COMMON, "-o", plain)
    refused(migsim("compare", base, plain), 2, "is a posterior run", "is not")
    refused(migsim("compare", plain, base), 2, "is a posterior run", "is not")
    other = relative(tmp_path / "other.h5")
    migsim.ok("run", TOY, "--posterior", calibration, "--draws", 3, *COMMON, "-o", other)
    refused(migsim("compare", base, other), 2, "posterior draws differ")


def test_running_again_keeps_the_finished_draws(migsim, calibration, tmp_path):
    out = relative(tmp_path / "again.h5")
    args = ["run", TOY, "--posterior", calibration, "--draws", 2, *COMMON, "-o", out]
    migsim.ok(*args)
    again = migsim.ok(*args)
    assert "0 draws run now, 2 already done" in again.stdout
    refused(migsim("run", TOY, "--posterior", calibration, "--draws", 3, *COMMON, "-o", out), 3,
            "holds another run than this posterior run")
    assert "2 draws run now" in migsim.ok(*args[:-2], "--force", "-o", out).stdout


def test_bad_posteriors_are_refused_with_the_file_named(migsim, tmp_path):
    out = relative(tmp_path / "out.h5")
    refused(migsim("run", TOY, "--posterior", relative(tmp_path / "none.h5"), "--draws", 2, "-o", out), 2,
            "does not exist")
    for missing in ("posterior_weight", "method"):
        path = write_calibration(tmp_path / f"no-{missing}.h5", KEYS, [[0.1, 20]], [1.0], leave_out=missing)
        refused(migsim("run", TOY, "--posterior", path, "--draws", 2, "-o", out), 3,
                path, "not a calibration file", missing)
    wrong = write_calibration(tmp_path / "wrong-key.h5", ["border:nowhere.patrol"], [[0.3]], [1.0])
    refused(migsim("run", TOY, "--posterior", wrong, "--draws", 2, "-o", out), 2,
            wrong, "a parameter of the posterior", "nowhere")
    negative = write_calibration(tmp_path / "negative.h5", KEYS, [[0.1, 20], [0.2, 30]], [1.0, -1.0])
    refused(migsim("run", TOY, "--posterior", negative, "--draws", 2, "-o", out), 3, negative, ">= 0")
    assert not (REPO_ROOT / out).exists()


def test_draws_and_posterior_go_together(migsim, calibration, tmp_path):
    out = relative(tmp_path / "out.h5")
    assert migsim("run", TOY, "--draws", 3, "-o", out).returncode != 0
    assert migsim("run", TOY, "--posterior", calibration, "-o", out).returncode != 0
    help_text = migsim.ok("run", "--help").stdout
    assert "--posterior" in help_text and "--draws" in help_text and "migsim compare base.h5 variant.h5" in help_text


def test_an_interrupted_posterior_run_resumes_to_the_same_content(migsim, calibration, tmp_path):
    import signal
    import time

    # 30 draws x 3 replicates of 60 days: long enough to be stopped midway.
    args = ["run", TOY, "--posterior", calibration, "--draws", 30, "--replicates", 3, "--days", 60, "-q"]
    straight = relative(tmp_path / "straight.h5")
    migsim.ok(*args, "-o", straight)
    resumed = relative(tmp_path / "resumed.h5")
    proc = migsim.popen(*args, "-o", resumed)
    deadline = time.time() + 60
    while time.time() < deadline:   # stop it once a couple of draws are done
        try:
            with h5py.File(REPO_ROOT / resumed, "r", locking=False) as f:
                if f["draw_completed"][()].sum() >= 2:
                    break
        except (OSError, KeyError):
            pass
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, f"not interrupted midway (exit {proc.returncode}): {err}"
    assert "run the same command again" in err
    with h5py.File(REPO_ROOT / resumed, "r") as f:
        assert 0 < f["draw_completed"][()].sum() < 30
    assert "already done" in migsim.ok(*args, "-o", resumed).stdout
    assert migsim.ok("info", straight, "--checksums").stdout == migsim.ok("info", resumed, "--checksums").stdout
