#!/usr/bin/env python3
"""Harm along the route (issue 9) in the Mediterranean scenario: exposure, harms and money per
year, and a what-if's change in harms by place. Used by validate.py (the "Harm along the route"
section of VALIDATION.md); also runs on its own:

    /usr/bin/python3 scenarios/mediterranean/calibration/harm_report.py RUN.h5 [--variant VARIANT.h5]

RUN.h5 and VARIANT.h5 are migsim run files with the same replicates and seeds. Prints the
exposure table (days spent per entry at each place: how hazards were sized), the yearly harm
table and, with --variant, the paired change of every harm series by place and for Libya as a
whole (`migsim compare --by place` gives the same per place; the Libya total is this report's).
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np

from targets import REPORT_YEARS, SCENARIO, open_run, yearly

sys.path.insert(0, str(SCENARIO.parent.parent / "tools" / "python"))
from migsim.compare import check_paired, paired_statistics  # noqa: E402

LIBYA = "LBY"
# Places whose exposure the harm table was sized on (Libya, and the desert towns before it).
EXPOSURE_PLACES = ["sabha", "kufra", "tripoli", "zuwara", "benghazi", "agadez", "gao", "tamanrasset"]
HARM_SERIES = [("abductions", "harm_abductions"), ("detentions (raids)", "harm_detentions"),
               ("trafficking entries", "harm_trafficking"), ("violence incidents", "harm_violence"),
               ("deaths while held", "harm_deaths"), ("sent home or back from detention", "harm_returns")]
# Libyan coast-guard returns after an interception are held this long (borders.csv libya_sea, malta_sar).


def _borders():
    with open(SCENARIO / "borders.csv", newline="") as f:
        rows = [line for line in f if line.strip() and not line.startswith("#")]
    return {r["id"]: r for r in csv.DictReader(rows)}


def _harms():
    with open(SCENARIO / "harms.csv", newline="") as f:
        rows = [line for line in f if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(rows))


def libya(ds):
    return [str(x) for x, c in zip(ds["location"].values, ds["location_country"].values) if str(c) == LIBYA]


def interception_returns(ds):
    """{border: (place people go back to, detention days)}: return_to, or the links' common origin."""
    out = {}
    for b, row in _borders().items():
        if row["return_to"]:
            place = row["return_to"]
        else:
            froms = {str(f) for f, lb in zip(ds["link_from"].values, ds["link_border"].values) if str(lb) == b}
            if len(froms) != 1:
                continue
            place = froms.pop()
        out[b] = (place, int(row["detention_days"] or 0))
    return out


def entering_links(ds, places):
    """Links into `places` from outside them."""
    return [str(l) for l, f, t in zip(ds["link"].values, ds["link_from"].values, ds["link_to"].values)
            if str(t) in places and str(f) not in places]


def exposure_rows(ds, year):
    """Per place: person-days present, of which detained after an interception (returns x days),
    entries (trips ending there plus interception returns) and days per entry (mean over replicates)."""
    returns = interception_returns(ds)
    rows = []
    for place in EXPOSURE_PLACES + ["Libya (all)"]:
        places = libya(ds) if place == "Libya (all)" else [place]
        days = yearly(ds, "location_population", places, year)
        inbound = entering_links(ds, places) if place == "Libya (all)" else \
            [str(l) for l, t in zip(ds["link"].values, ds["link_to"].values) if str(t) == place]
        entries = yearly(ds, "link_flow", inbound, year) if inbound else np.zeros_like(days)
        held_days = np.zeros_like(days)
        back = np.zeros_like(days)
        for b, (to, d) in returns.items():
            if to in places:
                n = yearly(ds, "border_interceptions", [b], year)
                held_days += n * d
                back += n
        if place != "Libya (all)":
            entries = entries + back
        waiting = days - held_days
        rows.append({"place": place, "year": year, "person_days": float(days.mean()),
                     "detained_after_interception_days": float(held_days.mean()),
                     "entries": float(entries.mean()),
                     "days_per_entry": float((days / np.maximum(entries, 1)).mean()),
                     "waiting_days_per_entry": float((waiting / np.maximum(entries, 1)).mean())})
    return rows


def _status(ds, name, year):
    da = ds["status_counts"].sel(status=name)
    time = da["time"].to_index()
    return da.isel(time=np.flatnonzero(time.year == year)).mean("time").values.astype(float)


