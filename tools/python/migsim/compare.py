"""Paired comparison of two runs: the definitions of docs/COMPARE.md, the same numbers as
`migsim compare BASE VARIANT --format csv`."""
from __future__ import annotations

import math
import warnings
from functools import lru_cache
from typing import Callable, Dict, List, Optional, Tuple

import numpy as np
import pandas as pd
import xarray as xr

from .frames import Window, parse_window, select_window, start_date
from .catalogue import compared, paid_to
from .io import RunLike, as_dataset, is_posterior, is_sweep

COLUMNS = ["group", "outcome", "base", "variant", "difference", "low", "high", "relative", "replicates"]
# Posterior runs add these (docs/COMPARE.md, "With parameter uncertainty").
POSTERIOR_COLUMNS = ["draws", "low_seed_only", "high_seed_only"]


# Outcomes: (name, series needed, how to compute from the Dataset). Order = docs/COMPARE.md.
_Outcome = Tuple[str, Tuple[str, ...], Callable[[xr.Dataset, Optional[str]], xr.DataArray]]


def _sum_keep(da: xr.DataArray, group: Optional[str]) -> xr.DataArray:
    """Sum over every dimension but sample (or draw), replicate and `group`."""
    keep = {"sample", "draw", "replicate", group}
    return da.sum([d for d in da.dims if d not in keep])


def _series(name: str):
    def compute(ds: xr.Dataset, group: Optional[str]) -> xr.DataArray:
        return _sum_keep(ds[name].astype("float64"), group)
    return compute


def _transit_days(ds: xr.Dataset, group: Optional[str]) -> xr.DataArray:
    days = _sum_keep(ds["arrival_transit_days"].astype("float64"), group)
    arrived = (_sum_keep(ds["arrivals"].astype("float64"), group)
               + _sum_keep(ds["arrivals_regular"].astype("float64"), group))
    return xr.where(arrived > 0, days / arrived.where(arrived > 0), np.nan)


def _revenue_by_border(ds: xr.Dataset, group: Optional[str]) -> xr.DataArray:
    """market_revenue summed over the markets whose market_border is each border."""
    per_market = _sum_keep(ds["market_revenue"].astype("float64"), "market")
    owner = np.asarray(ds["market_border"].values).astype(str)
    parts = []
    for border in ds["border"].values:
        mine = np.flatnonzero(owner == str(border))
        parts.append(per_market.isel(market=mine).sum("market"))
    out = xr.concat(parts, dim="border") if parts else per_market.isel(market=[]).rename(market="border")
    out = out.assign_coords(border=ds["border"].values)
    return out.transpose(*[d for d in per_market.dims if d != "market"], "border")


def _sum_of(*names: str):
    """Several series' totals added up (they may have different entity dimensions)."""
    def compute(ds: xr.Dataset, group: Optional[str]) -> xr.DataArray:
        return sum(_sum_keep(ds[name].astype("float64"), group) for name in names)
    return compute


# by -> the view of the catalogue's compare_in that it shows, and the entity it is by.
_VIEWS = {None: ("total", None), "border": ("entity", "border"), "route": ("entity", "market"),
          "profile": ("entity", "profile"), "place": ("entity", "location"),
          "destination": ("destination", "location"), "group": ("group", None)}
# by -> the dimension its groups come from
GROUP_DIMENSION = {by: "group" if by == "group" else entity for by, (_, entity) in _VIEWS.items()}
_TRANSIT_DAYS: _Outcome = ("transit_days", ("arrival_transit_days", "arrivals", "arrivals_regular"), _transit_days)


