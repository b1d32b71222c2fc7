"""Calibration results: the file `migsim calibrate SPEC.yml -o calib.h5` writes (ABC-SMC or
history matching), read into posterior draws, summaries and figures.

    post = migsim.posterior("calib.h5")
    post.draws                      # DataFrame: one row per final particle, a column per parameter, weight
    post.summary()                  # per parameter: prior, weighted median and 5-95% interval, truth, width ratio
    post.predictive()               # per target: observed, sd, predictive median and 90% interval, covered
    post.generations()              # per generation: tolerance, acceptance_rate, ess, simulations
    migsim.plot_posterior_marginals(post); migsim.plot_posterior_pairs(post)
    migsim.plot_predictive(post); migsim.plot_generations(post)

The file is read with h5py by dataset name and checked against the layout below, so it does
not depend on the netCDF dimension scales being present (when they are, they are checked):

- coordinates `generation`, `particle` (ints), `parameter`, `target` (strings);
- `particle_value(generation, particle, parameter)`, `particle_weight(generation, particle)`,
  `particle_distance(generation, particle)`, `tolerance`, `acceptance_rate`, `ess`,
  `simulations` (by generation);
- `posterior_value(particle, parameter)`, `posterior_weight(particle)`: the final population;
- `posterior_predictive(particle, target)`, `observed(target)`, `observation_sd(target)`;
- priors `prior_kind`, `prior_a`, `prior_b`, `prior_low`, `prior_high` and `truth` (by parameter);
- root attributes `method`, `scenario`, `seed`, `replicates`, `completed`,
  `generations_completed`, `spec`.

Weighted quantiles (weighted_quantile) invert the weighted empirical distribution function,
averaging the two neighbouring values where it equals the probability exactly: with equal
weights this is numpy's method "averaged_inverted_cdf", and integer weights give the quantile
of the sample with each value repeated that many times.
"""
from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd
import xarray as xr

from .ensemble import statistic_name
from .io import PathLike, RunFileError, _attribute, _attributes, _has_hdf5_signature, _hdf5_message, \
    _hdf5_module, _open_h5py

PRIOR_KINDS = ("uniform", "log_uniform", "normal", "truncated_normal")

CALIBRATION_EXPECTED = "expected the .h5 file written by migsim calibrate"

# name: (dimensions, what it is); the calibration file's layout (module docstring)
CALIBRATION_LAYOUT = {
    "generation": (("generation",), "the generations, 0..G-1"),
    "particle": (("particle",), "the particles"),
    "parameter": (("parameter",), "the calibrated parameters' keys"),
    "target": (("target",), "the calibration targets' names"),
    "particle_value": (("generation", "particle", "parameter"), "each generation's parameter values"),
    "particle_weight": (("generation", "particle"), "each generation's weights"),
    "particle_distance": (("generation", "particle"), "each generation's distances"),
    "tolerance": (("generation",), "the tolerance of each generation"),
    "acceptance_rate": (("generation",), "the acceptance rate of each generation"),
    "ess": (("generation",), "the effective sample size of each generation"),
    "simulations": (("generation",), "the simulations of each generation"),
    "posterior_value": (("particle", "parameter"), "the final population's parameter values"),
    "posterior_weight": (("particle",), "the final population's weights"),
    "posterior_predictive": (("particle", "target"), "each final particle's simulated targets"),
    "observed": (("target",), "the observed value of each target"),
    "observation_sd": (("target",), "the observation standard deviation of each target"),
    "prior_kind": (("parameter",), "the prior's kind"),
    "prior_a": (("parameter",), "the prior's first parameter"),
    "prior_b": (("parameter",), "the prior's second parameter"),
    "prior_low": (("parameter",), "the prior's lower bound"),
    "prior_high": (("parameter",), "the prior's upper bound"),
    "truth": (("parameter",), "the true values (NaN: none)"),
}
CALIBRATION_REQUIRED = ("parameter", "posterior_value", "posterior_weight")
PRIOR_VARIABLES = ("prior_kind", "prior_a", "prior_b", "prior_low", "prior_high")
GENERATION_VARIABLES = ("tolerance", "acceptance_rate", "ess", "simulations")
PREDICTIVE_VARIABLES = ("target", "posterior_predictive", "observed", "observation_sd")


class AnalysisFileError(RunFileError):
    """A file that migsim.posterior or migsim.sensitivity cannot read (or lacks what a table
    needs). The message names the file and what is wrong with it: empty, not HDF5, damaged,
    another kind of migsim file, or missing or misshapen datasets of the layout."""


class CalibrationFileError(AnalysisFileError):
    """A file of `migsim calibrate` that migsim.posterior cannot read (see AnalysisFileError)."""


