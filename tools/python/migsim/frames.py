"""Tidy (long) pandas tables from a migsim Dataset, and the time window used everywhere."""
from __future__ import annotations

import datetime as _dt
from typing import Iterable, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd
import xarray as xr

from .io import ENTITY_DIMS, RunLike, as_dataset, entity_dim

DateLike = Union[str, _dt.date, np.datetime64, pd.Timestamp, None]
Window = Union[str, Tuple[DateLike, DateLike], None]


# ---- dates and windows --------------------------------------------------------------------

def start_date(ds: xr.Dataset) -> pd.Timestamp:
    """The run's first day (attribute `start_date`, else the first time value)."""
    if "start_date" in ds.attrs:
        return pd.Timestamp(str(ds.attrs["start_date"]))
    units = str(ds["time"].encoding.get("units", ds["time"].attrs.get("units", "")))
    if units.startswith("days since "):
        return pd.Timestamp(units[len("days since "):].strip())
    return pd.Timestamp(ds["time"].values[0])


def dates(ds: xr.Dataset) -> pd.DatetimeIndex:
    """The calendar date of every day of `ds`: start_date + time."""
    values = ds["time"].values
    if np.issubdtype(values.dtype, np.datetime64):
        return pd.DatetimeIndex(values)
    return start_date(ds) + pd.to_timedelta(np.asarray(values, dtype="int64"), unit="D")


def day_numbers(ds: xr.Dataset) -> np.ndarray:
    """Days since start_date of every day of `ds` (0 for the first day of a full run)."""
    return np.asarray((dates(ds) - start_date(ds)).days, dtype="int64")


def _parse_date(value: DateLike, what: str) -> Optional[pd.Timestamp]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return pd.Timestamp(value.strip() if isinstance(value, str) else value)
    except (ValueError, TypeError) as error:
        raise ValueError(f"window: {what} {value!r} is not an ISO date (YYYY-MM-DD)") from error


def parse_window(window: Window) -> tuple[Optional[pd.Timestamp], Optional[pd.Timestamp]]:
    """`"FROM:TO"` (ISO dates, both included, either side may be empty) or (FROM, TO)."""
    if window is None:
        return None, None
    if isinstance(window, str):
        if window.count(":") != 1:
            raise ValueError(f"window {window!r}: expected FROM:TO, e.g. 2020-01-01:2020-06-30")
        first, last = window.split(":")
    else:
        try:
            first, last = window
        except (TypeError, ValueError) as error:
            raise ValueError(f"window {window!r}: expected 'FROM:TO' or (FROM, TO)") from error
    first, last = _parse_date(first, "FROM"), _parse_date(last, "TO")
    if first is not None and last is not None and last < first:
        raise ValueError(f"window: TO ({last.date()}) is before FROM ({first.date()})")
    return first, last


def window_mask(ds: xr.Dataset, window: Window) -> np.ndarray:
    """Boolean per day: FROM <= start_date + time <= TO."""
    first, last = parse_window(window)
    d = dates(ds)
    keep = np.ones(len(d), dtype=bool)
    if first is not None:
        keep &= np.asarray(d >= first)
    if last is not None:
        keep &= np.asarray(d <= last)
    return keep


def select_window(ds: xr.Dataset, window: Window) -> xr.Dataset:
    """The days of `ds` inside `window` (every day when it is None)."""
    if window is None:
        return ds
    return ds.isel(time=np.flatnonzero(window_mask(ds, window)))


# ---- tables -------------------------------------------------------------------------------

def entities(run: RunLike, dim: str) -> pd.DataFrame:
    """One row per entity of `dim` (location, link, border, ...) with its coordinates.

    e.g. entities(ds, "location") has columns name, country, kind, lat, lon; entities(ds,
    "link") has from, to, mode, border, distance_km."""
    ds = as_dataset(run)
    columns = {}
    for name, coord in ds.coords.items():
        if coord.dims == (dim,) and name != dim:
            short = name[len(dim) + 1:] if name.startswith(dim + "_") else name
            columns[short] = coord.values
    index = pd.Index(ds[dim].values, name=dim)
    return pd.DataFrame(columns, index=index)


def tidy(run: RunLike, variable: str, *, window: Window = None, aux: bool = False) -> pd.DataFrame:
    """A series as a long table: one row per (sample, replicate, day, entity).

    Columns: each dimension of the series (the time dimension becomes `day`, days since
    start_date, and `date`), then `value`. With `aux`, the entity's coordinates (e.g.
    location_name, location_kind, lat, lon) are added as columns."""
    ds = select_window(as_dataset(run), window)
    da = ds[variable]
    keep = [c for c in da.coords if c in da.dims] + ([c for c in da.coords if c not in da.dims] if aux else [])
    da = da.reset_coords([c for c in da.coords if c not in keep], drop=True)
    frame = da.to_dataframe(name="value").reset_index()
    if "time" in da.dims:
        position = frame.columns.get_loc("time")
        frame.insert(position, "day", (pd.DatetimeIndex(frame["time"]) - start_date(ds)).days.astype("int64"))
        frame = frame.rename(columns={"time": "date"})
    first = [c for c in ("sample", "replicate", "day", "date") if c in frame.columns]
    rest = [c for c in frame.columns if c not in first and c != "value"]
    return frame[first + rest + ["value"]]


