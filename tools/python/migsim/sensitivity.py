"""Sensitivity analyses: the file `migsim sensitivity SPEC.yml -o sens.h5` writes (Morris
elementary effects and/or Sobol indices), read into tables and a figure.

    sens = migsim.sensitivity("sens.h5")
    sens.morris()                   # per output and parameter: mu, mu*, its 95% interval, sigma
    sens.sobol("deaths")            # S1, ST and their 95% intervals, most important first
    sens.samples()                  # one row per run: the parameter values and the outputs
    migsim.plot_sensitivity(sens, "deaths")

Layout (read with h5py by name, as migsim.posterior reads its file): coordinates `output`,
`parameter` (strings) and `run` (ints); `sample_value(run, parameter)`,
`output_value(run, output)`; Morris, when the spec asked for it: `morris_mu`, `morris_mu_star`,
`morris_sigma`, `morris_mu_star_low`, `morris_mu_star_high` (bootstrap 95%), each
(output, parameter); Sobol, when asked: `sobol_first`, `sobol_total` and the `_low`, `_high` of
each (bootstrap 95%), each (output, parameter); root attributes `method` ("morris", "sobol"
or "morris sobol"), `seed`, `completed`.
"""
from __future__ import annotations

import math
import os
from typing import Optional, Sequence, Union

import numpy as np
import pandas as pd
import xarray as xr

from .posterior import AnalysisFileError, _figure, read_layout

SENSITIVITY_EXPECTED = "expected the .h5 file written by migsim sensitivity"

_PAIR = ("output", "parameter")
MORRIS_VARIABLES = ("morris_mu", "morris_mu_star", "morris_sigma", "morris_mu_star_low", "morris_mu_star_high")
SOBOL_VARIABLES = ("sobol_first", "sobol_first_low", "sobol_first_high", "sobol_total", "sobol_total_low",
                   "sobol_total_high")
SENSITIVITY_LAYOUT = {
    "output": (("output",), "the outputs' names"),
    "parameter": (("parameter",), "the parameters' keys"),
    "run": (("run",), "the runs"),
    "sample_value": (("run", "parameter"), "each run's parameter values"),
    "output_value": (("run", "output"), "each run's outputs"),
    "morris_mu": (_PAIR, "Morris: the mean elementary effect"),
    "morris_mu_star": (_PAIR, "Morris: the mean absolute elementary effect"),
    "morris_sigma": (_PAIR, "Morris: the elementary effects' standard deviation"),
    "morris_mu_star_low": (_PAIR, "Morris: mu*'s bootstrap 2.5%"),
    "morris_mu_star_high": (_PAIR, "Morris: mu*'s bootstrap 97.5%"),
    "sobol_first": (_PAIR, "Sobol: first-order indices"),
    "sobol_first_low": (_PAIR, "Sobol: first-order indices' bootstrap 2.5%"),
    "sobol_first_high": (_PAIR, "Sobol: first-order indices' bootstrap 97.5%"),
    "sobol_total": (_PAIR, "Sobol: total indices"),
    "sobol_total_low": (_PAIR, "Sobol: total indices' bootstrap 2.5%"),
    "sobol_total_high": (_PAIR, "Sobol: total indices' bootstrap 97.5%"),
}
SENSITIVITY_REQUIRED = ("output", "parameter")


class SensitivityFileError(AnalysisFileError):
    """A file of `migsim sensitivity` that migsim.sensitivity cannot read, or without the
    indices a table needs (see AnalysisFileError)."""

# the tables' columns: file variable -> column
MORRIS_COLUMNS = {"morris_mu": "mu", "morris_mu_star": "mu_star", "morris_mu_star_low": "mu_star_low",
                  "morris_mu_star_high": "mu_star_high", "morris_sigma": "sigma"}
SOBOL_COLUMNS = {"sobol_first": "S1", "sobol_first_low": "S1_low", "sobol_first_high": "S1_high",
                 "sobol_total": "ST", "sobol_total_low": "ST_low", "sobol_total_high": "ST_high"}


