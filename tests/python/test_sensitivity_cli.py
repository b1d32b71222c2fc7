"""`migsim sensitivity` as a user runs it: the toy SPEC (scenarios/toy/calibration/sensitivity.yml,
Morris and Sobol over three parameters) gives a netCDF-4 file that xarray opens and a table on
stdout; an existing file is not replaced without --force, and a scenario input never."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import CRASH_MARKERS, REPO_ROOT

xr = pytest.importorskip("xarray")
np = pytest.importorskip("numpy")

SPEC = "scenarios/toy/calibration/sensitivity.yml"   # relative to the repository root
PARAMETERS = ["border:strait.patrol", "behaviour.switching_cost", "profile:migrant.weight_death"]
OUTPUTS = ["arrivals_mainland", "arrivals_island", "interceptions_strait"]
RUNS = 20 * (3 + 1) + 1024 * (3 + 2)   # Morris trajectories x (k + 1) + Sobol N x (k + 2)


@pytest.fixture(scope="module")
def analysed(migsim, tmp_path_factory):
    out = tmp_path_factory.mktemp("sensitivity") / "sens.h5"
    result = migsim.ok("sensitivity", SPEC, "-o", out, "--threads", 2, timeout=600)
    return out, result


def test_the_file_opens_in_xarray(analysed):
    out, _ = analysed
    with xr.open_dataset(out, engine="h5netcdf") as ds:
        assert list(ds["parameter"].values) == PARAMETERS
        assert list(ds["output"].values) == OUTPUTS
        assert ds.sizes["run"] == RUNS
        assert ds["sample_value"].dims == ("run", "parameter")
        assert ds["output_value"].dims == ("run", "output")
        for name in ["morris_mu", "morris_mu_star", "morris_sigma", "morris_mu_star_low", "morris_mu_star_high",
                     "sobol_first", "sobol_total", "sobol_first_low", "sobol_first_high", "sobol_total_low",
                     "sobol_total_high"]:
            assert ds[name].dims == ("output", "parameter"), name
        assert ds.attrs["method"] == "morris sobol"
        assert int(ds.attrs["completed"]) == 1
        assert int(ds.attrs["seed"]) == 7
        assert ds.attrs["spec"] == (REPO_ROOT / SPEC).read_text()
        assert list(ds["prior_kind"].values) == ["uniform", "log_uniform", "truncated_normal"]
        assert list(ds["prior_low"].values) == [0.1, 0.1, 0]
        patrol = ds["sample_value"].sel(parameter="border:strait.patrol").values
        assert patrol.min() >= 0.1 and patrol.max() <= 0.9
        cost = ds["sample_value"].sel(parameter="behaviour.switching_cost").values
        assert cost.min() >= 0.1 and cost.max() <= 10
        assert list(ds["design"].values[:24]) == ["morris"] * 24 and ds["design"].values[-1] == "sobol"
        # The toy is a model with effects: outputs vary and the patrol moves the strait's interceptions.
        assert float(ds["output_value"].std("run").min()) > 0
        assert float(ds["morris_mu_star"].sel(output="interceptions_strait",
                                              parameter="border:strait.patrol")) > 0
        assert np.all(ds["sobol_total_low"].values <= ds["sobol_total_high"].values)
        assert np.all(ds["morris_mu_star_low"].values <= ds["morris_mu_star_high"].values)


def test_the_table_lists_each_output_by_total_index(analysed):
    out, result = analysed
    assert not any(marker in result.stdout + result.stderr for marker in CRASH_MARKERS)
    assert f"runs {RUNS}/{RUNS}" in result.stderr
    assert f"wrote {out}" in result.stdout
    with xr.open_dataset(out, engine="h5netcdf") as ds:
        for output in OUTPUTS:
            block = result.stdout.split(f"output {output} ")[1].split("output ")[0]
            rows = [line.split()[0] for line in block.splitlines()[2:] if line.startswith("  ")
                    and line.split()[0] in PARAMETERS]
            total = ds["sobol_total"].sel(output=output).to_series()
            expected = sorted(PARAMETERS, key=lambda p: -np.nan_to_num(total[p], nan=-np.inf))
            assert rows == expected, (output, block)
            first = re.search(r"^  border:strait\.patrol\s+(\S+)", block, re.M)
            assert first and float(first.group(1)) == pytest.approx(
                float(total["border:strait.patrol"]), abs=0.0005)


def test_info_describes_the_file(migsim, analysed):
    out, result = analysed
    info = migsim.ok("info", out).stdout
    assert "sensitivity (morris sobol) of 3 output(s) to 3 parameter(s)" in info
    assert result.stdout.split("wrote ")[0] in info, "the same table as the command printed"


def test_an_existing_file_is_kept_without_force(migsim, analysed):
    out, _ = analysed
    before = out.read_bytes()
    result = migsim("sensitivity", SPEC, "-o", out)
    assert result.returncode == 3, result.stderr
    assert "exists; give --force" in result.stderr
    assert out.read_bytes() == before


def test_a_scenario_input_is_never_replaced(migsim):
    target = "scenarios/toy/locations.csv"
    before = (REPO_ROOT / target).read_bytes()
    result = migsim("sensitivity", SPEC, "-o", target, "--force")
    assert result.returncode == 3, result.stderr
    assert "is a file this command reads" in result.stderr
    assert (REPO_ROOT / target).read_bytes() == before


def test_help_teaches_with_an_example(migsim):
    result = migsim.ok("sensitivity", "--help")
    assert "migsim sensitivity scenarios/toy/calibration/sensitivity.yml -o sens.h5" in result.stdout
    assert "bootstrap" in result.stdout
