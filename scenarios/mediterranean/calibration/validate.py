#!/usr/bin/env python3
"""Validation report of the Mediterranean scenario: simulated vs observed for every target, and
the stylised facts the scenario must reproduce, each marked pass or fail.

    /usr/bin/python3 scenarios/mediterranean/calibration/validate.py [--replicates 10] [--out validation]

Runs (with the migsim binary, $MIGSIM_BIN or build/release/tools/migsim/migsim): the base
scenario, the `no-moroccan-patrol-2019` counterfactual, a pathway check and the `libya-crackdown`
what-if (for the harm section, harm_report.py), each an ensemble of --replicates seeds. Prints both tables, writes OUT/targets.csv and OUT/facts.csv, and with
--markdown FILE a report (scenarios/mediterranean/VALIDATION.md is made this way).
Years 2019-2021 are the fitted ones; 2022 is out of sample.
"""
from __future__ import annotations

import argparse
import csv
import math
import sys
import time
from pathlib import Path

import numpy as np

import harm_report
import migsim
from targets import (FIT_YEARS, ROUTES, SCENARIO, load_targets, model_values, open_run, route_value, run,
                     yearly)

PATHWAY_OPENS = 365          # the pathway check opens humanitarian visas on 2020-01-01
PATHWAY_PROFILE = "horn_sudan"
HARM_WHATIF = "libya-crackdown.yml"   # fewer and dearer departures from Libya: longer stays there
JOURNEY_SHARE = 0.05         # of the base's migrants, for the journey table (harm section)
# The borders Morocco polices (targets.csv, intercepted_Morocco).
MOROCCO_BORDERS = ["ceuta_fence", "melilla_fence", "morocco_spain_sea", "morocco_atlantic_sea"]


def target_rows(ds, targets):
    values = model_values(ds, targets)
    rows = []
    for t in targets:
        v = values.get((t.name, t.year))
        if v is None:
            continue
        mean = float(v.mean())
        low, high = np.quantile(v, [0.05, 0.95])
        ratio = mean / t.observed if t.observed > 0 else math.nan
        rows.append({"target": t.name, "year": t.year, "observed": t.observed, "mean": mean, "low": float(low),
                     "high": float(high), "relative_error": ratio - 1,
                     "log_ratio": math.log(ratio) if ratio > 0 else math.nan,
                     "fit": "yes" if t.year in FIT_YEARS else "no (out of sample)", "quality": t.quality})
    return rows


def malr(rows, years):
    logs = [abs(r["log_ratio"]) for r in rows if r["year"] in years and not math.isnan(r["log_ratio"])]
    return float(np.mean(logs)) if logs else math.nan


def fact(name, value, passed, expected, observed=""):
    return {"fact": name, "value": value, "expected": expected, "observed": observed,
            "result": "pass" if passed else "FAIL"}


def smuggler_share(ds, route, years):
    markets = [m for m, b in zip(ds["market"].values, ds["market_border"].values) if b in ROUTES[route]]
    seats = sum(yearly(ds, "market_seats", markets, y).mean() for y in years) if markets else 0.0
    attempts = sum(route_value(ds, "border_attempts", route, y).mean() for y in years)
    return seats / attempts if attempts else math.nan


