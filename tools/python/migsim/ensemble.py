"""Ensemble statistics over replicates (docs/ARCHITECTURE.md, "Ensembles")."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
import xarray as xr

from .io import RunLike, as_dataset

DEFAULT_QUANTILES = (0.05, 0.5, 0.95)


def statistic_name(q: float) -> str:
    """The `statistic` label of quantile q as the engine writes it: 0.05 -> q05, 0.5 -> q50."""
    percent = q * 100
    if abs(percent - round(percent)) < 1e-9:
        return f"q{int(round(percent)):02d}"
    return "q" + f"{percent:g}".replace(".", "_")


def ensemble_summary(run: RunLike, variable: str, quantiles: Sequence[float] = DEFAULT_QUANTILES,
                     *, as_frame: bool = False):
    """Mean and quantiles over `replicate` of a series.

    Returns a DataArray laid out as the file's `S_summary` variables: a leading `statistic`
    dimension (`mean`, then `q05`, `q50`, `q95` for the default quantiles), then the series'
    other dimensions (a sweep keeps `sample`). Quantiles interpolate linearly between order
    statistics (numpy's default), as the engine does, so for a finished ensemble
    `ensemble_summary(ds, "arrivals")` equals `ds["arrivals_summary"]`.
    With `as_frame`, a long DataFrame (one column per statistic) instead."""
    ds = as_dataset(run)
    if variable not in ds:
        raise KeyError(f"no series {variable!r} in the dataset")
    da = ds[variable]
    if "replicate" not in da.dims:
        raise ValueError(f"{variable} has no replicate dimension")
    axis = da.dims.index("replicate")
    values = np.asarray(da.values, dtype="float64")
    mean = values.sum(axis=axis) / values.shape[axis] if values.shape[axis] else np.full(
        values.shape[:axis] + values.shape[axis + 1:], np.nan)
    stats = [mean]
    for q in quantiles:
        if not 0 <= q <= 1:
            raise ValueError(f"quantile {q} is outside [0, 1]")
        stats.append(np.quantile(values, q, axis=axis))
    dims = [d for d in da.dims if d != "replicate"]
    coords = {name: c for name, c in da.coords.items() if "replicate" not in c.dims}
    labels = ["mean"] + [statistic_name(q) for q in quantiles]
    out = xr.DataArray(np.stack(stats), dims=["statistic", *dims],
                       coords={**coords, "statistic": labels},
                       name=f"{variable}_summary",
                       attrs={"long_name": f"mean and quantiles over replicates of {variable}"})
    if as_frame:
        frame = out.reset_coords([c for c in out.coords if c not in out.dims], drop=True)
        frame = frame.to_dataset("statistic").to_dataframe().reset_index()
        return frame.rename(columns={"time": "date"})
    return out


def summary(run: RunLike, variable: str) -> xr.DataArray:
    """The file's own `variable_summary` when it has one, else ensemble_summary()."""
    ds = as_dataset(run)
    name = f"{variable}_summary"
    if name in ds:
        return ds[name]
    return ensemble_summary(ds, variable)


def replicate_band(da: xr.DataArray, band=(0.05, 0.95)) -> tuple[xr.DataArray, xr.DataArray, xr.DataArray]:
    """(mean, low, high) over `replicate` of any DataArray (low/high: the `band` quantiles)."""
    values = np.asarray(da.values, dtype="float64")
    axis = da.dims.index("replicate")
    dims = [d for d in da.dims if d != "replicate"]
    coords = {n: c for n, c in da.coords.items() if "replicate" not in c.dims}

    def wrap(a):
        return xr.DataArray(a, dims=dims, coords=coords)

    return (wrap(values.mean(axis=axis)), wrap(np.quantile(values, band[0], axis=axis)),
            wrap(np.quantile(values, band[1], axis=axis)))


def summary_table(run: RunLike, variable: str, by: str | None = None,
                  quantiles: Sequence[float] = DEFAULT_QUANTILES) -> pd.DataFrame:
    """Totals over the run per replicate, then mean and quantiles over replicates, per `by`."""
    ds = as_dataset(run)
    da = ds[variable]
    keep = {"sample", "replicate", by}
    total = da.sum([d for d in da.dims if d not in keep])
    return ensemble_summary(xr.Dataset({variable: total}), variable, quantiles, as_frame=True)
