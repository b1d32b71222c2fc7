"""Diversion as a measured quantity (docs/BEHAVIOUR.md): when border A's patrol is raised, how
many of the irregular crossings it removes from A reappear on border B?

    diversion ratio = (extra irregular crossings on B) / (crossings removed on A)

both from the `border_crossings` series, summed over the run, base and variant paired by seed.

    python3 -m migsim.diversion scenarios/toy --from strait --to channel --patrol 0.9
    python3 -m migsim.diversion SCENARIO --from A --to B [--to B2 ...] --patrol V [--from-day D]
        [--days N] [--replicates R] [--seed S] [--set KEY=VALUE ...] [--hold]
        [--sweep KEY=V1,V2,... ...] [--out FOLDER] [--csv FILE]

In Python, from two files already written (paths or Datasets):

    from migsim.diversion import diversion
    result = diversion("base.h5", "variant.h5", "strait", ["channel"])
    result.summary          # one row per quantity: mean, 95% interval
    result.per_replicate    # one row per (replicate, quantity)
"""
from __future__ import annotations

import argparse
import itertools
import math
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd
import xarray as xr

from .compare import check_paired, pair_by_id, paired_statistics
from .io import RunLike, as_dataset

PROG = "python3 -m migsim.diversion"
REPO_ROOT = Path(__file__).resolve().parents[3]
SUMMARY_COLUMNS = ["quantity", "border", "mean", "low", "high", "replicates"]
TIDY_COLUMNS = ["replicate", "seed", "quantity", "border", "value"]


class DiversionError(ValueError):
    """Bad input or an undefined ratio: the message is one line, naming the bad value and what
    was expected (the command line prints it and exits 2)."""


class UndefinedRatio(DiversionError):
    """No crossings removed from A: the runs were fine, the ratio has no value (a sweep goes on
    to its other settings)."""


# ---- the measurement, from two files ----------------------------------------------------------

@dataclass
class Diversion:
    """What diversion() measured. `per_replicate`: TIDY_COLUMNS, one row per (replicate,
    quantity); `summary`: SUMMARY_COLUMNS, the mean over replicates with a 95% interval."""
    a: str
    bs: List[str]
    seeds: List[int]
    per_replicate: pd.DataFrame
    summary: pd.DataFrame
    notes: List[str] = field(default_factory=list)

    def ratio(self, b: Optional[str] = None) -> float:
        """The diversion ratio towards `b` (default: all the Bs together)."""
        quantity, border = ("ratio", b) if b is not None else ("ratio_all", "+".join(self.bs))
        row = self.summary[(self.summary.quantity == quantity) & (self.summary.border == border)]
        if row.empty:
            raise DiversionError(f"border '{b}' is not one of this measurement's Bs; expected one of: "
                                 f"{', '.join(self.bs)}")
        return float(row["mean"].iloc[0])


def _totals(ds: xr.Dataset, name: str) -> xr.DataArray:
    """A series summed over time (and any entity but border): per replicate (and border)."""
    da = ds[name].astype("float64")
    if "replicate" not in da.dims:   # a single run's file: one replicate
        da = da.expand_dims("replicate")
    return da.sum([d for d in da.dims if d not in ("replicate", "border")])


def check_borders(known: Sequence[str], a: str, bs: Sequence[str]) -> None:
    """Raises DiversionError unless A and every B are distinct borders among `known`."""
    expected = f"expected one of: {', '.join(known)}"
    if a not in known:
        raise DiversionError(f"border A '{a}' is not a border of the scenario ({expected})")
    if not bs:
        raise DiversionError(f"no border B given; {expected} other than {a}")
    for b in bs:
        if b not in known:
            raise DiversionError(f"border B '{b}' is not a border of the scenario ({expected})")
        if b == a:
            raise DiversionError(f"border B '{b}' is border A itself; expected a border other than {a}")
    if len(set(bs)) != len(bs):
        raise DiversionError(f"border B given twice in {', '.join(bs)}; expected each B once")


def _interval(values: np.ndarray) -> Tuple[float, float, float]:
    """Mean of per-replicate values and its 95% t interval (compare.py's statistics: the
    'difference' of zeros and the values)."""
    stats = paired_statistics(np.zeros(len(values)), values)
    return stats["difference"], stats["low"], stats["high"]


