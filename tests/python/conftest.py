"""Shared fixtures for the Python tests of the migsim command line and its output files.

The binary comes from $MIGSIM_BIN (a relative value is taken from the repository root), by
default build/release/tools/migsim/migsim. Run the suite with Debian's interpreter, which has
h5py, xarray and h5netcdf:

    /usr/bin/python3 -m pytest tests/python -q
"""
from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = REPO_ROOT / "scenarios"
TOY = SCENARIOS / "toy"
MEDITERRANEAN = SCENARIOS / "mediterranean"

# Words that must never reach a user: an uncaught exception, a crash, a Python traceback.
CRASH_MARKERS = ("Traceback", "terminate called", "terminate", "Aborted", "core dumped",
                 "Segmentation fault", "internal error")


def migsim_path() -> Path:
    value = os.environ.get("MIGSIM_BIN", "build/release/tools/migsim/migsim")
    path = Path(value)
    return path if path.is_absolute() else REPO_ROOT / path


class Migsim:
    """Runs the migsim binary; every call has a timeout so a hang fails instead of blocking."""

    def __init__(self, path: Path):
        self.path = path

    def command(self, *args) -> list[str]:
        return [str(self.path), *(str(a) for a in args)]

    def __call__(self, *args, timeout: float = 120, cwd: Path | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(*args), capture_output=True, text=True, timeout=timeout,
                              cwd=cwd or REPO_ROOT)

    def ok(self, *args, timeout: float = 120) -> subprocess.CompletedProcess:
        """Runs and asserts exit code 0, showing stderr otherwise."""
        result = self(*args, timeout=timeout)
        assert result.returncode == 0, (
            f"migsim {' '.join(map(str, args))} exited with {result.returncode}:\n{result.stderr}")
        return result

    def popen(self, *args) -> subprocess.Popen:
        return subprocess.Popen(self.command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, cwd=REPO_ROOT)


@pytest.fixture(scope="session")
def migsim() -> Migsim:
    path = migsim_path()
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"migsim binary not found at {path}: build it (cmake --build build/release) "
                    f"or point MIGSIM_BIN at it")
    return Migsim(path)


@pytest.fixture
def toy_copy(tmp_path) -> Path:
    """A private copy of scenarios/toy that a test may break."""
    return Path(shutil.copytree(TOY, tmp_path / "toy"))


@pytest.fixture(scope="session")
def toy_output(migsim, tmp_path_factory) -> Path:
    """The toy scenario run once with its own seed on 2 threads (read-only for the tests)."""
    out = tmp_path_factory.mktemp("toy_run") / "toy.h5"
    migsim.ok("run", TOY, "-o", out, "-q", "--threads", 2)
    return out


def skip_outside_ci(why: str) -> None:
    """Skips a test that needs what this machine lacks; under CI (CI=true), where tools/setup.sh
    installed everything and the job runs as root, the same lack is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"under CI: {why}")
    pytest.skip(why)


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MB file system (tmpfs; needs root: skipped where it cannot be mounted), for a disk
    that fills."""
    folder = tmp_path / "small"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3M", "tmpfs", str(folder)],
                      capture_output=True).returncode != 0:
        skip_outside_ci("cannot mount a tmpfs here (CI runs as root and can)")
    yield folder
    subprocess.run(["umount", str(folder)], capture_output=True)


# ---- editing scenario files ---------------------------------------------------------------
# The helpers work on physical lines (the engine reports physical line numbers) and fail when
# what they look for is not there exactly once, so a change to the shipped scenario shows up
# as a clear setup error instead of a test that checks nothing.

class CsvFile:
    """A scenario table edited in place, field by field (no multi-line quoted fields)."""

    def __init__(self, path: Path):
        self.path = path
        self.lines = path.read_text().splitlines()
        data = [i for i, line in enumerate(self.lines) if line.strip() and not line.lstrip().startswith("#")]
        self.header_index, self.row_indices = data[0], data[1:]
        self.header = [c.strip() for c in self._split(self.header_index)]

    def _split(self, index: int) -> list[str]:
        return next(csv.reader([self.lines[index]]))

    def _join(self, index: int, fields: list[str]) -> None:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="").writerow(fields)
        self.lines[index] = buffer.getvalue()

    def rows(self) -> list[tuple[int, dict[str, str]]]:
        """(1-based line, row) for every data row."""
        return [(i + 1, dict(zip(self.header, (f.strip() for f in self._split(i))))) for i in self.row_indices]

    def find(self, **match: str) -> int:
        """1-based line of the one row whose fields equal `match`."""
        hits = [line for line, row in self.rows() if all(row.get(k) == v for k, v in match.items())]
        assert len(hits) == 1, f"{self.path.name}: expected one row with {match}, found {len(hits)}"
        return hits[0]

    def set(self, line: int, **changes: str) -> int:
        fields = self._split(line - 1)
        for column, value in changes.items():
            fields[self.header.index(column)] = value
        self._join(line - 1, fields)
        return self.save(line)

    def delete(self, **match: str) -> None:
        del self.lines[self.find(**match) - 1]
        self.save(0)

    def rename_column(self, old: str, new: str) -> int:
        fields = self._split(self.header_index)
        fields[self.header.index(old)] = new
        self._join(self.header_index, fields)
        return self.save(self.header_index + 1)

    def drop_column(self, column: str) -> int:
        k = self.header.index(column)
        for i in [self.header_index, *self.row_indices]:
            fields = self._split(i)
            del fields[k]
            self._join(i, fields)
        return self.save(self.header_index + 1)

    def save(self, line: int) -> int:
        self.path.write_text("\n".join(self.lines) + "\n")
        self.__init__(self.path)
        return line