class Sensitivity:
    """A sensitivity file read into memory (migsim.sensitivity). Attributes: `dataset` (the
    file's datasets, root attributes in `.attrs`), `outputs`, `parameters`, and `source`,
    `method`, `seed`, `completed` from the file."""

    def __init__(self, dataset: xr.Dataset):
        self.dataset = dataset
        self.source = str(dataset.attrs.get("source", ""))
        self.method = str(dataset.attrs.get("method", ""))
        self.seed = dataset.attrs.get("seed")
        self.completed = bool(int(dataset.attrs.get("completed", 0)))
        self.outputs = [str(o) for o in dataset["output"].values]
        self.parameters = [str(p) for p in dataset["parameter"].values]

    def __repr__(self) -> str:
        have = [m for m in ("morris", "sobol") if self.has(m)]
        return (f"<migsim.Sensitivity {self.source or '(no file)'}: {' and '.join(have) or 'no indices'}, "
                f"{len(self.parameters)} parameters, {len(self.outputs)} outputs>")

    def has(self, method: str) -> bool:
        """True when the file holds the indices of `method` ("morris" or "sobol")."""
        names = {"morris": MORRIS_VARIABLES, "sobol": SOBOL_VARIABLES}[method]
        return all(n in self.dataset.variables for n in names)

    def _require(self, names: Sequence[str], what: str) -> None:
        missing = [n for n in names if n not in self.dataset.variables]
        if missing:
            said = f" (its method: {self.method!r})" if self.method else ""
            raise SensitivityFileError(f"{self.source}: has no {', '.join(missing)}, needed for {what}{said}: "
                                       f"ask for it in the spec's method, or a file written by an older migsim?")

    def _outputs(self, output: Optional[str]) -> list:
        if output is None:
            return self.outputs
        if output not in self.outputs:
            raise ValueError(f"no output {output!r} in {self.source} (it has {', '.join(self.outputs)})")
        return [output]

    def _table(self, columns: dict, what: str, order: str, output: Optional[str]) -> pd.DataFrame:
        self._require(list(columns), what)
        frames = []
        for o in self._outputs(output):
            one = self.dataset.sel(output=o)
            frame = pd.DataFrame({column: np.asarray(one[name].values, dtype="float64")
                                  for name, column in columns.items()})
            frame.insert(0, "parameter", self.parameters)
            frame.insert(0, "output", o)
            frame = frame.sort_values(order, ascending=False, na_position="last", kind="stable")
            frame["rank"] = np.arange(1, len(frame) + 1)
            frames.append(frame)
        return pd.concat(frames, ignore_index=True)

    def morris(self, output: Optional[str] = None) -> pd.DataFrame:
        """Morris screening, one row per (output, parameter): `mu` (mean elementary effect),
        `mu_star` (mean absolute effect) with its bootstrap 95% interval `mu_star_low`,
        `mu_star_high`, and `sigma` (their standard deviation: interactions or non-linearity).
        Outputs in file order (only `output` when given), parameters by mu* from the largest;
        `rank` 1 is the most important."""
        return self._table(MORRIS_COLUMNS, "Morris screening", "mu_star", output)

    def sobol(self, output: Optional[str] = None) -> pd.DataFrame:
        """Sobol indices, one row per (output, parameter): first-order `S1` and total `ST`, each
        with its bootstrap 95% interval (`_low`, `_high`). Outputs in file order (only `output`
        when given), parameters by ST from the largest; `rank` 1 is the most important."""
        return self._table(SOBOL_COLUMNS, "Sobol indices", "ST", output)

    def samples(self) -> pd.DataFrame:
        """One row per run (index `run`): the parameter values, then the outputs."""
        self._require(["sample_value", "output_value"], "the samples")
        ds = self.dataset
        index = pd.Index(np.asarray(ds["run"].values), name="run")
        frame = pd.DataFrame(np.asarray(ds["sample_value"].values, dtype="float64"), columns=self.parameters,
                             index=index)
        for k, o in enumerate(self.outputs):
            frame[o] = np.asarray(ds["output_value"].values, dtype="float64")[:, k]
        return frame


SensitivityLike = Union[str, os.PathLike, Sensitivity]


