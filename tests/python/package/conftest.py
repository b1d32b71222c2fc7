"""Fixtures for the tests of the Python package tools/python/migsim.

The package is used in place (tools/python on sys.path), not installed. Runs come from the
real binary (tests/python/conftest.py: $MIGSIM_BIN); what the binary cannot make yet
(ensembles before `run --replicates`, sweeps before `migsim sweep`) is built from single runs
with xarray, in the layout docs/ARCHITECTURE.md describes. Features are detected only from
the binary's --help output (see `features`)."""
from __future__ import annotations

import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

PACKAGE_ROOT = Path(__file__).resolve().parents[3] / "tools" / "python"
if str(PACKAGE_ROOT) not in sys.path:
    sys.path.insert(0, str(PACKAGE_ROOT))

import matplotlib  # noqa: E402

matplotlib.use("Agg")

from conftest import TOY, migsim_path  # noqa: E402  (tests/python/conftest.py)

from .helpers import ensemble_from_runs, make_sweep, write_dataset  # noqa: E402


@lru_cache(maxsize=None)
def help_text(*command: str) -> str:
    path = migsim_path()
    if not path.is_file():
        return ""
    result = subprocess.run([str(path), *command, "--help"], capture_output=True, text=True, timeout=30)
    return result.stdout + result.stderr


def features() -> set[str]:
    """What the binary can do, from its --help: `replicates`, `compare`, `sweep`."""
    found = set()
    top = help_text()
    if "--replicates" in help_text("run"):
        found.add("replicates")
    for sub in ("compare", "sweep"):
        if re.search(rf"^\s+{sub}\s", top, re.M):
            found.add(sub)
    return found


def require(feature: str) -> None:
    if feature not in features():
        pytest.skip(f"migsim has no {feature} yet (not in its --help)")


@pytest.fixture(scope="session")
def cli(migsim):
    """The binary (the `migsim` fixture, renamed so that tests can `import migsim`)."""
    return migsim


class ToyRuns:
    """Runs of the toy scenario, each made once per session and cached by its arguments."""

    def __init__(self, migsim, folder: Path):
        self.migsim, self.folder, self.cache = migsim, folder, {}

    def __call__(self, seed: int = 1, *sets: str, replicates: int | None = None, days: int | None = None) -> Path:
        key = (seed, sets, replicates, days)
        if key not in self.cache:
            name = f"toy_s{seed}_r{replicates or 0}_d{days or 0}_{len(self.cache)}.h5"
            out = self.folder / name
            args = ["run", TOY, "-o", out, "-q", "--seed", seed, "--threads", 2]
            for s in sets:
                args += ["--set", s]
            if replicates is not None:
                args += ["--replicates", replicates]
            if days is not None:
                args += ["--days", days]
            self.migsim.ok(*args)
            self.cache[key] = out
        return self.cache[key]


@pytest.fixture(scope="session")
def toy_runs(migsim, tmp_path_factory) -> ToyRuns:
    return ToyRuns(migsim, tmp_path_factory.mktemp("package_runs"))


PATROL = "border:strait.patrol=0.9"
REPLICATES = 3


@pytest.fixture(scope="session")
def ensemble_pair(toy_runs, tmp_path_factory):
    """(base, variant, real): 3-replicate toy ensembles with seeds 1, 2, 3, the variant with
    the strait's patrol at 0.9. `real`: made by `migsim run --replicates`; otherwise built
    from single runs with those seeds (what an ensemble's replicates are, per the docs)."""
    if "replicates" in features():
        return toy_runs(1, replicates=REPLICATES), toy_runs(1, PATROL, replicates=REPLICATES), True
    folder = tmp_path_factory.mktemp("synthetic_ensembles")
    paths = []
    for sets, name in (((), "base.h5"), ((PATROL,), "variant.h5")):
        runs = [toy_runs(seed, *sets) for seed in range(1, REPLICATES + 1)]
        paths.append(write_dataset(ensemble_from_runs(runs), folder / name))
    return paths[0], paths[1], False


SWEEP_VALUES = (0.1, 0.5, 0.9)


@pytest.fixture(scope="session")
def sweep_file(cli, toy_runs, tmp_path_factory) -> Path:
    """A sweep of border:strait.patrol over 0.1, 0.5, 0.9 with 2 replicates (seeds 1, 2): by
    `migsim sweep` when it exists, else built from single runs in the documented layout."""
    if "sweep" in features():
        path = tmp_path_factory.mktemp("sweep") / "sweep.h5"
        cli.ok("sweep", TOY, "-o", path, "-q", "--seed", 1, "--replicates", 2, "--threads", 2,
               "--param", "border:strait.patrol=" + ",".join(map(str, SWEEP_VALUES)))
        return path
    samples = [[toy_runs(seed, f"border:strait.patrol={v}") for seed in (1, 2)] for v in SWEEP_VALUES]
    path = tmp_path_factory.mktemp("synthetic_sweep") / "sweep.h5"
    return write_dataset(make_sweep(samples, "border:strait.patrol", SWEEP_VALUES), path)
