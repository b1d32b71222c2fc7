#!/usr/bin/env python3
"""Effects of every what-if variant on the calibrated base, written to ../VARIANTS.md.

    /usr/bin/python3 scenarios/mediterranean/calibration/variant_effects.py [--replicates 3]

Runs the base and each variant in ../variants/ as an ensemble with the same seeds (1, 2, ...),
over the whole run, and compares them with the migsim package's paired comparison (what
`migsim compare` prints): for each outcome the base and variant means, the mean paired
difference with its 95% interval, and the relative change; then the ten borders whose
attempts changed most. About 40 s per scenario at 3 replicates on 2 cores.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from targets import SCENARIO, open_run, run

import migsim  # noqa: E402  (targets puts tools/python on the path)

VARIANTS = SCENARIO / "variants"


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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replicates", type=int, default=3)
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
    args.output.write_text("\n".join(out))
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
