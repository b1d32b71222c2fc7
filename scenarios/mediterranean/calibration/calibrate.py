#!/usr/bin/env python3
"""Fits the Mediterranean scenario's free parameters to the 2019-2021 targets.

    /usr/bin/python3 scenarios/mediterranean/calibration/calibrate.py [--iterations 8] [--replicates 10]
        [--weight-rounds 1 --search-replicates 3 --search-iterations 3]

Free parameters, one factor per year (2019, 2020, 2021; 2022 keeps the 2021 factor, so 2022
stays out of the fit and is an out-of-sample check):
  * demand: a multiplier per origin group on the prior demand (demand.csv), fitted to the
    targets of the group's route (interceptions of its coast guard, Frontex crossings);
  * patrol: a multiplier per border group on the policy timeline's patrol (borders.csv and
    events.csv), fitted to interceptions (Libya, Tunisia, Turkey) or to arrivals past the
    border (Ceuta/Melilla fences, Evros, the Strait);
  * death risk: a multiplier per route on its sea links' death_risk, fitted to dead and missing.
Every factor stays within FACTOR_RANGE of its prior.
And one factor for the whole run per route-choice weight in WEIGHT_KNOBS (how much a profile
minds interception or death decides the split between routes, which demand cannot fix): with
--weight-rounds R, each knob in turn is tried at x0.67 and x1.5, each trial with a short demand
fit (--search-iterations, --search-replicates) from the current factors, and a trial is kept
if it lowers the error; then the demand is fitted again with --iterations and --replicates. Each iteration runs an ensemble (--replicates seeds from --seed) of 2019-2021 with the current
factors and moves every factor towards its target by a damped multiplicative step
(factor *= (observed / model) ** step). Deterministic: same inputs, same seeds, same result.
Writes calibration/fitted_demand.csv, calibration/fitted_events.csv (which scenario.yml reads)
and calibration/fit_log.csv (every iteration's factors and error).
"""
from __future__ import annotations

import argparse
import csv
import math
import sys
import tempfile
from pathlib import Path

import numpy as np
import yaml

from targets import FIT_YEARS, HERE, ROUTES, SCENARIO, load_targets, open_run, run, yearly

YEAR_START = {2019: 0, 2020: 365, 2021: 731, 2022: 1096}

# Origin groups: the prior demand rows of these origins scale together, fitted to the targets
# of the route their migrants mostly take: the step moves the factor by the geometric mean of
# observed / model over those targets (a least-squares fit in log space), so that no single
# figure (Frontex's Eastern Mediterranean total includes Cyprus, which the model lacks) pulls
# the group alone. Central Mediterranean: departures from Tunisia are mostly Tunisians, those
# from Libya largely Egyptians and Bangladeshis; each group is fitted to its coast guard's
# interceptions, which tell the two coasts apart (fitted to the route's crossings as well, the
# two pulled against each other). Khartoum (horn_sudan) keeps its prior demand: fitted with the
# Libyan group it grew fivefold, far above the Sudanese and Eritreans who reached Italy.
DEMAND_GROUPS = {
    "eastern": (["gaziantep"], ["frontex_EMed", "arrivals_Greece_sea", "arrivals_Greece_land", "intercepted_Turkey"]),
    "tunisia": (["tunis"], ["intercepted_Tunisia"]),
    "libya": (["cairo", "dhaka"], ["intercepted_Libya"]),
    "western": (["casablanca", "algiers"], ["frontex_WMed", "arrivals_Spain_mainland_sea", "intercepted_Morocco"]),
    "atlantic": (["dakar", "bamako", "conakry", "abidjan", "niamey"], ["frontex_WAfrica"]),
}