# --- reading ------------------------------------------------------------------------------

def _check_file(path: Path, expected: str, error=CalibrationFileError) -> None:
    """FileNotFoundError or `error` unless `path` is a non-empty HDF5 file."""
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file ({expected})")
    if not path.is_file():
        raise error(f"{path} is not a regular file: {expected}")
    size = path.stat().st_size
    if size == 0:
        raise error(f"{path}: the file is empty (0 bytes): {expected}")
    if not _has_hdf5_signature(path, size):
        raise error(f"{path}: not an HDF5 file (no HDF5 signature in its {size} bytes): {expected}")


def _scale_names(f, obj) -> Optional[tuple]:
    """The names of the dimension scales attached to `obj`, None when it has none (or they
    cannot be resolved)."""
    refs = obj.attrs.get("DIMENSION_LIST")
    if refs is None or len(refs) != obj.ndim:
        return None
    try:
        names = []
        for ref in refs:
            scale = f[ref[0]]
            names.append(scale.name.rsplit("/", 1)[-1])
        return tuple(names)
    except Exception:   # noqa: BLE001  broken references: fall back to the layout
        return None


def _values(h5py, obj) -> np.ndarray:
    if obj.dtype.kind in "OS" or h5py.check_string_dtype(obj.dtype) is not None:
        return np.asarray([_attribute(v) for v in np.asarray(obj[()], dtype=object).ravel()],
                          dtype=object).reshape(obj.shape)
    return obj[()]


def read_layout(path: PathLike, layout: Mapping[str, tuple], required: Sequence[str], expected: str,
                kinds: str, error=CalibrationFileError) -> xr.Dataset:
    """The datasets of `layout` ({name: (dims, what)}) that the file at `path` holds, as a
    loaded xarray.Dataset with the file's root attributes (and `source`: the path).

    Read with h5py by name: dimensions are those of the layout; dimension scales, when
    attached, must agree. Coordinates missing from the file (the integer ones) are numbered
    from 0. The error names the file and the problem: a dataset of `required`
    missing, one of the wrong shape, or a migsim run or sweep file given instead (`error`:
    the class of AnalysisFileError to raise). `kinds`: the file's kind in words
    ("calibration", "sensitivity"), for the messages."""
    path = Path(path)
    _check_file(path, expected, error)
    h5py = _hdf5_module("h5py")
    try:
        f = _open_h5py(h5py, path)
    except OSError as failure:
        raise error(f"{path}: a truncated or damaged HDF5 file ({path.stat().st_size} bytes): "
                    f"HDF5 could not open it ({_hdf5_message(failure)}); {expected}") from None
    with f:
        attrs = _attributes(f)
        missing = [n for n in required if not isinstance(f.get(n), h5py.Dataset)]
        if missing:
            if attrs.get("kind") in ("run", "sweep") or isinstance(f.get("time"), h5py.Dataset):
                raise error(f"{path}: a migsim {attrs.get('kind', 'run')} file, not a {kinds} file: "
                            f"{expected}")
            what = "; ".join(f"{n}({', '.join(layout[n][0])}): {layout[n][1]}" for n in missing)
            raise error(f"{path}: not a complete {kinds} file: it has no {what}; {expected}")
        raw, placeholders = {}, {}
        for name, (dims, _) in layout.items():
            obj = f.get(name)
            if not isinstance(obj, h5py.Dataset):
                continue
            if obj.ndim != len(dims):
                raise error(f"{path}: {name} has {obj.ndim} dimensions, expected {len(dims)} "
                            f"({', '.join(dims)}): {expected}")
            scales = _scale_names(f, obj)
            if scales is not None and scales != dims and not (len(dims) == 1 and scales == (name,)):
                raise error(f"{path}: {name} has dimensions ({', '.join(scales)}), expected "
                            f"({', '.join(dims)}): {expected}")
            if dims == (name,) and str(_attribute(obj.attrs.get("NAME", b""))).startswith(
                    "This is a netCDF dimension"):
                placeholders[name] = obj.shape[0]
                continue   # a dimension without values (netCDF's placeholder): numbered below
            raw[name] = (dims, _values(h5py, obj), _attributes(obj))
    sizes: dict = {}
    for name, (dims, data, _) in raw.items():   # coordinates first: their lengths are the sizes
        if dims == (name,):
            sizes[name] = len(data)
    for name, length in placeholders.items():
        sizes.setdefault(name, length)
    for name, (dims, data, _) in raw.items():
        for dim, n in zip(dims, data.shape):
            if sizes.setdefault(dim, n) != n:
                raise error(f"{path}: {name} has {n} along {dim}, but {dim} has {sizes[dim]}: "
                            f"{expected}")
    coords, data_vars = {}, {}
    for name, (dims, data, var_attrs) in raw.items():
        (coords if dims == (name,) else data_vars)[name] = xr.Variable(dims, data, var_attrs)
    for dim, n in sizes.items():
        if dim not in coords:
            coords[dim] = xr.Variable((dim,), np.arange(n))
    ds = xr.Dataset(data_vars, coords=coords, attrs=attrs)
    ds.attrs.setdefault("source", str(path))
    return ds