def _ratio_interval(extra: np.ndarray, removed: np.ndarray) -> Tuple[float, float, float]:
    """The ratio of the mean extra crossings to the mean removed ones, with a 95% interval by
    the delta method: the t interval of the linearised values (extra_r - R removed_r) / mean(
    removed), whose mean is 0. The ratio of means is used, not the mean of per-replicate ratios,
    because one replicate with few removed crossings would swing the latter."""
    mean_removed = math.fsum(removed) / len(removed)
    ratio = math.fsum(extra) / len(extra) / mean_removed
    _, low, high = _interval((extra - ratio * removed) / mean_removed)
    return ratio, ratio + low, ratio + high


def diversion(base: RunLike, variant: RunLike, a: str, bs: Sequence[str] | str) -> Diversion:
    """The diversion ratio from two run files (paths or Datasets) of the same scenario with the
    same seeds, the variant with border `a`'s patrol raised. `bs`: one border id or several.

    Quantities (per replicate, summed over every day both files hold; differences are
    variant - base except `crossings_removed`):
      crossings_removed (A): base - variant `border_crossings` on A
      extra_crossings (each B, and every other border): variant - base `border_crossings`
      ratio (each B): extra_crossings on B / crossings_removed
      ratio_all ("B1+B2"): the Bs' extra crossings together / crossings_removed
      stopped (A): crossings_removed - the extra crossings on every other border (journeys
        that crossed nowhere instead, within the run)
      interceptions (A), give_ups, sent_home, deaths, arrivals: the change in
        `border_interceptions` on A and in the totals of `give_ups`, `harm_returns`,
        `link_deaths`, `arrivals`.
    Raises DiversionError for unknown borders, A among the Bs, unpaired files, or when no
    crossings were removed from A (mean 0: the ratio is undefined)."""
    bs = [bs] if isinstance(bs, str) else list(bs)
    base_ds, variant_ds = as_dataset(base), as_dataset(variant)
    try:
        check_paired(base_ds, variant_ds)
        variant_ds = pair_by_id(base_ds, variant_ds, "border")
    except ValueError as e:
        raise DiversionError(str(e)) from None
    check_borders([str(x) for x in base_ds["border"].values], a, bs)
    days = min(base_ds.sizes["time"], variant_ds.sizes["time"])
    base_ds, variant_ds = base_ds.isel(time=slice(0, days)), variant_ds.isel(time=slice(0, days))

    cb, cv = _totals(base_ds, "border_crossings"), _totals(variant_ds, "border_crossings")
    removed = (cb - cv).sel(border=a).values
    if math.fsum(removed) == 0:
        raise UndefinedRatio(
            f"no crossings removed on border A '{a}' (base and variant both have "
            f"{cb.sel(border=a).values.mean():g} crossings on average): the diversion ratio is undefined; "
            f"expected a --patrol that changes {a}'s crossings (a higher value, an earlier --from-day, "
            f"or more days)")
    extra = cv - cb
    others = [str(x) for x in base_ds["border"].values if str(x) != a and str(x) not in bs]
    rows: List[Tuple[str, str, np.ndarray]] = [("crossings_removed", a, removed)]
    rows += [("extra_crossings", b, extra.sel(border=b).values) for b in bs]
    with np.errstate(divide="ignore", invalid="ignore"):
        rows += [("ratio", b, extra.sel(border=b).values / removed) for b in bs]
        to_bs = sum(extra.sel(border=b).values for b in bs)
        rows.append(("ratio_all", "+".join(bs), to_bs / removed))
    rows += [("extra_crossings", o, extra.sel(border=o).values) for o in others]
    rows.append(("stopped", a, removed - extra.drop_sel(border=a).sum("border").values))
    rows.append(("interceptions", a, (_totals(variant_ds, "border_interceptions")
                                       - _totals(base_ds, "border_interceptions")).sel(border=a).values))
    for quantity, series in (("give_ups", "give_ups"), ("sent_home", "harm_returns"),
                             ("deaths", "link_deaths"), ("arrivals", "arrivals")):
        if series in base_ds and series in variant_ds:   # files of an older migsim may lack one
            rows.append((quantity, "", (_totals(variant_ds, series) - _totals(base_ds, series)).values))

    seeds = [int(s) for s in np.atleast_1d(base_ds["seed"].values)]
    tidy = [{"replicate": r + 1, "seed": seed, "quantity": q, "border": border, "value": float(values[r])}
            for q, border, values in rows for r, seed in enumerate(seeds)]
    summary = []
    for q, border, values in rows:
        if q == "ratio":
            mean, low, high = _ratio_interval(extra.sel(border=border).values, removed)
        elif q == "ratio_all":
            mean, low, high = _ratio_interval(to_bs, removed)
        else:
            mean, low, high = _interval(values)
        summary.append({"quantity": q, "border": border, "mean": mean, "low": low, "high": high,
                        "replicates": len(seeds)})
    notes = []
    if math.fsum(removed) < 0:
        notes.append(f"crossings on {a} rose in the variant (the patrol was lowered?): the ratio "
                     f"then measures crossings drawn back from the Bs")
    return Diversion(a, bs, seeds, pd.DataFrame(tidy, columns=TIDY_COLUMNS),
                     pd.DataFrame(summary, columns=SUMMARY_COLUMNS), notes)


