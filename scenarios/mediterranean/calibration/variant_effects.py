#!/usr/bin/env python3
"""Effects of every what-if variant on the calibrated base, written to ../VARIANTS.md.

    /usr/bin/python3 scenarios/mediterranean/calibration/variant_effects.py [--replicates 3] [--canaries-replicates 10]

Runs the base and each variant in ../variants/ as an ensemble with the same seeds (1, 2, ...),
over the whole run, and compares them with the migsim package's paired comparison (what
`migsim compare` prints): for each outcome the base and variant means, the mean paired
difference with its 95% interval, and the relative change; then the ten borders whose
attempts changed most. About 40 s per scenario at 3 replicates on 2 cores.
Then the section "The 2019 Moroccan patrol's effect on the Canaries": the no-moroccan-patrol-2019
counterfactual against the base in 2020, with the fitted demand and with flat demand (West
African demand in 2020-2022 held at its 2019 level: calibration/flat_demand.py, rerun here
first), --canaries-replicates paired by seed, 2019-2020 only.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import flat_demand
from targets import HERE, ROUTES, SCENARIO, open_run, run, yearly

import migsim  # noqa: E402  (targets puts tools/python on the path)

VARIANTS = SCENARIO / "variants"
NO_PATROL = VARIANTS / "no-moroccan-patrol-2019.yml"


def number(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.1f}"


def table(frame, by: str | None, limit: int | None = None) -> list[str]:
    rows = frame
    if by is not None:
        rows = frame[frame["outcome"] == "attempts"].copy()
        rows["size"] = rows["difference"].abs()
        rows = rows.sort_values("size", ascending=False).head(limit)
    head = "| border | " if by else "| outcome | "
    lines = [head + "base | variant | difference (95% interval) | relative |", "|---|---:|---:|---|---:|"]
    for _, r in rows.iterrows():
        label = r["group"] if by else r["outcome"]
        relative = f"{r['relative']:+.1%}" if r["relative"] == r["relative"] else ""
        lines.append(f"| {label} | {number(r['base'])} | {number(r['variant'])} | "
                     f"{number(r['difference'])} ({number(r['low'])} to {number(r['high'])}) | {relative} |")
    return lines


# 2020 outcomes of the Canaries section: (label, series, ids) summed over the year.
CANARIES_OUTCOMES = [
    ("Canaries arrivals", "arrivals", ["canaries"]),
    ("Atlantic crossings (border_crossings)", "border_crossings", ROUTES["Atlantic"]),
    ("Western Med crossings (border_crossings)", "border_crossings", ROUTES["WMed"]),
    ("of which Strait and Alboran (morocco_spain_sea)", "border_crossings", ["morocco_spain_sea"]),
    ("mainland Spain sea arrivals", "arrivals", ["algeciras", "almeria"]),
    ("give-ups, all places", "give_ups", None),
    ("give-ups at Tangier and Nador", "give_ups", ["tangier", "nador"]),
]


def outcome_2020(ds, series: str, ids) -> "np.ndarray":
    if ids is None:
        dim = [d for d in ds[series].dims if d not in ("replicate", "time")][0]
        ids = list(ds[dim].values)
    return yearly(ds, series, ids, 2020)


def canaries_section(replicates: int, scratch: Path) -> list[str]:
    """The no-moroccan-patrol-2019 counterfactual against the base in 2020, with the fitted and
    with the flat West African demand, paired by seed (migsim.compare.paired_statistics)."""
    from migsim.compare import paired_statistics
    flat_demand.main()
    pairs = {"fitted demand": (SCENARIO, NO_PATROL),
             "flat demand": (flat_demand.OUT / "scenario.yml", flat_demand.OUT / "no-moroccan-patrol-2019.yml")}
    results = {}
    for label, (with_patrol, without) in pairs.items():
        key = label.split()[0]
        a = open_run(run(with_patrol, scratch / f"canaries_{key}_base.h5", replicates, days=731))
        b = open_run(run(without, scratch / f"canaries_{key}_no_patrol.h5", replicates, days=731))
        results[label] = [(name, paired_statistics(outcome_2020(a, s, ids), outcome_2020(b, s, ids)))
                          for name, s, ids in CANARIES_OUTCOMES]
    lines = ["## The 2019 Moroccan patrol's effect on the Canaries", "",
             f"`variants/no-moroccan-patrol-2019.yml` (no September 2019 reinforcement of the north coast and "
             f"the fences) against the base, in 2020, {replicates} replicates paired by seed (1 to {replicates}), "
             "runs of 2019-2020; difference = counterfactual - base with its 95% interval (t over the paired "
             "differences, as `migsim compare`), so the patrols' own effect is minus the difference. "
             "Twice: with the fitted demand (`calibration/fitted_demand.csv`), and with flat demand, West "
             "African demand (Dakar, Bamako, Conakry, Abidjan, Niamey) in 2020-2022 held at its 2019 level "
             "month by month (`calibration/flat_demand.py`, which writes `calibration/flat_demand/`), so that "
             "no rise of West African demand in 2020 adds to the Canaries.", ""]
    for label, rows in results.items():
        lines += [f"### {label.capitalize()}", "", "| 2020 | base (patrols) | no patrol | difference (95% interval) | relative |",
                  "|---|---:|---:|---|---:|"]
        for name, r in rows:
            relative = f"{r['relative']:+.1%}" if r["relative"] == r["relative"] else ""
            lines.append(f"| {name} | {number(r['base'])} | {number(r['variant'])} | {number(r['difference'])} "
                         f"({number(r['low'])} to {number(r['high'])}) | {relative} |")
        lines.append("")
    effect = {label: {name: r for name, r in rows} for label, rows in results.items()}
    f, g = effect["fitted demand"], effect["flat demand"]
    canaries, wmed, gu = "Canaries arrivals", "Western Med crossings (border_crossings)", "give-ups, all places"
    lines += [f"The patrols' effect on the Canaries in 2020 (base - counterfactual): {-f[canaries]['difference']:+,.0f} "
              f"arrivals ({-f[canaries]['high']:+,.0f} to {-f[canaries]['low']:+,.0f}) with the fitted demand, "
              f"{-g[canaries]['difference']:+,.0f} ({-g[canaries]['high']:+,.0f} to {-g[canaries]['low']:+,.0f}) with flat "
              f"demand: about the same number of people, but with flat demand it is "
              f"{g[canaries]['base'] / g[canaries]['variant'] - 1:+.0%} on what the Canaries would have had without "
              f"the patrols (fitted: {f[canaries]['base'] / f[canaries]['variant'] - 1:+.0%}). Western Med crossings: "
              f"{-f[wmed]['difference']:+,.0f} (fitted), {-g[wmed]['difference']:+,.0f} (flat); give-ups: "
              f"{-f[gu]['difference']:+,.0f} (fitted), {-g[gu]['difference']:+,.0f} (flat). For each crossing the patrols "
              f"remove from the Western Med, {-f[canaries]['difference'] / f[wmed]['difference']:.2f} (fitted) or "
              f"{-g[canaries]['difference'] / g[wmed]['difference']:.2f} (flat) more arrive in the Canaries: most of those "
              "turned back from the north coast wait, give up or settle rather than take the Atlantic. The flat "
              "demand holds West Africans at the fitted 2019 level, where the atlantic group's factor sits at its "
              "floor (0.1; README.md, \"Calibration and validation\"), so it is low.", ""]
    diversion = HERE / "diversion" / "north_to_atlantic.txt"
    if diversion.exists():
        lines += ["### Diversion ratio from the north coast to the Atlantic", "",
                  "The diversion ratio (docs/BEHAVIOUR.md) from the Moroccan north coast (`morocco_spain_sea`) to "
                  "the Atlantic (`morocco_atlantic_sea`, `mauritania_sea`, `senegal_sea`) when the north coast's "
                  "patrol is raised from 0.50 to 0.85 on 2019-09-01 (day 243), the scenario's own step, on the "
                  "counterfactual that lacks it (so the fences keep 0.93), 5 replicates, whole run. Made by "
                  "(its output, `calibration/diversion/north_to_atlantic.txt`, is copied here by this script; "
                  "rerun it after a new calibration):", "", "```sh",
                  "MIGSIM_BIN=build/release/tools/migsim/migsim PYTHONPATH=tools/python /usr/bin/python3 -m migsim.diversion "
                  "scenarios/mediterranean/variants/no-moroccan-patrol-2019.yml --from morocco_spain_sea "
                  "--to morocco_atlantic_sea --to mauritania_sea --to senegal_sea --patrol 0.85 --from-day 243 "
                  "--replicates 5 --csv scenarios/mediterranean/calibration/diversion/north_to_atlantic.csv "
                  "> scenarios/mediterranean/calibration/diversion/north_to_atlantic.txt", "```", "", "```",
                  *diversion.read_text().rstrip("\n").splitlines(), "```", ""]
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replicates", type=int, default=3)
    parser.add_argument("--canaries-replicates", type=int, default=10,
                        help="replicates of the section on the 2019 patrol's effect on the Canaries")
    parser.add_argument("--output", type=Path, default=SCENARIO / "VARIANTS.md")
    args = parser.parse_args(argv)
    out = ["# What-if variants: effects on the calibrated base", "",
           f"Made by `/usr/bin/python3 scenarios/mediterranean/calibration/variant_effects.py --replicates {args.replicates}`: "
           f"each variant against the base, {args.replicates} replicates paired by seed (1 to {args.replicates}), "
           "whole run 2019-2022, as `migsim compare` computes it (docs/COMPARE.md). What each variant asks: "
           "README.md, \"What-if variants\", and the comment at the top of its file.", ""]
    with tempfile.TemporaryDirectory() as scratch:
        base = open_run(run(SCENARIO, Path(scratch) / "base.h5", args.replicates))
        for variant in sorted(VARIANTS.glob("*.yml")):
            print(f"running {variant.name}", flush=True)
            ds = open_run(run(variant, Path(scratch) / f"{variant.stem}.h5", args.replicates))
            out += [f"## `{variant.name}`", "", *table(migsim.compare(base, ds), None), "",
                    "Borders whose attempts changed most:", "",
                    *table(migsim.compare(base, ds, by="border"), "border", 10), ""]
        print("running the Canaries section", flush=True)
        out += canaries_section(args.canaries_replicates, Path(scratch))
    args.output.write_text("\n".join(out))
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