# --- weighted statistics ---------------------------------------------------------------------

def weighted_quantile(values, weights, q):
    """Quantiles `q` (a number or a sequence in [0, 1]) of `values` weighted by `weights`.

    The inverse of the weighted empirical distribution function F (the sum of the weights of
    the values <= x, over the sum of all weights): the smallest value with F >= q, or, where
    F equals q exactly (to 1e-12), the mean of that value and the next. With equal weights
    this is np.quantile(values, q, method="averaged_inverted_cdf") (the median of an even
    number of values is the mean of the middle two); integer weights give the quantiles of the
    values repeated that many times. Values with zero weight or NaN are left out. Returns NaN
    when no weight is left; ValueError for negative or infinite weights."""
    values = np.asarray(values, dtype="float64").ravel()
    weights = np.asarray(weights, dtype="float64").ravel()
    if values.shape != weights.shape:
        raise ValueError(f"{values.size} values but {weights.size} weights")
    if np.any(weights < 0) or not np.all(np.isfinite(weights)):
        raise ValueError("weights must be finite and non-negative")
    qs = np.asarray(q, dtype="float64")
    if np.any((qs < 0) | (qs > 1)) or np.any(np.isnan(qs)):
        raise ValueError(f"quantiles must lie in [0, 1], got {q!r}")
    keep = (weights > 0) & ~np.isnan(values)
    values, weights = values[keep], weights[keep]
    if values.size == 0:
        out = np.full(qs.shape, np.nan)
        return out if out.ndim else float(out)
    order = np.argsort(values, kind="stable")
    values, weights = values[order], weights[order]
    cdf = np.cumsum(weights) / weights.sum()
    cdf[-1] = 1.0
    flat = np.atleast_1d(qs).ravel()
    out = np.empty(flat.size)
    eps = 1e-12
    for k, p in enumerate(flat):
        i = min(int(np.searchsorted(cdf, p - eps, side="left")), values.size - 1)
        if abs(cdf[i] - p) <= eps and i + 1 < values.size:
            out[k] = 0.5 * (values[i] + values[i + 1])
        else:
            out[k] = values[i]
    out = out.reshape(qs.shape)
    return out if out.ndim else float(out)


def effective_sample_size(weights) -> float:
    """Kish's effective sample size, (sum w)^2 / sum w^2."""
    w = np.asarray(weights, dtype="float64")
    total = w.sum()
    return float(total * total / np.sum(w * w)) if total > 0 else 0.0


def _interval_names(level: float) -> tuple:
    if not 0 < level < 1:
        raise ValueError(f"level must lie strictly between 0 and 1, got {level}")
    low = (1 - level) / 2
    return low, 1 - low, statistic_name(low), statistic_name(1 - low)


# --- priors --------------------------------------------------------------------------------------

def prior_distribution(kind: str, a: float, b: float, low: float = -math.inf, high: float = math.inf):
    """The frozen scipy.stats distribution of a prior: "uniform" and "log_uniform" on [a, b];
    "normal" with mean a and sd b (low and high are not used: the file gives -inf, inf);
    "truncated_normal" with mean a and sd b cut to [low, high]."""
    from scipy import stats

    if kind == "uniform":
        return stats.uniform(loc=a, scale=b - a)
    if kind == "log_uniform":
        if not 0 < a < b:
            raise ValueError(f"a log-uniform prior needs 0 < low < high, got {a}, {b}")
        return stats.loguniform(a, b)
    if kind == "normal":
        return stats.norm(loc=a, scale=b)
    if kind == "truncated_normal":
        return stats.truncnorm((low - a) / b, (high - a) / b, loc=a, scale=b)
    raise ValueError(f"unknown prior kind {kind!r} (expected one of {', '.join(PRIOR_KINDS)})")


# --- the result --------------------------------------------------------------------------------------

