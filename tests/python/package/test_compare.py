"""compare(): docs/COMPARE.md, and the same numbers as `migsim compare --format csv`."""
from __future__ import annotations

import io
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import migsim
from migsim.compare import COLUMNS

from .conftest import PATROL, REPLICATES, TOY

# The outcomes of docs/COMPARE.md in their order (the catalogue's, engine/include/migsim/series.hpp).
HARMS = ["abductions", "trafficking", "violence", "raid_detentions", "deaths_while_held"]
ORDER = {
    None: ["arrivals", "regular_arrivals", "deaths", "attempts", "interceptions", "smuggler_revenue",
           "regular_admissions", *HARMS, "give_ups", "give_ups_home", "give_ups_switch", "replans", "route_switches",
           "retries", "transit_days", "to_armed_groups", "to_officials", "to_transport",
           "to_pathway_fees"],
    "border": ["attempts", "interceptions", "deaths", "crossings", "regular_crossings", "retries", "smuggler_revenue"],
    "route": ["seats", "unmet_demand", "smuggler_revenue"],
    "destination": ["arrivals", "regular_arrivals", "transit_days"],
    "profile": ["arrivals", "regular_arrivals", "deaths", "interceptions"],
    "place": [*HARMS, "sent_home", "give_ups", "give_ups_home", "give_ups_switch", "ransom"],
    "group": ["arrivals", "regular_arrivals", "deaths", "interceptions", *HARMS],
}
GROUPS = {None: [""], "border": ["strait", "channel", "fence"], "route": ["strait_boats", "east_package"],
          "destination": ["mainland", "island", "enclave"], "profile": ["migrant", "refugee"],
          "place": ["village", "town", "hub", "oasis", "port_west", "port_east"],
          "group": ["man", "woman", "boy", "girl"]}


@pytest.fixture(scope="module")
def pair(ensemble_pair):
    base, variant, _ = ensemble_pair
    return migsim.open_run(base), migsim.open_run(variant)


@pytest.mark.parametrize("by", list(ORDER))
def test_identical_files_differ_by_nothing(ensemble_pair, by):
    base = ensemble_pair[0]
    result = migsim.compare(base, base, by=by)
    assert list(result.columns) == COLUMNS
    assert list(result["group"]) == [g for g in GROUPS[by] for _ in ORDER[by]]
    assert list(result["outcome"]) == ORDER[by] * len(GROUPS[by])
    assert (result["replicates"] == REPLICATES).all()
    finite = result["base"].notna()
    assert (result.loc[finite, "difference"] == 0).all()
    assert (result.loc[finite, "low"] == 0).all() and (result.loc[finite, "high"] == 0).all()
    assert (result["base"].fillna(-1) == result["variant"].fillna(-1)).all()
    zero = result["base"] == 0
    assert result.loc[zero, "relative"].isna().all()
    assert (result.loc[finite & ~zero, "relative"] == 0).all()


def test_a_single_replicate_has_no_interval(toy_runs):
    result = migsim.compare(toy_runs(1), toy_runs(1, PATROL))
    assert (result["replicates"] == 1).all()
    assert result["low"].isna().all() and result["high"].isna().all()
    assert result["difference"].notna().any()


def _by_hand(b: np.ndarray, v: np.ndarray) -> dict:
    d = v - b
    n = len(d)
    half = stats.t.ppf(0.975, n - 1) * d.std(ddof=1) / math.sqrt(n)
    return {"base": b.mean(), "variant": v.mean(), "difference": d.mean(),
            "low": d.mean() - half, "high": d.mean() + half, "relative": d.mean() / b.mean()}


def _row(result, group, outcome):
    row = result[(result["group"] == group) & (result["outcome"] == outcome)]
    assert len(row) == 1, (group, outcome)
    return row.iloc[0]


def test_statistics_follow_the_definitions(pair):
    base, variant = pair
    result = migsim.compare(base, variant, by="border")
    strait = {"border": "strait"}
    for outcome, series in (("interceptions", "border_interceptions"), ("crossings", "border_crossings")):
        b = base[series].sel(strait).sum("time").values.astype(float)
        v = variant[series].sel(strait).sum("time").values.astype(float)
        expected = _by_hand(b, v)
        row = _row(result, "strait", outcome)
        for column, value in expected.items():
            # scipy's t.ppf is good to ~4e-11 only: looser for the interval
            rel = 1e-9 if column in ("low", "high") else 1e-12
            assert row[column] == pytest.approx(value, rel=rel), (outcome, column)
    # revenue by border: the markets whose market_border is that border
    markets = base["market_border"].values == "strait"
    b = base["market_revenue"].sum("time").isel(market=np.flatnonzero(markets)).sum("market").values
    assert _row(result, "strait", "smuggler_revenue")["base"] == pytest.approx(b.mean(), rel=1e-12)