def outcome_list(ds: xr.Dataset, by: Optional[str] = None) -> List[_Outcome]:
    """The outcomes of docs/COMPARE.md for `by`, in the order `migsim compare` gives them: the
    series of the file's catalogue (migsim.catalogue) that the view shows, under their outcome
    names, then the outcomes made of several series (transit days, revenue by border, money to
    each payee)."""
    by = _check_by(by)
    view, entity = _VIEWS[by]
    out: List[_Outcome] = []
    for name, row in compared(ds, view, entity).iterrows():
        series = name + "_by_group" if by == "group" else name
        out.append((row["compare_outcome"], (series,), _series(series)))
    if by is None:
        out.append(_TRANSIT_DAYS)
        # Money to those who profit besides smugglers (with what smugglers pass on to them).
        for payee, names in paid_to(ds).items():
            if payee != "smugglers":
                out.append((f"to_{payee}", tuple(names), _sum_of(*names)))
    elif by == "border":
        out.append(("smuggler_revenue", ("market_revenue", "market_border"), _revenue_by_border))
    elif by == "destination":
        out.append(_TRANSIT_DAYS)
    return out


def _check_by(by: Optional[str]) -> Optional[str]:
    if by in ("", "total"):   # as `migsim compare --by total`
        by = None
    if by not in _VIEWS:
        raise ValueError(f"by={by!r}: expected one of border, route, destination, profile, place, group (or None)")
    return by


def group_ids(ds: xr.Dataset, by: Optional[str]) -> list:
    """The groups of `by` in the file's coordinate order ([""] without `by`)."""
    by = _check_by(by)
    if by is None:
        return [""]
    dim = GROUP_DIMENSION[by]
    ids = [str(x) for x in ds[dim].values]
    if by in ("destination", "place"):   # destinations; places where people wait (all the others)
        kinds = np.asarray(ds["location_kind"].values).astype(str)
        ids = [i for i, k in zip(ids, kinds) if (k == "destination") == (by == "destination")]
    return ids


def outcomes(run: RunLike, by: Optional[str] = None, window: Window = None, *,
             missing: str = "warn") -> xr.Dataset:
    """Per replicate (and sample, in a sweep, or draw, in a posterior run), each outcome of
    docs/COMPARE.md summed over the days in `window`: a Dataset with one variable per outcome,
    dims (sample or draw,) replicate (, group). `missing`: what to do with outcomes whose series the file lacks: "warn" (skip
    them with a warning), "skip", or "raise"."""
    by = _check_by(by)
    ds = select_window(as_dataset(run), window)
    dim = GROUP_DIMENSION[by]
    out, absent = {}, []
    for name, needs, compute in outcome_list(ds, by):
        lacking = [v for v in needs if v not in ds.variables]
        if lacking:
            absent.append(f"{name} ({', '.join(lacking)})")
            continue
        value = compute(ds, dim).reset_coords(drop=True)
        if dim not in (None, "group"):
            value = value.rename({dim: "group"})
        out[name] = value
    if absent:
        message = f"{ds.attrs.get('source', 'the file')} lacks series for: {'; '.join(absent)}"
        if missing == "raise" or not out:
            raise KeyError(message)
        if missing == "warn":
            warnings.warn(message + " (older migsim?); those outcomes are left out", stacklevel=2)
    result = xr.Dataset(out)
    if dim is not None:
        result = result.sel(group=group_ids(ds, by))
    return result


# ---- statistics -----------------------------------------------------------------------------

def _central_t(t: float, df: int) -> float:
    """P(|T| <= t) for Student's t with integer df: the finite series of Abramowitz & Stegun
    26.7.3-4 (exact up to rounding)."""
    theta = math.atan(t / math.sqrt(df))
    c2, s = math.cos(theta) ** 2, math.sin(theta)
    if df % 2 == 0:
        term, total = 1.0, [1.0]
        for k in range(2, df - 1, 2):
            term *= c2 * (k - 1) / k
            total.append(term)
        return s * math.fsum(total)
    if df == 1:
        return 2 * theta / math.pi
    term = math.cos(theta)
    total = [term]
    for k in range(3, df - 1, 2):
        term *= c2 * (k - 1) / k
        total.append(term)
    return 2 / math.pi * (theta + s * math.fsum(total))