def _reduce_dims(da: xr.DataArray, keep: Iterable[str]) -> list[str]:
    keep = set(keep)
    return [d for d in da.dims if d not in keep]


def totals(run: RunLike, variable: str, by: Optional[str] = None, *, window: Window = None,
           replicates: str = "mean") -> Union[pd.Series, pd.DataFrame]:
    """Sums of a series over the days of `window` (all by default).

    by: keep this dimension (an entity dimension such as "border", or None for the grand
    total). replicates: "mean" averages over replicates (a Series indexed by `by`, and by
    `sample` in a sweep file); "all" keeps them (a DataFrame with one column per replicate)."""
    ds = select_window(as_dataset(run), window)
    da = ds[variable]
    if by is not None and by not in da.dims:
        raise ValueError(f"{variable} has no dimension {by!r} (it has {', '.join(da.dims)})")
    keep = [d for d in ("sample", "replicate", by) if d is not None and d in da.dims]
    summed = da.sum(_reduce_dims(da, keep))
    if replicates == "mean":
        summed = summed.mean("replicate") if "replicate" in summed.dims else summed
        if summed.ndim == 0:
            return pd.Series([summed.item()], index=pd.Index(["total"]), name=variable)
        return summed.reset_coords(drop=True).to_series().rename(variable)
    if replicates != "all":
        raise ValueError("replicates must be 'mean' or 'all'")
    frame = summed.reset_coords(drop=True).to_series().rename(variable)
    if "replicate" in summed.dims and summed.ndim > 1:
        return frame.unstack("replicate")
    return frame.to_frame()


def monthly(run: RunLike, variable: str, by: Optional[str] = None, *, window: Window = None,
            freq: str = "MS", how: str = "sum") -> xr.DataArray:
    """A series resampled to months (or any pandas `freq`), summed (counts) or averaged
    (`how`="mean", for stocks such as status_counts), entities summed unless kept by `by`."""
    ds = select_window(as_dataset(run), window)
    da = ds[variable]
    other = [d for d in da.dims if d in ENTITY_DIMS and d != by]
    if other:
        da = da.sum(other)
    resampled = da.resample(time=freq)
    return resampled.sum() if how == "sum" else resampled.mean()


def link_table(run: RunLike, *, window: Window = None) -> pd.DataFrame:
    """Per link: its ends, border and mode with mean (over replicates) total flow and deaths."""
    ds = select_window(as_dataset(run), window)
    table = entities(ds, "link")
    for name in ("link_flow", "link_deaths"):
        if name in ds:
            total = ds[name].sum(_reduce_dims(ds[name], ("link",)))
            n = int(np.prod([ds.sizes[d] for d in ("sample", "replicate") if d in ds[name].dims]))
            table[name[len("link_"):]] = (total / max(n, 1)).values
    return table


def as_frame(da: xr.DataArray, name: str = "value") -> pd.DataFrame:
    """Any DataArray as a long table (dims as columns, the time dimension as `date`)."""
    frame = da.reset_coords([c for c in da.coords if c not in da.dims], drop=True)
    frame = frame.to_dataframe(name=name).reset_index()
    return frame.rename(columns={"time": "date"})


def entity_ids(ds: xr.Dataset, variable: str) -> Sequence[str]:
    dim = entity_dim(ds, variable)
    return [] if dim is None else list(ds[dim].values)


def route_switches(run: RunLike, *, window: Window = None) -> pd.DataFrame:
    """Re-plans that changed the route (docs/BEHAVIOUR.md) as a matrix: rows the border of the
    old route, columns the border of the new ("none": a pathway, a road to a destination, a
    crossing without a border), summed over the days of `window` (all by default) and averaged
    over replicates. Borders nobody switched from or to are left out."""
    counts = totals(run, "route_switches", "border_switch", window=window)
    pairs = [str(k).split(">") for k in counts.index]
    matrix = pd.Series(counts.values, index=pd.MultiIndex.from_tuples(pairs, names=["from", "to"])).unstack("to")
    matrix = matrix.loc[matrix.sum(axis=1) > 0, matrix.sum(axis=0) > 0]
    return matrix.rename_axis(index="from border", columns="to border")