# ---- running the experiment -------------------------------------------------------------------

def find_binary() -> Path:
    """$MIGSIM_BIN (relative to the repository root) or build/release/tools/migsim/migsim, as the
    other tools find it (scenarios/mediterranean/calibration/targets.py)."""
    value = Path(os.environ.get("MIGSIM_BIN", "build/release/tools/migsim/migsim"))
    path = value if value.is_absolute() else REPO_ROOT / value
    if not (path.is_file() and os.access(path, os.X_OK)):
        raise DiversionError(f"migsim binary not found at {path}; expected it built there "
                             f"(cmake --build --preset release) or MIGSIM_BIN pointing at it")
    return path


def _migsim(*args) -> subprocess.CompletedProcess:
    """Runs the binary; its own one-line error becomes a DiversionError."""
    command = [str(find_binary()), *(str(a) for a in args)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        lines = [l for l in result.stderr.splitlines() if l.strip()]
        errors = [l for l in lines if "error:" in l] or lines[-1:] or [f"exit code {result.returncode}"]
        raise DiversionError(f"migsim {args[0]} failed: {errors[-1]}")
    return result


@dataclass
class Event:
    id: str
    day: int
    key: str      # TARGET.PARAMETER, e.g. border:strait.patrol
    value: str


# `migsim validate` lists every event as `event:ID  (event:N)  day D  TARGET.PARAMETER = VALUE`
_EVENT_LINE = re.compile(r"^\s*event:(\S+)\s+\(event:\d+\)\s+day\s+(\d+)\s+(\S+)\s*=\s*(\S+)\s*$")
_RUN_DAYS = re.compile(r"over (\d+) days from")


def scenario_events(scenario: str, sets: Sequence[str] = ()) -> Tuple[List[Event], Optional[int]]:
    """The scenario's events (every events file, a variant's included) and its run length, read
    from `migsim validate` (which also checks the --set values)."""
    args = ["validate", scenario]
    for s in sets:
        args += ["--set", s]
    out = _migsim(*args)
    text = out.stdout + "\n" + out.stderr
    events = [Event(m[1], int(m[2]), m[3], m[4]) for m in map(_EVENT_LINE.match, text.splitlines()) if m]
    days = _RUN_DAYS.search(text)
    return events, int(days.group(1)) if days else None


def scenario_borders(scenario: str, folder: Path) -> List[str]:
    """The scenario's border ids, from a one-day run (the file names them in the scenario's order)."""
    probe = folder / "probe.h5"
    _migsim("run", scenario, "--days", 1, "-q", "--force", "-o", probe)
    ds = as_dataset(probe)
    borders = [str(x) for x in ds["border"].values]
    ds.close()
    probe.unlink()
    return borders


def later_events(events: Sequence[Event], a: str, from_day: Optional[int]) -> List[Event]:
    """The scenario's events that set A's patrol after the shift and so undo it: any day for a
    whole-run --set (an event replaces an override from its day on), a day after D for the
    shift on day D (on day D itself the variant's event applies after the base's)."""
    key = f"border:{a}.patrol"
    return [e for e in events if e.key == key and (from_day is None or e.day > from_day)]


def _scenario_file(scenario: str) -> Path:
    path = Path(scenario).resolve()
    if path.is_dir():
        path = path / "scenario.yml"
    if not path.is_file():
        raise DiversionError(f"scenario '{scenario}' not found; expected a scenario folder or a .yml file")
    return path


def write_variant(folder: Path, scenario: str, a: str, patrol: float, from_day: int) -> Path:
    """A variant (docs/SCENARIOS.md) that extends the scenario and raises A's patrol on day D
    with an events file of its own: `events:` files are appended to the base's."""
    events = folder / "diversion-events.csv"
    events.write_text("id,day,target,parameter,value\n"
                      f"diversion_{a}_patrol_day_{from_day},{from_day},border:{a},patrol,{patrol!r}\n")
    variant = folder / "diversion-variant.yml"
    variant.write_text(f"# Written by {PROG}: border {a}'s patrol set to {patrol!r} from day {from_day}.\n"
                       f"extends: {_scenario_file(scenario)}\n"
                       f"name: diversion-{a}-{from_day}\n"
                       f"events: {events.name}\n")
    return variant


def _patrol_timeline(ds: xr.Dataset, a: str) -> Optional[str]:
    """A's patrol day by day as the file records it (policy_value), as 'V (days X-Y), ...';
    None when the file does not record it (no event or override touched it)."""
    key = f"border:{a}.patrol"
    if "policy_value" not in ds or key not in [str(p) for p in ds["policy"].values]:
        return None
    values = ds["policy_value"].sel(policy=key).values
    if values.ndim > 1:   # (replicate, time): the same policy in every replicate
        values = values[0]
    parts, start = [], 0
    for day in range(1, len(values) + 1):
        if day == len(values) or values[day] != values[start]:
            parts.append(f"{values[start]:g} (days {start}-{day - 1})")
            start = day
    return ", ".join(parts)


def _table_patrol(ds: xr.Dataset, a: str) -> Optional[str]:
    """A's patrol in the scenario's borders table (the file's resolved_scenario holds it)."""
    text = str(ds.attrs.get("resolved_scenario", ""))
    section = re.search(r"^# ---- [^\n]*borders[^\n]*\.csv\n(.*?)(?=^# ---- |\Z)", text, re.M | re.S)
    if not section:
        return None
    lines = [l for l in section.group(1).splitlines() if l.strip() and not l.startswith("#")]
    header = [c.strip() for c in lines[0].split(",")] if lines else []
    for line in lines[1:]:
        row = dict(zip(header, (c.strip() for c in line.split(","))))
        if row.get("id") == a and "patrol" in row:
            return f"{row['patrol']} (all the run)"
    return None


@dataclass
class Experiment:
    """One base/variant pair: what was asked, what migsim was told, and what came out."""
    result: Diversion
    scenario: str
    patrol: float
    from_day: Optional[int]
    sets: List[str]
    base_patrol: Optional[str]
    variant_patrol: Optional[str]
    warnings: List[str]
    migsim_notes: List[str]
    days: int


def run_experiment(scenario: str, a: str, bs: Sequence[str], patrol: float, *,
                   from_day: Optional[int] = None, days: Optional[int] = None,
                   replicates: int = 5, seed: Optional[int] = None, sets: Sequence[str] = (),
                   hold: bool = False, out: Path, borders: Optional[List[str]] = None) -> Experiment:
    """Runs base and variant ensembles (same seeds) into `out` and measures the diversion.
    `sets` go to both runs; the variant also gets A's patrol (a --set for the whole run, or a
    variant with an event on `from_day`). `hold`: also give the scenario's later events on A's
    patrol the new value, so that the shift lasts to the end."""
    out.mkdir(parents=True, exist_ok=True)
    common: List[object] = [x for s in sets for x in ("--set", s)]
    if days is not None:
        common += ["--days", days]
    if seed is not None:
        common += ["--seed", seed]
    common += ["--replicates", replicates, "-q", "--force"]
    events, run_days = scenario_events(scenario, sets)
    if days is not None:
        run_days = days
    if from_day is not None and run_days is not None and from_day >= run_days:
        raise DiversionError(f"--from-day {from_day}: the run has only {run_days} days; expected a day in "
                             f"[0, {run_days - 1}]")
    undo = later_events(events, a, from_day)
    warnings = []
    variant_args: List[object] = []
    if hold:
        variant_args += [x for e in undo for x in ("--set", f"event:{e.id}.value={patrol!r}")]
    for e in undo:
        warnings.append(f"the scenario's event {e.id} sets {e.key} to {e.value} on day {e.day}, after the "
                        f"shift: " + (f"--hold gives it {patrol!r} in the variant, so the shift lasts to the end"
                                      if hold else f"from then on the variant's {a} patrol is {e.value}, "
                                                   f"not {patrol!r} (give --hold to keep {patrol!r})"))
    if from_day is None:
        target = scenario
        variant_args += ["--set", f"border:{a}.patrol={patrol!r}"]
    else:
        target = str(write_variant(out, scenario, a, patrol, from_day))
    base_path, variant_path = out / "base.h5", out / "variant.h5"
    _migsim("run", scenario, "-o", base_path, *common)
    ran = _migsim("run", target, "-o", variant_path, *common, *variant_args)
    notes = [l for l in ran.stderr.splitlines() if "note:" in l or "warning:" in l]
    base_ds, variant_ds = as_dataset(base_path), as_dataset(variant_path)
    try:
        result = diversion(base_ds, variant_ds, a, bs)
        base_patrol = _patrol_timeline(base_ds, a) or _table_patrol(base_ds, a)
        variant_patrol = _patrol_timeline(variant_ds, a)
        n_days = int(base_ds.sizes["time"])
    finally:
        base_ds.close()
        variant_ds.close()
    return Experiment(result, scenario, patrol, from_day, list(sets), base_patrol, variant_patrol,
                      warnings + result.notes, notes, n_days)


# ---- the report -------------------------------------------------------------------------------

def _label(quantity: str, border: str, a: str, bs: Sequence[str]) -> str:
    if quantity == "extra_crossings":
        return "extra crossings on B" if border in bs else "extra crossings, other"
    return {"crossings_removed": "crossings removed on A",
            "ratio": "DIVERSION RATIO to B",
            "ratio_all": "DIVERSION RATIO, all Bs",
            "stopped": "stopped (removed - diverted)",
            "interceptions": "change in interceptions",
            "give_ups": "change in give-ups",
            "sent_home": "change in sent home",
            "deaths": "change in deaths",
            "arrivals": "change in arrivals"}[quantity]


def _number(value: float, ratio: bool) -> str:
    if math.isnan(value):
        return "nan"
    return f"{value:.3f}" if ratio else f"{value:.1f}"


def format_report(exp: Experiment) -> str:
    """The readable table: a header saying what ran, warnings, then one line per quantity."""
    r = exp.result
    when = f"from day {exp.from_day}" if exp.from_day is not None else "for the whole run"
    seeds = f"{r.seeds[0]}-{r.seeds[-1]}" if len(r.seeds) > 1 else str(r.seeds[0])
    lines = [f"diversion from {r.a} to {', '.join(r.bs)}: {r.a}'s patrol set to {exp.patrol:g} {when}",
             f"scenario {exp.scenario}, {exp.days} days, {len(r.seeds)} replicates (seeds {seeds}), "
             f"paired by seed" + (f"; on both runs: {' '.join(exp.sets)}" if exp.sets else ""),
             f"{r.a}'s patrol: base {exp.base_patrol or '?'}; variant {exp.variant_patrol or '?'}"]
    lines += [f"WARNING: {w}" for w in exp.warnings]
    lines += [f"  ({n.strip()})" for n in exp.migsim_notes]
    lines.append("")
    lines.append(f"{'quantity':<31}{'border':<16}{'mean':>10}  {'95% interval':<22}per replicate")
    for row in r.summary.itertuples():
        if row.quantity == "ratio_all" and len(r.bs) == 1:
            continue   # the same as the one B's ratio
        ratio = row.quantity.startswith("ratio")
        values = r.per_replicate[(r.per_replicate.quantity == row.quantity)
                                 & (r.per_replicate.border == row.border)]["value"]
        interval = f"[{_number(row.low, ratio)}, {_number(row.high, ratio)}]"
        per = " ".join(_number(v, ratio) if ratio else f"{v:.0f}" for v in values)
        lines.append(f"{_label(row.quantity, row.border, r.a, r.bs):<31}{row.border or '(all)':<16}"
                     f"{_number(row.mean, ratio):>10}  {interval:<22}{per}")
    lines.append("")
    lines.append("ratio = mean extra crossings on B / mean crossings removed on A (95% interval: delta "
                 "method); changes are variant - base, summed over the run; docs/BEHAVIOUR.md")
    return "\n".join(lines)


# ---- the sweep --------------------------------------------------------------------------------

def parse_sweep(specs: Sequence[str]) -> List[Tuple[str, List[str]]]:
    """`KEY=V1,V2,...` options as (KEY, [values])."""
    out = []
    for spec in specs:
        key, sep, values = spec.partition("=")
        parts = [v.strip() for v in values.split(",")]
        if not sep or not key.strip() or not all(parts):
            raise DiversionError(f"--sweep '{spec}': expected KEY=V1,V2,... (e.g. information_lag_days=7,60)")
        out.append((key.strip(), parts))
    return out


def settings(grid: Sequence[Tuple[str, List[str]]]) -> List[List[str]]:
    """Every combination of the sweep's values, as lists of KEY=VALUE (one empty setting
    without a sweep)."""
    keys = [k for k, _ in grid]
    return [[f"{k}={v}" for k, v in zip(keys, combo)] for combo in itertools.product(*(v for _, v in grid))]


def _folder_name(setting: Sequence[str]) -> str:
    return re.sub(r"[^A-Za-z0-9._=-]+", "_", "_".join(setting)) or "run"


def format_sweep(rows: Sequence[Tuple[List[str], Optional[Experiment]]]) -> str:
    """One line per setting: crossings removed from A, and the ratio to each B and to all
    ("undefined" where no crossings were removed)."""
    first = next(exp for _, exp in rows if exp is not None).result
    width = max(len(" ".join(setting)) for setting, _ in rows) + 2
    head = f"{'setting':<{width}}{'removed on A':>14}"
    names = [f"ratio {b}" for b in first.bs] + (["ratio all"] if len(first.bs) > 1 else [])
    head += "".join(f"  {n:<28}" for n in names)
    lines = [f"sweep: diversion from {first.a} to {', '.join(first.bs)} (mean [95% interval])", head.rstrip()]
    for setting, exp in rows:
        if exp is None:
            lines.append(f"{' '.join(setting):<{width}}{0:>14.1f}  undefined")
            continue
        s = exp.result.summary
        cells = [s[s.quantity == "crossings_removed"].iloc[0]]
        cells += [s[(s.quantity == "ratio") & (s.border == b)].iloc[0] for b in first.bs]
        if len(first.bs) > 1:
            cells.append(s[s.quantity == "ratio_all"].iloc[0])
        line = f"{' '.join(setting):<{width}}{cells[0]['mean']:>14.1f}"
        for c in cells[1:]:
            line += f"  {c['mean']:>7.3f} [{c['low']:.3f}, {c['high']:.3f}]".ljust(30)
        lines.append(line.rstrip())
    return "\n".join(lines)


def tidy_rows(rows: Sequence[Tuple[List[str], Optional[Experiment]]], keys: Sequence[str]) -> pd.DataFrame:
    """Every replicate's quantities of every setting: one row per (setting, replicate, quantity)."""
    frames = []
    for setting, exp in rows:
        if exp is None:
            continue
        frame = exp.result.per_replicate.copy()
        for i, (key, value) in enumerate(zip(keys, (s.partition("=")[2] for s in setting))):
            frame.insert(i, key, value)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


# ---- the command line -------------------------------------------------------------------------

class _Parser(argparse.ArgumentParser):
    def error(self, message):   # one line, not argparse's usage block
        self.exit(2, f"{PROG}: error: {message} (see --help)\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description="Diversion ratio: extra irregular crossings on border B per crossing "
                "removed from border A when A's patrol is raised, base and variant paired by seed "
                "(docs/BEHAVIOUR.md).")
    p.add_argument("scenario", help="scenario folder or .yml (scenario.yml or a variant)")
    p.add_argument("--from", dest="a", required=True, metavar="BORDER_A", help="the border whose patrol is raised")
    p.add_argument("--to", dest="bs", action="append", required=True, metavar="BORDER_B",
                   help="a border crossings may move to (repeatable)")
    p.add_argument("--patrol", required=True, metavar="VALUE", help="A's new patrol, absolute, in [0, 1]")
    p.add_argument("--from-day", type=int, metavar="D", help="raise the patrol on day D (default: the whole run)")
    p.add_argument("--days", type=int, metavar="N", help="days to simulate (default: the scenario's)")
    p.add_argument("--replicates", type=int, default=5, metavar="R", help="seeds per run (default 5)")
    p.add_argument("--seed", type=int, metavar="S", help="first seed (default: the scenario's)")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="parameter override for both runs (repeatable; keys: docs/SCENARIOS.md)")
    p.add_argument("--sweep", action="append", default=[], metavar="KEY=V1,V2,...",
                   help="run the experiment for each value (repeatable: a grid), on both runs")
    p.add_argument("--hold", action="store_true",
                   help="also give the scenario's later events on A's patrol the new value")
    p.add_argument("--out", metavar="FOLDER", help="keep the runs here (default: a temporary folder)")
    p.add_argument("--csv", metavar="FILE", help="write one row per (replicate, quantity)")
    return p


