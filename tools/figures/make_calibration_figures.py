"""The figures of docs/CALIBRATION.md, from calibration files made by the commands shown there.

    /usr/bin/python3 tools/figures/make_calibration_figures.py post.h5 med-calibration.h5

writes docs/figures/calibration_toy_marginals.png and calibration_toy_predictive.png from the
first file (the toy's recovery) and calibration_mediterranean_marginals.png and
calibration_mediterranean_predictive.png from the second.
"""
from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools" / "python"))
import migsim  # noqa: E402

FIGURES = ROOT / "docs" / "figures"


def main(argv) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    for path, name in zip(argv, ("toy", "mediterranean")):
        post = migsim.posterior(path)
        migsim.plot_posterior_marginals(post).savefig(FIGURES / f"calibration_{name}_marginals.png", dpi=110,
                                                      bbox_inches="tight")
        migsim.plot_predictive(post).savefig(FIGURES / f"calibration_{name}_predictive.png", dpi=110,
                                             bbox_inches="tight")
        print(f"wrote docs/figures/calibration_{name}_*.png from {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
