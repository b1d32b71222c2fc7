"""Flee scenarios: a run against the UNHCR camp registrations (docs/FLEE.md, "Validating
against UNHCR data"). The same numbers as `migsim validate-data --format json`, computed
independently here so that each checks the other.

    import migsim.flee
    migsim.flee.validate_data("mali.h5")["ensemble"]["ard"]["mean"]
    migsim.flee.plot_camps("mali.h5", None, "plots/")
"""
from __future__ import annotations

import csv
import datetime as dt
import math
import os
from pathlib import Path
from typing import Optional

import numpy as np
import pandas as pd

from .io import PathLike, open_run


def _rows(path: Path) -> list[list[str]]:
    """CSV rows, fields trimmed, without blank lines and `#` comment lines (as the engine)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        lines = [line for line in f if line.strip() and not line.strip().startswith("#")]
    return [[field.strip() for field in row] for row in csv.reader(lines) if row and any(row)]


def _day(text: str, start: dt.date) -> int:
    return (dt.date.fromisoformat(text) - start).days


def _series(path: Path, start: dt.date) -> list[list[float]]:
    points = []
    for i, row in enumerate(_rows(path)):
        if i == 0 and row[0] in ("Date", "DateTime"):
            continue
        if len(row) < 2 or row[1] == "":
            continue
        points.append([_day(row[0], start), float(row[1])])
    return points


def _added(files: list[list[list[float]]]) -> list[list[float]]:
    """Files of one layout row added on the union of their dates (latest value of each)."""
    days = sorted({p[0] for f in files for p in f})
    out = []
    for d in days:
        total = 0.0
        for f in files:
            before = [v for day, v in f if day <= d]
            total += before[-1] if before else 0.0
        out.append([d, total])
    return out


def _interpolate(points: list[list[float]], days: int) -> np.ndarray:
    out = np.zeros(days, dtype=np.int64)
    for t in range(days):
        if t <= points[0][0]:
            value = points[0][1]
        else:
            later = [i for i in range(1, len(points)) if points[i][0] > t]
            if not later:
                value = points[-1][1]
            else:
                (d0, v0), (d1, v1) = points[later[0] - 1], points[later[0]]
                value = v0 + (t - d0) / (d1 - d0) * (v1 - v0)
        out[t] = int(value)
    return out


def registration_points(layout: PathLike, corrections: Optional[PathLike], start_date: str,
                        hasten: int = 1) -> dict[str, list[list[float]]]:
    """Each camp's counts as [day, count] pairs (days from `start_date`), corrected and
    divided by `hasten`, before interpolation."""
    layout = Path(layout)
    start = dt.date.fromisoformat(start_date)
    camps: dict[str, list[list[float]]] = {}
    for row in _rows(layout):
        if row[0] == "total":
            continue
        files = [_series(layout.parent / name, start) for name in row[1:] if name]
        camps[row[0]] = files[0] if len(files) == 1 else _added(files)
    if corrections is not None and Path(corrections).is_file():
        for row in _rows(Path(corrections)):
            points, day = camps[row[0]], _day(row[1], start)
            at = next(i for i, p in enumerate(points) if p[0] == day)
            if day < 0 or at == 0:
                continue
            factor = points[at][1] / points[at - 1][1]
            for p in points[:at]:
                p[1] *= factor
    return {name: [[d, v / hasten] for d, v in points] for name, points in camps.items()}


def read_registrations(layout: PathLike, corrections: Optional[PathLike], start_date: str, days: int,
                       hasten: int = 1) -> pd.DataFrame:
    """Registered camp populations by day (rows 0..days-1, a column per camp in layout order),
    corrected and divided by `hasten` as Flee does (engine: migsim::read_registrations)."""
    points = registration_points(layout, corrections, start_date, hasten)
    return pd.DataFrame({name: _interpolate(p, days) for name, p in points.items()})


def _scenario_settings(ds) -> tuple[Path, dict]:
    """The scenario file the run came from and its `flee:` block, with the run's --set
    overrides of flee.* keys applied."""
    import yaml

    source = Path(str(ds.attrs.get("source", "")))
    path = source / "scenario.yml" if source.is_dir() else source
    text = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    flee = dict(text.get("flee") or {})
    base = path.parent
    if not flee and text.get("extends"):   # a variant: the settings are its parent's
        parent = (base / text["extends"]).resolve()
        parent = parent / "scenario.yml" if parent.is_dir() else parent
        flee, base = dict((yaml.safe_load(parent.read_text(encoding="utf-8")) or {}).get("flee") or {}), parent.parent
    for line in str(ds.attrs.get("overrides", "")).splitlines():
        key, _, value = line.partition("=")
        if key.startswith("flee."):
            flee[key[len("flee."):]] = yaml.safe_load(value)
    return base, flee


def _registration_source(path: PathLike, data_dir, corrections, hasten) -> tuple:
    """(layout, corrections, start_date, days, hasten) for a run, as validate-data finds them."""
    ds = open_run(path)
    start, days = str(ds.attrs["start_date"]), int(ds.attrs["days_requested"])
    if data_dir is not None:
        data_dir = Path(data_dir)
        if corrections is None:
            corrections = data_dir / ".." / "input_csv" / "registration_corrections.csv"
        if hasten is None:
            hasten = int(_scenario_settings(ds)[1].get("hasten", 1))
        return data_dir / "data_layout.csv", corrections, start, days, hasten
    base, flee = _scenario_settings(ds)
    if not flee.get("registrations"):
        raise ValueError(f"{path}: its scenario names no flee.registrations; give data_dir")
    fix = flee.get("registration_corrections")
    return (base / flee["registrations"], base / fix if fix else None, start, days,
            int(hasten or flee.get("hasten", 1)))


def registrations_of_run(path: PathLike, data_dir: Optional[PathLike] = None, *,
                         corrections: Optional[PathLike] = None, hasten: Optional[int] = None) -> pd.DataFrame:
    """The registrations a run is validated against: from `data_dir` (a source_data folder),
    or those named by the run's scenario (flee.registrations)."""
    return read_registrations(*_registration_source(path, data_dir, corrections, hasten))