class Posterior:
    """A calibration file read into memory (migsim.posterior). Attributes:

    - `dataset`: the file's datasets as an xarray.Dataset (root attributes in `.attrs`);
    - `draws`: DataFrame of the final population, index `particle`, one column per parameter
      key and `weight` (normalised to sum 1; particles of zero weight left out);
    - `parameters`, `targets`: the keys and target names, in file order;
    - `source`, `method`, `scenario`, `completed`, `spec`: from the file's attributes.
    """

    def __init__(self, dataset: xr.Dataset):
        self.dataset = dataset
        self.source = str(dataset.attrs.get("source", ""))
        self.method = str(dataset.attrs.get("method", ""))
        self.scenario = str(dataset.attrs.get("scenario", ""))
        self.completed = bool(int(dataset.attrs.get("completed", 0)))
        self.spec = str(dataset.attrs.get("spec", ""))
        self.parameters = [str(p) for p in dataset["parameter"].values]
        self.targets = [str(t) for t in dataset["target"].values] if "target" in dataset.coords else []
        weights = np.asarray(dataset["posterior_weight"].values, dtype="float64")
        if np.any(weights < 0) or not np.all(np.isfinite(weights)) or weights.sum() <= 0:
            raise CalibrationFileError(f"{self.source}: posterior_weight must be finite, non-negative and not "
                                       f"all zero: damaged or edited?")
        keep = weights > 0
        values = np.asarray(dataset["posterior_value"].values, dtype="float64")[keep]
        frame = pd.DataFrame(values, columns=self.parameters,
                             index=pd.Index(np.asarray(dataset["particle"].values)[keep], name="particle"))
        frame["weight"] = weights[keep] / weights[keep].sum()
        self.draws = frame

    def __repr__(self) -> str:
        return (f"<migsim.Posterior {self.source or '(no file)'}: {self.method or 'calibration'}, "
                f"{len(self.parameters)} parameters, {len(self.draws)} particles, "
                f"{'completed' if self.completed else 'not completed'}>")

    def _require(self, *names: str, what: str) -> None:
        missing = [n for n in names if n not in self.dataset.variables]
        if missing:
            raise CalibrationFileError(f"{self.source}: has no {', '.join(missing)} (needed for {what}): "
                                       f"written by an older migsim calibrate, or by hand?")

    @property
    def weights(self) -> np.ndarray:
        return self.draws["weight"].to_numpy()

    def has_priors(self) -> bool:
        return all(n in self.dataset.variables for n in PRIOR_VARIABLES)

    def priors(self) -> pd.DataFrame:
        """Per parameter: kind, a, b, low, high (module docstring); CalibrationFileError when
        the file has no priors."""
        self._require(*PRIOR_VARIABLES, what="the priors")
        ds = self.dataset
        frame = pd.DataFrame({"kind": [str(k) for k in ds["prior_kind"].values],
                              **{c: np.asarray(ds[f"prior_{c}"].values, dtype="float64")
                                 for c in ("a", "b", "low", "high")}},
                             index=pd.Index(self.parameters, name="parameter"))
        unknown = sorted(set(frame["kind"]) - set(PRIOR_KINDS))
        if unknown:
            raise CalibrationFileError(f"{self.source}: unknown prior kind {', '.join(map(repr, unknown))} "
                                       f"(expected one of {', '.join(PRIOR_KINDS)})")
        return frame

    def prior(self, parameter: str):
        """The frozen scipy.stats distribution of `parameter`'s prior."""
        row = self.priors().loc[parameter]
        return prior_distribution(row["kind"], row["a"], row["b"], row["low"], row["high"])

    def truth(self) -> pd.Series:
        """The true value of each parameter (NaN where the spec gives none, or the file no truth)."""
        if "truth" in self.dataset.variables:
            values = np.asarray(self.dataset["truth"].values, dtype="float64")
        else:
            values = np.full(len(self.parameters), np.nan)
        return pd.Series(values, index=pd.Index(self.parameters, name="parameter"), name="truth")

    def log_scale(self, parameter: str) -> bool:
        """True for a parameter with a log-uniform prior (drawn on a log axis)."""
        return self.has_priors() and str(self.priors().loc[parameter, "kind"]) == "log_uniform"

    def summary(self, level: float = 0.9) -> pd.DataFrame:
        """One row per parameter: the prior (`prior`: its kind, `prior_a`, `prior_b`,
        `prior_low`, `prior_high`, and its exact `level` quantiles, e.g. `prior_q05`,
        `prior_q95`, from scipy.stats), the posterior's weighted `mean`, `median` and `level`
        interval (`q05`, `q95`), `truth` (NaN: none) and `truth_covered` (truth inside the
        interval; <NA> without truth), and `width_ratio`: the posterior interval's width over the
        prior's (below 1: the data narrowed it). For log-uniform priors `width_ratio_log`
        compares the widths of log10 of the values (NaN for other kinds). Without priors in the
        file the prior columns are NaN."""
        lo, hi, lo_name, hi_name = _interval_names(level)
        w = self.weights
        truth = self.truth()
        rows = []
        priors = self.priors() if self.has_priors() else None
        for p in self.parameters:
            x = self.draws[p].to_numpy()
            q_lo, q_mid, q_hi = weighted_quantile(x, w, [lo, 0.5, hi])
            row = {"parameter": p, "prior": None, "prior_a": np.nan, "prior_b": np.nan, "prior_low": np.nan,
                   "prior_high": np.nan, f"prior_{lo_name}": np.nan, f"prior_{hi_name}": np.nan,
                   "mean": float(np.sum(w * x) / np.sum(w)), "median": q_mid, lo_name: q_lo, hi_name: q_hi,
                   "truth": truth[p], "width_ratio": np.nan, "width_ratio_log": np.nan}
            if priors is not None:
                prior = priors.loc[p]
                dist = prior_distribution(prior["kind"], prior["a"], prior["b"], prior["low"], prior["high"])
                p_lo, p_hi = (float(v) for v in dist.ppf([lo, hi]))
                row.update({"prior": prior["kind"], "prior_a": prior["a"], "prior_b": prior["b"],
                            "prior_low": prior["low"], "prior_high": prior["high"],
                            f"prior_{lo_name}": p_lo, f"prior_{hi_name}": p_hi,
                            "width_ratio": (q_hi - q_lo) / (p_hi - p_lo)})
                if prior["kind"] == "log_uniform" and q_lo > 0:
                    row["width_ratio_log"] = (np.log10(q_hi) - np.log10(q_lo)) / (np.log10(p_hi) - np.log10(p_lo))
            rows.append(row)
        frame = pd.DataFrame(rows).set_index("parameter")
        covered = [pd.NA if np.isnan(t) else bool(a <= t <= b)
                   for t, a, b in zip(frame["truth"], frame[lo_name], frame[hi_name])]
        frame.insert(frame.columns.get_loc("truth") + 1, "truth_covered", pd.array(covered, dtype="boolean"))
        return frame

    def predictive(self, level: float = 0.9) -> pd.DataFrame:
        """One row per target: `observed`, `sd` (observation_sd), the weighted `median` and
        `level` interval (`q05`, `q95`) of the final particles' simulated values
        (posterior_predictive, without observation noise), and `covered`: observed inside that
        interval. Particles whose simulation of a target is NaN are left out of it."""
        self._require(*PREDICTIVE_VARIABLES, what="the posterior predictive")
        lo, hi, lo_name, hi_name = _interval_names(level)
        ds = self.dataset
        weights = np.asarray(ds["posterior_weight"].values, dtype="float64")
        simulated = np.asarray(ds["posterior_predictive"].values, dtype="float64")
        observed = np.asarray(ds["observed"].values, dtype="float64")
        sd = np.asarray(ds["observation_sd"].values, dtype="float64")
        rows = []
        for k, t in enumerate(self.targets):
            q_lo, q_mid, q_hi = weighted_quantile(simulated[:, k], weights, [lo, 0.5, hi])
            rows.append({"target": t, "observed": observed[k], "sd": sd[k], "median": q_mid, lo_name: q_lo,
                         hi_name: q_hi, "covered": bool(q_lo <= observed[k] <= q_hi)})
        return pd.DataFrame(rows).set_index("target")

    def generations(self) -> pd.DataFrame:
        """One row per finished generation (`generations_completed` of the file, when it says):
        `tolerance`, `acceptance_rate`, `ess`, `simulations`, `total_simulations` (cumulative)
        and `particles` (those of non-zero weight, when the file has particle_weight)."""
        self._require(*GENERATION_VARIABLES, what="the generations table")
        ds = self._finished()
        frame = pd.DataFrame({n: ds[n].values for n in GENERATION_VARIABLES},
                             index=pd.Index(np.asarray(ds["generation"].values), name="generation"))
        frame["total_simulations"] = frame["simulations"].cumsum()
        if "particle_weight" in ds.variables:
            frame["particles"] = (np.asarray(ds["particle_weight"].values) > 0).sum(axis=1)
        return frame

    def _finished(self) -> xr.Dataset:
        ds = self.dataset
        done = ds.attrs.get("generations_completed")
        if done is not None and "generation" in ds.dims and int(done) < ds.sizes["generation"]:
            ds = ds.isel(generation=slice(0, max(int(done), 0)))
        return ds

    def population(self, generation: int = -1) -> pd.DataFrame:
        """The particles of one finished generation (negative: from the last) of non-zero weight:
        one column per parameter, `weight` (normalised) and `distance`."""
        self._require("particle_value", "particle_weight", what="the populations of the generations")
        ds = self._finished()
        n = ds.sizes["generation"]
        if not -n <= generation < n:
            raise IndexError(f"{self.source}: generation {generation} of {n} finished")
        one = ds.isel(generation=generation)
        w = np.asarray(one["particle_weight"].values, dtype="float64")
        keep = w > 0
        frame = pd.DataFrame(np.asarray(one["particle_value"].values, dtype="float64")[keep],
                             columns=self.parameters,
                             index=pd.Index(np.asarray(one["particle"].values)[keep], name="particle"))
        frame["weight"] = w[keep] / w[keep].sum()
        if "particle_distance" in one.variables:
            frame["distance"] = np.asarray(one["particle_distance"].values, dtype="float64")[keep]
        return frame


