#!/usr/bin/python3
"""The README figure docs/figures/patrol_shift.png: monthly irregular arrivals to the Canaries
and to mainland Spain, base Mediterranean scenario vs the patrol-shift-atlantic variant, mean
and 5-95% band of an ensemble paired by seed. Rerun it (from the repository root) with:

    /usr/bin/python3 tools/figures/make_readme_figure.py

It runs both scenarios with the binary (5 replicates, the full 2019-2022 run: about 30 s per
ensemble on 2 cores), draws the figure with the migsim package and prints the paired
comparison of the arrivals it shows. Options: --replicates N, --days N, --seed N,
--bin PATH (default $MIGSIM_BIN or build/release/tools/migsim/migsim), --output PNG,
--workdir DIR (keep the two .h5 files there instead of a temporary folder).
Needs Debian's python3-matplotlib, python3-xarray, python3-h5py, python3-pandas, python3-scipy.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools" / "python"))

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import migsim  # noqa: E402

BASE = ROOT / "scenarios" / "mediterranean"
VARIANT = BASE / "variants" / "patrol-shift-atlantic.yml"
DIVERGE = pd.Timestamp("2019-09-01")   # day 243: the variant's first event
PANELS = [("The Canaries (Atlantic route)", ["canaries"]),
          ("Mainland Spain: Algeciras + Almería (Strait, Alboran, Algeria)", ["algeciras", "almeria"])]
COLOURS = {"base": "#4c72b0", "variant": "#dd8452"}


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replicates", type=int, default=5, help="seeds per ensemble (default 5)")
    parser.add_argument("--days", type=int, default=None, help="days (default: the scenario's 1,461)")
    parser.add_argument("--seed", type=int, default=1, help="first seed (default 1)")
    default_bin = os.environ.get("MIGSIM_BIN", "build/release/tools/migsim/migsim")
    parser.add_argument("--bin", default=default_bin, help=f"migsim binary (default {default_bin})")
    parser.add_argument("--output", default="docs/figures/patrol_shift.png", help="the PNG to write")
    parser.add_argument("--workdir", default=None, help="keep the .h5 files here (default: a temporary folder)")
    return parser.parse_args()


def from_root(path: str) -> Path:
    p = Path(path).expanduser()
    return p if p.is_absolute() else ROOT / p


def run(binary: Path, scenario: Path, output: Path, args: argparse.Namespace) -> None:
    command = [str(binary), "run", str(scenario), "-o", str(output), "-q",
               "--seed", str(args.seed), "--replicates", str(args.replicates)]
    if args.days is not None:
        command += ["--days", str(args.days)]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} exited with {result.returncode}:\n{result.stderr}")
    print(f"{scenario.relative_to(ROOT)}: {args.replicates} replicates in {time.perf_counter() - started:.1f} s")


def draw(base, variant, output: Path) -> None:
    n = migsim.replicates(base)
    fig, axes = plt.subplots(2, 1, figsize=(10, 7.5), sharex=True, constrained_layout=True)
    for ax, (title, locations) in zip(axes, PANELS):
        for ds, key, label in ((base, "base", "base: Morocco reinforces its northern coast (Sept 2019)"),
                               (variant, "variant", "variant: the reinforcement goes to the Atlantic coast")):
            migsim.plot_series(ds, "arrivals", select=locations, freq="MS", ax=ax)
            line = ax.lines[-1]
            line.set_label(label)
            line.set_color(COLOURS[key])
            line.set_linewidth(2)
            ax.collections[-1].set_color(COLOURS[key])   # the 5-95% band drawn with it
        ax.axvline(DIVERGE, color="black", linestyle=":", linewidth=1)
        ax.set_title("")   # plot_series' own title (scenario and band)
        ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
        ax.set_ylabel("irregular arrivals per month")
        ax.set_xlabel("")
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
    axes[0].annotate("1 Sept 2019: the policies diverge", xy=(DIVERGE, axes[0].get_ylim()[1] * 0.93),
                     xytext=(6, 0), textcoords="offset points", fontsize=9, va="top")
    axes[1].legend(loc="upper left", fontsize=9, framealpha=0.9)
    axes[1].xaxis.set_major_locator(mdates.YearLocator())
    axes[1].xaxis.set_minor_locator(mdates.MonthLocator(bymonth=(4, 7, 10)))
    axes[1].xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    fig.suptitle("What if Morocco's 2019 patrol reinforcement had gone to the Atlantic coast?",
                 fontsize=14, fontweight="bold")
    fig.text(0.5, -0.01,
             f"migsim, scenarios/mediterranean, {migsim.dates(base)[0]:%b %Y} to {migsim.dates(base)[-1]:%b %Y}. "
             f"Lines: mean of {n} replicates; bands: 5-95% of the replicates. Both runs use the same seeds "
             f"(paired).", ha="center", va="top", fontsize=8.5, color="dimgray")
    output.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(output, dpi=120, bbox_inches="tight", facecolor="white")
    plt.close(fig)


def check_same_base(base, variant) -> None:
    """Refuses two runs whose shared base files differ (the scenario was edited between the
    runs): their difference would not be the variant's alone."""
    def hashes(ds):
        return {os.path.normpath(path): digest for path, digest in migsim.input_hashes(ds).items()}

    b, v = hashes(base), hashes(variant)
    changed = sorted(p for p in b if v.get(p) != b[p])
    if changed:
        sys.exit("the base scenario's inputs differ between the two runs (edited while they ran?): "
                 + ", ".join(os.path.relpath(p, ROOT) for p in changed) + "; run the script again")


def report(base, variant) -> None:
    table = migsim.compare(base, variant, by="destination")
    print("paired difference (variant - base), mean and 95% interval over "
          f"{migsim.replicates(base)} replicates:")
    for _, locations in PANELS:
        for location in locations:
            row = table[(table.group == location) & (table.outcome == "arrivals")].iloc[0]
            print(f"  arrivals {location:<10} base {row.base:>9,.0f}  variant {row.variant:>9,.0f}  "
                  f"difference {row.difference:>+9,.0f}  [{row.low:+,.0f}, {row.high:+,.0f}]")


def main() -> None:
    args = arguments()
    binary, output = from_root(args.bin), from_root(args.output)
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        sys.exit(f"no migsim binary at {binary}: build it (cmake --preset release && "
                 f"cmake --build --preset release) or pass --bin")
    with tempfile.TemporaryDirectory(prefix="migsim-figure-") as temporary:
        folder = from_root(args.workdir) if args.workdir else Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        files = {"base": folder / "base.h5", "variant": folder / "patrol-shift.h5"}
        run(binary, BASE, files["base"], args)
        run(binary, VARIANT, files["variant"], args)
        base, variant = migsim.open_run(files["base"]), migsim.open_run(files["variant"])
    migsim.check_paired(base, variant)
    check_same_base(base, variant)
    draw(base, variant, output)
    report(base, variant)
    print(f"wrote {output}")


if __name__ == "__main__":
    main()