@lru_cache(maxsize=256)
def t_quantile_975(df: int) -> float:
    """The 0.975 quantile of Student's t with `df` degrees of freedom, to double precision.

    scipy.stats.t.ppf gives the start; it can be off by ~4e-11 (scipy 1.10: df = 1, 2, 9,
    99, ...), which the interval's low end can amplify past 1e-9 when it is near 0, so the
    root of P(|T| <= t) = 0.95 is then refined by bisection on the exact series, as
    `migsim compare` computes it."""
    from scipy.stats import t as student_t

    guess = float(student_t.ppf(0.975, df))
    low, high = guess * (1 - 1e-6), guess * (1 + 1e-6)
    if not (_central_t(low, df) < 0.95 <= _central_t(high, df)):
        low, high = 0.0, 1000.0
    while True:
        mid = (low + high) / 2
        if mid in (low, high):
            return mid
        if _central_t(mid, df) < 0.95:
            low = mid
        else:
            high = mid


def _mean(values: np.ndarray) -> float:
    return math.fsum(values) / len(values) if len(values) else math.nan


def paired_statistics(b: np.ndarray, v: np.ndarray) -> dict:
    """base, variant, difference, low, high, relative, replicates for one row (COMPARE.md)."""
    b = np.asarray(b, dtype="float64")
    v = np.asarray(v, dtype="float64")
    n = len(b)
    d = v - b
    if np.isnan(d).any():
        base, variant, difference = (float(np.mean(x)) for x in (b, v, d))
    else:
        base, variant, difference = _mean(b), _mean(v), _mean(d)
    if n >= 2 and not math.isnan(difference):
        s = math.sqrt(math.fsum((d - difference) ** 2) / (n - 1))
        half = t_quantile_975(n - 1) * s / math.sqrt(n)
        low, high = difference - half, difference + half
    else:
        low = high = math.nan
    relative = difference / base if (base != 0 and not math.isnan(base)) else math.nan
    return {"base": base, "variant": variant, "difference": difference, "low": low, "high": high,
            "relative": relative, "replicates": n}


def posterior_statistics(b: np.ndarray, v: np.ndarray) -> dict:
    """One row of two posterior runs (docs/COMPARE.md, "With parameter uncertainty"): `b`, `v`
    are (draw, replicate). difference = m, the mean of the draws' mean paired differences m_k;
    low, high = m -/+ 1.96 sqrt(v_theta + s_m^2 / N) with s_m^2 the variance of m_k (N - 1),
    s_w^2 the pooled within-draw variance (R - 1 each; 0 when R = 1), v_theta = max(0, s_m^2 -
    s_w^2 / R); low_seed_only, high_seed_only: the t interval over all N R differences."""
    b = np.asarray(b, dtype="float64")
    v = np.asarray(v, dtype="float64")
    n, r = b.shape
    row = paired_statistics(b.reshape(-1), v.reshape(-1))
    d = v - b
    m_k = d.mean(axis=1)
    m = float(m_k.mean())
    low = high = math.nan
    if n >= 2 and not math.isnan(m):
        s_m2 = float(((m_k - m) ** 2).sum() / (n - 1))
        s_w2 = float(((d - m_k[:, None]) ** 2).sum() / (n * (r - 1))) if r >= 2 else 0.0
        v_theta = max(0.0, s_m2 - s_w2 / r)
        half = 1.96 * math.sqrt(v_theta + s_m2 / n)
        low, high = m - half, m + half
    return {**row, "difference": m, "low": low, "high": high, "replicates": r, "draws": n,
            "low_seed_only": row["low"], "high_seed_only": row["high"]}


# ---- pairing ----------------------------------------------------------------------------------

def _name(ds: xr.Dataset, fallback: str) -> str:
    return str(ds.attrs.get("source", fallback))


def _label(run: RunLike, ds: xr.Dataset, fallback: str) -> str:
    """How errors name a run: its file when given as a path (a migsim file's `source` attribute
    is the scenario it was run from), else the Dataset's source."""
    return str(run) if not isinstance(run, xr.Dataset) else _name(ds, fallback)


