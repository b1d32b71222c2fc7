"""The output file as a notebook reads it: xarray (h5netcdf) and h5py, layout as documented in
docs/ARCHITECTURE.md ("Output") and engine/src/io/series.cpp."""
from __future__ import annotations

import hashlib

import numpy as np
import pytest

from conftest import (TOY, profile_ids, read_table, scenario_setting, series_catalogue,
                      status_names)

xr = pytest.importorskip("xarray")
h5py = pytest.importorskip("h5py")

MONEY = {"market_price", "market_revenue", "ransom_paid", "tolls_paid", "bribes_paid", "fares_paid",
         "protection_paid", "smuggler_bribes_paid",
         "pathway_fees_paid"}


@pytest.fixture(scope="module")
def ds(toy_output):
    with xr.open_dataset(toy_output, engine="h5netcdf") as dataset:
        yield dataset.load()


@pytest.fixture(scope="module")
def toy():
    """What the toy scenario's own files say."""
    tables = {name: read_table(TOY / f"{name}.csv")
              for name in ("locations", "links", "borders", "markets", "pathways", "demand")}
    return {
        **tables,
        "profiles": profile_ids(TOY / "scenario.yml"),
        "days": int(scenario_setting(TOY / "scenario.yml", "days")),
        "seed": int(scenario_setting(TOY / "scenario.yml", "seed")),
        "start_date": scenario_setting(TOY / "scenario.yml", "start_date"),
        "name": scenario_setting(TOY / "scenario.yml", "name"),
    }


def test_dimensions(ds, toy):
    expected = {
        "replicate": 1,
        "time": toy["days"],
        "location": len(toy["locations"]),
        "link": len(toy["links"]),
        "border": len(toy["borders"]),
        "market": len(toy["markets"]),
        "pathway": len(toy["pathways"]),
        "profile": len(toy["profiles"]),
        "status": len(status_names()),
        "replan_cause": 4,   # failure, money, closed, news (docs/BEHAVIOUR.md)
        "border_switch": (len(toy["borders"]) + 1) ** 2,   # every (old, new) pair of borders or none
        "statistic": 4,   # mean, q05, q50, q95 of the ensemble summaries
        "group": 4,       # the scenario's demographic groups (coordinates of the journey table's group)
        # the parameters events change (events.csv) or overrides set: policy_value (docs/SCENARIOS.md)
        "policy": len({(row["target"], row["parameter"]) for row in read_table(TOY / "events.csv")}),
    }
    assert dict(ds.sizes) == expected


@pytest.mark.parametrize("dim", ["location", "link", "border", "market", "pathway"])
def test_entity_coordinates_hold_the_csv_ids(ds, toy, dim):
    assert dim in ds.coords
    assert ds[dim].dims == (dim,)
    assert ds[dim].values.tolist() == [row["id"] for row in toy[f"{dim}s"]]


def test_profile_status_and_replicate_coordinates(ds, toy):
    assert ds["profile"].values.tolist() == toy["profiles"]
    assert ds["status"].values.tolist() == status_names()
    assert ds["replicate"].values.tolist() == [0]
    assert ds["seed"].dims == ("replicate",)
    assert ds["seed"].values.tolist() == [toy["seed"]]


def test_time_decodes_to_dates_from_start_date(ds, toy):
    time = ds["time"].values
    assert np.issubdtype(time.dtype, np.datetime64), f"time is {time.dtype}, not decoded to dates"
    start = np.datetime64(toy["start_date"], "ns")
    assert time[0] == start
    assert (np.diff(time) == np.timedelta64(1, "D")).all(), "time steps are not one day"
    assert time[-1] == start + np.timedelta64(toy["days"] - 1, "D")


def test_location_coordinates(ds, toy):
    locations = toy["locations"]
    for name in ("location_name", "location_country", "location_kind", "lat", "lon"):
        assert name in ds.coords, f"{name} is not a coordinate"
        assert name not in ds.data_vars
        assert ds[name].dims == ("location",)
    assert ds["location_name"].values.tolist() == [row["name"] for row in locations]
    assert ds["location_country"].values.tolist() == [row["country"] for row in locations]
    assert ds["location_kind"].values.tolist() == [row["kind"] for row in locations]
    assert ds["lat"].values.tolist() == [float(row["lat"]) for row in locations]
    assert ds["lon"].values.tolist() == [float(row["lon"]) for row in locations]
    # Selecting by coordinate works as a notebook would do it.
    last = locations[-1]
    assert float(ds["lat"].sel(location=last["id"])) == float(last["lat"])


def test_link_coordinates(ds, toy):
    links = toy["links"]
    for name in ("link_from", "link_to", "link_mode", "link_border", "link_distance_km"):
        assert name in ds.coords, f"{name} is not a coordinate"
        assert ds[name].dims == ("link",)
    assert ds["link_from"].values.tolist() == [row["from"] for row in links]
    assert ds["link_to"].values.tolist() == [row["to"] for row in links]
    assert ds["link_border"].values.tolist() == [row["border"] for row in links]
    assert ds["link_distance_km"].values.tolist() == [float(row["distance_km"]) for row in links]


