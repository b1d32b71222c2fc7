"""Parameter changes are explicit (issue 16, item 9): events have stable ids (events.csv's `id`,
else FILE:LINE) that `event:ID.value` names whatever other events a variant adds; a value set
by --set or `set:` that an event replaces later is said by validate and run; and every run
file records each day's value of every parameter an event changes or an override sets
(`policy_value`, a (time, policy) variable a notebook plots beside the outcomes)."""
from __future__ import annotations

import pytest

from conftest import CsvFile

xr = pytest.importorskip("xarray")


def policy(path):
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        return ds["policy_value"].to_pandas()


def test_the_file_records_each_days_value_of_set_and_event_parameters(migsim, tmp_path):
    out = tmp_path / "toy.h5"
    run = migsim.ok("run", "scenarios/toy", "-q", "-o", out, "--set", "border:strait.patrol=0.8",
                    "--set", "market:strait_boats.price=700")
    table = policy(out)
    assert list(table.columns) == ["border:strait.patrol", "market:strait_boats.price"]
    strait = table["border:strait.patrol"].to_numpy()
    assert len(strait) == 120 and (strait[:60] == 0.8).all() and (strait[60:] == 0.6).all()   # events.csv: day 60
    assert (table["market:strait_boats.price"] == 700).all()
    assert "holds only until day 60: event events.csv:2 sets border:strait.patrol to 0.6" in run.stderr
    assert "price" not in run.stderr   # no event changes the price: nothing to say


def test_validate_says_which_override_an_event_replaces(migsim):
    result = migsim.ok("validate", "scenarios/toy", "--set", "border:strait.patrol=0.8")
    assert "note: --set border:strait.patrol=0.8 holds only until day 60" in result.stderr
    assert "--set event:events.csv:2.value=0.8" in result.stderr
    held = migsim.ok("validate", "scenarios/toy", "--set", "border:strait.patrol=0.8",
                     "--set", "event:events.csv:2.value=0.8")
    assert "holds only until" not in held.stderr


def test_event_ids_stay_with_their_event_when_others_are_added(migsim, toy_copy):
    events = CsvFile(toy_copy / "events.csv")
    events.lines[events.header_index] = "id,day,target,parameter,value"
    events.lines[events.row_indices[0]] = "strait_up," + events.lines[events.row_indices[0]]
    events.lines.append("channel_down,10,border:channel,patrol,0.1")   # an earlier event: positions shift
    events.save(0)
    listed = migsim.ok("validate", toy_copy, "--set", "event:strait_up.value=0.95").stdout
    assert "event:strait_up  (event:2)  day 60  border:strait.patrol = 0.95" in listed
    assert "event:channel_down  (event:1)  day 10  border:channel.patrol = 0.1" in listed


@pytest.mark.parametrize("rows, hint", [(["a,10,border:channel,patrol,0.1", "a,20,border:channel,patrol,0.2"],
                                         "an id no other event has (events.csv:2 has it)"),
                                        (["7up,10,border:channel,patrol,0.1"], "an id that starts with a letter")])
def test_bad_event_ids_are_refused(migsim, toy_copy, rows, hint):
    (toy_copy / "events.csv").write_text("id,day,target,parameter,value\n" + "\n".join(rows) + "\n")
    result = migsim("validate", toy_copy)
    assert result.returncode == 2, result.stderr
    assert "events.csv" in result.stderr and "column 'id'" in result.stderr and hint in result.stderr, result.stderr
