"""Who is paid (migsim.money_flows, docs/HARM.md): the payees add up to what migrants paid, each
column is the sum of the series it names, and the figure draws those numbers."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

import migsim


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def ds(toy_runs):
    return migsim.open_run(toy_runs(1, replicates=3))


def whole(ds, name):
    """A money series over the whole run: summed over entities and days, mean of replicates."""
    da = ds[name]
    return float(da.sum([d for d in da.dims if d != "replicate"]).mean("replicate"))


def test_the_payees_add_up_to_what_migrants_paid(ds):
    flows = migsim.money_flows(ds)
    paid = sum(whole(ds, n) for n in ("market_revenue", "bribes_paid", "ransom_paid", "tolls_paid",
                                      "fares_paid", "pathway_fees_paid"))
    # migrants_paid is the payees' sum; that it equals what the series say migrants paid is the check
    assert flows["migrants_paid"].sum() == pytest.approx(paid, rel=1e-12)


def test_each_column_is_the_series_it_names(ds):
    flows = migsim.money_flows(ds).sum()
    protection, smuggler_bribes = whole(ds, "protection_paid"), whole(ds, "smuggler_bribes_paid")
    assert protection > 0   # the toy's desert-and-boat package pays protection
    assert flows["smugglers_to_armed_groups"] == pytest.approx(protection)
    assert flows["smugglers_to_officials"] == pytest.approx(smuggler_bribes)
    assert flows["smugglers_net"] == pytest.approx(whole(ds, "market_revenue") - protection - smuggler_bribes)
    assert flows["armed_groups"] == pytest.approx(whole(ds, "ransom_paid") + whole(ds, "tolls_paid") + protection)
    assert flows["officials"] == pytest.approx(whole(ds, "bribes_paid") + smuggler_bribes)
    assert flows["transport"] == pytest.approx(whole(ds, "fares_paid"))


def test_months_add_up_to_the_year_and_windows_select(ds):
    yearly, monthly = migsim.money_flows(ds), migsim.money_flows(ds, "MS")
    assert len(monthly) == 4   # the toy's 120 days from 2020-01-01
    np.testing.assert_allclose(monthly.sum().to_numpy(), yearly.sum().to_numpy(), rtol=1e-12)
    first = migsim.money_flows(ds, "MS", window=("2020-01-01", "2020-01-31"))
    np.testing.assert_allclose(first.iloc[0].to_numpy(), monthly.iloc[0].to_numpy(), rtol=1e-12)


def test_a_file_without_the_newer_series_counts_them_as_zero(ds):
    older = ds.drop_vars(["protection_paid", "smuggler_bribes_paid"])
    flows = migsim.money_flows(older)
    assert np.all(flows.get("smugglers_to_armed_groups", 0) == 0)
    np.testing.assert_allclose(flows["smugglers_net"], flows["smugglers_gross"])


def test_the_figure_stacks_the_payees(ds):
    ax = migsim.plot_money_flows(ds, "MS", scale=1e3, unit="k")
    bars = ax.patches
    payees = migsim.payees(ds)
    assert payees == ["smugglers_net", "armed_groups", "officials", "transport", "pathway_fees"]
    assert len(bars) == 4 * len(payees)
    tops = np.zeros(4)
    for k, bar in enumerate(bars):
        tops[k % 4] += bar.get_height()
    np.testing.assert_allclose(tops, migsim.money_flows(ds, "MS")["migrants_paid"].to_numpy() / 1e3, rtol=1e-9)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [p.replace("_", " ") for p in payees]