def harm_rows(ds):
    """Per year, mean over replicates: harms in Libya and elsewhere, money paid, stocks in Libya."""
    places = libya(ds)
    others = [str(x) for x in ds["location"].values if str(x) not in places]
    returns = interception_returns(ds)
    raid_days = {h["location"]: int(h["days"]) for h in _harms() if h["harm"] == "detention" and not h["group"]}
    rows = []
    for year in [y for y in REPORT_YEARS if y in set(ds["time"].to_index().year)]:
        r = {"year": year, "entries_libya": float(yearly(ds, "link_flow", entering_links(ds, places), year).mean())}
        for label, series in HARM_SERIES:
            r[series] = float(yearly(ds, series, places, year).mean())
            r[series + "_elsewhere"] = float(yearly(ds, series, others, year).mean())
        r["ransom_paid"] = float(yearly(ds, "ransom_paid", places, year).mean())
        r["tolls_paid"] = float(yearly(ds, "tolls_paid", list(ds["link"].values), year).mean())
        r["bribes_paid"] = float(yearly(ds, "bribes_paid", list(ds["link"].values), year).mean())
        if "protection_paid" in ds:   # smugglers' protection money, out of their revenue
            r["protection_paid"] = float(yearly(ds, "protection_paid", list(ds["market"].values), year).mean())
        # Stocks: held and trafficked happen only in Libya (harms.csv), so the global counts are
        # Libya's. Detained in Libya (a stock by place is not written): Little's law on the flows,
        # coast-guard returns x their detention days plus raids x the place's days, over 365.
        r["held_stock"] = float(_status(ds, "held", year).mean())
        r["trafficked_stock"] = float(_status(ds, "trafficked", year).mean())
        coast = sum(yearly(ds, "border_interceptions", [b], year) * d for b, (to, d) in returns.items() if to in places)
        raids = sum(yearly(ds, "harm_detentions", [p], year) * raid_days.get(p, 0) for p in places)
        r["returns_libya"] = float(sum(yearly(ds, "border_interceptions", [b], year)
                                       for b, (to, d) in returns.items() if to in places).mean())
        r["detained_stock_returns"] = float((coast / 365).mean())
        r["detained_stock_raids"] = float((raids / 365).mean())
        rows.append(r)
    return rows


def journey_rows(table, libyan_places):
    """From a journey sample: of the people whose journey went through Libya, the share who
    suffered each harm at least once there or on the way (all, and by group)."""
    places = set(libyan_places)
    through = table[[bool(places.intersection(r)) for r in table["route_ids"]]]
    rows = []
    groups = list(table["group_id"].cat.categories) if "group_id" in table else []
    for label, part in [("everyone", through)] + [(g, through[through["group_id"] == g]) for g in groups]:
        if len(part) == 0:
            continue
        rows.append({"who": label, "journeys": len(part),
                     "abducted": float((part["abductions"] > 0).mean()),
                     "raid_detained": float((part["detentions"] > 0).mean()),
                     "held": float(((part["abductions"] > 0) | (part["detentions"] > 0)).mean()),
                     "trafficked": float((part["trafficking"] > 0).mean()),
                     "violence": float((part["violence"] > 0).mean()),
                     "intercepted": float((part["interceptions"] > 0).mean()),
                     "days_travelling": float(part["days_travelling"].median()),
                     "paid_armed_groups": float(part["paid_armed_groups"].median())})
    return rows


def whatif_rows(base, variant):
    """Paired change of each harm series, whole run, by Libyan place (and the Libya total)."""
    check_paired(base, variant)
    places = libya(base)
    rows = []
    years = sorted(set(base["time"].to_index().year))
    def total(ds, series, ids):
        return sum(yearly(ds, series, ids, y) for y in years)
    for label, series in HARM_SERIES[:5] + [("ransom paid (EUR)", "ransom_paid")]:
        for place in places + ["Libya"]:
            ids = places if place == "Libya" else [place]
            stats = paired_statistics(total(base, series, ids), total(variant, series, ids))
            if stats["base"] == 0 and stats["variant"] == 0:
                continue
            rows.append({"harm": label, "place": place, **stats})
    return rows


def journey_markdown(table, share, libyan_places):
    rows = journey_rows(table, libyan_places)
    lines = ["", f"The share a survey of migrants would measure, from the model's journey sample (`--journeys "
             f"{share:g}`, docs/JOURNEYS.md; all replicates, 2019-2022): of the sampled people whose route went "
             "through Libya, the share who were abducted, detained in a raid (held: either), trafficked, "
             "suffered violence or were intercepted at least once on their journey (detention after a "
             "coast-guard return follows an interception and is not counted as held here), and the median "
             "days travelling and money to armed groups. The reference has no survey to set beside it.", "",
             "| who | journeys | held | abducted | raid-detained | trafficked | violence | intercepted | median days travelling | median EUR to armed groups |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['who']} | {r['journeys']:,} | {r['held']:.1%} | {r['abducted']:.1%} | "
                     f"{r['raid_detained']:.1%} | {r['trafficked']:.1%} | {r['violence']:.1%} | "
                     f"{r['intercepted']:.1%} | {r['days_travelling']:.0f} | {r['paid_armed_groups']:,.0f} |")
    return lines