PosteriorLike = Union[str, os.PathLike, Posterior]


def posterior(path: PosteriorLike) -> Posterior:
    """Reads the file of `migsim calibrate` (a Posterior; one given is returned as is).

    Raises FileNotFoundError when there is no such file and CalibrationFileError (a
    migsim.RunFileError, a ValueError) naming the file and what is wrong when it cannot be read
    as one: not HDF5, damaged, a run or sweep file, or without the final population
    (`parameter`, `posterior_value`, `posterior_weight`). Other datasets are needed only by the
    methods that use them, which name what is missing."""
    if isinstance(path, Posterior):
        return path
    return Posterior(read_layout(path, CALIBRATION_LAYOUT, CALIBRATION_REQUIRED, CALIBRATION_EXPECTED,
                                 "calibration"))


# --- figures --------------------------------------------------------------------------------------

def _figure(rows: int, columns: int, figsize=None, **options):
    import matplotlib.pyplot as plt

    return plt.subplots(rows, columns, squeeze=False, figsize=figsize or (4.0 * columns, 3.2 * rows), **options)


def _label(name: str, units: Optional[Mapping[str, str]]) -> str:
    unit = (units or {}).get(name)
    return f"{name} ({unit})" if unit else name


def _positive_span(values) -> float:
    """max/min of the positive finite values (1 when there are none, or some are <= 0)."""
    v = np.asarray(values, dtype="float64")
    v = v[np.isfinite(v)]
    if v.size == 0 or np.any(v <= 0):
        return 1.0
    return float(v.max() / v.min())


