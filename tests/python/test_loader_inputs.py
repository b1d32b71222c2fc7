"""Every file the loader reads must be a regular file of sane size: a table, scenario.yml or
FabFlee's simsetting.yml that is a device (/dev/zero grew the loader to 15 GB), a FIFO (opening it
waits for a writer forever) or a file larger than the bound (docs/ERRORS.md, "Unreadable file")
is refused at once with exit code 2 and one line naming the file and what was expected.

Each case has a short timeout: a hang or an unbounded read fails it instead of blocking."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import CRASH_MARKERS, SCENARIOS, replace_regex

TIMEOUT = 30


def refused(result, *words: str) -> str:
    assert result.returncode == 2, f"exit code {result.returncode}, expected 2; stderr:\n{result.stderr}"
    for marker in CRASH_MARKERS:
        assert marker not in result.stderr, f"stderr shows a crash ({marker!r}):\n{result.stderr}"
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("migsim: error: "), result.stderr
    for word in words:
        assert word in lines[0], f"{word!r} not in: {lines[0]}"
    return lines[0]


def test_a_table_that_is_a_device_is_refused(migsim, toy_copy):
    replace_regex(toy_copy / "scenario.yml", r"^  demand: demand.csv", "  demand: /dev/zero")
    message = refused(migsim("validate", toy_copy, timeout=TIMEOUT), "/dev/zero: ", "character device",
                      "expected a regular file")
    assert "cannot read the file" in message


def test_a_table_that_is_a_fifo_is_refused(migsim, toy_copy):
    (toy_copy / "demand.csv").unlink()
    os.mkfifo(toy_copy / "demand.csv")
    refused(migsim("validate", toy_copy, timeout=TIMEOUT), "toy/demand.csv: ", "FIFO", "expected a regular file")


def test_a_scenario_yml_that_is_a_fifo_or_a_link_to_a_device_is_refused(migsim, toy_copy):
    os.mkfifo(toy_copy / "fifo.yml")
    refused(migsim("validate", toy_copy / "fifo.yml", timeout=TIMEOUT), "fifo.yml: ", "FIFO")
    (toy_copy / "zero.yml").symlink_to("/dev/zero")
    refused(migsim("validate", toy_copy / "zero.yml", timeout=TIMEOUT), "zero.yml: ", "character device")


def test_a_table_larger_than_the_bound_is_refused_before_it_is_read(migsim, toy_copy):
    # Sparse: 3 GiB as the file system reports it, no space on disk; reading it would take 3 GiB.
    with open(toy_copy / "demand.csv", "r+b") as f:
        f.truncate(3 << 30)
    refused(migsim("validate", toy_copy, timeout=TIMEOUT), "toy/demand.csv: ", "3.22 GB",
            "expected at most 2.15 GB")


def test_import_flee_refuses_a_simsetting_yml_that_is_a_fifo(migsim, tmp_path):
    source = Path(shutil.copytree(SCENARIOS / "flee-mali2012" / "flee", tmp_path / "mali"))
    (source / "simsetting.yml").unlink()
    os.mkfifo(source / "simsetting.yml")
    refused(migsim("import-flee", source, "-o", tmp_path / "out", timeout=TIMEOUT), "simsetting.yml: ", "FIFO")
    assert not (tmp_path / "out").exists()