def test_transit_days_is_days_over_arrivals(pair):
    base, variant = pair
    result = migsim.compare(base, variant)
    days = base["arrival_transit_days"].sum(["time", "location"])
    arrived = base["arrivals"].sum(["time", "location"]) + base["arrivals_regular"].sum(["time", "location"])
    assert _row(result, "", "transit_days")["base"] == pytest.approx(float((days / arrived).mean()), rel=1e-12)
    early = migsim.compare(base, variant, by="destination", window="2020-01-01:2020-01-02")
    assert early[early["outcome"] == "transit_days"]["base"].isna().all()   # nobody arrived yet
    assert (early[early["outcome"] == "arrivals"]["base"] == 0).all()


def test_harms_by_place_and_money_to_armed_groups_and_officials(pair):
    base, variant = pair
    by_place = migsim.compare(base, variant, by="place")
    for outcome, series in (("abductions", "harm_abductions"), ("violence", "harm_violence"),
                            ("ransom", "ransom_paid"), ("sent_home", "harm_returns")):
        for place in GROUPS["place"]:
            expected = base[series].sel(location=place).sum("time").values.astype(float).mean()
            assert _row(by_place, place, outcome)["base"] == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert _row(by_place, "oasis", "abductions")["base"] > 0   # the toy's kidnappers are there
    total = migsim.compare(base, variant)
    armed = sum(float(base[s].sum().values) for s in ("ransom_paid", "tolls_paid", "protection_paid"))
    officials = sum(float(base[s].sum().values) for s in ("bribes_paid", "smuggler_bribes_paid"))
    replicates = base.sizes["replicate"]
    assert _row(total, "", "to_armed_groups")["base"] == pytest.approx(armed / replicates, rel=1e-12)
    assert _row(total, "", "to_officials")["base"] == pytest.approx(officials / replicates, rel=1e-12)
    assert _row(total, "", "abductions")["base"] == pytest.approx(
        float(base["harm_abductions"].sum().values) / replicates, rel=1e-12)


def test_by_group_rows_add_up_to_the_totals(pair):
    base, variant = pair
    by_group, total = migsim.compare(base, variant, by="group"), migsim.compare(base, variant)
    for outcome in ("arrivals", "regular_arrivals", "deaths", "interceptions", *HARMS):
        rows = by_group[by_group["outcome"] == outcome]
        for column in ("base", "variant", "difference"):
            assert rows[column].sum() == pytest.approx(_row(total, "", outcome)[column], rel=1e-12, abs=1e-9), outcome


def test_by_group_needs_runs_split_by_group(cli, toy_runs):
    plain = toy_runs(1, replicates=REPLICATES)
    with pytest.raises(KeyError, match="by_group"):
        migsim.compare(plain, plain, by="group")
    result = cli("compare", plain, plain, "--by", "group")
    assert result.returncode == 2 and "--by-group" in result.stderr


def test_the_cli_leaves_out_what_an_older_file_lacks(cli, ensemble_pair, tmp_path):
    import shutil

    import h5py
    base, variant, _ = ensemble_pair
    old_base, old_variant = tmp_path / "old_base.h5", tmp_path / "old_variant.h5"
    for source, copy in ((base, old_base), (variant, old_variant)):
        shutil.copy(source, copy)
        with h5py.File(copy, "r+") as f:
            del f["protection_paid"]
    theirs = cli_compare(cli, old_base, old_variant)
    assert "to_armed_groups" not in set(theirs["outcome"])
    assert {"abductions", "to_officials", "arrivals"} <= set(theirs["outcome"])


def test_a_stricter_patrol_at_the_strait(pair):
    """border:strait.patrol 0.3 -> 0.9 until the scenario's own event sets 0.6 on day 60:
    fewer try the strait and fewer get through; of those who try, more are intercepted."""
    base, variant = pair
    for window in (None, ":2020-02-29"):
        result = migsim.compare(base, variant, by="border", window=window)
        for outcome in ("attempts", "crossings", "smuggler_revenue"):
            row = _row(result, "strait", outcome)
            assert row["difference"] < 0, (window, outcome, row.to_dict())
            assert row["low"] <= row["difference"] <= row["high"]
        assert _row(result, "strait", "crossings")["high"] < 0     # clear even with 3 replicates
        values = {name: migsim.outcomes(ds, "border", window).sel(group="strait") for name, ds in
                  (("base", base), ("variant", variant))}
        rate = {k: (v["interceptions"] / v["attempts"]).values for k, v in values.items()}
        assert (rate["variant"] > rate["base"]).all(), rate