def _weighted_density(x, w, edges, log: bool):
    """A weighted histogram as a density: per unit of x, or per decade of x when `log`."""
    coordinate = np.log10(x) if log else x
    scale = np.log10(edges) if log else edges
    counts, _ = np.histogram(coordinate, scale, weights=w)
    return counts / (np.sum(w) * np.diff(scale))


def _edges(x, bins: int, log: bool):
    x = np.asarray(x, dtype="float64")
    x = x[np.isfinite(x)]
    lo, hi = float(x.min()), float(x.max())
    if log:
        lo, hi = np.log10(lo), np.log10(hi)
    if hi <= lo:   # one value: a bin around it
        pad = abs(lo) * 0.05 or 0.05
        lo, hi = lo - pad, hi + pad
    edges = np.linspace(lo, hi, bins + 1)
    return 10 ** edges if log else edges


def _draw_histogram(ax, x, w, bins: int, log: bool, **options):
    keep = np.isfinite(x) & (w > 0) & ((x > 0) if log else True)
    x, w = x[keep], w[keep]
    edges = _edges(x, bins, log)
    density = _weighted_density(x, w, edges, log)
    ax.bar(edges[:-1], density, width=np.diff(edges), align="edge", **options)
    return edges


def _prior_curve(dist, kind: str, log: bool, around):
    """(x, density) of a prior over its support (0.05% to 99.95% where unbounded), widened to
    cover `around`; per decade when `log`."""
    lo, hi = (float(v) for v in dist.ppf([0.0005, 0.9995]))
    if kind in ("uniform", "log_uniform"):
        lo, hi = (float(v) for v in dist.support())
    around = np.asarray(around, dtype="float64")
    around = around[np.isfinite(around)]
    if kind not in ("uniform", "log_uniform") and around.size:
        lo, hi = min(lo, around.min()), max(hi, around.max())
        support = dist.support()
        lo, hi = max(lo, float(support[0])), min(hi, float(support[1]))
    x = np.geomspace(lo, hi, 400) if log else np.linspace(lo, hi, 400)
    y = dist.pdf(x)
    if log:
        y = y * x * np.log(10.0)
    return x, y


def _parameter_names(post: Posterior, parameters: Optional[Sequence[str]]) -> list:
    names = list(parameters) if parameters is not None else post.parameters
    unknown = [p for p in names if p not in post.parameters]
    if unknown:
        raise ValueError(f"no parameter {', '.join(map(repr, unknown))} in {post.source} "
                         f"(it has {', '.join(post.parameters)})")
    if not names:
        raise ValueError("no parameters to draw")
    return names


