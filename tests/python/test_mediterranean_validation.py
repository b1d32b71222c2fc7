"""The Mediterranean scenario's checks (issue 4), run as its validation report runs them: an
ensemble of 10 replicates of the base, the no-moroccan-patrol-2019 counterfactual and the
pathway check. Every stylised fact and the error over the 2019-2021 targets must pass, and the
committed report (scenarios/mediterranean/VALIDATION.md) must be what the code produces now:
same seeds, same numbers. About two minutes on 2 cores."""
from __future__ import annotations

import csv
import os
import re
import subprocess
import sys

from conftest import MEDITERRANEAN, REPO_ROOT, migsim_path

VALIDATE = MEDITERRANEAN / "calibration" / "validate.py"


def test_every_check_passes_and_the_committed_report_is_current(tmp_path):
    report = tmp_path / "VALIDATION.md"
    done = subprocess.run([sys.executable, str(VALIDATE), "--replicates", "10", "--out", str(tmp_path),
                           "--markdown", str(report)], capture_output=True, text=True, cwd=REPO_ROOT,
                          env={**os.environ, "MIGSIM_BIN": str(migsim_path())}, timeout=1200)
    with open(tmp_path / "facts.csv", newline="") as f:
        facts = list(csv.DictReader(f))
    failed = [f"{r['fact']}: {r['value']} (expected {r['expected']})" for r in facts if r["result"] != "pass"]
    assert not failed, "\n".join(failed)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    malr = float(next(r["value"] for r in facts if r["fact"].startswith("targets 2019-2021")))
    assert malr < 0.4
    committed = (MEDITERRANEAN / "VALIDATION.md").read_text()
    # The command line in the first lines names the output path; everything after is numbers.
    strip = lambda text: re.sub(r"^Made by .*$", "", text, count=1, flags=re.M)   # noqa: E731
    assert strip(report.read_text()) == strip(committed), \
        "VALIDATION.md is out of date: rerun calibration/validate.py --markdown scenarios/mediterranean/VALIDATION.md"
