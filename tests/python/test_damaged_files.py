"""Hostile output files (issue 16, item 5): every command that reads a run file answers a
damaged one with exit code 0 (the damage hit nothing it reads), 2 (files that do not pair) or 3
and one line naming the file; never a signal, a hang, an internal error or a traceback.

HDF5 1.10 cannot check a damaged global heap before it reads it (H5HG_read copies past its
buffer), so the reading commands run in a child process (tools/migsim/isolated.hpp); shapes and
sizes are checked against the file before anything is allocated."""
from __future__ import annotations

import random

import pytest

from conftest import CRASH_MARKERS, TOY

MUTATIONS = 80


@pytest.fixture(scope="module")
def good(migsim, tmp_path_factory):
    out = tmp_path_factory.mktemp("good") / "good.h5"
    migsim.ok("run", TOY, "-q", "--replicates", 2, "--days", 60, "-o", out)
    return out


def damaged_copies(good, folder, count, seed=16):
    data = good.read_bytes()
    rng = random.Random(seed)
    for k in range(count):
        damaged = bytearray(data)
        for _ in range(rng.choice([1, 4, 16, 64])):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        path = folder / f"damaged-{k}.h5"
        path.write_bytes(bytes(damaged))
        yield path


def assert_answered(result, path):
    err = result.stderr
    assert result.returncode in (0, 2, 3), f"{path.name}: exit {result.returncode}\n{err}"
    assert not any(marker in err for marker in CRASH_MARKERS), f"{path.name}: {err}"
    assert len(err.splitlines()) <= 1, f"{path.name}: more than one line:\n{err}"
    if result.returncode != 0:
        assert path.name in err, err


def test_byte_damaged_files_never_crash_a_reader(migsim, good, tmp_path):
    codes = set()
    for path in damaged_copies(good, tmp_path, MUTATIONS):
        for args in (["info", path], ["info", "--checksums", path], ["compare", good, path],
                     ["compare", path, good, "--by", "border"]):
            result = migsim(*args, timeout=30)
            assert_answered(result, path)
            codes.add(result.returncode)
        path.unlink()
    assert 3 in codes, "no mutation was noticed: the test damages nothing"


@pytest.mark.parametrize("cut", [0, 100, 4096, 50_000])
def test_truncated_files_are_named(migsim, good, tmp_path, cut):
    path = tmp_path / "cut.h5"
    path.write_bytes(good.read_bytes()[:cut])
    for args in (["info", path], ["info", "--checksums", path], ["compare", good, path], ["run", "--resume", path]):
        result = migsim(*args, timeout=30)
        assert result.returncode == 3, result.stderr
        assert_answered(result, path)
