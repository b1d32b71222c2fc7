"""Matplotlib figures of migsim output. Every function draws on `ax` (a new figure when
None) and returns the Axes; none calls plt.show()."""
from __future__ import annotations

import re
from typing import Mapping, Optional, Sequence, Union

import numpy as np
import xarray as xr

from .compare import GROUP_DIMENSION, outcome_list, outcomes
from .frames import Window, select_window
from .io import ENTITY_DIMS, RunLike, as_dataset, entity_dim, is_sweep

# Series that are stocks (a level at the end of each day): averaged, not summed, over time.
STOCKS = {"status_counts", "location_population", "market_price", "agents_created"}

KIND_MARKERS = {"origin": "s", "transit": "o", "coast": "^", "destination": "*"}
KIND_COLOURS = {"origin": "tab:blue", "transit": "tab:gray", "coast": "tab:orange", "destination": "tab:green"}

Select = Union[Mapping[str, object], Sequence[str], str, None]


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    return ax


def _apply_select(da: xr.DataArray, select: Select) -> xr.DataArray:
    """select: {dim: value or list}, or ids (one or a list) of the entity dimension."""
    if select is None:
        return da
    if not isinstance(select, Mapping):
        dim = next((d for d in da.dims if d in ENTITY_DIMS), None)
        if dim is None:
            raise ValueError(f"{da.name} has no entity dimension to select {select!r} from")
        select = {dim: select}
    for dim, value in select.items():
        if dim not in da.dims:
            raise ValueError(f"{da.name} has no dimension {dim!r} (it has {', '.join(da.dims)})")
        if isinstance(value, (list, tuple, np.ndarray)):
            da = da.sel({dim: list(value)})
        else:
            da = da.sel({dim: value})
    return da


def _one_sample(da: xr.DataArray) -> xr.DataArray:
    if "sample" in da.dims:
        if da.sizes["sample"] != 1:
            raise ValueError("a sweep file: choose one sample, e.g. select={'sample': 0}")
        da = da.isel(sample=0)
    return da


def _band(values: np.ndarray, axis: int, band):
    mean = values.mean(axis=axis)
    low = np.quantile(values, band[0], axis=axis)
    high = np.quantile(values, band[1], axis=axis)
    return mean, low, high


def plot_series(run: RunLike, variable: str, by: Optional[str] = None, select: Select = None, *,
                ax=None, band=(0.05, 0.95), freq: Optional[str] = None, window: Window = None,
                legend: bool = True):
    """A series over time: the mean over replicates as a line and, with several replicates,
    the `band` quantiles (5-95% by default) as a shaded area.

    by: an entity dimension (e.g. "location") for one line per entity; otherwise entities are
    summed. select: {dim: ids} (or ids of the entity dimension), e.g. ["mainland", "island"];
    a sweep file needs {"sample": k}. freq: resample first (e.g. "MS": monthly sums; stocks
    such as status_counts are averaged)."""
    ds = select_window(as_dataset(run), window)
    da = _one_sample(_apply_select(ds[variable], select))
    entity = next((d for d in da.dims if d in ENTITY_DIMS), None)
    if by is not None and by not in da.dims:
        raise ValueError(f"{variable} has no dimension {by!r} to split by")
    if entity is not None and entity != by and entity in da.dims:
        da = da.sum(entity)
    if "replicate" not in da.dims:
        da = da.expand_dims("replicate")
    if freq is not None:
        da = da.resample(time=freq).mean() if variable in STOCKS else da.resample(time=freq).sum()
    ax = _axes(ax)
    groups = list(da[by].values) if by is not None else [None]
    many = da.sizes["replicate"] > 1
    for group in groups:
        part = da if group is None else da.sel({by: group})
        part = part.transpose("replicate", "time")
        values = np.asarray(part.values, dtype="float64")
        mean, low, high = _band(values, 0, band)
        time = part["time"].values
        label = variable if group is None else str(group)
        (line,) = ax.plot(time, mean, label=label)
        if many:
            ax.fill_between(time, low, high, color=line.get_color(), alpha=0.25, linewidth=0)
    units = ds[variable].attrs.get("units", "")
    ax.set_ylabel(f"{variable} ({units})" if units else variable)
    ax.set_xlabel("date")
    title = ds.attrs.get("scenario", "")
    if many:
        title += f"  (mean, {band[0]:.0%}-{band[1]:.0%} of {da.sizes['replicate']} replicates)"
    ax.set_title(title.strip())
    if legend and (by is not None):
        ax.legend(fontsize="small")
    return ax


def _per_entity_mean(ds: xr.Dataset, name: str, dim: str = "link") -> np.ndarray:
    """Total of a series per entity of `dim`, mean over samples and replicates."""
    da = ds[name]
    total = da.sum([d for d in da.dims if d != dim])
    n = int(np.prod([ds.sizes[d] for d in ("sample", "replicate") if d in da.dims])) or 1
    return np.asarray(total.values, dtype="float64") / n