# Border groups: patrol factors, fitted to interceptions ("interceptions": the patrol rises
# when the model intercepts too few) or to arrivals past the border ("arrivals": it rises when
# too many get through).
PATROL_GROUPS = {
    "libya": (["libya_sea", "libya_east_sea", "malta_sar"], "intercepted_Libya", "interceptions"),
    "tunisia": (["tunisia_sea"], "intercepted_Tunisia", "interceptions"),
    "aegean": (["turkey_sea"], "intercepted_Turkey", "interceptions"),
    "evros": (["evros"], "arrivals_Greece_land", "arrivals"),
    "fences": (["ceuta_fence", "melilla_fence"], "arrivals_Ceuta_Melilla_land", "arrivals"),
    "strait": (["morocco_spain_sea"], "arrivals_Spain_mainland_sea", "arrivals"),
}

DEATH_GROUPS = {route: f"dead_missing_{route}" for route in ROUTES}

# Route-choice weights searched with --weight-rounds: (profile, parameter as in --set profile:ID.P).
WEIGHT_KNOBS = [("west_africa", "weight_death"), ("west_africa", "weight_interception"),
                ("north_africa", "weight_death"), ("north_africa", "weight_interception"),
                ("horn_sudan", "weight_interception"), ("bangladesh_via_libya", "weight_interception"),
                ("middle_east_asia", "weight_interception")]
WEIGHT_TRIALS = (0.67, 1.5)
WEIGHT_RANGE = (0.2, 5.0)

STEP = {"demand": 0.6, "patrol": 0.3, "death": 0.7}
# The prior demand (demand.csv) is a rough guess by route: factors may move it tenfold.
FACTOR_RANGE = (0.1, 10.0)
# Patrol factors are off by default: tried on, they pulled against the demand factors (more
# patrol, fewer crossings, more demand) and the fit oscillated (fit_log of 2026-11-28 in the
# issue note); the timeline's patrols, set from the observed interception shares, are kept.
FIT_PATROL = False
# Death-risk factors likewise: migrants see death risk, so raising the Atlantic's to match its
# dead and missing emptied the route (everyone turned to Morocco's north coast) instead.
FIT_DEATH_RISK = False   # no factor moves a prior value further than this
MAX_PATROL, MAX_DEATH_RISK = 0.9, 0.3


def read_csv(path: Path):
    with open(path, newline="") as f:
        lines = [line for line in f if not line.lstrip().startswith("#")]
    return list(csv.DictReader(lines))


def year_of(day: int) -> int:
    return max(y for y, start in YEAR_START.items() if day >= start)


def fit_year(year: int) -> int:
    return min(year, max(FIT_YEARS))   # 2022 keeps 2021's factor


class Factors:
    def __init__(self):
        self.values = {}

    def key(self, kind, group, year):
        return f"{kind}:{group}:{fit_year(year)}"

    def get(self, kind, group, year):
        return self.values.get(self.key(kind, group, year), 1.0)

    def scale(self, kind, group, year, ratio):
        if not (ratio > 0 and math.isfinite(ratio)):
            return
        k = self.key(kind, group, year)
        low, high = FACTOR_RANGE
        self.values[k] = min(high, max(low, self.values.get(k, 1.0) * ratio ** STEP[kind]))


