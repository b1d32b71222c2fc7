"""`python3 -m migsim.flee_plots RUN.h5 DIR [--data D] [--corrections F] [--hasten N]`: one PNG
per camp (run by `migsim validate-data --plots DIR`)."""
from __future__ import annotations

import argparse
import sys

from .flee import plot_camps


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m migsim.flee_plots", description=__doc__)
    parser.add_argument("run")
    parser.add_argument("out_dir")
    parser.add_argument("--data")
    parser.add_argument("--corrections")
    parser.add_argument("--hasten", type=int)
    args = parser.parse_args(argv)
    try:
        files = plot_camps(args.run, args.data, args.out_dir, corrections=args.corrections, hasten=args.hasten)
    except (OSError, ValueError, KeyError) as e:
        print(f"migsim.flee_plots: error: {e}", file=sys.stderr)
        return 2
    # stderr: stdout is validate-data's (a csv or json document)
    print(f"wrote {len(files)} plots to {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
