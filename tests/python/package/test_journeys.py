"""The journey table (`migsim run --journeys SHARE`, docs/JOURNEYS.md) against the aggregated
series of the same run: with every agent sampled, the table must add up to them exactly."""
from __future__ import annotations

import h5py
import numpy as np
import pandas as pd
import pytest

import migsim
from conftest import TOY

HARMS = {"abductions": "harm_abductions", "trafficking": "harm_trafficking",
         "violence": "harm_violence", "detentions": "harm_detentions"}


@pytest.fixture(scope="module")
def full(cli, tmp_path_factory):
    """The toy with every agent sampled, on 1 and on 3 threads."""
    folder = tmp_path_factory.mktemp("journeys")
    out = {}
    for threads in (1, 3):
        path = folder / f"toy_j1_t{threads}.h5"
        cli.ok("run", TOY, "-o", path, "-q", "--threads", threads, "--journeys", 1)
        out[threads] = path
    return out


def cents(x) -> int:
    return int(round(float(x) * 100))


def test_one_row_per_agent_in_id_order(full):
    table = migsim.journeys(full[1])
    ds = migsim.open_run(full[1])
    assert len(table) == int(ds["agents_created"].isel(time=-1).sum())
    assert list(table["id"]) == list(range(len(table)))
    assert (table["route"].map(len) >= 1).all()
    assert all(r[0] == o for r, o in zip(table["route"], table["origin"]))
    assert all(a != b for r in table["route"] for a, b in zip(r, r[1:]))


def test_arrivals_by_destination_match_the_series(full):
    table = migsim.journeys(full[1])
    ds = migsim.open_run(full[1])
    locations = list(ds["location"].values.astype(str))
    for outcome, series in (("arrived", "arrivals"), ("arrived_regular", "arrivals_regular")):
        rows = table[table["outcome"] == outcome]
        by_place = rows["route"].map(lambda r: r[-1]).value_counts()
        totals = ds[series].sum(dim="time").isel(replicate=0).values
        for k, name in enumerate(locations):
            assert int(by_place.get(k, 0)) == int(totals[k]), (outcome, name)
    assert int((table["outcome"] == "arrived").sum()) > 0


def test_deaths_and_every_outcome_match_the_final_status(full):
    table = migsim.journeys(full[1])
    ds = migsim.open_run(full[1])
    final = ds["status_counts"].isel(replicate=0, time=-1)
    counts = table["outcome"].astype(str).value_counts()
    for name in ds["status"].values.astype(str):
        assert int(counts.get(name, 0)) == int(final.sel(status=name)), name
    ended = table["outcome"].astype(str).isin(["arrived", "arrived_regular", "dead_missing", "settled", "returned"])
    assert (table.loc[ended, "end_day"] >= 0).all()
    assert (table.loc[~ended, "end_day"] == -1).all()


def test_money_matches_the_series_to_the_cent(full):
    table = migsim.journeys(full[1])
    ds = migsim.open_run(full[1])
    total = {name: cents(ds[name].isel(replicate=0).sum()) for name in
             ("tolls_paid", "bribes_paid", "ransom_paid", "fares_paid", "pathway_fees_paid")}
    assert total["tolls_paid"] > 0 and total["bribes_paid"] > 0 and total["ransom_paid"] > 0
    assert cents(table["paid_officials"].sum()) == total["bribes_paid"]
    assert cents(table["paid_armed_groups"].sum()) == total["tolls_paid"] + total["ransom_paid"]
    assert cents(table["paid_fares"].sum()) == total["fares_paid"] + total["pathway_fees_paid"]
    assert table["paid_smugglers"].sum() > 0


def test_harms_match_the_series(full):
    table = migsim.journeys(full[1])
    ds = migsim.open_run(full[1])
    for column, series in HARMS.items():
        assert int(table[column].sum()) == int(ds[series].sum()), column
    assert int(table["abductions"].sum()) > 0


def test_attempts_and_interceptions_match_the_series(full):
    table = migsim.journeys(full[1])
    ds = migsim.open_run(full[1])
    assert int(table["interceptions"].sum()) == int(ds["border_interceptions"].sum())
    assert int(table["interceptions"].sum()) == int(ds["profile_interceptions"].sum())
    assert (table["attempts"] >= table["interceptions"]).all()


def test_the_table_is_the_same_on_1_and_3_threads(full):
    with h5py.File(full[1]) as a, h5py.File(full[3]) as b:
        assert sorted(a["journeys"]) == sorted(b["journeys"])
        for name in a["journeys"]:
            assert np.array_equal(a["journeys"][name][()], b["journeys"][name][()]), name


