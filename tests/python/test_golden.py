"""Golden checksums (tests/golden/README.md): the toy and 120 days of the Mediterranean give
exactly the pinned datasets on 1, 2 and 3 threads."""
from __future__ import annotations

import pytest

from conftest import MEDITERRANEAN, REPO_ROOT, TOY

GOLDEN = REPO_ROOT / "tests" / "golden"
RUNS = {"toy.sha256": (TOY, []), "mediterranean-120-days.sha256": (MEDITERRANEAN, ["--days", 120])}


@pytest.mark.parametrize("threads", [1, 2, 3])
@pytest.mark.parametrize("golden", list(RUNS))
def test_the_pinned_checksums_hold(migsim, tmp_path, golden, threads):
    scenario, extra = RUNS[golden]
    out = tmp_path / "run.h5"
    migsim.ok("run", scenario, *extra, "--threads", threads, "-o", out, "-q")
    lines = migsim.ok("info", "--checksums", out).stdout.splitlines()
    pinned = (GOLDEN / golden).read_text().splitlines()
    assert len(pinned) > 50
    changed = sorted(set(pinned) ^ set(lines))
    assert lines == pinned, f"{golden} on {threads} threads: datasets differ: {changed[:6]} (tools/golden.sh renews them)"
