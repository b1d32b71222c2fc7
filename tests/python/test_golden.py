"""Golden checksums (tests/golden/README.md): the toy and 120 days of the Mediterranean give
exactly the pinned datasets on 1, 2 and 3 threads."""
from __future__ import annotations

import pytest

from conftest import REPO_ROOT

GOLDEN = REPO_ROOT / "tests" / "golden"
# As users run them: from the repository root, the scenario by its relative path.
RUNS = {"toy.sha256": ("scenarios/toy", []), "mediterranean-120-days.sha256": ("scenarios/mediterranean", ["--days", 120])}


@pytest.mark.parametrize("threads", [1, 2, 3])
@pytest.mark.parametrize("golden", list(RUNS))
def test_the_pinned_checksums_hold(migsim, tmp_path, golden, threads):
    scenario, extra = RUNS[golden]
    out = tmp_path / "run.h5"
    migsim.ok("run", scenario, "--threads", 1, "--days", 3, "-o", out, "-q")   # an older file in the way
    migsim.ok("run", scenario, *extra, "--threads", threads, "-o", out, "-q", "--force")
    lines = migsim.ok("info", "--checksums", out).stdout.splitlines()
    pinned = (GOLDEN / golden).read_text().splitlines()
    assert len(pinned) > 50
    changed = sorted(set(pinned) ^ set(lines))
    assert lines == pinned, f"{golden} on {threads} threads: datasets differ: {changed[:6]} (tools/golden.sh renews them)"