def check_paired(base: xr.Dataset, variant: xr.Dataset, names: Optional[Tuple[str, str]] = None) -> None:
    """Raises ValueError unless replicate r of both is the same seed (docs/COMPARE.md).
    `names`: how the messages name base and variant (default: their `source` attributes)."""
    b, v = names or (_name(base, "base"), _name(variant, "variant"))
    for ds, label in ((base, b), (variant, v)):
        if is_sweep(ds):
            raise ValueError(f"{label} is a sweep file: compare takes two run files")
        if "seed" not in ds.variables:
            raise ValueError(f"{label} has no seed variable: not a migsim run file?")
        if is_posterior(ds) and ds.sizes.get("draw", 0) != int(ds.attrs.get("draws", ds.sizes.get("draw", 0))):
            raise ValueError(f"{label}: {ds.sizes.get('draw', 0)} of its {int(ds.attrs['draws'])} draws are "
                             f"finished; run the same migsim run --posterior command again to finish it")
    if is_posterior(base) != is_posterior(variant):
        with_draws, without = (b, v) if is_posterior(base) else (v, b)
        raise ValueError(f"{with_draws} is a posterior run, {without} is not; expected two posterior runs of "
                         f"the same draws (migsim run --posterior, the same file, --draws and --seed) or two "
                         f"plain runs")
    if is_posterior(base):
        same = ([str(x) for x in base["parameter"].values] == [str(x) for x in variant["parameter"].values]
                and base["parameter_value"].shape == variant["parameter_value"].shape
                and np.array_equal(base["parameter_value"].values, variant["parameter_value"].values))
        if not same:
            raise ValueError(f"{v}: its posterior draws differ from {b}'s (other parameters, values or number "
                             f"of draws); expected the same draws, so that runs pair by (draw, seed) (run both "
                             f"with the same --posterior, --draws and --seed)")
    nb, nv = base.sizes.get("replicate", 0), variant.sizes.get("replicate", 0)
    if nb != nv:
        raise ValueError(f"cannot pair {b} ({nb} replicates) with {v} ({nv} replicates): "
                         f"run both with the same --replicates and --seed")
    sb = [int(x) for x in np.atleast_1d(base["seed"].values).reshape(-1)]   # (draw, replicate) in posterior runs
    sv = [int(x) for x in np.atleast_1d(variant["seed"].values).reshape(-1)]
    if sb != sv:
        raise ValueError(f"cannot pair {b} (seeds {sb}) with {v} (seeds {sv}): "
                         f"replicates must use the same seeds (run both with the same --seed)")
    if nb == 0:
        raise ValueError(f"{b} holds no replicate")
    db, dv = start_date(base), start_date(variant)
    if db != dv:
        raise ValueError(f"cannot compare {b} (starts {db.date()}) with {v} (starts {dv.date()}): "
                         f"different start dates")


# Dimensions that are not entities: their positions mean the same in every file.
_NOT_ENTITIES = ("sample", "draw", "replicate", "time", "statistic")


def _entity_dims(ds: xr.Dataset, by: Optional[str]) -> List[str]:
    """The entity dimensions (border, market, location, ...) of the series the outcomes of `by` read."""
    dims: List[str] = []
    for _, needs, _ in outcome_list(ds, by):
        for name in needs:
            if name in ds.variables:
                dims += [d for d in ds[name].dims if d not in _NOT_ENTITIES and d not in dims]
    return dims


def pair_by_id(base: xr.Dataset, variant: xr.Dataset, by: Optional[str] = None,
               names: Optional[Tuple[str, str]] = None) -> xr.Dataset:
    """`variant` with its entities in the base's order of ids, along every entity dimension that
    the outcomes of `by` read (a file's entities come in the order of its scenario's tables), so
    that rows pair by id, never by position, as `migsim compare` pairs them. Raises ValueError
    naming the dimension and the ids that only one file holds when the ids differ. Totals
    (by=None) sum over every entity and need no pairing: a variant may add a border or a pathway.
    `names`: how the message names base and variant (default: their `source` attributes)."""
    by = _check_by(by)
    if by is None:
        return variant
    b_name, v_name = names or (_name(base, "the base"), _name(variant, "the variant"))
    for dim in _entity_dims(base, by):
        if dim not in variant.dims:
            continue   # a series the variant lacks: outcomes() leaves it out
        b = [str(x) for x in base[dim].values]
        v = [str(x) for x in variant[dim].values]
        if b == v:
            continue
        in_b, in_v = set(b), set(v)
        only_base = [i for i in b if i not in in_v]
        only_variant = [i for i in v if i not in in_b]
        repeated = len(in_b) != len(b) or len(in_v) != len(v)
        if only_base or only_variant or repeated:
            raise ValueError(
                f"{v_name}: its {dim} ids differ from {b_name}'s ("
                + (f"only in the base: {', '.join(only_base)}; " if only_base else "")
                + (f"only in the variant: {', '.join(only_variant)}; " if only_variant else "")
                + ("repeated ids; " if repeated else "")
                + f"expected the same {dim}s, in any order, so that rows pair by id; "
                  f"compare runs of the same network)")
        where = {i: k for k, i in enumerate(v)}
        variant = variant.isel({dim: [where[i] for i in b]})
    return variant