def plot_posterior_marginals(post: PosteriorLike, *, parameters: Optional[Sequence[str]] = None, bins: int = 30,
                             kde: bool = False, columns: int = 3, units: Optional[Mapping[str, str]] = None,
                             figsize=None):
    """One panel per parameter (`parameters`: a subset, in order): the posterior's weighted
    histogram (and, with `kde`, a weighted Gaussian kernel density) against the prior's density
    drawn from its specification (exact, scipy.stats), the truth as a dashed vertical line
    when the file gives one. Parameters with a log-uniform prior are drawn on a log x axis as
    densities per decade (the prior is then flat). `units`: {parameter: unit} for the x labels.
    Returns the Figure."""
    from scipy import stats

    post = posterior(post)
    names = _parameter_names(post, parameters)
    columns = max(1, min(columns, len(names)))
    rows = math.ceil(len(names) / columns)
    fig, axes = _figure(rows, columns, figsize)
    flat = axes.ravel()
    for ax in flat[len(names):]:
        fig.delaxes(ax)
    truth = post.truth()
    w = post.weights
    for ax, p in zip(flat, names):
        x = post.draws[p].to_numpy()
        log = post.log_scale(p) and bool(np.all(x > 0))
        edges = _draw_histogram(ax, x, w, bins, log, color="tab:blue", alpha=0.45, label="posterior")
        if kde and np.unique(x[np.isfinite(x)]).size > 1:
            coordinate = np.log10(x) if log else x
            density = stats.gaussian_kde(coordinate, weights=w)
            grid = np.linspace(np.log10(edges[0]) if log else edges[0], np.log10(edges[-1]) if log else edges[-1], 200)
            ax.plot(10 ** grid if log else grid, density(grid), color="tab:blue", label="posterior (kernel density)")
        if post.has_priors():
            row = post.priors().loc[p]
            dist = prior_distribution(row["kind"], row["a"], row["b"], row["low"], row["high"])
            px, py = _prior_curve(dist, row["kind"], log, [edges[0], edges[-1], truth[p]])
            ax.plot(px, py, color="tab:gray", linewidth=1.5, label="prior")
        if np.isfinite(truth[p]):
            ax.axvline(truth[p], color="black", linestyle="--", linewidth=1.2, label="truth")
        if log:
            ax.set_xscale("log")
        ax.set_xlabel(_label(p, units))
        ax.set_ylabel("density per decade" if log else "density")
    if names:
        flat[0].legend(fontsize="small")
    title = f"{post.scenario}: " if post.scenario else ""
    fig.suptitle(f"{title}posterior ({post.method or 'calibration'}, {len(post.draws)} particles) and prior")
    fig.tight_layout()
    return fig