def camp_populations(path: PathLike, camps) -> np.ndarray:
    """(replicate, camp, day) agents at each camp at the end of each day, camps by name."""
    ds = open_run(path)
    names = [str(n) for n in ds["location_name"].values]
    missing = [c for c in camps if c not in names]
    if missing:
        raise ValueError(f"{path}: has no location named {missing[0]!r} (a camp of the registrations)")
    pop = ds["location_population"].transpose("replicate", "location", "time").values
    return np.asarray(pop[:, [names.index(c) for c in camps], :], dtype=np.float64)


def ard(data: np.ndarray, sim: np.ndarray) -> dict:
    """Flee's ARD of one trajectory. `data`, `sim`: (camp, day); the days both have."""
    days = min(data.shape[1], sim.shape[1])
    data, sim = np.asarray(data[:, :days], float), np.asarray(sim[:, :days], float)
    registered, total = data.sum(axis=0), sim.sum(axis=0)
    scale = np.maximum(registered, 1.0)
    factor = np.divide(registered, total, out=np.zeros_like(total), where=total > 0)
    daily = np.abs(sim - data).sum(axis=0) / scale
    daily_rescaled = np.abs(sim * factor - data).sum(axis=0) / scale
    return {"ard": float(daily.mean()), "ard_rescaled": float(daily_rescaled.mean()),
            "daily": daily, "daily_rescaled": daily_rescaled,
            "camp_share": (np.abs(sim - data) / scale).mean(axis=1)}


def _spread(values) -> dict:
    v = np.asarray(values, float)
    return {"mean": float(v.mean()), "sd": float(v.std(ddof=1)) if v.size > 1 else 0.0,
            "min": float(v.min()), "q05": float(np.quantile(v, 0.05)), "q50": float(np.quantile(v, 0.5)),
            "q95": float(np.quantile(v, 0.95)), "max": float(v.max())}


def validate_data(path: PathLike, data_dir: Optional[PathLike] = None, *,
                  corrections: Optional[PathLike] = None, hasten: Optional[int] = None) -> dict:
    """The numbers of `migsim validate-data PATH [--data DATA_DIR] --format json`: per
    replicate ARD and rescaled ARD, their spread over replicates, the ARD of the ensemble-mean
    trajectory, and each camp's mean |error| share (averaged over replicates)."""
    data = registrations_of_run(path, data_dir, corrections=corrections, hasten=hasten)
    camps = list(data.columns)
    sim = camp_populations(path, camps)
    reg = data.to_numpy().T
    per = [ard(reg, s) for s in sim]
    mean = ard(reg, sim.mean(axis=0))
    days = min(reg.shape[1], sim.shape[2])
    return {"days": days, "camps": camps,
            "replicates": [{"ard": r["ard"], "ard_rescaled": r["ard_rescaled"]} for r in per],
            "ensemble": {"ard": _spread([r["ard"] for r in per]),
                         "ard_rescaled": _spread([r["ard_rescaled"] for r in per])},
            "ensemble_mean_trajectory": {"ard": mean["ard"], "ard_rescaled": mean["ard_rescaled"]},
            "camp_share": dict(zip(camps, np.mean([r["camp_share"] for r in per], axis=0).tolist()))}


def _file_name(camp: str) -> str:
    keep = "".join(c if c.isalnum() or c in "-_" else "_" for c in camp)
    return keep or "camp"


def plot_camps(path: PathLike, data_dir: Optional[PathLike], out_dir: PathLike, *,
               corrections: Optional[PathLike] = None, hasten: Optional[int] = None) -> list[Path]:
    """One PNG per camp in `out_dir`: the registrations (points on the days they were counted
    within the run, and the daily line interpolated from them), the ensemble mean of the run
    and its 5-95% band over replicates. Returns the files written."""
    import matplotlib

    if os.environ.get("MPLBACKEND") is None:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    layout, fix, start, n, factor = _registration_source(path, data_dir, corrections, hasten)
    data = read_registrations(layout, fix, start, n, factor)
    points = registration_points(layout, fix, start, factor)
    camps = list(data.columns)
    sim = camp_populations(path, camps)
    days = min(len(data), sim.shape[2])
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    t = np.arange(days)
    for c, camp in enumerate(camps):
        fig, ax = plt.subplots(figsize=(7, 4))
        line = data[camp].to_numpy()[:days]
        counted = [(d, v) for d, v in points[camp] if 0 <= d < days]
        ax.plot(t, line, color="black", lw=1, label="registrations (interpolated)")
        if counted:
            ax.plot(*zip(*counted), "o", color="black", ms=3, label="registrations (counted)")
        runs = sim[:, c, :days]
        ax.fill_between(t, np.quantile(runs, 0.05, axis=0), np.quantile(runs, 0.95, axis=0),
                        color="tab:blue", alpha=0.25, lw=0, label="simulated 5-95%")
        ax.plot(t, runs.mean(axis=0), color="tab:blue", lw=1.5, label="simulated mean")
        ax.set_title(camp)
        ax.set_xlabel("day")
        ax.set_ylabel("people in the camp")
        ax.legend(fontsize=8)
        fig.tight_layout()
        file = out / f"{_file_name(camp)}.png"
        fig.savefig(file, dpi=100)
        plt.close(fig)
        written.append(file)
    return written