def compare(base: RunLike, variant: RunLike, by: Optional[str] = None,
            window: Window = None) -> pd.DataFrame:
    """Paired comparison of two run files (paths or Datasets), as `migsim compare`.

    by: None, "border", "route", "destination" or "profile". window: "FROM:TO" (ISO dates,
    both included, either side may be empty) or (FROM, TO); by default every day both files
    hold. Returns one row per (group, outcome) with the columns group, outcome, base, variant,
    difference, low, high (95% interval of the mean paired difference), relative, replicates.
    Rows pair by entity id (pair_by_id): a variant whose scenario lists the same borders,
    markets or locations in another order gives the same rows. Refuses (ValueError) files that
    cannot be paired: other seeds, replicate counts or start dates, or other ids along a
    dimension the rows of `by` read. Two posterior runs (migsim run --posterior) pair by (draw,
    seed), and their rows carry the interval under parameter uncertainty and the columns draws,
    low_seed_only, high_seed_only (posterior_statistics; docs/COMPARE.md); a posterior run and a
    plain one, or posterior runs of other draws, are refused."""
    by = _check_by(by)
    base_ds, variant_ds = as_dataset(base), as_dataset(variant)
    names = (_label(base, base_ds, "base"), _label(variant, variant_ds, "variant"))
    check_paired(base_ds, variant_ds, names)
    parse_window(window)   # a malformed window is an error even if the files are fine
    days = min(base_ds.sizes["time"], variant_ds.sizes["time"])
    base_ds, variant_ds = base_ds.isel(time=slice(0, days)), variant_ds.isel(time=slice(0, days))
    base_ds, variant_ds = select_window(base_ds, window), select_window(variant_ds, window)
    if base_ds.sizes["time"] == 0:
        raise ValueError(f"window {window!r} holds none of the {days} days both files hold"
                         if window else "the files hold no finished day")
    variant_ds = pair_by_id(base_ds, variant_ds, by, names)
    if by is not None:
        gb, gv = group_ids(base_ds, by), group_ids(variant_ds, by)
        if gb != gv:
            raise ValueError(f"the files have different {GROUP_DIMENSION[by]} ids: {gb} and {gv}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ob = outcomes(base_ds, by, missing="skip")
    ov = outcomes(variant_ds, by, missing="warn")
    posterior = is_posterior(base_ds)
    rows = []
    for group in group_ids(base_ds, by):
        for name in ob.data_vars:
            if name not in ov:
                continue
            b, v = ob[name], ov[name]
            if by is not None:
                b, v = b.sel(group=group), v.sel(group=group)
            if posterior:   # pairs by (draw, seed): docs/COMPARE.md, "With parameter uncertainty"
                statistics = posterior_statistics(b.transpose("draw", "replicate").values,
                                                  v.transpose("draw", "replicate").values)
            else:
                statistics = paired_statistics(b.transpose("replicate").values, v.transpose("replicate").values)
            rows.append({"group": group, "outcome": name, **statistics})
    frame = pd.DataFrame(rows, columns=COLUMNS + (POSTERIOR_COLUMNS if posterior else []))
    frame["replicates"] = frame["replicates"].astype("int64")
    if posterior:
        frame["draws"] = frame["draws"].astype("int64")
    return frame
