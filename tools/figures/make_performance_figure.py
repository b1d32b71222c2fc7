#!/usr/bin/python3
"""docs/figures/performance.png from a result of bench/run_standard.py: agent-days per second
per core against agents (generated network of 100 places, 1 and 2 threads), against threads
(the Mediterranean scenario, in memory, with output and scaled x10; a generated network) and
against network size (generated, 10^6 agents).

    /usr/bin/python3 tools/figures/make_performance_figure.py bench/results/NAME.json [--output PNG]
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def rows(result: dict):
    for b in result["benchmarks"]:
        if "agent_days_per_s_per_core" in b:
            yield b["name"], b


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("result", type=Path)
    parser.add_argument("--output", type=Path, default=ROOT / "docs/figures/performance.png")
    args = parser.parse_args(argv)
    result = json.loads(args.result.read_text())
    by_agents = {}   # threads -> [(agents, rate)], generated network of 100 places
    by_places = {}   # threads -> [(places, rate)], 10^6 agents
    by_threads = {}  # label -> [(threads, rate)]
    for name, b in rows(result):
        rate = b["agent_days_per_s_per_core"]
        m = re.match(r"BM_MacroGenerated/(\d+)/(\d+)/(\d+)", name)
        if m:
            agents, places, threads = (int(g) for g in m.groups())
            if places == 100:
                by_agents.setdefault(threads, []).append((agents, rate))
            if agents == 1000000:
                by_places.setdefault(threads, []).append((places, rate))
                if places == 100:
                    by_threads.setdefault("generated, 100 places, 10^6 agents", []).append((threads, rate))
        for label, pattern in (("Mediterranean, in memory", r"BM_MacroMediterranean/(\d+)/"),
                               ("Mediterranean, with HDF5 output", r"BM_MacroMediterraneanWithOutput/(\d+)/"),
                               ("Mediterranean x10 (9.5 million agents)", r"BM_MacroMediterraneanScaled/10/(\d+)/")):
            m = re.match(pattern, name)
            if m:
                by_threads.setdefault(label, []).append((int(m.group(1)), rate))
    fig, (left, middle, right) = plt.subplots(1, 3, figsize=(14, 4.2))

    def lines(ax, series, label_of):
        for key, points in sorted(series.items()):
            points.sort()
            ax.plot([x for x, _ in points], [r for _, r in points], "o-", label=label_of(key))
        ax.set_ylabel("agent-days per second per core")
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=8)

    threads_label = lambda t: f"{t} thread{'s' * (t > 1)}"   # noqa: E731
    lines(left, by_agents, threads_label)
    left.set_xscale("log")
    left.set_xlabel("agents (generated network, 100 places, 60 days)")
    left.set_title("Against agents")
    lines(middle, by_threads, str)
    middle.set_xlabel("threads")
    middle.set_xticks(sorted({t for p in by_threads.values() for t, _ in p}))
    middle.set_title("Per core, against threads")
    lines(right, by_places, threads_label)
    right.set_xscale("log")
    right.set_xlabel("places (generated network, 10^6 agents)")
    right.set_title("Against network size")
    machine = result.get("machine", {})
    fig.suptitle(f"migsim {machine.get('git_revision', '')} on {machine.get('Model name', 'this machine')}, "
                 f"{machine.get('cores', '?')} cores", fontsize=9)
    fig.tight_layout()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.output, dpi=110)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