def markdown(base, variant=None, variant_name="", journeys=None, journey_share=0.0):
    lines = ["## Harm along the route", "",
             "What the reference says: UNODC 2022 paras 62-70 name the harms on the land routes, Libya above "
             "all (deprivation of liberty, extortion, trafficking in persons, physical and sexual violence; "
             "armed groups' passage fees in the Sahel; bribes at West African official crossings), and who "
             "commits them. **It gives no number**: no share, rate, amount or duration, and nothing by sex "
             "or age. `shared/reference/` holds no survey of migrants in Libya, so no survey share (such as "
             "the share of people held in Libya) can be a target. Every harm value in `harms.csv`, every "
             "bribe and toll in `links.csv` and every group share is an ASSUMPTION (README.md, \"Harm along "
             "the route\"); the figures below are the model's, checked only for consistency.", "",
             "Harms in Libya per year (mean of the replicates; events, not people: one person can be "
             "abducted twice). Entries: trips into Libya (`agadez_sabha`, `khartoum_kufra`, `cairo_benghazi`, "
             "`dhaka_benghazi`).", "",
             "| year | entries | abductions | raid detentions | trafficking entries | violence | deaths while held "
             "| sent home | ransom EUR | tolls EUR | bribes EUR | smugglers' protection EUR |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    rows = harm_rows(base)
    for r in rows:
        lines.append(f"| {r['year']} | {r['entries_libya']:,.0f} | {r['harm_abductions']:,.0f} | "
                     f"{r['harm_detentions']:,.0f} | {r['harm_trafficking']:,.0f} | {r['harm_violence']:,.0f} | "
                     f"{r['harm_deaths']:,.0f} | {r['harm_returns']:,.0f} | {r['ransom_paid']:,.0f} | "
                     f"{r['tolls_paid']:,.0f} | {r['bribes_paid']:,.0f} | {r.get('protection_paid', 0):,.0f} |")
    lines += ["", "Per entry into Libya: " + "; ".join(
        f"{r['year']} abducted {r['harm_abductions'] / max(r['entries_libya'], 1):.1%}, raid-detained "
        f"{r['harm_detentions'] / max(r['entries_libya'], 1):.1%}, trafficked "
        f"{r['harm_trafficking'] / max(r['entries_libya'], 1):.1%}" for r in rows) +
        ". Tolls, bribes and protection money are whole-network totals (West Africa, Niger, Libya); "
        "tolls, bribes and ransom come out of migrants' pockets, protection money out of smugglers' "
        "revenue (markets.csv `protection`): armed groups' income is ransom + tolls + protection.", "",
        "Mean stock in Libya (people at any time). Held and trafficked: `status_counts`. Detained: not "
        "written by place, so by Little's law from the flows: coast-guard returns to Libya x 60 days and "
        "raid detentions x their days, over 365. Consistency figure (research notes, section 2a): "
        "IOM Libya returns x 60 / 365 = 1,516 / 1,955 / 5,330 / 4,058 for 2019-2022.", "",
        "| year | held for ransom | trafficked | model coast-guard returns | detained after returns | "
        "detained after raids | returns x 60 / 365 from IOM |", "|---|---:|---:|---:|---:|---:|---:|"]
    reference = {2019: 9225, 2020: 11891, 2021: 32425, 2022: 24684}
    for r in rows:
        lines.append(f"| {r['year']} | {r['held_stock']:,.0f} | {r['trafficked_stock']:,.0f} | "
                     f"{r['returns_libya']:,.0f} | {r['detained_stock_returns']:,.0f} | "
                     f"{r['detained_stock_raids']:,.0f} | {reference[r['year']] * 60 / 365:,.0f} |")
    if journeys is not None and len(journeys):
        lines += journey_markdown(journeys, journey_share, libya(base))
    if variant is not None:
        lines += ["", f"What-if: `{variant_name}` against the base, same seeds, whole run, paired as "
                  "`migsim compare` computes it (difference and 95% interval over the replicates).", "",
                  "| harm | place | base | variant | difference (95% interval) | relative |",
                  "|---|---|---:|---:|---|---:|"]
        for r in whatif_rows(base, variant):
            rel = f"{r['relative']:+.1%}" if np.isfinite(r["relative"]) else "-"
            lines.append(f"| {r['harm']} | {r['place']} | {r['base']:,.0f} | {r['variant']:,.0f} | "
                         f"{r['difference']:,.0f} ({r['low']:,.0f} to {r['high']:,.0f}) | {rel} |")
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run", type=Path)
    parser.add_argument("--variant", type=Path)
    parser.add_argument("--exposure-year", type=int, default=2021)
    args = parser.parse_args(argv)
    ds = open_run(args.run)
    print("Exposure (mean over replicates):")
    for r in exposure_rows(ds, args.exposure_year):
        print(f"  {r['place']:>12} {r['year']}: {r['person_days']:>12,.0f} person-days, "
              f"{r['detained_after_interception_days']:>11,.0f} of them detained after interception, "
              f"{r['entries']:>9,.0f} entries, {r['days_per_entry']:5.1f} d/entry, "
              f"{r['waiting_days_per_entry']:5.1f} d/entry waiting")
    if (SCENARIO / "harms.csv").exists() and "harm_abductions" in ds:
        print("\n".join(markdown(ds, open_run(args.variant) if args.variant else None,
                                 args.variant.name if args.variant else "")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
