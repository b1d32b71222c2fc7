"""Opening migsim output files (docs/ARCHITECTURE.md, "Output")."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Union

import numpy as np
import xarray as xr

PathLike = Union[str, os.PathLike]
RunLike = Union[str, os.PathLike, xr.Dataset]

ENTITY_DIMS = ("location", "link", "border", "market", "pathway", "profile", "status", "replan_cause", "border_switch")


_HDF5_BOOKKEEPING = {"CLASS", "NAME", "REFERENCE_LIST", "DIMENSION_LIST", "_Netcdf4Dimid",
                     "_Netcdf4Coordinates", "_nc3_strict", "_NCProperties"}


def _hdf5_module(name: str):
    """h5py or h5netcdf, imported when a file is read; a clear ImportError when missing (they are
    the extra "hdf5" of pyproject.toml, which explains why)."""
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError:
        raise ImportError(f"migsim reads its files with h5py and h5netcdf, and {name} is not installed: "
                          f"on Debian apt install python3-h5py python3-h5netcdf (and make the venv with "
                          f"--system-site-packages); elsewhere pip install 'migsim[hdf5]'") from None


def _attribute(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, np.ndarray) and value.dtype.kind in "OS":
        return [_attribute(v) for v in value.tolist()]
    if isinstance(value, np.ndarray) and value.size == 1:
        return value.reshape(()).item() if value.ndim else value
    return value


def _attributes(obj) -> dict:
    return {k: _attribute(v) for k, v in obj.attrs.items() if k not in _HDF5_BOOKKEEPING}


def _open_h5py(h5py, path: Path):
    """`path` opened read-only without HDF5's file lock (a run may be writing it)."""
    try:
        return h5py.File(path, "r", locking=False)
    except TypeError:   # h5py < 3.5
        return h5py.File(path, "r")


def _read_h5py(path: Path) -> xr.Dataset:
    """The file read with h5py directly: netCDF-4 (dimension scales) into an undecoded
    Dataset. h5netcdf needs seconds for files with many series (it sizes an unlimited
    dimension by visiting every variable, for every variable); this takes milliseconds."""
    h5py = _hdf5_module("h5py")

    f = _open_h5py(h5py, path)
    with f:
        # The root's datasets; groups (the journey table, checkpoints) are read elsewhere or not at all.
        datasets = [(name, obj) for name, obj in f.items() if isinstance(obj, h5py.Dataset)]
        scales = {}
        for name, obj in datasets:
            if obj.attrs.get("CLASS") == b"DIMENSION_SCALE":
                scales[obj.id] = name
        variables = {}
        for name, obj in datasets:
            if name in scales.values():
                dims = (name,)
                if str(_attribute(obj.attrs.get("NAME", b""))).startswith("This is a netCDF dimension"):
                    continue   # a dimension without values
            else:
                refs = obj.attrs.get("DIMENSION_LIST")
                if refs is None and obj.ndim > 0:
                    raise ValueError(f"{name} has no dimension scales")
                dims = tuple(scales[f[ref[0]].id] for ref in refs) if obj.ndim else ()
            if obj.dtype.kind == "O" or h5py.check_string_dtype(obj.dtype) is not None:
                data = np.asarray(obj.asstr()[()], dtype=object)
            else:
                data = obj[()]
            variables[name] = xr.Variable(dims, data, _attributes(obj))
        attrs = _attributes(f)
    # dimension lengths must agree (a time scale longer than a series that lags, for one)
    sizes = {}
    for name, var in variables.items():
        for dim, n in zip(var.dims, var.shape):
            sizes[dim] = min(sizes.get(dim, n), n)
    for name, var in list(variables.items()):
        if any(var.sizes[d] != sizes[d] for d in var.dims):
            variables[name] = var[tuple(slice(0, sizes[d]) for d in var.dims)]
    coords = {n: v for n, v in variables.items() if v.dims == (n,)}
    data = {n: v for n, v in variables.items() if n not in coords}
    ds = xr.Dataset(data, coords=coords, attrs=attrs)
    # decode_timedelta=False: arrival_transit_days has units "days", which xarray would
    # otherwise turn into timedeltas (nanoseconds); it is a sum of days, a number.
    return xr.decode_cf(ds, decode_timedelta=False)


