"""compare() pairs the rows of base and variant by entity id, never by position: the same ids in
another order give the same comparison, other ids are refused with what each file lacks."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

import migsim
from conftest import TOY, CsvFile

from .test_compare import ORDER

DAYS, REPLICATES = 30, 2


def _run(cli, scenario, out):
    cli.ok("run", scenario, "-o", out, "-q", "--seed", 1, "--threads", 2, "--replicates", REPLICATES,
           "--days", DAYS, "--by-group")
    return out


def _copy_toy(folder):
    return Path(shutil.copytree(TOY, folder / "toy"))


@pytest.fixture(scope="module")
def base(cli, tmp_path_factory):
    return _run(cli, TOY, tmp_path_factory.mktemp("ids") / "base.h5")


# (table, dimension, two ids whose rows are swapped); every outcome reads one of them
SWAPS = [("borders.csv", "border", "strait", "channel"),
         ("markets.csv", "market", "strait_boats", "east_package"),
         ("locations.csv", "location", "mainland", "island")]


@pytest.fixture(scope="module", params=SWAPS, ids=[s[1] for s in SWAPS])
def swapped(request, cli, tmp_path_factory):
    """(file, dimension, ids): the toy with two rows of one of its tables swapped, run with the
    same seeds: the same simulation, written with those ids in the other order."""
    table, dim, first, second = request.param
    folder = tmp_path_factory.mktemp(f"swapped_{dim}")
    rows = CsvFile(_copy_toy(folder) / table)
    i, j = rows.find(id=first) - 1, rows.find(id=second) - 1
    rows.lines[i], rows.lines[j] = rows.lines[j], rows.lines[i]
    rows.save(0)
    path = _run(cli, folder / "toy", folder / "swapped.h5")
    return path, migsim.open_run(path), dim, (first, second)


@pytest.fixture(scope="module")
def base_ds(base):
    return migsim.open_run(base)


def test_the_swapped_file_holds_the_same_simulation_in_another_order(base_ds, swapped):
    _, v, dim, (first, second) = swapped
    b = base_ds
    ids = [str(x) for x in b[dim].values]
    assert ids.index(first) < ids.index(second)
    ids = [str(x) for x in v[dim].values]
    assert ids.index(first) > ids.index(second)
    for name in [n for n in b.data_vars if dim in b[n].dims and n in v and "time" in b[n].dims]:
        np.testing.assert_array_equal(b[name].sel({dim: first}).values, v[name].sel({dim: first}).values,
                                      err_msg=name)
    assert int(b["border_crossings"].sum()) > 0 and int(b["market_revenue"].sum()) > 0


@pytest.mark.parametrize("by", list(ORDER))
def test_ids_in_another_order_pair_by_id(base_ds, swapped, by):
    variant = swapped[1]
    expected = migsim.compare(base_ds, base_ds, by=by)
    result = migsim.compare(base_ds, variant, by=by)
    assert list(zip(result["group"], result["outcome"])) == list(zip(expected["group"], expected["outcome"]))
    finite = result["base"].notna()
    assert (result.loc[finite, "difference"] == 0).all(), result[result["difference"] != 0]
    for column in ("base", "variant", "difference", "low", "high", "relative"):
        np.testing.assert_array_equal(result[column].to_numpy(float), expected[column].to_numpy(float),
                                      err_msg=f"by={by} {column}")
    # the other way round: the rows come in the base's order
    back = migsim.compare(variant, base_ds, by=by)
    assert (back.loc[back["base"].notna(), "difference"] == 0).all()
    assert sorted(zip(back["group"], back["outcome"])) == sorted(zip(result["group"], result["outcome"]))


@pytest.fixture(scope="module")
def without_channel(cli, tmp_path_factory):
    """The toy without the channel border: its link crosses no border any more."""
    folder = tmp_path_factory.mktemp("without_channel")
    scenario = _copy_toy(folder)
    CsvFile(scenario / "borders.csv").delete(id="channel")
    links = CsvFile(scenario / "links.csv")
    links.set(links.find(id="channel_crossing"), border="")
    return _run(cli, scenario, folder / "without_channel.h5")


def test_other_ids_are_refused(base, without_channel):
    for b, v, only_base, only_variant in ((base, without_channel, "channel", None),
                                          (without_channel, base, None, "channel")):
        with pytest.raises(ValueError, match="border ids differ") as caught:
            migsim.compare(b, v, by="border")
        message = str(caught.value)
        assert str(v) in message and str(b) in message
        if only_base:
            assert f"only in the base: {only_base}" in message and "only in the variant" not in message
        else:
            assert f"only in the variant: {only_variant}" in message and "only in the base" not in message
    # rows that do not depend on borders still pair: totals, and by route (the same markets)
    assert len(migsim.compare(base, without_channel)) > 0
    assert len(migsim.compare(base, without_channel, by="route")) > 0
