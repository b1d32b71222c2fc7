"""`migsim compare` pairs entity rows by id, never by position, and refuses what cannot pair.

Reordering the rows of a table changes no simulated number (the same network, the same
agents), so every difference must be exactly zero; a variant that lacks a border of the base
must be refused, not read out of bounds (issue 16, item 4).
"""
from __future__ import annotations

import csv
import io

import pytest

from conftest import CRASH_MARKERS, CsvFile

DAYS = "40"


def run(migsim, scenario, out, *extra):
    migsim.ok("run", scenario, "-o", out, "-q", "--days", DAYS, "--replicates", 2, "--threads", 2, *extra)
    return out


def rows(result) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(result.stdout)))


def reverse_rows(path) -> None:
    table = CsvFile(path)
    body = [table.lines[i] for i in table.row_indices]
    for i, line in zip(table.row_indices, reversed(body)):
        table.lines[i] = line
    table.save(0)


@pytest.fixture(scope="module")
def base(migsim, tmp_path_factory):
    from conftest import TOY
    return run(migsim, TOY, tmp_path_factory.mktemp("base") / "base.h5")


@pytest.mark.parametrize("table, by", [("borders.csv", "border"), ("markets.csv", "route"),
                                       ("locations.csv", "destination"), ("locations.csv", "place")])
def test_reordered_rows_compare_as_identical(migsim, base, toy_copy, tmp_path, table, by):
    reverse_rows(toy_copy / table)
    variant = run(migsim, toy_copy, tmp_path / "reordered.h5")
    result = migsim.ok("compare", base, variant, "--by", by, "--format", "csv")
    found = rows(result)
    assert found, result.stdout
    moved = [r for r in found if float(r["difference"]) != 0.0]
    assert not moved, f"rows paired by position after reordering {table}: {moved[:3]}"


def test_variant_lacking_a_border_is_refused(migsim, base, toy_copy, tmp_path):
    CsvFile(toy_copy / "links.csv").delete(id="fence_climb")
    CsvFile(toy_copy / "borders.csv").delete(id="fence")
    variant = run(migsim, toy_copy, tmp_path / "no-fence.h5")
    for first, second in ((base, variant), (variant, base)):
        result = migsim("compare", first, second, "--by", "border")
        assert result.returncode == 2, result.stdout + result.stderr
        assert "border ids differ" in result.stderr and "fence" in result.stderr, result.stderr
        assert not any(m in result.stderr for m in CRASH_MARKERS), result.stderr
    # Totals over all borders still compare: a variant may add or remove a crossing.
    assert migsim.ok("compare", base, variant).stdout


def test_reversed_window_is_named(migsim, base):
    result = migsim("compare", base, base, "--window", "2019-03-01:2019-01-01")
    assert result.returncode == 2
    assert "FROM on or before TO" in result.stderr, result.stderr
