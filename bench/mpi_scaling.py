#!/usr/bin/env python3
"""Strong and weak scaling of migsim over MPI ranks, in both decompositions.

    cmake --preset mpi && cmake --build --preset mpi -j2
    /usr/bin/python3 bench/mpi_scaling.py [--ranks 1,2,4] [--threads 1] [--out bench/results/NAME]

Runs (each as `mpirun -np R migsim run ...`, timed by the run's own wall clock, which is the
`wall_time_s` attribute of its file: set-up, every day and the writing, not MPI's start):
  strong/agents      the Mediterranean scenario, one replicate, split by agent id over R ranks;
  strong/replicates  the Mediterranean scenario, --replicates 4, whole replicates over R ranks;
  weak/agents        a generated scenario (500 places, 365 days) with 250,000 migrants per rank;
  weak/replicates    the Mediterranean scenario with R replicates (one per rank).
Writes NAME.csv and NAME.md: wall seconds, agent-days per second, per process (rank x
thread), parallel efficiency against 1 rank, and rank 0's collective calls and bytes sent per
simulated day. Rows where ranks x threads exceed the cores are marked `oversubscribed`: their
times say what sharing cores costs, not how the code scales. docs/CLUSTER.md has the numbers
of this machine and the estimate for 256 ranks.
"""
from __future__ import annotations

import argparse
import csv
import os
import re
import shlex
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEDITERRANEAN = ROOT / "scenarios" / "mediterranean"
TRAFFIC = re.compile(r"mpi: .* took part in ([\d.e+]+) collective calls and sent ([\d.e+]+) KiB per day")


def run(args, binary, mpirun, ranks, threads, scenario, decompose, extra, workdir) -> dict:
    out = Path(workdir) / "scaling.h5"
    command = [*mpirun, "-np", str(ranks), binary, "run", str(scenario), "-q", "--threads", str(threads),
               "--decompose", decompose, "-o", str(out), *extra]
    done = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        sys.exit(f"failed: {shlex.join(command)}\n{done.stderr}")
    import h5py   # Debian's python3-h5py; imported here so that --help works without it
    with h5py.File(out, "r") as f:
        wall = float(f.attrs["wall_time_s"])
        agent_days = float(f["agents_created"][()].sum())
    match = TRAFFIC.search(done.stdout)
    calls, kib = (float(match.group(1)), float(match.group(2))) if match else (0.0, 0.0)
    processes = ranks * threads
    return {"ranks": ranks, "threads": threads, "wall_s": round(wall, 3), "agent_days": int(agent_days),
            "agent_days_per_s": agent_days / wall, "per_process": agent_days / wall / processes,
            "collectives_per_day": calls, "kib_per_day": kib,
            "oversubscribed": processes > (os.cpu_count() or 1)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=str(ROOT / "build/mpi/tools/migsim/migsim"))
    parser.add_argument("--mpirun", default="mpirun --allow-run-as-root --oversubscribe --bind-to none")
    parser.add_argument("--ranks", default="1,2,4", help="rank counts, comma-separated")
    parser.add_argument("--threads", type=int, default=1, help="threads per rank")
    parser.add_argument("--out", default=str(ROOT / "bench/results" / (datetime.now().strftime("%Y-%m-%d")
                                                                      + f"-mpi-{os.cpu_count()}core")))
    args = parser.parse_args(argv)
    if not Path(args.binary).exists():
        sys.exit(f"{args.binary} not found: cmake --preset mpi && cmake --build --preset mpi -j2")
    mpirun = shlex.split(args.mpirun)
    rank_counts = [int(r) for r in args.ranks.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as workdir:
        generated = {}
        for ranks in rank_counts:
            folder = Path(workdir) / f"weak-{ranks}"
            subprocess.run([args.binary, "generate", "-o", str(folder), "--locations", "500",
                            "--agents", str(250_000 * ranks), "--days", "365", "--seed", "1"],
                           check=True, capture_output=True)
            generated[ranks] = folder
        cases = [("strong", "agents", lambda r: (MEDITERRANEAN, [])),
                 ("strong", "replicates", lambda r: (MEDITERRANEAN, ["--replicates", "4"])),
                 ("weak", "agents", lambda r: (generated[r], [])),
                 ("weak", "replicates", lambda r: (MEDITERRANEAN, ["--replicates", str(r)]))]
        for scaling, decompose, setup in cases:
            base = None
            for ranks in rank_counts:
                scenario, extra = setup(ranks)
                row = {"scaling": scaling, "decomposition": decompose,
                       **run(args, args.binary, mpirun, ranks, args.threads, scenario, decompose, extra, workdir)}
                base = base or row
                # Strong: time(1) / (R time(R)); weak: time(1) / time(R).
                ratio = base["wall_s"] / row["wall_s"]
                row["efficiency"] = round(ratio / (ranks / base["ranks"]) if scaling == "strong" else ratio, 3)
                rows.append(row)
                print(f"{scaling:6} {decompose:10} ranks {ranks}: {row['wall_s']:7.2f} s, "
                      f"{row['per_process']:.3g} agent-days/s per process, efficiency {row['efficiency']:.2f}, "
                      f"{row['collectives_per_day']:.1f} collectives and {row['kib_per_day']:.1f} KiB per day"
                      + (" (oversubscribed)" if row["oversubscribed"] else ""), flush=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out.with_suffix(".csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with open(out.with_suffix(".md"), "w") as f:
        f.write(f"# MPI scaling, {os.cpu_count()} cores, {args.threads} thread(s) per rank\n\n"
                "| scaling | decomposition | ranks | wall s | agent-days/s | per process | efficiency "
                "| collectives/day | KiB/day (rank 0) | note |\n|---|---|---|---|---|---|---|---|---|---|\n")
        for r in rows:
            f.write(f"| {r['scaling']} | {r['decomposition']} | {r['ranks']} | {r['wall_s']:.2f} "
                    f"| {r['agent_days_per_s']:.3g} | {r['per_process']:.3g} | {r['efficiency']:.2f} "
                    f"| {r['collectives_per_day']:.1f} | {r['kib_per_day']:.1f} "
                    f"| {'oversubscribed' if r['oversubscribed'] else ''} |\n")
    print(f"wrote {out.with_suffix('.csv')} and {out.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
