"""Tidy tables, totals and windows."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import migsim


@pytest.fixture(scope="module")
def ds(toy_runs):
    return migsim.open_run(toy_runs(1))


def test_tidy_has_a_column_per_dimension_and_the_date(ds):
    frame = migsim.tidy(ds, "arrivals")
    assert list(frame.columns) == ["replicate", "day", "date", "location", "value"]
    assert len(frame) == ds.sizes["replicate"] * ds.sizes["time"] * ds.sizes["location"]
    assert frame["value"].sum() == int(ds["arrivals"].sum())
    assert frame["date"].iloc[0] == pd.Timestamp("2020-01-01") and frame["day"].iloc[0] == 0
    assert frame["day"].max() == 119


def test_tidy_with_auxiliary_coordinates_and_a_window(ds):
    frame = migsim.tidy(ds, "arrivals", aux=True, window="2020-02-01:2020-02-29")
    assert {"location_kind", "lat", "lon", "location_name"} <= set(frame.columns)
    assert frame["date"].min() == pd.Timestamp("2020-02-01")
    assert frame["date"].max() == pd.Timestamp("2020-02-29")
    assert frame["day"].min() == 31
    by_kind = frame.groupby("location_kind")["value"].sum()
    assert by_kind.get("origin", 0) == 0


def test_tidy_of_a_series_without_entity(ds):
    frame = migsim.tidy(ds, "agents_created")
    assert list(frame.columns) == ["replicate", "day", "date", "value"]


def test_totals(ds):
    by_border = migsim.totals(ds, "border_deaths", by="border")
    assert list(by_border.index) == list(ds["border"].values)
    np.testing.assert_array_equal(by_border.values, ds["border_deaths"].sum(["replicate", "time"]).values)
    assert migsim.totals(ds, "link_deaths").iloc[0] == int(ds["link_deaths"].sum())
    per_replicate = migsim.totals(ds, "border_deaths", by="border", replicates="all")
    assert list(per_replicate.columns) == [0]
    first = migsim.totals(ds, "arrivals", window=":2020-01-31").iloc[0]
    assert first == int(ds["arrivals"].isel(time=slice(0, 31)).sum())
    with pytest.raises(ValueError):
        migsim.totals(ds, "arrivals", by="border")


def test_totals_average_replicates(ensemble_pair):
    ds = migsim.open_run(ensemble_pair[0])
    mean = migsim.totals(ds, "border_crossings", by="border")
    np.testing.assert_allclose(mean.values, ds["border_crossings"].sum("time").mean("replicate").values)
    assert migsim.totals(ds, "border_crossings", by="border", replicates="all").shape == (3, 3)


def test_monthly_and_entities(ds):
    months = migsim.monthly(ds, "border_crossings", by="border")
    assert months.sizes["time"] == 4      # January to April 2020
    np.testing.assert_array_equal(months.sum("time").values, ds["border_crossings"].sum("time").values)
    places = migsim.entities(ds, "location")
    assert {"name", "country", "kind", "lat", "lon"} <= set(places.columns)
    assert places.loc["mainland", "kind"] == "destination"
    links = migsim.link_table(ds)
    assert links.loc["strait_crossing", "border"] == "strait"
    assert links["flow"].sum() == int(ds["link_flow"].sum())


@pytest.mark.parametrize("window", ["2020-01-01", "2020-13-01:", "2020-03-01:2020-02-01", ("a", None)])
def test_bad_windows_are_refused(window):
    with pytest.raises(ValueError):
        migsim.parse_window(window)


def test_window_forms_agree(ds):
    a = migsim.select_window(ds, "2020-01-10:2020-01-20")
    b = migsim.select_window(ds, ("2020-01-10", pd.Timestamp("2020-01-20")))
    assert a.sizes["time"] == b.sizes["time"] == 11
    assert migsim.select_window(ds, ":").sizes["time"] == 120
