"""Coverage study: does the calibration's 90% interval hold the truth as often as it says?

For each of N synthetic data sets (seeds FIRST, FIRST+1, ...), the toy's recovery SPEC is
calibrated on targets the model made at the SPEC's `truth:` with that seed
(`migsim calibrate SPEC --synthetic SEED`); the script then counts, per parameter, the data sets
whose posterior 90% interval holds the truth, and the ratio of posterior to prior 90% width.

    python3 scenarios/toy/calibration/coverage.py                       # the study (20 sets): 20 x ~18 s of one core
    python3 scenarios/toy/calibration/coverage.py --population 60 --generations 3 --out /tmp/cov   # small (CI)

Writes OUT/coverage.csv (one row per data set and parameter) and OUT/coverage.md (the table),
and exits 1 when any parameter is covered in fewer than --need of the sets, or a posterior is not
narrower than its prior. Run from the repository root; MIGSIM_BIN names the binary.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tools" / "python"))
import migsim  # noqa: E402


def main(argv=None) -> int:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spec", default=str(here / "recovery.yml"))
    parser.add_argument("--datasets", type=int, default=20)
    parser.add_argument("--first-seed", type=int, default=1001)
    parser.add_argument("--population", type=int, help="override the SPEC's abc_smc population")
    parser.add_argument("--generations", type=int, help="override the SPEC's abc_smc generations")
    parser.add_argument("--need", type=int, default=16, help="data sets each parameter must be covered in")
    parser.add_argument("--out", default=str(here / "coverage"))
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args(argv)
    binary = os.environ.get("MIGSIM_BIN", str(ROOT / "build" / "release" / "tools" / "migsim" / "migsim"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    spec_path = Path(args.spec).resolve()
    spec = yaml.safe_load(spec_path.read_text())
    spec["scenario"] = str((spec_path.parent / spec["scenario"]).resolve())
    if args.population:
        spec["method"]["abc_smc"]["population"] = args.population
    if args.generations is not None:
        spec["method"]["abc_smc"]["generations"] = args.generations
    work = Path(tempfile.mkdtemp(prefix="migsim-coverage-"))   # the SPEC and the files of the runs
    study_spec = work / "spec.yml"
    study_spec.write_text("# Written by coverage.py from " + spec_path.name + "\n" + yaml.safe_dump(spec, sort_keys=False))

    rows = []
    for k in range(args.datasets):
        seed = args.first_seed + k
        path = work / f"post-{seed}.h5"
        subprocess.run([binary, "calibrate", str(study_spec), "--synthetic", str(seed), "-o", str(path), "-q",
                        "--force", "--threads", str(args.threads)], check=True, stdout=subprocess.DEVNULL)
        summary = migsim.posterior(path).summary(level=0.9)
        for key, row in summary.iterrows():
            rows.append({"seed": seed, "parameter": key, "truth": row["truth"], "median": row["median"],
                         "q05": row["q05"], "q95": row["q95"], "covered": bool(row["truth_covered"]),
                         "width_ratio": row["width_ratio"]})
        path.unlink()   # the study keeps its table, not 20 files
        print(f"data set {k + 1}/{args.datasets} (seed {seed}) done", file=sys.stderr)
    study_spec.unlink()
    work.rmdir()
    table = pd.DataFrame(rows)
    table.to_csv(out / "coverage.csv", index=False)
    by = table.groupby("parameter", sort=False).agg(covered=("covered", "sum"), sets=("covered", "size"),
                                                    median_width_ratio=("width_ratio", "median"),
                                                    widest_ratio=("width_ratio", "max"))
    ok = bool((by["covered"] >= args.need).all() and (by["widest_ratio"] < 1).all())
    lines = [f"Coverage of the 90% posterior interval over {args.datasets} synthetic data sets "
             f"(seeds {args.first_seed}-{args.first_seed + args.datasets - 1}); population "
             f"{spec['method']['abc_smc']['population']}, {spec['method']['abc_smc']['generations']} generations.",
             "", "| parameter | truth covered | posterior / prior 90% width (median) | widest |", "|---|---|---|---|"]
    for key, r in by.iterrows():
        lines.append(f"| {key} | {int(r['covered'])} of {int(r['sets'])} | {r['median_width_ratio']:.2f} | {r['widest_ratio']:.2f} |")
    lines += ["", f"Needed: at least {args.need} of {args.datasets} per parameter, every posterior narrower than its "
              f"prior: {'met' if ok else 'NOT met'}."]
    (out / "coverage.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