def stylised_facts(base, counterfactual, pathway_base, pathway_open):
    facts = []
    # Central Mediterranean, Jan-Aug 2021: attempts per registered arrival.
    months = list(range(1, 9))
    attempts = route_value(base, "border_attempts", "CMed", 2021, months)
    arrivals = yearly(base, "arrivals", ["lampedusa", "sicily", "calabria", "malta"], 2021, months)
    ratio = float((attempts / arrivals).mean())
    facts.append(fact("CMed attempts / arrivals, Jan-Aug 2021", f"{ratio:.2f}", 1.7 <= ratio <= 2.5, "1.7 to 2.5",
                      "69,628 / 34,061 = 2.04 (UNODC)"))
    # Deaths per attempt.
    for route, low, high, observed in [("Atlantic", 0.04, 1.0, "at least 1 in 20 (UNODC); 4.8% derived"),
                                       ("CMed", 0.007, 0.02, "~1.0-1.2% derived")]:
        per = float((route_value(base, "border_deaths", route, 2021) / route_value(base, "border_attempts", route, 2021)).mean())
        expected = f">= {low:.0%}" if high >= 1 else f"{low:.1%} to {high:.0%}"
        facts.append(fact(f"{route} dead and missing per attempt, 2021", f"{per:.2%}", low <= per <= high, expected,
                          observed))
    # Smuggler use is lowest on the Western Mediterranean.
    shares = {route: smuggler_share(base, route, FIT_YEARS) for route in ROUTES}
    lowest = all(shares["WMed"] < shares[r] for r in ("Atlantic", "CMed", "EMed"))
    facts.append(fact("share of attempts with a smuggler: WMed lowest",
                      ", ".join(f"{r} {s:.0%}" for r, s in shares.items()), lowest, "WMed < Atlantic, CMed, EMed",
                      "UNODC para 60"))
    # Displacement after Morocco's September 2019 patrols, absent in the counterfactual.
    def displacement(ds):
        canaries = [float(yearly(ds, "arrivals", ["canaries"], y).mean()) for y in (2019, 2020)]
        mainland = [float(yearly(ds, "arrivals", ["algeciras", "almeria"], y).mean()) for y in (2019, 2020)]
        return canaries, mainland
    (c19, c20), (m19, m20) = displacement(base)
    shown = c20 >= 3 * c19 and m20 < m19
    facts.append(fact("Canaries 2020 >= 3 x 2019 while mainland sea arrivals fall",
                      f"Canaries {c19:,.0f} -> {c20:,.0f} (x{c20 / max(c19, 1):.1f}); mainland {m19:,.0f} -> {m20:,.0f}",
                      shown, "x3 or more; mainland down", "2,687 -> 23,023; 21,863 -> 16,610"))
    (k19, k20), (n19, n20) = displacement(counterfactual)
    absent = not (k20 >= 3 * k19 and n20 < n19)
    facts.append(fact("counterfactual without the 2019 patrols: no such displacement",
                      f"Canaries {k19:,.0f} -> {k20:,.0f} (x{k20 / max(k19, 1):.1f}); mainland {n19:,.0f} -> {n20:,.0f}",
                      absent, "not (x3 and mainland down)"))
    # Moroccan-side interceptions (fences, Strait/Alboran, Atlantic coast) within a factor 1.5 of
    # the Moroccan MoI's 'prevented' figures, 2019 and 2021 (fitted) and 2022 (out of sample).
    observed = {2019: 74000, 2021: 63121, 2022: 70781}
    values = {y: float(yearly(base, "border_interceptions", MOROCCO_BORDERS, y).mean()) for y in observed}
    ok = {y: observed[y] / 1.5 <= values[y] <= observed[y] * 1.5 for y in observed}
    facts.append(fact("Moroccan-side interceptions within a factor 1.5: 2019, 2021 (fitted), 2022 (out of sample)",
                      "; ".join(f"{y} {values[y]:,.0f} (x{values[y] / observed[y]:.2f}, {'pass' if ok[y] else 'FAIL'})"
                                for y in observed),
                      all(ok.values()), "each year 1/1.5 to 1.5 x observed",
                      "; ".join(f"{y} {v:,}" for y, v in observed.items()) + " (Moroccan MoI, claims)"))
    # A regular pathway for one profile halves its smuggler use in the following quarter.
    def seats(ds):
        da = ds["profile_seats"].sel(profile=PATHWAY_PROFILE)
        return da.isel(time=slice(PATHWAY_OPENS, PATHWAY_OPENS + 91)).sum("time").values.astype(float)
    before, after = seats(pathway_base), seats(pathway_open)
    cut = float(1 - after.mean() / before.mean()) if before.mean() > 0 else math.nan
    facts.append(fact(f"humanitarian visas for {PATHWAY_PROFILE}: smuggler seats in the next quarter",
                      f"{before.mean():,.0f} -> {after.mean():,.0f} (-{cut:.0%})", cut >= 0.5, "cut by half or more"))
    return facts


def print_table(rows, columns):
    widths = {c: max(len(c), *(len(format_cell(r[c])) for r in rows)) for c in columns}
    print("  ".join(c.rjust(widths[c]) for c in columns))
    for r in rows:
        print("  ".join(format_cell(r[c]).rjust(widths[c]) for c in columns))


def format_cell(x):
    if isinstance(x, float):
        if math.isnan(x):
            return "-"
        return f"{x:+.2f}" if abs(x) < 10 and x != round(x) else f"{x:,.0f}"
    return str(x)


