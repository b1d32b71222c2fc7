"""The series catalogue every file carries (docs/OUTPUT.md): each variable says what it is, the
attributes agree with the data (dtype, dimensions, splits, summaries, which rules fill it), and
docs/OUTPUT.md prints the catalogue as the engine writes it."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import numpy as np
import pytest

import migsim


REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def ensemble(ensemble_pair):
    """A 3-replicate toy ensemble split by group: summaries and NAME_by_group series."""
    return migsim.open_run(ensemble_pair[0])


@pytest.fixture(scope="module")
def table(ensemble):
    return migsim.catalogue(ensemble)


def test_every_series_carries_its_row(ensemble, table):
    assert len(table) >= 30 and table["present"].all()
    for name, row in table.iterrows():
        da = ensemble[name]
        assert da.dims[-1] == row["entity"], name
        assert da.dtype == (np.float64 if row["measure"] == "money" else np.int64), name
        assert row["units"] and row["long_name"], name
        assert row["made"] in ("counted", "derived") and row["rule_sets"][0] == "logit", name
        assert bool(row["compare_outcome"]) == bool(row["compare_in"]), name
        if row["paid_to"]:
            assert row["measure"] == "money", name


def test_splits_and_summaries_are_the_rows_that_ask_for_them(ensemble, table):
    for name, row in table.iterrows():
        assert (f"{name}_by_group" in ensemble.variables) == row["grouped"], name
        assert (f"{name}_summary" in ensemble.variables) == row["summarised"], name
        if row["grouped"]:
            split = ensemble[f"{name}_by_group"]
            assert split.attrs["split_of"] == name and split.attrs["units"] == row["units"]
            np.testing.assert_array_equal(split.sum("group").values, ensemble[name].values)
        if row["summarised"]:
            summary = ensemble[f"{name}_summary"]
            assert summary.attrs["summary_of"] == name and summary.attrs["units"] == row["units"]
            assert summary.attrs["long_name"]


def test_every_variable_has_units_and_a_long_name(ensemble):
    """Every series, split and summary (the coordinates need neither)."""
    series = [v for v in ensemble.data_vars if ensemble[v].dims[:1] in (("replicate",), ("statistic",))
              and v != "seed"]
    assert len(series) > 60
    for name in series:
        assert ensemble[name].attrs.get("units") and ensemble[name].attrs.get("long_name"), name


def test_compare_shows_what_the_catalogue_says(ensemble, table):
    """Each view of `migsim compare` lists the catalogue's series for it, in its order, under
    their outcome names, then the outcomes made of several series."""
    views = {None: ("total", None), "border": ("entity", "border"), "route": ("entity", "market"),
             "destination": ("destination", "location"), "profile": ("entity", "profile"),
             "place": ("entity", "location"), "group": ("group", None)}
    composite = {None: ["transit_days"] + [f"to_{p}" for p in migsim.payees(ensemble)[1:]],
                 "border": ["smuggler_revenue"], "destination": ["transit_days"]}
    for by, (view, entity) in views.items():
        rows = table[table["compare_in"].map(lambda v: view in v)]
        if entity:
            rows = rows[rows["entity"] == entity]
        expected = list(rows["compare_outcome"]) + composite.get(by, [])
        assert list(migsim.outcomes(ensemble, by).data_vars) == expected, by


def test_flee_rules_fill_only_their_series(cli, tmp_path):
    """Under Flee's rules a series the catalogue gives to `logit` alone is all zeros, and the
    ones both rule sets fill are not."""
    out = tmp_path / "flee.h5"
    cli.ok("run", REPO / "scenarios" / "flee-mali2012", "--days", 30, "-o", out, "-q")
    ds = migsim.open_run(out)
    table = migsim.catalogue(ds)
    for name, row in table.iterrows():
        if row["rule_sets"] == ("logit",):
            assert float(abs(ds[name]).sum()) == 0, name
    filled = [n for n, row in table.iterrows() if "flee" in row["rule_sets"] and float(ds[n].sum()) > 0]
    assert {"status_counts", "arrivals", "link_flow"} <= set(filled)


def test_the_docs_print_the_catalogue_the_engine_writes(ensemble):
    spec = importlib.util.spec_from_file_location("catalogue_table", REPO / "tools" / "docs" / "catalogue_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page = (REPO / "docs" / "OUTPUT.md").read_text()
    shown = re.search(r"<!-- catalogue:begin -->\n(.*)<!-- catalogue:end -->", page, re.S).group(1)
    assert shown == module.markdown(ensemble), "docs/OUTPUT.md: run tools/docs/catalogue_table.py FILE and paste"


def test_a_file_without_a_catalogue_says_so(ensemble):
    older = ensemble.copy()
    del older.attrs["series_catalogue"]
    with pytest.raises(KeyError, match="no series catalogue"):
        migsim.catalogue(older)