def plot_route_map(run: RunLike, *, ax=None, window: Window = None, select: Optional[Mapping] = None,
                   max_width: float = 8.0, min_width: float = 0.6, max_death_size: float = 300.0,
                   labels: Union[str, bool] = "id", legend: bool = True, places: Optional[str] = None,
                   max_place_size: float = 600.0):
    """The route network by longitude/latitude: locations (marker by kind), one line per link
    with width by its total `link_flow` (mean over replicates; links no one used are dotted),
    and deaths as red circles at the links' midpoints, sized by total `link_deaths`.

    select: e.g. {"sample": 3} for a sweep, or {"replicate": 0} for one replicate.
    labels: "id" (short), "name" (location_name) or False.
    places: a series by location (e.g. "harm_abductions", "ransom_paid", docs/HARM.md) drawn as
    purple circles at the places, sized by its total (mean over replicates)."""
    ds = select_window(as_dataset(run), window)
    if select:
        ds = ds.sel(select)
    if is_sweep(ds) and "sample" in ds.dims and ds.sizes["sample"] > 1:
        raise ValueError("a sweep file: choose one sample, e.g. select={'sample': 0}")
    ax = _axes(ax)
    ids = [str(x) for x in ds["location"].values]
    where = {i: (float(x), float(y)) for i, x, y in zip(ids, ds["lon"].values, ds["lat"].values)}
    kinds = np.asarray(ds["location_kind"].values).astype(str)

    flow = _per_entity_mean(ds, "link_flow") if "link_flow" in ds else np.zeros(ds.sizes["link"])
    deaths = _per_entity_mean(ds, "link_deaths") if "link_deaths" in ds else np.zeros(ds.sizes["link"])
    top = flow.max() if flow.size and flow.max() > 0 else 1.0
    mids_x, mids_y, sizes = [], [], []
    for k, (a, b) in enumerate(zip(ds["link_from"].values, ds["link_to"].values)):
        (x0, y0), (x1, y1) = where[str(a)], where[str(b)]
        if flow[k] > 0:
            ax.plot([x0, x1], [y0, y1], color="tab:blue", alpha=0.6, solid_capstyle="round",
                    linewidth=min_width + (max_width - min_width) * flow[k] / top, zorder=1)
        else:
            ax.plot([x0, x1], [y0, y1], color="lightgray", linestyle=":", linewidth=min_width, zorder=1)
        if deaths[k] > 0:
            mids_x.append((x0 + x1) / 2)
            mids_y.append((y0 + y1) / 2)
            sizes.append(deaths[k])
    if sizes:
        scale = max_death_size / max(sizes)
        ax.scatter(mids_x, mids_y, s=[10 + v * scale for v in sizes], color="tab:red", alpha=0.6,
                   edgecolors="darkred", zorder=3, label="deaths")
    if places is not None:
        if "location" not in ds[places].dims:
            raise ValueError(f"places={places!r}: expected a series by location, such as harm_abductions")
        total = _per_entity_mean(ds, places, "location")
        shown = np.flatnonzero(total > 0)
        if shown.size:
            ax.scatter(np.asarray(ds["lon"].values)[shown], np.asarray(ds["lat"].values)[shown],
                       s=20 + total[shown] * (max_place_size / total[shown].max()), color="tab:purple", alpha=0.45,
                       edgecolors="indigo", zorder=2, label=places)
    for kind in dict.fromkeys(kinds):
        mine = kinds == kind
        ax.scatter(np.asarray(ds["lon"].values)[mine], np.asarray(ds["lat"].values)[mine],
                   marker=KIND_MARKERS.get(kind, "D"), color=KIND_COLOURS.get(kind, "black"),
                   s=80 if kind == "destination" else 50, zorder=4, label=kind, edgecolors="black")
    if labels:
        names = ds["location_name"].values if labels == "name" and "location_name" in ds.coords else ids
        for i, name in zip(ids, names):
            ax.annotate(str(name), where[i], textcoords="offset points", xytext=(4, 4), fontsize="small")
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.set_aspect("equal", adjustable="datalim")
    shown_what = "flows and deaths" + (f", {places} at places" if places else "")
    ax.set_title(f"{ds.attrs.get('scenario', '')}: {shown_what}".strip(": "))
    if legend:
        ax.legend(fontsize="small", loc="best", markerscale=0.6)
    return ax