def test_windows(toy_runs):
    full, short = migsim.open_run(toy_runs(1)), migsim.open_run(toy_runs(1, days=60))
    # the shorter run limits the default window: the first 60 days of both
    default = migsim.compare(full, short)
    windowed = migsim.compare(full, full, window=":2020-02-29")
    pd.testing.assert_series_equal(default["base"], windowed["base"])
    assert (default["difference"].fillna(0) == 0).all()
    one_day = migsim.compare(full, full, window="2020-03-01:2020-03-01")
    assert _row(one_day, "", "arrivals")["base"] == int(full["arrivals"].isel(time=60).sum())
    with pytest.raises(ValueError):
        migsim.compare(full, full, window="2021-01-01:")
    with pytest.raises(ValueError):
        migsim.compare(full, full, window="yesterday")


def test_unpaired_files_are_refused(toy_runs, pair):
    base, _ = pair
    with pytest.raises(ValueError, match="seed"):
        migsim.compare(toy_runs(1), toy_runs(2))
    with pytest.raises(ValueError, match="replicates"):
        migsim.compare(base, toy_runs(1))
    moved = migsim.open_run(toy_runs(1))
    moved.attrs["start_date"] = "2021-01-01"
    with pytest.raises(ValueError, match="start"):
        migsim.compare(toy_runs(1), moved)
    with pytest.raises(ValueError, match="by="):
        migsim.compare(toy_runs(1), toy_runs(1), by="country")


def test_sweep_files_are_refused(sweep_file):
    with pytest.raises(ValueError, match="sweep"):
        migsim.compare(sweep_file, sweep_file)


