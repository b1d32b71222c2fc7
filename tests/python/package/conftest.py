"""Fixtures for the tests of the Python package tools/python/migsim.

The package is used in place (tools/python on sys.path), not installed. Runs come from the
real binary (tests/python/conftest.py: $MIGSIM_BIN)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

PACKAGE_ROOT = Path(__file__).resolve().parents[3] / "tools" / "python"
if str(PACKAGE_ROOT) not in sys.path:
    sys.path.insert(0, str(PACKAGE_ROOT))

import matplotlib  # noqa: E402

matplotlib.use("Agg")

from conftest import TOY, migsim_path  # noqa: E402  (tests/python/conftest.py)



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
BY_GROUP = "output_by_group=true"
REPLICATES = 3


@pytest.fixture(scope="session")
def ensemble_pair(toy_runs):
    """(base, variant, real): 3-replicate toy ensembles (`migsim run --replicates`, seeds 1, 2, 3),
    split by group, the variant with the strait's patrol at 0.9."""
    return (toy_runs(1, BY_GROUP, replicates=REPLICATES), toy_runs(1, PATROL, BY_GROUP, replicates=REPLICATES),
            True)


SWEEP_VALUES = (0.1, 0.5, 0.9)


@pytest.fixture(scope="session")
def sweep_file(cli, tmp_path_factory) -> Path:
    """`migsim sweep` of border:strait.patrol over 0.1, 0.5, 0.9 with 2 replicates (seeds 1, 2)."""
    path = tmp_path_factory.mktemp("sweep") / "sweep.h5"
    cli.ok("sweep", TOY, "-o", path, "-q", "--seed", 1, "--replicates", 2, "--threads", 2,
           "--param", "border:strait.patrol=" + ",".join(map(str, SWEEP_VALUES)))
    return path