def _check_arguments(args) -> float:
    """The checks that need no run; returns the patrol as a number."""
    try:
        patrol = float(args.patrol)
    except ValueError:
        patrol = math.nan
    if not 0 <= patrol <= 1:   # also refuses nan
        raise DiversionError(f"--patrol '{args.patrol}': expected a patrol (probability) in [0, 1]")
    if args.from_day is not None and args.from_day < 0:
        raise DiversionError(f"--from-day {args.from_day}: expected a day >= 0")
    if args.days is not None and args.days < 1:
        raise DiversionError(f"--days {args.days}: expected a number of days >= 1")
    if args.replicates < 1:
        raise DiversionError(f"--replicates {args.replicates}: expected at least 1 (2 or more for an interval)")
    own = f"border:{args.a}.patrol"
    for s in args.sets + [k for k, _ in parse_sweep(args.sweep)]:
        key = s.partition("=")[0].strip()
        if "=" not in s and s in args.sets:
            raise DiversionError(f"--set '{s}': expected KEY=VALUE (keys: docs/SCENARIOS.md)")
        if key == own:
            raise DiversionError(f"'{s}' sets A's patrol on both runs; expected A's new patrol in --patrol only")
    _scenario_file(args.scenario)
    # checked now, not after the runs it would have wasted
    if args.csv and not Path(args.csv).resolve().parent.is_dir():
        raise DiversionError(f"--csv '{args.csv}': its folder does not exist; expected a file in an existing folder")
    return patrol