def plot_route_shares(run: RunLike, *, ax=None, variable: str = "border_crossings", freq: str = "MS",
                      share: bool = False, window: Window = None, select: Optional[Mapping] = None,
                      legend: bool = True):
    """Stacked areas of crossings by border per month (mean over replicates): one area per
    border. share: fractions of each month's total instead of counts."""
    ds = select_window(as_dataset(run), window)
    da = ds[variable]
    if select:
        da = da.sel(select)
    da = _one_sample(da)
    dim = entity_dim(ds, variable)
    if "replicate" in da.dims:
        da = da.mean("replicate")
    monthly = da.resample(time=freq).sum().transpose(dim, "time")
    values = np.asarray(monthly.values, dtype="float64")
    if share:
        total = values.sum(axis=0)
        values = np.divide(values, total, out=np.zeros_like(values), where=total > 0)
    ax = _axes(ax)
    names = [str(x) for x in monthly[dim].values]
    if f"{dim}_name" in monthly.coords:
        names = [str(x) for x in monthly[f"{dim}_name"].values]
    ax.stackplot(monthly["time"].values, values, labels=names, step=None)
    ax.set_xlabel("month")
    ax.set_ylabel(f"share of {variable}" if share else f"{variable} per month")
    ax.set_title(f"{ds.attrs.get('scenario', '')}: {variable} by {dim}".strip(": "))
    if legend:
        ax.legend(fontsize="small", loc="upper left")
    return ax


def parameter_variable(key: str) -> str:
    """The coordinate a sweep writes for a swept key: param_ + key, non-alphanumerics as _."""
    return "param_" + re.sub(r"[^A-Za-z0-9]", "_", key)


def _parameter_coordinate(ds: xr.Dataset, parameter: str) -> str:
    for name in (parameter, parameter_variable(parameter)):
        if name in ds.variables and ds[name].dims == ("sample",):
            return name
    keys = [str(k) for k in ds["parameter"].values] if "parameter" in ds.variables else []
    raise ValueError(f"no swept parameter {parameter!r} in the file (swept: {', '.join(keys) or 'none'})")


def sweep_outcome(run: RunLike, outcome: str, *, by: Optional[str] = None, group=None,
                  window: Window = None, select: Select = None) -> xr.DataArray:
    """Per (sample, replicate), an outcome summed over the window: an outcome of
    docs/COMPARE.md (with `by` and `group` for a grouped one, e.g. by="border",
    group="strait", outcome="interceptions") or the name of any series (entities summed
    after `select`)."""
    ds = as_dataset(run)
    known = [o for o, *_ in outcome_list(ds, by)]
    if outcome in ds.data_vars and outcome not in known:
        da = _apply_select(select_window(ds, window)[outcome], select)
        return da.sum([d for d in da.dims if d not in ("sample", "replicate")])
    if outcome not in known:
        raise ValueError(f"unknown outcome {outcome!r}: expected a series or one of {', '.join(known)}")
    values = outcomes(ds, by, window, missing="skip")
    if outcome not in values:
        raise KeyError(f"the file lacks the series for outcome {outcome!r}")
    da = values[outcome]
    if by is not None:
        if group is None:
            raise ValueError(f"by={by!r}: name the {GROUP_DIMENSION[by]} with group=")
        da = da.sel(group=group)
    return da


def plot_sweep(run: RunLike, parameter: str, outcome: str, *, ax=None, by: Optional[str] = None,
               group=None, band=(0.05, 0.95), window: Window = None, select: Select = None,
               legend: bool = True):
    """Response curve of a sweep: `outcome` (see sweep_outcome) against the swept
    `parameter` (its key, e.g. "border:strait.patrol", or its param_ coordinate): the mean over
    replicates as a line with markers, the `band` quantiles over replicates as a shaded area.
    When other parameters vary too, one curve per combination of their values."""
    ds = as_dataset(run)
    if "sample" not in ds.dims:
        raise ValueError("not a sweep file (no sample dimension)")
    x_name = _parameter_coordinate(ds, parameter)
    values = sweep_outcome(ds, outcome, by=by, group=group, window=window, select=select)
    values = values.transpose("sample", "replicate")
    x = np.asarray(ds[x_name].values, dtype="float64")
    others = [c for c in ds.variables if c.startswith("param_") and c != x_name and ds[c].dims == ("sample",)]
    combos = {}
    for k in range(ds.sizes["sample"]):
        combos.setdefault(tuple(float(ds[c].values[k]) for c in others), []).append(k)
    ax = _axes(ax)
    many = ds.sizes.get("replicate", 1) > 1
    for combo, samples in combos.items():
        samples = sorted(samples, key=lambda k: x[k])
        v = np.asarray(values.isel(sample=samples).values, dtype="float64")
        mean, low, high = _band(v, 1, band)
        label = ", ".join(f"{ds[c].attrs.get('key', c)}={val:g}" for c, val in zip(others, combo)) or outcome
        (line,) = ax.plot(x[samples], mean, marker="o", label=label)
        if many:
            ax.fill_between(x[samples], low, high, color=line.get_color(), alpha=0.25, linewidth=0)
    ax.set_xlabel(ds[x_name].attrs.get("key", parameter))
    ylabel = outcome if group is None else f"{outcome} ({group})"
    ax.set_ylabel(ylabel)
    if many:
        ax.set_title(f"mean and {band[0]:.0%}-{band[1]:.0%} over {ds.sizes['replicate']} replicates")
    if legend and others:
        ax.legend(fontsize="small")
    return ax
