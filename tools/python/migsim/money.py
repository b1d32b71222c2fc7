"""Who is paid: the money that changes hands along the routes (docs/HARM.md), per period.

    migsim.money_flows("med.h5")            # a DataFrame: one row per year, one column per payee
    migsim.plot_money_flows("med.h5")       # stacked bars of what migrants paid, by payee

What migrants pay goes to smugglers (seat prices, `market_revenue`), officials (`bribes_paid`),
armed groups and criminals (`ransom_paid`, `tolls_paid`), transport (`fares_paid`) and regular
pathways (`pathway_fees_paid`). Smugglers pass part of their takings on for their passengers:
protection money to armed groups (`protection_paid`) and bribes to officials
(`smuggler_bribes_paid`). Counting those with whom they end up, the payees' shares add up to
what migrants paid, exactly.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from .frames import Window, monthly, select_window
from .catalogue import catalogue, paid_to
from .io import RunLike, as_dataset, require

def payees(run: RunLike) -> list:
    """Where the money ends up: the columns of money_flows that add up to `migrants_paid`
    (`smugglers_net`, then every other payee of the file's catalogue, migsim.catalogue)."""
    return ["smugglers_net"] + [p for p in paid_to(as_dataset(run)) if p != "smugglers"]


def _total(ds: xr.Dataset, name: str, freq: str) -> pd.Series | None:
    """A money series summed over its entities and each period, mean over replicates; None when
    the file has no such series (written by an engine without it)."""
    if name not in ds.variables:
        return None
    da = monthly(ds, name, freq=freq)   # entities summed, each period summed
    if "sample" in da.dims:
        if da.sizes["sample"] != 1:
            raise ValueError("a sweep file: select one sample first, e.g. ds.isel(sample=0)")
        da = da.isel(sample=0)
    if "replicate" in da.dims:
        da = da.mean("replicate")
    return da.to_series()


def money_flows(run: RunLike, freq: str = "YS", *, window: Window = None) -> pd.DataFrame:
    """Money paid per period (`freq`, a pandas offset: "YS" years, "QS" quarters, "MS" months),
    mean over replicates. Columns: `migrants_paid` (all they paid), `smugglers_gross` (what
    smugglers took), `smugglers_to_PAYEE` for each payee smugglers pass money on to (protection
    to armed groups, bribes to officials; out of their gross), then where the money ends up
    (payees()): `smugglers_net` and each payee of the file's catalogue (`armed_groups`: ransom,
    tolls, protection; `officials`: bribes paid by migrants and by smugglers; `transport`:
    fares; `pathway_fees`). The payees add up to `migrants_paid`."""
    ds = select_window(as_dataset(run), window)
    require(ds, "market_revenue", what="money flows")
    table = catalogue(ds)
    paid = paid_to(ds)
    gross = sum(_total(ds, name, freq) for name in paid["smugglers"])
    zero = pd.Series(np.zeros(len(gross)), index=gross.index)

    def total(name: str) -> pd.Series:
        series = _total(ds, name, freq)
        return zero if series is None else series

    # Smugglers pay some payees for their passengers: the market series paid to others.
    passed = {}
    for p, names in paid.items():
        on_markets = [n for n in names if table.loc[n, "entity"] == "market"]
        if p != "smugglers" and on_markets:
            passed[p] = sum((total(n) for n in on_markets), zero)
    columns = {"smugglers_gross": gross, **{f"smugglers_to_{p}": amount for p, amount in passed.items()},
               "smugglers_net": gross - sum(passed.values(), zero)}
    for p, names in paid.items():
        if p != "smugglers":
            columns[p] = sum((total(n) for n in names), zero)
    frame = pd.DataFrame(columns)
    frame.insert(0, "migrants_paid", frame[payees(ds)].sum(axis=1))
    frame.index.name = "period"
    return frame


def plot_money_flows(run: RunLike, freq: str = "YS", *, ax=None, window: Window = None,
                     scale: float = 1e6, unit: str = "M"):
    """Stacked bars, one per period, of what migrants paid, by where it ended up (smugglers after
    what they passed on, officials, armed groups, transport, pathway fees); in money / `scale`."""
    from .plots import _axes

    ds = as_dataset(run)   # opened once, for the numbers and the title
    frame = money_flows(ds, freq, window=window)
    ax = _axes(ax)
    labels = [str(t.year) if freq.startswith(("Y", "A")) else t.strftime("%Y-%m") for t in frame.index]
    x = np.arange(len(frame))
    bottom = np.zeros(len(frame))
    for payee in payees(ds):
        values = frame[payee].to_numpy() / scale
        ax.bar(x, values, bottom=bottom, label=payee.replace("_", " "))
        bottom += values
    ax.set_xticks(x, labels)
    ax.set_ylabel(f"money paid by migrants ({unit})")
    ax.set_title(f"{ds.attrs.get('scenario', '')}: who is paid".strip(": "))
    ax.legend(fontsize="small")
    return ax
