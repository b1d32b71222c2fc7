"""Observed targets of the Mediterranean scenario and the model's value for each, per replicate.

Shared by validate.py (the report) and calibrate.py (the fit). Reads targets.csv beside this
file; model values come from run files through the migsim package (tools/python).
"""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SCENARIO = HERE.parent
ROOT = SCENARIO.parent.parent
sys.path.insert(0, str(ROOT / "tools" / "python"))
import migsim  # noqa: E402

FIT_YEARS = (2019, 2020, 2021)
REPORT_YEARS = (2019, 2020, 2021, 2022)

# Routes as sets of borders (crossing points of the model's network).
ROUTES = {
    "WMed": ["morocco_spain_sea", "algeria_spain_sea", "ceuta_fence", "melilla_fence"],
    "Atlantic": ["morocco_atlantic_sea", "mauritania_sea", "senegal_sea"],
    "CMed": ["libya_sea", "libya_east_sea", "malta_sar", "tunisia_sea", "turkey_italy_sea"],
    "EMed": ["turkey_sea", "evros"],
}


@dataclass
class Target:
    name: str
    year: int
    observed: float
    series: str
    ids: list
    quality: str
    note: str


def load_targets(path: Path = HERE / "targets.csv") -> list:
    with open(path, newline="") as f:
        rows = [line for line in f if not line.startswith("#")]
    return [Target(r["target"], int(r["year"]), float(r["observed"]), r["series"], r["ids"].split(";"),
                   r["quality"], r["note"]) for r in csv.DictReader(rows)]


def binary() -> Path:
    value = Path(os.environ.get("MIGSIM_BIN", "build/release/tools/migsim/migsim"))
    return value if value.is_absolute() else ROOT / value


def run(scenario: Path, output: Path, replicates: int, seed: int = 1, days: int | None = None, sets=()) -> Path:
    """Runs an ensemble with the migsim binary (quietly) and returns the output path."""
    command = [str(binary()), "run", str(scenario), "-o", str(output), "-q", "--force", "--replicates", str(replicates),
               "--seed", str(seed)]
    if days:
        command += ["--days", str(days)]
    for s in sets:
        command += ["--set", s]
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return output


def yearly(ds, series: str, ids, year: int, months=None) -> np.ndarray:
    """Per replicate: `series` summed over `ids` and the days of `year` (optionally some months)."""
    da = ds[series]
    dim = [d for d in da.dims if d not in ("replicate", "time")][0]
    da = da.sel({dim: ids}).sum(dim)
    time = da["time"].to_index()
    mask = time.year == year
    if months is not None:
        mask &= time.month.isin(months)
    return da.isel(time=np.flatnonzero(mask)).sum("time").values.astype(float)


def route_value(ds, series: str, route: str, year: int, months=None) -> np.ndarray:
    return yearly(ds, series, ROUTES[route], year, months)


def model_values(ds, targets) -> dict:
    """{(target, year): per-replicate model values}, for the years the run covers."""
    years = set(ds["time"].to_index().year)
    return {(t.name, t.year): yearly(ds, t.series, t.ids, t.year) for t in targets if t.year in years}


def open_run(path: Path):
    return migsim.open_run(path)