def write_csv(path, rows):
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replicates", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("validation"))
    parser.add_argument("--base", type=Path, help="use this run file for the base instead of running it")
    parser.add_argument("--markdown", type=Path, help="also write the report as Markdown to this file")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    start = time.time()
    n, seed = args.replicates, args.seed
    # The base keeps a journey sample for the survey-like shares of the harm section.
    base_path = args.base or run(SCENARIO, args.out / "base.h5", n, seed, sets=[f"journey_sample={JOURNEY_SHARE}"])
    counterfactual_path = run(SCENARIO / "variants" / "no-moroccan-patrol-2019.yml", args.out / "no_patrol.h5", n,
                              seed, days=731)
    days = PATHWAY_OPENS + 91
    pathway_base_path = run(SCENARIO, args.out / "pathway_base.h5", n, seed, days=days)
    pathway_open_path = run(Path(__file__).resolve().parent / "pathway-check.yml", args.out / "pathway_open.h5", n,
                            seed, days=days)
    harm_whatif_path = run(SCENARIO / "variants" / HARM_WHATIF, args.out / "harm_whatif.h5", n, seed)
    base = open_run(base_path)

    targets = load_targets()
    rows = target_rows(base, targets)
    facts = stylised_facts(base, open_run(counterfactual_path), open_run(pathway_base_path),
                           open_run(pathway_open_path))
    fit_malr, oos_malr = malr(rows, FIT_YEARS), malr(rows, (2022,))
    facts.append(fact("targets 2019-2021 within a factor 1.5 (mean absolute log ratio)", f"{fit_malr:.3f}",
                      fit_malr < 0.4, "below 0.4 (= log 1.5)"))
    write_csv(args.out / "targets.csv", rows)
    write_csv(args.out / "facts.csv", facts)

    print(f"Mediterranean scenario: {n} replicates (seeds {seed}..{seed + n - 1}), {time.time() - start:.0f} s\n")
    print_table(rows, ["target", "year", "observed", "mean", "low", "high", "relative_error", "fit"])
    print(f"\nmean absolute log ratio: 2019-2021 (fitted) {fit_malr:.3f}; 2022 (out of sample) {oos_malr:.3f}\n")
    for f in facts:
        print(f"[{f['result']:>4}] {f['fact']}: {f['value']} (expected {f['expected']})")
    if args.markdown:
        try:
            journeys = migsim.journeys(base_path)
        except KeyError:   # a --base file run without --journeys
            journeys = None
        harm_lines = harm_report.markdown(base, open_run(harm_whatif_path), HARM_WHATIF, journeys, JOURNEY_SHARE)
        write_markdown(args.markdown, rows, facts, fit_malr, oos_malr, n, seed, harm_lines)
    return 0 if all(f["result"] == "pass" for f in facts) else 1


def write_markdown(path, rows, facts, fit_malr, oos_malr, n, seed, harm_lines=()):
    lines = ["# Validation of the Mediterranean scenario", "",
             "Made by `/usr/bin/python3 scenarios/mediterranean/calibration/validate.py --markdown "
             "scenarios/mediterranean/VALIDATION.md`", f"({n} replicates, seeds {seed} to {seed + n - 1}). Observed "
             "values: `shared/reference/calibration_targets.csv` (see `calibration/targets.csv` for the mapping to "
             "model outputs). 2019-2021 were fitted by `calibration/calibrate.py`; 2022 is out of sample.", "",
             "## Stylised facts", "", "| | fact | model | expected | observed |", "|---|---|---|---|---|"]
    lines += [f"| {f['result']} | {f['fact']} | {f['value']} | {f['expected']} | {f['observed']} |" for f in facts]
    lines += ["", f"Mean absolute log ratio over the targets: **{fit_malr:.3f}** for 2019-2021 (fitted), "
              f"**{oos_malr:.3f}** for 2022 (out of sample).", "", "## Targets", "",
              "| target | year | observed | model mean | 90% interval | relative error | fitted |",
              "|---|---|---|---|---|---|---|"]
    lines += [f"| {r['target']} | {r['year']} | {r['observed']:,.0f} | {r['mean']:,.0f} | {r['low']:,.0f} - "
              f"{r['high']:,.0f} | {r['relative_error']:+.0%} | {r['fit']} |" for r in rows]
    if harm_lines:
        lines += [""] + list(harm_lines)
    Path(path).write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