def sensitivity(path: SensitivityLike) -> Sensitivity:
    """Reads the file of `migsim sensitivity` (a Sensitivity; one given is returned as is).

    Raises FileNotFoundError when there is no such file and migsim.SensitivityFileError (a
    migsim.RunFileError) naming the file and what is wrong when it cannot be read as one. The
    Morris and Sobol tables need their datasets, and name what is missing."""
    if isinstance(path, Sensitivity):
        return path
    return Sensitivity(read_layout(path, SENSITIVITY_LAYOUT, SENSITIVITY_REQUIRED, SENSITIVITY_EXPECTED,
                                   "sensitivity", SensitivityFileError))


def _whiskers(value, low, high):
    """Error-bar lengths below and above (never negative; NaN as none)."""
    value, low, high = (np.asarray(a, dtype="float64") for a in (value, low, high))
    return np.nan_to_num(np.clip([value - low, high - value], 0, None))


def plot_sensitivity(sens: SensitivityLike, output: Optional[str] = None, *, method: Optional[str] = None,
                     columns: int = 2, figsize=None):
    """One panel per output (only `output` when given). Sobol (the default when the file has
    it): bars of the first-order S1 and total ST index per parameter, most important (ST)
    first, with whiskers to their bootstrap 95% intervals. Morris (the default when the file
    has only Morris, or `method="morris"`): each parameter as a point at its mu* (with its 95%
    interval) and sigma, labelled. Returns the Figure."""
    sens = sensitivity(sens)
    if method is None:
        method = "sobol" if sens.has("sobol") else "morris"
    if method not in ("sobol", "morris"):
        raise ValueError(f"method must be 'sobol' or 'morris', got {method!r}")
    table = sens.sobol(output) if method == "sobol" else sens.morris(output)
    outputs = list(dict.fromkeys(table["output"]))
    columns = max(1, min(columns, len(outputs)))
    rows = math.ceil(len(outputs) / columns)
    wide = 1.0 + 0.6 * len(sens.parameters) if method == "sobol" else 4.5
    fig, axes = _figure(rows, columns, figsize or (max(4.5, wide) * columns, 3.8 * rows))
    flat = axes.ravel()
    for ax in flat[len(outputs):]:
        fig.delaxes(ax)
    for ax, o in zip(flat, outputs):
        part = table[table["output"] == o]
        if method == "sobol":
            x = np.arange(len(part))
            for shift, index, colour, label in ((-0.2, "S1", "tab:blue", "first order (S1)"),
                                                (0.2, "ST", "tab:orange", "total (ST)")):
                ax.bar(x + shift, part[index], width=0.4, color=colour, label=label,
                       yerr=_whiskers(part[index], part[f"{index}_low"], part[f"{index}_high"]), capsize=3)
            names = list(part["parameter"])
            slanted = len(names) * max(map(len, names), default=0) > 40
            ax.set_xticks(x, names, rotation=30 if slanted else 0, ha="right" if slanted else "center")
            ax.axhline(0, color="black", linewidth=0.6)
            ax.set_xlabel("parameter")
            ax.set_ylabel("Sobol index (share of variance)")
        else:
            ax.errorbar(part["mu_star"], part["sigma"], fmt="o", capsize=3, color="tab:blue",
                        xerr=_whiskers(part["mu_star"], part["mu_star_low"], part["mu_star_high"]),
                        label="parameter (mu* 95% interval)")
            for _, row in part.iterrows():
                ax.annotate(row["parameter"], (row["mu_star"], row["sigma"]), textcoords="offset points",
                            xytext=(4, 4), fontsize="small")
            ax.set_xlim(left=0)
            ax.set_ylim(bottom=0)
            ax.set_xlabel(f"mu* (mean absolute elementary effect on {o})")
            ax.set_ylabel("sigma (sd of the elementary effects)")
        ax.set_title(o)
    if outputs:
        flat[0].legend(fontsize="small")
    fig.suptitle(f"{'Sobol indices' if method == 'sobol' else 'Morris screening'}"
                 f"{'' if sens.completed else ' (unfinished)'}")
    fig.tight_layout()
    return fig