def plot_posterior_pairs(post: PosteriorLike, *, parameters: Optional[Sequence[str]] = None, bins: int = 20,
                         max_size: float = 40.0, units: Optional[Mapping[str, str]] = None, figsize=None):
    """A pair plot of the posterior: below the diagonal each pair of parameters as a scatter
    of the particles, each drawn more opaque and larger the heavier its weight (the truth,
    when given for both, as a black cross); on the diagonal each parameter's weighted
    histogram (truth as a dashed line). Log axes for parameters with a log-uniform prior.
    Returns the Figure (n(n+1)/2 axes for n parameters)."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgba

    post = posterior(post)
    names = _parameter_names(post, parameters)
    n = len(names)
    fig = plt.figure(figsize=figsize or (2.6 * n + 1, 2.6 * n + 0.6))
    grid = fig.add_gridspec(n, n)
    w = post.weights
    top = w.max()
    colours = np.tile(to_rgba("tab:blue"), (len(w), 1))
    colours[:, 3] = 0.15 + 0.85 * w / top
    sizes = 4 + max_size * w / top
    truth = post.truth()
    logs = {p: post.log_scale(p) and bool(np.all(post.draws[p] > 0)) for p in names}
    diagonal = {}
    for i, row in enumerate(names):
        for j, column in enumerate(names[:i + 1]):
            share_x = diagonal.get(j) if j < i else None
            ax = fig.add_subplot(grid[i, j], sharex=share_x)
            if i == j:
                diagonal[i] = ax
                _draw_histogram(ax, post.draws[row].to_numpy(), w, bins, logs[row], color="tab:blue", alpha=0.5)
                if np.isfinite(truth[row]):
                    ax.axvline(truth[row], color="black", linestyle="--", linewidth=1)
                ax.set_yticks([])
            else:
                ax.scatter(post.draws[column], post.draws[row], s=sizes, c=colours, edgecolors="none")
                if np.isfinite(truth[row]) and np.isfinite(truth[column]):
                    ax.plot([truth[column]], [truth[row]], marker="x", color="black", markersize=8, linestyle="none")
                if logs[row]:
                    ax.set_yscale("log")
            if logs[column]:
                ax.set_xscale("log")
            if i == n - 1:
                ax.set_xlabel(_label(column, units))
            else:
                ax.tick_params(labelbottom=False)
            if j == 0 and i > 0:
                ax.set_ylabel(_label(row, units))
            elif i != j:
                ax.tick_params(labelleft=False)
    if n == 1:
        diagonal[0].set_ylabel("density")
    fig.suptitle(f"{post.scenario + ': ' if post.scenario else ''}posterior pairs "
                 f"({len(post.draws)} particles, opacity and size by weight)")
    fig.tight_layout()
    return fig


def plot_predictive(post: PosteriorLike, *, level: float = 0.9, log: Optional[bool] = None, ax=None,
                    units: Optional[str] = None):
    """Per target (along the x axis): the observed value as a black point with a ±2 sd bar,
    beside the posterior predictive median and `level` interval (blue; orange where the
    observed value lies outside it). The y axis is logarithmic when the positive values span
    two decades or more (`log` forces it on or off). `units`: the values' unit, for the y
    label. Draws on `ax` when given. Returns the Figure."""
    table = posterior(post).predictive(level)
    if ax is None:
        fig, axes = _figure(1, 1, (max(4.5, 1.3 * len(table) + 2), 4.0))
        ax = axes[0, 0]
    fig = ax.figure
    x = np.arange(len(table))
    lo_name, hi_name = _interval_names(level)[2:]
    ax.errorbar(x - 0.12, table["observed"], yerr=2 * table["sd"], fmt="o", color="black", capsize=3,
                label="observed ± 2 sd")
    for covered, colour, label in ((True, "tab:blue", f"posterior predictive: median, {level:.0%} interval"),
                                   (False, "tab:orange", "posterior predictive, observed outside")):
        mine = (table["covered"] == covered).to_numpy()
        if not mine.any():
            continue
        median = table["median"].to_numpy()[mine]
        error = [median - table[lo_name].to_numpy()[mine], table[hi_name].to_numpy()[mine] - median]
        ax.errorbar(x[mine] + 0.12, median, yerr=error, fmt="s", color=colour, capsize=3, linewidth=2,
                    label=label)
    values = np.concatenate([table[c].to_numpy() for c in ("observed", "median", lo_name, hi_name)])
    if log if log is not None else _positive_span(values) >= 100:
        ax.set_yscale("log", nonpositive="clip")
    names = list(table.index)
    slanted = len(names) * max(map(len, names), default=0) > 50
    ax.set_xticks(x, names, rotation=30 if slanted else 0, ha="right" if slanted else "center")
    ax.set_xlim(-0.6, len(table) - 0.4)
    ax.set_xlabel("target")
    ax.set_ylabel(f"value ({units})" if units else "value (units of each target)")
    source = posterior(post)
    ax.set_title(f"{source.scenario + ': ' if source.scenario else ''}posterior predictive check "
                 f"({int(table['covered'].sum())} of {len(table)} observed inside)")
    ax.legend(fontsize="small")
    fig.tight_layout()
    return fig


def plot_generations(post: PosteriorLike, *, figsize=None):
    """Two panels by generation: the tolerance (log axis when it falls over two decades or
    more) and the acceptance rate in percent. Returns the Figure."""
    post = posterior(post)
    table = post.generations()
    fig, axes = _figure(2, 1, figsize or (5.5, 5.5), sharex=True)
    tolerance, acceptance = axes[:, 0]
    g = table.index.to_numpy()
    tolerance.plot(g, table["tolerance"], marker="o")
    if _positive_span(table["tolerance"]) >= 100:
        tolerance.set_yscale("log")
    what = "implausibility" if post.method == "history-matching" else "distance"
    tolerance.set_ylabel(f"tolerance ({what})")
    acceptance.plot(g, 100 * table["acceptance_rate"].to_numpy(dtype="float64"), marker="o", color="tab:green")
    acceptance.set_ylabel("acceptance rate (%)")
    acceptance.set_ylim(bottom=0)
    for ax in (tolerance, acceptance):
        ax.set_xlabel("generation")
        ax.tick_params(labelbottom=True)
    if len(g):
        acceptance.set_xticks(g)
    fig.suptitle(f"{post.scenario + ': ' if post.scenario else ''}{post.method or 'calibration'}, "
                 f"{int(table['simulations'].sum())} simulations")
    fig.tight_layout()
    return fig