def _read_h5netcdf(path: Path) -> xr.Dataset:
    """Through h5netcdf and xarray's backend (slower, any netCDF-4 file)."""
    h5netcdf = _hdf5_module("h5netcdf")

    handle = None
    for options in ({"locking": False, "decode_vlen_strings": True}, {"locking": False}):
        try:
            handle = h5netcdf.File(str(path), "r", **options)
            break
        except TypeError:   # an h5py or h5netcdf without the option
            continue
    if handle is None:
        with xr.open_dataset(path, engine="h5netcdf", decode_timedelta=False) as ds:
            return ds.load()
    try:
        with xr.open_dataset(xr.backends.H5NetCDFStore(handle), decode_timedelta=False) as ds:
            return ds.load()
    finally:
        handle.close()


def _open_unlocked(path: Path) -> xr.Dataset:
    """Opens without HDF5 file locking, so that a file a running migsim holds can be read."""
    try:
        return _read_h5py(path)
    except (ValueError, KeyError, TypeError):
        return _read_h5netcdf(path)


class RunFileError(ValueError):
    """A file that open_run cannot read as migsim output. The message names the file and what
    is wrong with it: empty, not an HDF5 file, truncated or damaged, not written by migsim, or
    missing a dataset that every migsim file holds."""


EXPECTED = "expected the .h5 file written by migsim run or migsim sweep"
_HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"


def _has_hdf5_signature(path: Path, size: int) -> bool:
    """True when the HDF5 signature is where HDF5 looks for it: at byte 0, 512, 1024, 2048, ...
    (a user block may come before the superblock)."""
    with open(path, "rb") as f:
        offset = 0
        while offset + len(_HDF5_SIGNATURE) <= size:
            f.seek(offset)
            if f.read(len(_HDF5_SIGNATURE)) == _HDF5_SIGNATURE:
                return True
            offset = 512 if offset == 0 else 2 * offset
    return False