def write_fitted(factors: Factors, folder: Path):
    """fitted_demand.csv and fitted_events.csv for the current factors."""
    demand = read_csv(SCENARIO / "demand.csv")
    group_of = {origin: g for g, (origins, _) in DEMAND_GROUPS.items() for origin in origins}
    with open(folder / "fitted_demand.csv", "w", newline="") as f:
        f.write("# Written by calibration/calibrate.py: demand.csv scaled by the fitted factors. Do not edit.\n")
        writer = csv.DictWriter(f, fieldnames=list(demand[0]))
        writer.writeheader()
        for row in demand:
            group = group_of.get(row["origin"])
            if group:
                row = dict(row, count=str(round(int(row["count"]) * factors.get("demand", group, year_of(int(row["day"]))))))
            writer.writerow(row)

    # Patrol: the policy timeline's value at each change day and year start, times the factor.
    borders = {r["id"]: float(r["patrol"]) for r in read_csv(SCENARIO / "borders.csv")}
    timeline = [r for r in read_csv(SCENARIO / "events.csv") if r["parameter"] == "patrol"]
    links = read_csv(SCENARIO / "links.csv")
    rows = []
    # Only fitted kinds are written: an unfitted event would reset a variant's own values.
    for group, (ids, _, _) in (PATROL_GROUPS.items() if FIT_PATROL else []):
        for border in ids:
            changes = sorted({int(r["day"]) for r in timeline if r["target"] == f"border:{border}"} |
                             set(YEAR_START.values()))
            for day in changes:
                value = borders[border]
                for r in timeline:
                    if r["target"] == f"border:{border}" and int(r["day"]) <= day:
                        value = float(r["value"])
                fitted = min(MAX_PATROL, value * factors.get("patrol", group, year_of(day)))
                rows.append((day, f"border:{border}", "patrol", f"{fitted:.4f}"))
    for route, borders_of_route in (ROUTES.items() if FIT_DEATH_RISK else []):
        for link in links:
            if link["border"] in borders_of_route and link["mode"] == "sea":
                for year, day in YEAR_START.items():
                    risk = min(MAX_DEATH_RISK, float(link["death_risk"]) * factors.get("death", route, year))
                    rows.append((day, f"link:{link['id']}", "death_risk", f"{risk:.5f}"))
    priors = prior_weights()
    for profile, parameter in WEIGHT_KNOBS:
        factor = factors.values.get(weight_key(profile, parameter), 1.0)
        if factor != 1.0:
            rows.append((0, f"profile:{profile}", parameter, f"{priors[profile, parameter] * factor:.4g}"))
    rows.sort(key=lambda r: r[0])
    with open(folder / "fitted_events.csv", "w", newline="") as f:
        f.write("# Written by calibration/calibrate.py: fitted route-choice weights, patrol and death risk. Do not edit.\n")
        f.write("day,target,parameter,value\n")
        for row in rows:
            f.write(",".join(map(str, row)) + "\n")


def weight_key(profile: str, parameter: str) -> str:
    return f"weight:{profile}.{parameter}"


def prior_weights() -> dict:
    """(profile, weight_X) -> the weight in scenario.yml."""
    with open(SCENARIO / "scenario.yml") as f:
        profiles = yaml.safe_load(f)["profiles"]
    return {(p["id"], f"weight_{name}"): float(value) for p in profiles for name, value in p["weights"].items()}


def observed(targets):
    return {(t.name, t.year): t.observed for t in targets}


def model(ds, targets, name, year):
    t = next((t for t in targets if t.name == name and t.year == year), None)
    return (float(yearly(ds, t.series, t.ids, year).mean()), t.observed) if t else (math.nan, math.nan)


def ratio(ds, targets, target, year, fewer=False):
    """observed / model for `target` in `year` (or the nearest year with a figure), kept within
    [1/5, 5] so that one poor iteration cannot throw a factor far off; inverted with `fewer`."""
    years = [t.year for t in targets if t.name == target and t.year in FIT_YEARS]
    if not years:
        return math.nan
    sim, obs = model(ds, targets, target, min(years, key=lambda y: abs(y - year)))
    r = obs / sim if sim > 0 else 5.0
    r = min(5.0, max(0.2, r))
    return 1 / r if fewer else r


def update(factors: Factors, ds, targets):
    for year in FIT_YEARS:
        for group, (_, names) in DEMAND_GROUPS.items():
            ratios = [r for r in (ratio(ds, targets, name, year) for name in names) if math.isfinite(r)]
            if ratios:
                factors.scale("demand", group, year, math.exp(np.mean(np.log(ratios))))
        if FIT_PATROL:
            for group, (_, target, kind) in PATROL_GROUPS.items():
                factors.scale("patrol", group, year, ratio(ds, targets, target, year, fewer=kind == "arrivals"))
        if FIT_DEATH_RISK:
            for route, target in DEATH_GROUPS.items():
                factors.scale("death", route, year, ratio(ds, targets, target, year))


def error(ds, targets):
    logs = []
    for t in targets:
        if t.year in FIT_YEARS:
            sim = float(yearly(ds, t.series, t.ids, t.year).mean())
            if sim > 0:
                logs.append(abs(math.log(sim / t.observed)))
    return float(np.mean(logs))