def replace_regex(path: Path, pattern: str, replacement: str) -> int:
    """Replaces the one line matching `pattern` (re.M) by `replacement`; returns its number."""
    lines = path.read_text().splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines) if re.match(pattern, line)]
    assert len(hits) == 1, f"{path.name}: expected one line matching {pattern!r}, found {len(hits)}"
    lines[hits[0]] = replacement + "\n"
    path.write_text("".join(lines))
    return hits[0] + 1


# ---- reading scenario files ---------------------------------------------------------------

def read_table(path: Path) -> list[dict[str, str]]:
    """A scenario CSV table as the engine reads it: blank lines and '#' lines skipped."""
    with path.open(newline="") as f:
        lines = [line for line in f if line.strip() and not line.lstrip().startswith("#")]
    return [{k.strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines)]


def scenario_setting(path: Path, key: str) -> str:
    """A top-level scalar of scenario.yml (without a YAML library: the files are simple)."""
    match = re.search(rf"^{re.escape(key)}:\s*([^#\n]*?)\s*(#.*)?$", path.read_text(), re.M)
    assert match, f"{path}: no top-level key {key!r}"
    return match.group(1)


def profile_ids(path: Path) -> list[str]:
    text = path.read_text().split("\nprofiles:", 1)[1]
    return re.findall(r"^\s*-\s*id:\s*([A-Za-z0-9_-]+)", text, re.M)


_CATALOGUE: list[tuple[str, str]] = []


def series_catalogue() -> list[tuple[str, str]]:
    """(name, entity dimension) of every series, as the engine writes them into every file (the
    root attribute `series_catalogue`, each variable's `entity`): read from a one-day toy run,
    once per test session (tests parametrize on it while they are collected)."""
    if not _CATALOGUE:
        import tempfile

        import h5py

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "catalogue.h5"
            subprocess.run([str(migsim_path()), "run", str(TOY), "--days", "1", "-o", str(path)],
                           check=True, capture_output=True)
            with h5py.File(path, "r") as f:
                names = f.attrs["series_catalogue"]
                names = (names.decode() if isinstance(names, bytes) else str(names)).split()
                for name in names:
                    entity = f[name].attrs["entity"]
                    _CATALOGUE.append((name, entity.decode() if isinstance(entity, bytes) else str(entity)))
        assert len(_CATALOGUE) >= 10, "the toy's file lists too few series in its catalogue"
    return _CATALOGUE


def status_names() -> list[str]:
    """The Status enum of engine/include/migsim/simulation.hpp, in order."""
    source = (REPO_ROOT / "engine/include/migsim/simulation.hpp").read_text()
    body = re.search(r"enum class Status[^{]*\{([^}]*)\}", source).group(1)
    return [name.strip() for name in body.split(",") if name.strip()]


# ---- reading a file that is being written --------------------------------------------------

def days_completed(path: Path) -> int | None:
    """`days_completed` of a file that a running migsim may hold open; None if unreadable now.

    The writer holds HDF5's file lock, so open without locking; the file may also be in the
    middle of a flush, so any error just means "not now"."""
    import h5py

    try:
        with h5py.File(path, "r", locking=False) as f:
            return int(f.attrs["days_completed"])
    except Exception:
        return None


def wait_for_days(proc: subprocess.Popen, path: Path, at_least: int, timeout: float = 60) -> int:
    """Polls until the running `proc` has written `at_least` days to `path`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"migsim exited ({proc.returncode}) before it had written {at_least} days "
                        f"and could be interrupted:\n{err}")
        if path.exists():
            n = days_completed(path)
            if n is not None and n >= at_least:
                return n
        time.sleep(0.01)
    pytest.fail(f"{path} did not reach {at_least} days within {timeout} s")