def _hdf5_message(error: BaseException) -> str:
    """An h5py/HDF5 error as one short line."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 300 else text[:297] + "..."


def _migsim_problem(path: Path) -> str:
    """What `path` lacks of what every file of migsim run and migsim sweep holds ("" if nothing).
    OSError: HDF5 cannot open it."""
    h5py = _hdf5_module("h5py")

    f = _open_h5py(h5py, path)
    with f:
        # engine_version: in every file since the first; kind alone: a file made by hand to
        # look like one (tests, xarray's to_netcdf)
        if "engine_version" not in f.attrs and _attribute(f.attrs.get("kind")) not in ("run", "sweep"):
            return ("it has neither of the root attributes that migsim writes in every file, "
                    "engine_version and kind (run or sweep)")
        if not isinstance(f.get("time"), h5py.Dataset):
            return "it has no dataset time (the simulated days, in every run and sweep file)"
    return ""


def _load(path: Path, shown: Path, repaired: str = "") -> xr.Dataset:
    """`path` checked and read completely into memory. `shown`: the user's file, named in errors
    (`path` may be its repaired copy); `repaired`: HDF5's error on the original, when it is.
    OSError: HDF5 cannot open `path`."""
    def damaged(what: str) -> RunFileError:
        first = (f"HDF5 could not open it ({repaired}), and a copy repaired with h5clear --increment "
                 f"(as for a run killed mid-flush) could not be read either: " if repaired else "")
        return RunFileError(f"{shown}: a truncated or damaged HDF5 file ({shown.stat().st_size} bytes): "
                            f"{first}{what}; {EXPECTED}")

    problem = _migsim_problem(path)
    if problem and repaired:   # what the repaired copy lacks was cut off
        raise damaged(problem)
    if problem.startswith("it has neither of the root attributes"):
        raise RunFileError(f"{shown}: an HDF5 file, but not written by migsim: {problem}; {EXPECTED}")
    if problem:
        raise RunFileError(f"{shown}: written by migsim, but {problem}: damaged or edited?")
    try:
        return _open_unlocked(path)
    except ImportError:
        raise
    except Exception as error:   # noqa: BLE001  a damaged file fails in many ways inside h5py/xarray
        raise damaged(f"{type(error).__name__}: {_hdf5_message(error)}") from None


def _load_repaired(path: Path, error: OSError) -> xr.Dataset:
    """A file left by a run killed in the middle of an end-of-day flush, whose last metadata write
    outran the recorded end of file, read from a copy with that end moved to the real end
    (`h5clear --increment`, Debian's hdf5-tools). The original is left untouched.

    The copy goes into a fresh migsim_repair_* folder in the temp directory, which is deleted
    before this returns or raises, whatever happens: _load reads everything into memory and
    closes the file, so nothing refers to the copy afterwards. Deleting it when the Dataset is
    garbage collected (weakref.finalize) instead would keep a whole copy of the file on disk for
    as long as the Dataset and every Dataset derived from it live, and leave it behind whenever
    the interpreter is killed or exits without running finalizers (a notebook kernel restarted,
    a job killed)."""
    reason = _hdf5_message(error)
    h5clear = shutil.which("h5clear")
    if h5clear is None:
        raise RunFileError(f"{path}: HDF5 cannot open it ({reason}); a file left by a run killed mid-flush "
                           f"is repaired on a copy with h5clear --increment, but h5clear is not installed "
                           f"(Debian: apt install hdf5-tools)")
    folder = Path(tempfile.mkdtemp(prefix="migsim_repair_"))
    try:
        copy = folder / path.name
        try:
            shutil.copyfile(path, copy)
        except OSError as copy_error:
            raise RunFileError(f"{path}: HDF5 cannot open it ({reason}); copying it into {folder} to repair it "
                               f"failed: {copy_error}") from None
        result = subprocess.run([h5clear, "--increment", str(copy)], capture_output=True, text=True)
        if result.returncode != 0:
            said = (result.stderr.strip() or result.stdout.strip()).splitlines()
            raise RunFileError(f"{path}: a truncated or damaged HDF5 file ({path.stat().st_size} bytes): HDF5 "
                               f"cannot open it ({reason}) and h5clear --increment could not repair a copy"
                               f"{' (' + said[-1].strip() + ')' if said else ''}; {EXPECTED}") from None
        try:
            return _load(copy, path, repaired=reason)
        except OSError as again:
            raise RunFileError(f"{path}: a truncated or damaged HDF5 file ({path.stat().st_size} bytes): HDF5 "
                               f"cannot open it ({reason}), nor a copy repaired with h5clear --increment "
                               f"({_hdf5_message(again)}); {EXPECTED}") from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def open_run(path: PathLike, *, trim: bool = True) -> xr.Dataset:
    """Opens a migsim output file (run, ensemble or sweep) as a loaded xarray.Dataset.

    The file is read completely and closed, so the Dataset stays valid after the file
    changes. Attributes are kept. With `trim` (the default):

    - a run (`kind` = `run`, or no `kind`) keeps only its first `days_completed` days: a run
      that was stopped may hold one more, partly written day after them;
    - a sweep (`kind` = `sweep`) keeps only the samples marked in `sample_completed`;
    - a posterior run (`kind` = `posterior`) keeps only the draws marked in `draw_completed`.

    A file that HDF5 cannot read because its run was killed during an end-of-day flush is
    read from a repaired copy, deleted before open_run returns (see `_load_repaired`).

    Raises FileNotFoundError when there is no such file, and RunFileError (a ValueError) naming
    the file and what is wrong when it is not a readable migsim file: empty, not HDF5, truncated
    or damaged, not written by migsim, or without its time axis.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file ({EXPECTED})")
    if path.is_dir():
        raise RunFileError(f"{path} is a folder: {EXPECTED}")
    if not path.is_file():
        raise RunFileError(f"{path} is not a regular file: {EXPECTED}")
    size = path.stat().st_size
    if size == 0:
        raise RunFileError(f"{path}: the file is empty (0 bytes): expected an HDF5 file written by migsim run "
                           f"or migsim sweep (did the run fail before it wrote anything?)")
    if not _has_hdf5_signature(path, size):
        raise RunFileError(f"{path}: not an HDF5 file (no HDF5 signature in its {size} bytes): {EXPECTED}")
    try:
        ds = _load(path, path)
    except OSError as error:   # HDF5 cannot open it: a run killed mid-flush?
        ds = _load_repaired(path, error)
    ds.attrs.setdefault("source", str(path))
    # a sweep's param_* variables are coordinates along `sample` (docs/ARCHITECTURE.md), a
    # posterior run's along `draw` (docs/COMPARE.md, "With parameter uncertainty")
    params = [n for n in ds.data_vars if n.startswith("param_") and ds[n].dims in (("sample",), ("draw",))]
    if params:
        ds = ds.set_coords(params)
    return trim_incomplete(ds) if trim else ds


def trim_incomplete(ds: xr.Dataset) -> xr.Dataset:
    """`ds` without what an unfinished run may have left half written (see open_run)."""
    attrs = dict(ds.attrs)
    if is_sweep(ds) or is_posterior(ds):
        dim = "draw" if is_posterior(ds) else "sample"
        if f"{dim}_completed" in ds and dim in ds.dims:
            done = np.asarray(ds[f"{dim}_completed"].values).astype(bool)
            if not done.all():
                ds = ds.isel({dim: np.flatnonzero(done)})
    elif "days_completed" in attrs and "time" in ds.dims:
        days = int(attrs["days_completed"])
        if days < ds.sizes["time"]:
            ds = ds.isel(time=slice(0, max(days, 0)))
    ds.attrs = attrs
    return ds


def as_dataset(run: RunLike) -> xr.Dataset:
    """A Dataset from a path (opened with open_run) or a Dataset (returned as is)."""
    if isinstance(run, xr.Dataset):
        return run
    return open_run(run)


def is_sweep(ds: xr.Dataset) -> bool:
    return ds.attrs.get("kind") == "sweep" or "sample" in ds.dims


def is_posterior(ds: xr.Dataset) -> bool:
    """A posterior run (migsim run --posterior): a leading `draw` dimension."""
    return ds.attrs.get("kind") == "posterior" or "draw" in ds.dims


def is_complete(ds: xr.Dataset) -> bool:
    """True when the run finished (attribute `completed` = 1)."""
    return bool(int(ds.attrs.get("completed", 0)))


def replicates(ds: xr.Dataset) -> int:
    return int(ds.sizes.get("replicate", 1))


def entity_dim(ds: xr.Dataset, variable: str) -> str | None:
    """The entity dimension of a series (location, link, ...), None for agents_created."""
    for dim in ds[variable].dims:
        if dim in ENTITY_DIMS:
            return dim
    return None


def require(ds: xr.Dataset, *variables: str, what: str = "") -> None:
    """Raises a clear KeyError when `ds` lacks one of `variables`."""
    missing = [v for v in variables if v not in ds.variables]
    if missing:
        source = ds.attrs.get("source", "the dataset")
        reason = f" (needed for {what})" if what else ""
        raise KeyError(f"{source} has no {', '.join(missing)}{reason}: written by an older migsim?")


def run_info(ds: xr.Dataset) -> dict:
    """The file's metadata as a plain dict (attributes, plus sizes and seeds)."""
    info = {k: (v.item() if isinstance(v, np.generic) else v) for k, v in ds.attrs.items()}
    info["sizes"] = dict(ds.sizes)
    if "seed" in ds.variables and ds["seed"].dims == ("replicate",):
        info["seeds"] = [int(s) for s in ds["seed"].values]
    return info


def input_hashes(ds: xr.Dataset) -> dict[str, str]:
    """{input file: sha256} from the `input_sha256` attribute (one `sha256sum` line each)."""
    out = {}
    for line in str(ds.attrs.get("input_sha256", "")).splitlines():
        parts = line.split(None, 1)
        if len(parts) == 2:
            out[parts[1].strip()] = parts[0]
    return out


JOURNEY_COLUMNS = ("replicate", "id", "profile", "group", "origin", "born", "end_day", "outcome",
                   "days_travelling", "attempts", "interceptions", "abductions", "trafficking",
                   "violence", "detentions", "paid_smugglers", "paid_officials",
                   "paid_armed_groups", "paid_fares")


def journeys(path: PathLike, *, names: bool = True):
    """The journey table of a run made with `migsim run --journeys SHARE` (docs/JOURNEYS.md).

    A pandas DataFrame, one row per sampled journey (replicate, then agent id), with the
    columns of JOURNEY_COLUMNS, `route`, the location indices visited in order (origin
    first), and `plans`, each plan it made as (day, place, border, cause) with place and
    border indices (-1: none) and the cause an index in the table's `plan_cause_names`
    (docs/BEHAVIOUR.md). With `names` (the default) `outcome` is the status name, `origin_id`
    and `route_ids` give the location ids, `profile_id` the profile's and `group_id` the
    demographic group's (when the scenario has groups), and the plans give ids and cause
    names (None for none). Raises KeyError when the file has no journey table.
    """
    h5py = _hdf5_module("h5py")
    import pandas as pd

    with h5py.File(Path(path), "r") as f:
        if "journeys" not in f:
            raise KeyError(f"{path}: no journey table (run with --journeys SHARE)")
        g = f["journeys"]
        frame = pd.DataFrame({c: g[c][()] for c in JOURNEY_COLUMNS})
        route = g["route"][()]
        starts, lengths = g["route_start"][()], g["route_length"][()]
        frame["route"] = [route[s:s + n].tolist() for s, n in zip(starts, lengths)]
        plan_columns = [g[c][()] for c in ("plan_day", "plan_place", "plan_border", "plan_cause")]
        frame["plans"] = [list(zip(*(c[s:s + n].tolist() for c in plan_columns)))
                          for s, n in zip(g["plans_start"][()], g["plans_length"][()])]
        cause_names = _attribute(g.attrs["plan_cause_names"]).split(",")
        borders = [_attribute(v) for v in f["border"][()]] if "border" in f else None
        outcome_names = _attribute(g.attrs["outcome_names"]).split(",")
        locations = [_attribute(v) for v in f["location"][()]] if "location" in f else None
        profiles = [_attribute(v) for v in f["profile"][()]] if "profile" in f else None
        groups = [_attribute(v) for v in f["group"][()]] if "group" in f else None
    if names:
        frame["outcome"] = pd.Categorical([outcome_names[k] for k in frame["outcome"]],
                                          categories=outcome_names)
        if locations is not None:
            frame["origin_id"] = [locations[k] for k in frame["origin"]]
            frame["route_ids"] = [[locations[k] for k in r] for r in frame["route"]]
        if locations is not None and borders is not None:
            def named(plan):
                day, place, border, cause = plan
                return (day, locations[place] if place >= 0 else None, borders[border] if border >= 0 else None,
                        cause_names[cause])
            frame["plans"] = [[named(p) for p in plans] for plans in frame["plans"]]
        if profiles is not None:
            frame["profile_id"] = [profiles[k] for k in frame["profile"]]
        if groups is not None:   # a scenario with demographic groups
            frame["group_id"] = pd.Categorical([groups[k] for k in frame["group"]], categories=groups)
    return frame