def fit_demand(factors: Factors, targets, iterations: int, replicates: int, seed: int, scratch: Path, log: list):
    """Damped demand (and patrol/death) steps from `factors`; returns (error, factors) of the
    best iteration. Every iteration is appended to `log`."""
    best = (math.inf, {})
    for iteration in range(iterations + 1):
        write_fitted(factors, HERE)
        ds = open_run(run(SCENARIO, scratch / "fit.h5", replicates, seed, days=YEAR_START[2022]))
        malr = error(ds, targets)
        if malr < best[0]:
            best = (malr, dict(factors.values))
        log.append({"stage": f"{len(log)}", "replicates": replicates, "malr_2019_2021": f"{malr:.4f}",
                    **{k: f"{v:.4f}" for k, v in sorted(factors.values.items())}})
        print(f"  demand iteration {iteration}: mean absolute log ratio {malr:.3f}", flush=True)
        if iteration < iterations:
            update(factors, ds, targets)
    factors.values = dict(best[1])
    return best[0]


def search_weights(factors: Factors, targets, args, scratch: Path, log: list) -> float:
    """Coordinate search over WEIGHT_KNOBS, each trial with a short demand fit."""
    best = fit_demand(factors, targets, args.search_iterations, args.search_replicates, args.seed, scratch, log)
    for round_ in range(args.weight_rounds):
        for profile, parameter in WEIGHT_KNOBS:
            key = weight_key(profile, parameter)
            for step in WEIGHT_TRIALS:
                trial = Factors()
                trial.values = dict(factors.values)
                low, high = WEIGHT_RANGE
                trial.values[key] = min(high, max(low, trial.values.get(key, 1.0) * step))
                print(f"round {round_ + 1}: {profile} {parameter} x{trial.values[key]:.3f}", flush=True)
                malr = fit_demand(trial, targets, args.search_iterations, args.search_replicates, args.seed, scratch, log)
                if malr < best:
                    best, factors.values = malr, trial.values
                    print(f"  kept ({malr:.3f})", flush=True)
                    break
    return best


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iterations", type=int, default=8, help="demand iterations of the final fit")
    parser.add_argument("--replicates", type=int, default=10, help="replicates of the final fit")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--weight-rounds", type=int, default=0, help="rounds of the route-choice weight search")
    parser.add_argument("--search-iterations", type=int, default=3, help="demand iterations per weight trial")
    parser.add_argument("--search-replicates", type=int, default=3, help="replicates per weight trial")
    parser.add_argument("--keep-weights", action="store_true",
                        help="start from the weight factors in fitted_events.csv (skip the search)")
    args = parser.parse_args(argv)
    targets = load_targets()
    factors = Factors()
    if args.keep_weights:
        factors.values.update(read_weight_factors())
    log = []
    with tempfile.TemporaryDirectory() as scratch:
        if args.weight_rounds:
            search_weights(factors, targets, args, Path(scratch), log)
        malr = fit_demand(factors, targets, args.iterations, args.replicates, args.seed, Path(scratch), log)
    # Keep the iteration that fitted best (the steps can overshoot): its files are written again.
    write_fitted(factors, HERE)
    print(f"kept the factors of error {malr:.3f}")
    columns = sorted({k for row in log for k in row},
                     key=lambda k: (k not in ("stage", "replicates", "malr_2019_2021"), k))
    with open(HERE / "fit_log.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(log)
    return 0


def read_weight_factors() -> dict:
    """The weight factors behind the profile rows of the current fitted_events.csv."""
    priors = prior_weights()
    out = {}
    for row in read_csv(HERE / "fitted_events.csv"):
        if row["target"].startswith("profile:"):
            profile = row["target"].split(":", 1)[1]
            out[weight_key(profile, row["parameter"])] = float(row["value"]) / priors[profile, row["parameter"]]
    return out


if __name__ == "__main__":
    sys.exit(main())
