#!/usr/bin/env python3
"""The cost of the optional outputs: the journey table (--journeys SHARE) and the series split
by group (--by-group), as wall time of whole `migsim run`s against the same run without them.

    cmake --build --preset release --target migsim
    /usr/bin/python3 bench/journeys_bench.py [--threads 2] [--repeats 3] [--scale 200]

Journeys: the Mediterranean (948,283 agents, 1,461 days) with --journeys 0, 0.01 and 1.
By group: the Mediterranean (four groups) with --by-group, and the toy (four groups, harms,
tolls, bribes, two group classes in route choice) with its demand multiplied by --scale, with
and without --by-group. Each configuration runs
--repeats times, interleaved; the median wall time (the file's wall_time_s) is reported, and
the file size. See docs/PERFORMANCE.md ("Optional outputs").
"""
from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

import h5py

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "build" / "release" / "tools" / "migsim" / "migsim"


def scaled_toy(folder: Path, scale: int) -> Path:
    toy = folder / "toy_scaled"
    shutil.copytree(ROOT / "scenarios" / "toy", toy)
    demand = toy / "demand.csv"
    rows = list(csv.DictReader(demand.open()))
    with demand.open("w", newline="") as f:
        out = csv.DictWriter(f, fieldnames=list(rows[0]))
        out.writeheader()
        for row in rows:
            row["count"] = str(int(row["count"]) * scale)
            out.writerow(row)
    return toy


def run_once(scenario: Path, out: Path, threads: int, extra: list[str]) -> tuple[float, int]:
    subprocess.run([str(BIN), "run", str(scenario), "-o", str(out), "-q", "--force", "--threads", str(threads),
                    *extra], check=True)
    with h5py.File(out) as f:
        wall = float(f.attrs["wall_time_s"])
    return wall, out.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--scale", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        configs = [
            ("mediterranean", ROOT / "scenarios" / "mediterranean", []),
            ("mediterranean --journeys 0.01", ROOT / "scenarios" / "mediterranean", ["--journeys", "0.01"]),
            ("mediterranean --journeys 1", ROOT / "scenarios" / "mediterranean", ["--journeys", "1"]),
            ("mediterranean --by-group", ROOT / "scenarios" / "mediterranean", ["--by-group"]),
        ]
        toy = scaled_toy(folder, args.scale)
        configs += [(f"toy x{args.scale}", toy, []), (f"toy x{args.scale} --by-group", toy, ["--by-group"])]
        walls: dict[str, list[float]] = {name: [] for name, _, _ in configs}
        sizes: dict[str, int] = {}
        for _ in range(args.repeats):
            for name, scenario, extra in configs:
                wall, size = run_once(scenario, folder / "out.h5", args.threads, extra)
                walls[name].append(wall)
                sizes[name] = size
        base = {"mediterranean": statistics.median(walls["mediterranean"]),
                "toy": statistics.median(walls[f"toy x{args.scale}"])}
        print(f"threads={args.threads} repeats={args.repeats}")
        print(f"{'run':40s} {'median s':>9s} {'runs s':>24s} {'vs base':>8s} {'file MB':>8s}")
        for name, _, _ in configs:
            m = statistics.median(walls[name])
            b = base["mediterranean" if name.startswith("mediterranean") else "toy"]
            runs = " ".join(f"{w:.2f}" for w in walls[name])
            print(f"{name:40s} {m:9.2f} {runs:>24s} {100 * (m / b - 1):+7.1f}% {sizes[name] / 1e6:8.1f}")


if __name__ == "__main__":
    main()
