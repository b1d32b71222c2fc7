#!/usr/bin/env python3
"""The flat-demand scenario: the calibrated Mediterranean with West African demand in 2020-2022
held at its 2019 level, to tell what Morocco's 2019 patrols do to the Canaries from what the
fitted demand does (VARIANTS.md, "The 2019 Moroccan patrol's effect on the Canaries").

    /usr/bin/python3 scenarios/mediterranean/calibration/flat_demand.py

Writes, in calibration/flat_demand/ (the files are committed; rerun after a new calibration):
  * flat_west_african_demand.csv: calibration/fitted_demand.csv with every row of the West
    African origins (the `atlantic` demand group of calibrate.py: Dakar, Bamako, Conakry,
    Abidjan, Niamey) in 2020-2022 given the count of the same origin, profile and month of 2019
    (2020's 29 February falls on the same row: rows are monthly). Every other row is unchanged;
  * scenario.yml: ../../scenario.yml with that demand table (a variant cannot replace a table,
    so the base's settings are copied and its table paths made relative to this folder);
  * no-moroccan-patrol-2019.yml: the counterfactual of ../../variants/ on that scenario.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SCENARIO = HERE.parent
OUT = HERE / "flat_demand"
WEST_AFRICAN = {"dakar", "bamako", "conakry", "abidjan", "niamey"}
YEAR_START = {2019: 0, 2020: 365, 2021: 731, 2022: 1096}


def month_key(day: int) -> tuple:
    """(year, month index within the year) of a monthly demand row's first day."""
    year = max(y for y, start in YEAR_START.items() if day >= start)
    return year, day - YEAR_START[year]


def main() -> int:
    OUT.mkdir(exist_ok=True)
    with open(HERE / "fitted_demand.csv", newline="") as f:
        rows = list(csv.DictReader(line for line in f if not line.lstrip().startswith("#")))
    # 2019's count per (origin, profile, offset of the month in its year); offsets differ by a
    # day in 2020 (leap year) from March on, so months are matched by their order in the year.
    months = {}
    for r in rows:
        year, _ = month_key(int(r["day"]))
        months.setdefault((r["origin"], r["profile"], year), []).append(r)
    flat = []
    for r in rows:
        year, _ = month_key(int(r["day"]))
        if r["origin"] in WEST_AFRICAN and year > 2019:
            same = months[(r["origin"], r["profile"], year)]
            first = months[(r["origin"], r["profile"], 2019)]
            r = dict(r, count=first[same.index(r)]["count"])
        flat.append(r)
    with open(OUT / "flat_west_african_demand.csv", "w", newline="") as f:
        f.write("# Written by calibration/flat_demand.py: fitted_demand.csv with West African demand "
                "in 2020-2022 held at its 2019 level (same month). Do not edit.\n")
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(flat)

    with open(SCENARIO / "scenario.yml") as f:
        base = yaml.safe_load(f)
    tables = {}
    for key, value in base["tables"].items():
        rel = lambda p: f"../../{p}"   # noqa: E731
        tables[key] = [rel(p) for p in value] if isinstance(value, list) else rel(value)
    tables["demand"] = "flat_west_african_demand.csv"
    base["tables"] = tables
    base["name"] = "mediterranean-flat-west-african-demand"
    base["description"] = ("The calibrated Mediterranean scenario with West African demand in 2020-2022 held at "
                           "its 2019 level (calibration/flat_demand.py).")
    with open(OUT / "scenario.yml", "w") as f:
        f.write("# Written by calibration/flat_demand.py from ../../scenario.yml: the same scenario with West\n"
                "# African demand in 2020-2022 held at its 2019 level. Do not edit; rerun the script.\n")
        yaml.safe_dump(base, f, sort_keys=False, width=100)
    (OUT / "no-moroccan-patrol-2019.yml").write_text(
        "# Written by calibration/flat_demand.py: the no-moroccan-patrol-2019 counterfactual\n"
        "# (../../variants/no-moroccan-patrol-2019.yml) on the flat-demand scenario. Do not edit.\n"
        "extends: scenario.yml\n"
        "name: mediterranean-flat-west-african-demand-no-moroccan-patrol-2019\n"
        "events: ../../variants/no-moroccan-patrol-2019-events.csv\n")
    total = lambda rs: sum(int(r["count"]) for r in rs if r["origin"] in WEST_AFRICAN)   # noqa: E731
    print(f"West African demand: fitted {total(rows):,}, flat {total(flat):,}; wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