def test_files_without_the_new_series_still_compare(toy_runs):
    old = migsim.open_run(toy_runs(1)).drop_vars(["arrival_transit_days"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = migsim.compare(old, old)
    assert "transit_days" not in set(result["outcome"])
    assert any("arrival_transit_days" in str(w.message) for w in caught)


# ---- the command line gives the same numbers ----------------------------------------------------

def cli_compare(cli, base, variant, *options) -> pd.DataFrame:
    out = cli.ok("compare", base, variant, "--format", "csv", *options).stdout
    frame = pd.read_csv(io.StringIO(out), keep_default_na=False, na_values=["nan", "NaN", "-nan", ""])
    frame["group"] = frame["group"].fillna("").astype(str)
    return frame


@pytest.mark.parametrize("by", list(ORDER))
@pytest.mark.parametrize("window", [None, "2020-02-01:2020-03-15"])
def test_cli_csv_equals_python(cli, ensemble_pair, by, window):
    base, variant, _ = ensemble_pair
    options = (["--by", by] if by else []) + (["--window", window] if window else [])
    theirs = cli_compare(cli, base, variant, *options)
    ours = migsim.compare(base, variant, by=by, window=window)
    assert list(theirs.columns) == COLUMNS
    assert sorted(zip(theirs["group"], theirs["outcome"])) == sorted(zip(ours["group"], ours["outcome"]))
    merged = ours.merge(theirs, on=["group", "outcome"], suffixes=("", "_cli"))
    for column in ("base", "variant", "difference", "low", "high", "relative"):
        np.testing.assert_allclose(merged[f"{column}_cli"].astype(float), merged[column].astype(float),
                                   rtol=1e-9, atol=0, equal_nan=True, err_msg=f"by={by} {column}")
    assert (merged["replicates_cli"] == merged["replicates"]).all()


@pytest.mark.parametrize("by", list(ORDER))
def test_cli_rows_come_in_the_same_order(cli, ensemble_pair, by):
    base, variant, _ = ensemble_pair
    theirs = cli_compare(cli, base, variant, *(["--by", by] if by else []))
    ours = migsim.compare(base, variant, by=by)
    assert list(zip(theirs["group"], theirs["outcome"])) == list(zip(ours["group"], ours["outcome"]))


def test_cli_refuses_unpaired_files(cli, toy_runs):
    result = cli("compare", toy_runs(1), toy_runs(2), "--format", "csv")
    assert result.returncode != 0 and "seed" in result.stderr.lower()


@pytest.mark.parametrize("df", [1, 2, 3, 4, 9, 10, 29, 99, 500])
def test_t_quantile(df):
    from migsim.compare import t_quantile_975

    value = t_quantile_975(df)
    assert value == pytest.approx(stats.t.ppf(0.975, df), rel=1e-9)
    if df == 1:
        assert value == pytest.approx(math.tan(math.pi * 0.475), rel=1e-15)
    if df == 2:                          # closed form: a * sqrt(2 / (1 - a^2)), a = 0.95
        assert value == pytest.approx(0.95 * math.sqrt(2 / (1 - 0.95 ** 2)), rel=1e-15)


def _posterior_pair(cli, tmp_path, draws=3, replicates=2):
    """Two posterior runs of the toy (the variant with the strait boats' price at 1500)."""
    import h5py

    calibration = tmp_path / "calib.h5"
    with h5py.File(calibration, "w") as f:
        f.create_dataset("parameter", data=np.array(["border:strait.patrol", "behaviour.switching_cost"],
                                                    dtype=object), dtype=h5py.string_dtype("utf-8"))
        f.create_dataset("posterior_value", data=np.array([[0.1, 20.0], [0.4, 60.0], [0.8, 150.0]]))
        f.create_dataset("posterior_weight", data=np.array([0.3, 0.4, 0.3]))
        f.attrs["method"] = "abc-smc"
    common = ["--posterior", calibration, "--draws", draws, "--replicates", replicates, "--days", 30, "-q",
              "--seed", 3, "--threads", 2]
    base, variant = tmp_path / "base.h5", tmp_path / "variant.h5"
    cli.ok("run", TOY, *common, "-o", base)
    cli.ok("run", TOY, *common, "--set", "market:strait_boats.price=1500", "-o", variant)
    return calibration, base, variant


def test_posterior_runs_pair_by_draw_and_seed_as_the_cli(cli, tmp_path):
    """Two posterior runs: the same rows as `migsim compare --format csv` (docs/COMPARE.md, "With
    parameter uncertainty"), the interval recomputed here from the outcomes."""
    _, base, variant = _posterior_pair(cli, tmp_path)
    assert migsim.open_run(base)["arrivals"].dims[:2] == ("draw", "replicate")
    ours = migsim.compare(base, variant, by="border")
    theirs = pd.read_csv(io.StringIO(cli.ok("compare", base, variant, "--by", "border", "--format", "csv").stdout),
                         keep_default_na=False, na_values=["nan"])
    assert list(ours.columns) == list(theirs.columns) == COLUMNS + ["draws", "low_seed_only", "high_seed_only"]
    assert list(ours["outcome"]) == list(theirs["outcome"])
    for column in ("base", "variant", "difference", "low", "high", "relative", "low_seed_only", "high_seed_only"):
        np.testing.assert_allclose(ours[column].astype(float), theirs[column].astype(float), rtol=1e-9, atol=1e-9,
                                   err_msg=column)
    assert (ours["draws"] == 3).all() and (ours["replicates"] == 2).all()

    totals = migsim.outcomes(base)["arrivals"], migsim.outcomes(variant)["arrivals"]
    d = (totals[1] - totals[0]).transpose("draw", "replicate").values
    m_k = d.mean(axis=1)
    s_m2, s_w2 = m_k.var(ddof=1), ((d - m_k[:, None]) ** 2).sum() / (3 * 1)
    half = 1.96 * math.sqrt(max(0.0, s_m2 - s_w2 / 2) + s_m2 / 3)
    row = migsim.compare(base, variant).set_index("outcome").loc["arrivals"]
    assert row["low"] == pytest.approx(m_k.mean() - half) and row["high"] == pytest.approx(m_k.mean() + half)


def test_posterior_runs_pair_only_with_the_same_draws(cli, toy_runs, tmp_path):
    calibration, base, _ = _posterior_pair(cli, tmp_path)
    with pytest.raises(ValueError, match="is a posterior run.*is not"):
        migsim.compare(base, toy_runs(1))
    other = tmp_path / "other.h5"
    cli.ok("run", TOY, "--posterior", calibration, "--draws", 2, "--replicates", 2, "--days", 30, "-q",
           "--seed", 3, "-o", other)
    with pytest.raises(ValueError, match="draws differ"):
        migsim.compare(base, other)