def _run(args) -> int:
    patrol = _check_arguments(args)
    grid = parse_sweep(args.sweep)
    with tempfile.TemporaryDirectory(prefix="diversion-") as scratch:
        out = Path(args.out) if args.out else Path(scratch)
        out.mkdir(parents=True, exist_ok=True)
        check_borders(scenario_borders(args.scenario, out), args.a, args.bs)
        rows = []
        for setting in settings(grid):
            folder = out / _folder_name(setting) if grid else out
            if grid:
                print(f"== {' '.join(setting)}")
            try:
                exp = run_experiment(args.scenario, args.a, args.bs, patrol, from_day=args.from_day,
                                     days=args.days, replicates=args.replicates, seed=args.seed,
                                     sets=args.sets + setting, hold=args.hold, out=folder)
            except UndefinedRatio as e:
                if not grid:
                    raise
                print(f"ratio undefined: {e}\n", flush=True)   # one setting; the others may have one
                rows.append((setting, None))
                continue
            print(format_report(exp) + "\n", flush=True)
            rows.append((setting, exp))
        if grid and all(exp is None for _, exp in rows):
            raise UndefinedRatio("no setting of the sweep removed crossings from A: every ratio is undefined; "
                                 "expected a --patrol that changes A's crossings")
        if grid:
            print(format_sweep(rows))
        if args.csv:
            tidy_rows(rows, [k for k, _ in grid]).to_csv(args.csv, index=False)
            print(f"wrote {args.csv}", file=sys.stderr)
        if args.out:
            print(f"runs kept in {out}", file=sys.stderr)
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except DiversionError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    except (OSError, KeyError) as e:   # a file that cannot be written or read: one line, no traceback
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
