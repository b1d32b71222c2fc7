#!/usr/bin/env python3
"""Runs migsim's standard benchmark set and writes the results with the machine's description.

    cmake --build --preset release --target bench
    /usr/bin/python3 bench/run_standard.py [--quick] [--out bench/results/NAME]

Writes NAME.json (Google Benchmark's JSON plus a "machine" section: CPU model, cores, memory,
compiler, git revision) and NAME.csv (one row per benchmark: name, wall seconds, agent-days per
second per core, bytes per agent, threads). --quick leaves out the runs of 10^7 and more agents
(the full set takes about 10 minutes on 2 cores). See docs/PERFORMANCE.md.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUICK_EXCLUDE = "Scaled|Generated/10000000/|Generated/100000000/"


def machine() -> dict:
    info = {"hostname": platform.node(), "kernel": platform.release(), "cores": os.cpu_count(),
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        for line in lscpu.splitlines():
            key, _, value = line.partition(":")
            if key.strip() in ("Model name", "CPU(s)", "Thread(s) per core", "L2 cache", "L3 cache", "CPU max MHz"):
                info[key.strip()] = value.strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    with open("/proc/meminfo") as f:
        info["memory"] = f.readline().split(":", 1)[1].strip()
    info["git_revision"] = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                          capture_output=True, text=True).stdout.strip()
    return info


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=str(ROOT / "build/release/bench/migsim_bench"))
    parser.add_argument("--out", default=str(ROOT / "bench/results" / datetime.now().strftime("%Y-%m-%d")))
    parser.add_argument("--quick", action="store_true", help="leave out the runs of 10^7 agents and more")
    parser.add_argument("--filter", default="", help="a Google Benchmark filter (regex) instead of the standard set")
    args = parser.parse_args(argv)
    if not Path(args.binary).exists():
        sys.exit(f"{args.binary} not found: build it with `cmake --build --preset release --target bench`")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    raw = out.with_suffix(".raw.json")
    command = [args.binary, f"--benchmark_out={raw}", "--benchmark_out_format=json"]
    if args.filter:
        command.append(f"--benchmark_filter={args.filter}")
    elif args.quick:
        command.append(f"--benchmark_filter=-{QUICK_EXCLUDE}")
    subprocess.run(command, check=True)
    result = json.loads(raw.read_text())
    raw.unlink()
    result["machine"] = machine()
    out.with_suffix(".json").write_text(json.dumps(result, indent=1))
    with open(out.with_suffix(".csv"), "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["benchmark", "wall_s", "agent_days_per_s_per_core", "agents", "threads",
                         "hot_bytes_per_agent", "resident_bytes_per_agent", "items_per_s"])
        for b in result["benchmarks"]:
            scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b.get("time_unit", "ns")]
            writer.writerow([b["name"], f"{b['real_time'] * scale:.6g}", f"{b.get('agent_days_per_s_per_core', ''):.4g}"
                             if "agent_days_per_s_per_core" in b else "", b.get("agents", ""), b.get("threads", ""),
                             b.get("hot_bytes_per_agent", ""), f"{b['resident_bytes_per_agent']:.1f}"
                             if "resident_bytes_per_agent" in b else "", f"{b['items_per_second']:.4g}"
                             if "items_per_second" in b else ""])
    print(f"wrote {out.with_suffix('.json')} and {out.with_suffix('.csv')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
