#!/usr/bin/env python3
"""Are the Ceuta and Melilla fences still sinks? Per year, from a run file of the Mediterranean
scenario (mean over its replicates): fence attempts and interceptions, Moroccan-side
interceptions (the intercepted_Morocco target), give-ups at Tangier and Nador (and how many of
them switched route instead of settling), replans by cause, and where those who planned again
after a fence went (route_switches out of the two fences, by the border of the new route).

    /usr/bin/python3 scenarios/mediterranean/calibration/validate.py --replicates 10 --out validation
    /usr/bin/python3 scenarios/mediterranean/calibration/fence_report.py validation/base.h5

README.md, "Behaviour (route plans)", quotes its output for the base of validate.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from targets import REPORT_YEARS, open_run, yearly

FENCES = ["ceuta_fence", "melilla_fence"]
MOROCCO = FENCES + ["morocco_spain_sea", "morocco_atlantic_sea"]


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ds = open_run(Path(argv[0]))
    print(f"{argv[0]}: {ds.sizes['replicate']} replicates (means)")
    print("year  fence_attempts  fence_interceptions  moroccan_interceptions  give_ups_tangier_nador  of_which_switched")
    for y in REPORT_YEARS:
        sw = yearly(ds, "give_ups_switch", ["tangier", "nador"], y).mean() if "give_ups_switch" in ds else np.nan
        print(f"{y}  {yearly(ds, 'border_attempts', FENCES, y).mean():14,.0f}  "
              f"{yearly(ds, 'border_interceptions', FENCES, y).mean():19,.0f}  "
              f"{yearly(ds, 'border_interceptions', MOROCCO, y).mean():22,.0f}  "
              f"{yearly(ds, 'give_ups', ['tangier', 'nador'], y).mean():22,.0f}  {sw:17,.0f}")
    total = lambda s, ids: sum(yearly(ds, s, ids, y).mean() for y in REPORT_YEARS)   # noqa: E731
    print(f"2019-2022: fence attempts {total('border_attempts', FENCES):,.0f}, fence interceptions "
          f"{total('border_interceptions', FENCES):,.0f}, give-ups at Tangier and Nador "
          f"{total('give_ups', ['tangier', 'nador']):,.0f}")
    if "replans" in ds:
        da = ds["replans"].sum("time").mean("replicate")
        dim = [d for d in da.dims][0]
        print("replans by cause, 2019-2022: " + ", ".join(f"{c} {float(v):,.0f}" for c, v in zip(da[dim].values, da.values)))
    if "route_switches" in ds:
        da = ds["route_switches"].sum("time").mean("replicate")
        out = {}
        for label, v in zip(da["border_switch"].values, da.values):
            old, new = str(label).split(">", 1)
            if old in FENCES and float(v) > 0:
                out[new] = out.get(new, 0.0) + float(v)
        print("route switches away from a fence plan, 2019-2022, by the new route's border: " +
              ", ".join(f"{b} {v:,.0f}" for b, v in sorted(out.items(), key=lambda kv: -kv[1])[:8]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
