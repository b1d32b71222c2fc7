"""The memory check before a run (docs/ERRORS.md, "Not enough memory") counts what the scenario's
tables hold and what every replicate costs, and --max-memory is honoured while the tables are
loaded: a table too big for the bound is refused from its size on disk, before it is parsed.

Peak memory is measured as the kernel reports it (ru_maxrss of a child run alone in a fresh
interpreter), so the estimate is compared with what migsim really took."""
from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CRASH_MARKERS, TOY, migsim_path

MB = 1e6

# Runs one command and reports its exit code, stderr and peak resident memory (bytes).
PEAK = """
import json, resource, subprocess, sys
r = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=120)
print(json.dumps({"rc": r.returncode, "stderr": r.stderr,
                  "peak": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024}))
"""


def peak_of(*args) -> dict:
    out = subprocess.run([sys.executable, "-c", PEAK, str(migsim_path()), *map(str, args)],
                         capture_output=True, text=True, timeout=180, check=True)
    return json.loads(out.stdout)


def estimate_of(migsim, scenario: Path, *args) -> float:
    """The run's estimate in bytes (the most it can be, as rounded in the message): the refusal
    under a bound of 1 byte states it, or, when the loading is refused first, the refusal under a
    bound just above the loading's own estimate."""
    def refusal(bound: int) -> tuple[bool, float]:
        result = migsim("run", scenario, "-q", "--max-memory", bound, "-o", scenario.parent / "never.h5", *args)
        assert result.returncode == 2, result.stderr
        match = re.search(r"(loading|the run of) '[^']*' needs about ([\d.]+) (MB|GB)", result.stderr)
        assert match, result.stderr
        digits = len(match.group(2).partition(".")[2])
        unit = MB if match.group(3) == "MB" else 1000 * MB
        return match.group(1) == "loading", (float(match.group(2)) + 0.5 * 10 ** -digits) * unit

    loading, estimate = refusal(1)
    if loading:
        loading, estimate = refusal(int(estimate) + 1)
        assert not loading
    return estimate


def refused(result) -> str:
    assert result["rc"] == 2, f"exit code {result['rc']}, expected 2; stderr:\n{result['stderr']}"
    for marker in CRASH_MARKERS:
        assert marker not in result["stderr"], result["stderr"]
    lines = result["stderr"].splitlines()
    assert len(lines) == 1 and lines[0].startswith("migsim: error: --max-memory: "), result["stderr"]
    return lines[0]


@pytest.fixture
def big_demand(toy_copy) -> Path:
    """The toy with a million demand rows of one migrant each, all in the first two days."""
    rng = random.Random(1)
    origins, profiles = ["village", "town"], ["migrant", "refugee"]
    rows = [f"{rng.randrange(2)},{rng.choice(origins)},{rng.choice(profiles)},1,1" for _ in range(10**6)]
    (toy_copy / "demand.csv").write_text("day,origin,profile,count,spread_days\n" + "\n".join(rows) + "\n")
    (toy_copy / "events.csv").write_text("day,target,parameter,value\n")
    return toy_copy


def test_a_big_demand_table_is_refused_before_it_is_parsed(big_demand, tmp_path):
    out = tmp_path / "out.h5"
    result = peak_of("run", big_demand, "-q", "--days", 2, "--max-memory", "100M", "-o", out)
    message = refused(result)
    assert "needs about" in message and "demand" in message, message
    assert not out.exists()
    # Refused from the tables' sizes on disk: the 21 MB table was never parsed (that took 450 MB).
    assert result["peak"] < 60 * MB, f"peak {result['peak'] / MB:.0f} MB before the refusal"


def test_the_estimate_covers_a_big_demand_table(migsim, big_demand):
    estimate = estimate_of(migsim, big_demand, "--days", 2, "--threads", 2)
    measured = peak_of("run", big_demand, "-q", "--days", 2, "--threads", 2, "-o", big_demand / "out.h5")
    assert measured["rc"] == 0, measured["stderr"]
    assert measured["peak"] <= estimate <= 2 * measured["peak"], (
        f"estimate {estimate / MB:.0f} MB, measured peak {measured['peak'] / MB:.0f} MB")


def test_the_estimate_covers_many_replicates(migsim, toy_copy):
    # Per replicate: the simulations, the writer's rows of the days it holds, the summaries.
    args = ("--replicates", 300, "--threads", 2)
    estimate = estimate_of(migsim, toy_copy, *args)
    measured = peak_of("run", toy_copy, "-q", *args, "-o", toy_copy / "out.h5")
    assert measured["rc"] == 0, measured["stderr"]
    assert measured["peak"] <= estimate <= 2 * measured["peak"], (
        f"estimate {estimate / MB:.0f} MB, measured peak {measured['peak'] / MB:.0f} MB")


def test_a_hundred_thousand_replicates_are_refused_under_one_gigabyte(tmp_path):
    out = tmp_path / "out.h5"
    result = peak_of("run", TOY, "-q", "--replicates", 100000, "--max-memory", "1G", "-o", out)
    message = refused(result)
    assert "100000 replicates" in message, message
    assert not out.exists()