@pytest.mark.parametrize("name, dim", series_catalogue())
def test_series(ds, name, dim):
    assert name in ds.data_vars, f"series {name} is missing"
    assert ds[name].dims == ("replicate", "time", dim)
    values = ds[name].values
    if name in MONEY:
        assert np.issubdtype(values.dtype, np.floating)
        assert np.isfinite(values).all()
    else:
        assert np.issubdtype(values.dtype, np.integer)
    assert (values >= 0).all(), f"{name} has negative values"


def test_agents_created_and_conservation(ds, toy):
    created = ds["agents_created"]
    assert created.dims == ("replicate", "time")
    assert (created.diff("time") >= 0).all(), "agents_created decreases"
    # Every agent ever created is in exactly one status at the end of every day.
    np.testing.assert_array_equal(ds["status_counts"].sum("status").values, created.values)
    # All the demand that starts and ends within the run has been created by its last day.
    due = sum(int(row["count"]) for row in toy["demand"]
              if int(row["day"]) + int(row["spread_days"] or 1) <= toy["days"])
    assert int(created.isel(replicate=0, time=-1)) == due


def test_something_happens(ds):
    # Guards the other checks against an output of zeros.
    assert int(ds["border_attempts"].sum()) > 0
    assert int(ds["arrivals"].sum()) > 0
    assert int(ds["market_seats"].sum()) > 0


def test_attributes(ds, toy, migsim):
    attrs = ds.attrs
    assert attrs["scenario"] == toy["name"]
    assert int(attrs["seed"]) == toy["seed"]
    assert int(attrs["threads"]) == 2
    assert int(attrs["completed"]) == 1
    assert int(attrs["days_completed"]) == toy["days"]
    assert int(attrs["days_requested"]) == toy["days"]
    assert attrs["start_date"] == toy["start_date"]
    version = migsim.ok("--version").stdout.strip()
    assert version == f"migsim {attrs['engine_version']} ({attrs['git_revision']})"


def test_input_hashes(ds):
    hashes = {}
    for line in ds.attrs["input_sha256"].splitlines():
        digest, path = line.split("  ", 1)
        hashes[path.rsplit("/", 1)[-1]] = digest
    expected_files = {"scenario.yml", "locations.csv", "links.csv", "borders.csv", "markets.csv",
                      "pathways.csv", "demand.csv", "events.csv", "harms.csv"}
    assert set(hashes) == expected_files
    for name in expected_files:
        assert hashes[name] == hashlib.sha256((TOY / name).read_bytes()).hexdigest(), name


def test_resolved_scenario(ds):
    resolved = ds.attrs["resolved_scenario"]
    for name in ("scenario.yml", "locations.csv", "events.csv"):
        assert (TOY / name).read_text() in resolved, f"{name} is not in resolved_scenario"


def test_h5py_reads_it(toy_output, toy):
    with h5py.File(toy_output, "r") as f:
        status = f["status_counts"]
        assert status.shape == (1, toy["days"], len(status_names()))
        assert status.dtype == np.int64
        # The entity axis is attached to its dimension scale.
        assert [scale.name for scale in status.dims[2].values()] == ["/status"]
        assert [scale.name for scale in status.dims[1].values()] == ["/time"]
        assert f["time"].attrs["units"] == f"days since {toy['start_date']}"
        assert f["time"][:].tolist() == list(range(toy["days"]))
        assert int(f.attrs["completed"]) == 1


def test_info_shows_the_harms_by_place_and_who_was_paid(migsim, toy_output, ds):
    out = migsim.ok("info", toy_output).stdout
    table = out[out.index("where people wait"):out.index("paid to:")].splitlines()[1:]
    shown = {line.split()[0]: [float(x) for x in line.split()[1:]] for line in table if line.strip()}
    # The columns: what `migsim compare --by place` shows, from the file's catalogue.
    harms = [n for n in ds.attrs["series_catalogue"].split()
             if ds[n].attrs["entity"] == "location" and "entity" in ds[n].attrs.get("compare_in", "").split()]
    assert harms[0] == "harm_abductions" and "ransom_paid" in harms
    totals = {s: ds[s].sum("time").isel(replicate=0) for s in harms}
    expected = {str(l) for l in ds["location"].values if any(float(totals[s].sel(location=l)) > 0 for s in harms)}
    assert set(shown) == expected and expected   # the places with any harm, and only those
    for place, values in shown.items():
        assert values == [round(float(totals[s].sel(location=place))) for s in harms], place
    paid = out[out.index("paid to:"):].splitlines()[0]
    armed = sum(float(ds[s].sum()) for s in ("ransom_paid", "tolls_paid", "protection_paid"))
    assert f"armed groups {armed:.0f}" in paid
