"""Building ensemble and sweep files in the documented layout from single runs."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

import migsim


def _plain(ds: xr.Dataset) -> xr.Dataset:
    """Without the source file's encodings (chunk sizes that no longer fit) and summaries."""
    ds = ds.drop_vars([v for v in ds.data_vars if v.endswith("_summary")] + ["statistic"], errors="ignore")
    for variable in ds.variables.values():
        variable.encoding = {}
    ds.attrs.pop("source", None)
    return ds


def ensemble_from_runs(paths) -> xr.Dataset:
    """Single-replicate runs (seeds s, s+1, ...) stacked along `replicate` as one ensemble."""
    runs = [_plain(migsim.open_run(p)) for p in paths]
    seeds = [int(r["seed"].values[0]) for r in runs]
    series = xr.concat([r.drop_vars("seed") for r in runs], dim="replicate", data_vars="minimal",
                       coords="minimal", compat="override", combine_attrs="override")
    series = series.assign_coords(replicate=np.arange(len(runs), dtype="int32"))
    series["seed"] = ("replicate", np.asarray(seeds, dtype="uint64"))
    series.attrs.update(seed=seeds[0], replicates=len(runs), kind="run")
    return series


def make_sweep(samples, key: str, values) -> xr.Dataset:
    """samples[k]: the runs (one per replicate) of sample k, which set `key` to values[k]."""
    parts = [ensemble_from_runs(runs) for runs in samples]
    sweep = xr.concat([p.drop_vars("seed") for p in parts], dim="sample", data_vars="all",
                      coords="minimal", compat="override", combine_attrs="override")
    sweep["seed"] = parts[0]["seed"]
    sweep = sweep.assign_coords(sample=np.arange(len(parts), dtype="int32"), parameter=[key])
    sweep["parameter_value"] = (("sample", "parameter"), np.asarray(values, dtype="float64")[:, None])
    name = migsim.parameter_variable(key)
    sweep = sweep.assign_coords({name: ("sample", np.asarray(values, dtype="float64"))})
    sweep[name].attrs["key"] = key
    sweep["sample_completed"] = ("sample", np.ones(len(parts), dtype="int8"))
    sweep.attrs.update(kind="sweep", title=f"migsim sweep: {sweep.attrs.get('scenario', '')}")
    return sweep


def write_dataset(ds: xr.Dataset, path: Path) -> Path:
    """Writes with h5netcdf, time as integer `days since start_date` as the engine does."""
    ds = ds.copy()
    ds["time"].encoding = {"units": f"days since {ds.attrs['start_date']}", "dtype": "int32",
                           "calendar": "proleptic_gregorian"}
    ds.to_netcdf(path, engine="h5netcdf")
    return Path(path)