def test_a_tenth_sample_has_about_a_tenth(cli, full, tmp_path):
    path = tmp_path / "toy_j01.h5"
    cli.ok("run", TOY, "-o", path, "-q", "--set", "journey_sample=0.1")
    table = migsim.journeys(path)
    everyone = migsim.journeys(full[1])
    share = len(table) / len(everyone)
    assert 0.08 < share < 0.12, share
    # the same agents' journeys as in the full table: sampling changes nothing else
    merged = table.merge(everyone, on="id", suffixes=("", "_all"))
    assert len(merged) == len(table)
    assert (merged["end_day"] == merged["end_day_all"]).all()
    assert (merged["route"] == merged["route_all"]).all()


def test_no_table_without_journeys(toy_runs):
    with h5py.File(toy_runs(1)) as f:
        assert "journeys" not in f
    with pytest.raises(KeyError):
        migsim.journeys(toy_runs(1))


@pytest.mark.parametrize("args, message", [
    (["--journeys", "1.5"], "journey_sample"),
])
def test_refused_with_a_clear_message(cli, tmp_path, args, message):
    result = cli("run", TOY, "-o", tmp_path / "x.h5", "-q", *args)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "internal error" not in result.stderr


def test_pandas_examples(full):
    table = migsim.journeys(full[1])
    arrived = table[table["outcome"].isin(["arrived", "arrived_regular"])]
    transit = arrived["end_day"] - arrived["born"]
    assert (transit >= arrived["days_travelling"]).all()
    success = table[table["outcome"] == "arrived"]
    per_success = success["attempts"].mean()
    assert np.isfinite(per_success) and per_success >= 0
    cost = arrived[["paid_smugglers", "paid_officials", "paid_armed_groups", "paid_fares"]].sum(axis=1)
    by_route = cost.groupby(arrived["route_ids"].map(" > ".join)).median()
    assert len(by_route) > 1
    assert isinstance(table, pd.DataFrame)


def test_profile_and_group_ids_name_the_indices(full):
    table = migsim.journeys(full[1])
    ds = migsim.open_run(full[1])
    groups = [str(g) for g in ds["group"].values]   # written whenever the scenario has groups
    assert groups == ["man", "woman", "boy", "girl"]
    assert list(table["group_id"].cat.categories) == groups
    assert (table["group_id"].astype(str) == [groups[k] for k in table["group"]]).all()
    profiles = [str(p) for p in ds["profile"].values]
    assert (table["profile_id"] == [profiles[k] for k in table["profile"]]).all()
    assert set(table["group_id"]) == set(groups)   # every group is drawn on the toy


def test_a_file_with_a_journey_table_opens_on_the_fast_path(full):
    """The journey group does not send open_run to the slow h5netcdf reader (seconds, not ms)."""
    from migsim.io import _read_h5py
    fast = _read_h5py(full[1])
    assert "harm_abductions" in fast and "journeys" not in fast
    assert int(fast["arrivals"].sum()) == int(migsim.open_run(full[1])["arrivals"].sum())


def test_sampling_changes_no_series(cli, full, tmp_path):
    """Every agent sampled or none: every dataset outside /journeys has the same bytes."""
    plain = tmp_path / "plain.h5"
    cli.ok("run", TOY, "-o", plain, "-q", "--threads", 1)
    def series(path):
        lines = cli.ok("info", "--checksums", path).stdout.splitlines()
        return [line for line in lines if not line.startswith(("journeys/", "wall_time"))]
    sampled = series(full[1])
    assert len(sampled) > 50 and sampled == series(plain)


def test_plans_agree_with_the_replans_and_route_switches(full):
    """Each journey's plans (docs/BEHAVIOUR.md): a first plan first, days in order within its
    journey; the plans made for a reason are at most the re-plans (a re-plan may keep the plan)
    and at least the route switches (a plan after a package's interception is no switch)."""
    table = migsim.journeys(full[1])
    ds = migsim.open_run(full[1])
    planned = table[table["plans"].map(len) > 0]
    assert len(planned) > 0.9 * len(table)
    assert (planned["plans"].map(lambda p: p[0][3]) == "first").all()
    for born, end, plans in zip(planned["born"], planned["end_day"], planned["plans"]):
        days = [p[0] for p in plans]
        assert days == sorted(days) and days[0] >= born and (end < 0 or days[-1] <= end)
    for_a_reason = sum(1 for plans in table["plans"] for p in plans if p[3] != "first")
    assert int(ds["route_switches"].sum()) <= for_a_reason <= int(ds["replans"].sum())
    assert int(ds["route_switches"].sum()) > 100
    matrix = migsim.route_switches(full[1])
    assert matrix.values.sum() == int(ds["route_switches"].sum())
    assert matrix.loc["strait", "fence"] > 0   # those caught at sea try the fence next to it
