"""The series catalogue a run file carries: one row per series, read from the file itself.

    migsim.catalogue("med.h5")       # a DataFrame indexed by series name

The engine keeps the catalogue in one table (engine/include/migsim/series.hpp) and writes it
into every file: the root attribute `series_catalogue` lists the series in order, and each
series' variable carries its row as attributes (entity, measure, made, rule_sets, grouped,
summarised, units, long_name, and where they apply compare_outcome, compare_in, paid_to).
Everything in this package that needs a list of series (compare's outcomes, who is paid)
reads it from here, so a file and the package never disagree (docs/OUTPUT.md).
"""
from __future__ import annotations

import pandas as pd
import xarray as xr

from .io import RunLike, as_dataset

COLUMNS = ["entity", "measure", "made", "rule_sets", "grouped", "summarised", "units", "long_name",
           "compare_outcome", "compare_in", "paid_to"]


def catalogue(run: RunLike) -> pd.DataFrame:
    """The file's series catalogue, indexed by series name, in the engine's order. `compare_in`
    is a tuple of the views of `migsim compare` that show the series ("total", "entity",
    "destination", "group"); `rule_sets` a tuple ("logit", "flee"); empty strings where a
    column does not apply."""
    ds = as_dataset(run)
    names = str(ds.attrs.get("series_catalogue", "")).split()
    if not names:
        source = ds.attrs.get("source", "the file")
        raise KeyError(f"{source} carries no series catalogue (attribute series_catalogue): written by a "
                       "migsim older than 0.1.0 of December 2026? Run it again with this one")
    rows = []
    for name in names:
        attrs = ds[name].attrs if name in ds.variables else {}
        row = {column: attrs.get(column, "") for column in COLUMNS}
        row["grouped"] = bool(int(row["grouped"] or 0))
        row["summarised"] = bool(int(row["summarised"] or 0))
        row["compare_in"] = tuple(str(row["compare_in"]).split())
        row["rule_sets"] = tuple(str(row["rule_sets"]).split())
        row["present"] = name in ds.variables
        rows.append(row)
    return pd.DataFrame(rows, index=pd.Index(names, name="series"))


def compared(ds: xr.Dataset, view: str, entity: str | None = None) -> pd.DataFrame:
    """The catalogue's rows that `migsim compare` shows in `view` ("total", "entity",
    "destination", "group"), of one entity if given, in catalogue order."""
    table = catalogue(ds)
    keep = table["compare_in"].map(lambda views: view in views)
    if entity is not None:
        keep &= table["entity"] == entity
    return table[keep]


def paid_to(ds: xr.Dataset) -> dict:
    """Each payee of the catalogue's money series ("smugglers", "armed_groups", ...), in order of
    first appearance, with the list of its series."""
    table = catalogue(ds)
    out: dict = {}
    for name, payee in table["paid_to"].items():
        if payee:
            out.setdefault(str(payee), []).append(name)
    return out
