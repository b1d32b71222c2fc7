"""Bad input gives exit code 2 and one line on stderr, "migsim: error: ...", that names the
file, the line, the bad value and what was expected (docs/SCENARIOS.md); no run starts and no
output file is written. A file that is not migsim output gives exit code 3 ("output error").

Each test breaks one thing in a private copy of the toy scenario (fixture toy_copy)."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CRASH_MARKERS, TOY, CsvFile, replace_regex


def check_error(result, tmp_path: Path, *, file: str | None = None, line: int | None = None,
                value: str | None = None, hint: str | None = None, exit_code: int = 2,
                prefix: str = "migsim: error:") -> str:
    """Asserts the shape of an error report and returns its one line.

    `file` is a basename; `value` is looked for quoted ('value') as the engine reports it;
    `hint` is a piece of the "expected ..." part. The test's temporary folder is cut out of the
    message first, so that words in the folder's name cannot satisfy a check."""
    stderr = result.stderr
    assert result.returncode == exit_code, (
        f"exit code {result.returncode}, expected {exit_code}; stderr:\n{stderr}")
    for marker in CRASH_MARKERS:
        assert marker not in stderr, f"stderr shows a crash ({marker!r}):\n{stderr}"
    lines = stderr.splitlines()
    assert len(lines) == 1, f"expected exactly one line on stderr, got {len(lines)}:\n{stderr}"
    message = lines[0]
    assert message.startswith(prefix), f"expected the message to start with {prefix!r}: {message}"
    text = message.replace(str(tmp_path), "<tmp>").replace(str(TOY), "<toy>")
    if file is not None:
        assert file in text, f"the message does not name the file {file!r}: {message}"
    if line is not None:
        assert f"{file}:{line}:" in text, f"the message does not give {file}:{line}: {message}"
    if value is not None:
        assert f"'{value}'" in text, f"the message does not quote the bad value {value!r}: {message}"
    if hint is not None:
        assert hint.lower() in text.lower(), f"the message does not say what was expected ({hint!r}): {message}"
    return message


@pytest.fixture
def run_bad(migsim, tmp_path):
    """Runs `migsim run SCENARIO -o OUT -q ...` and checks that no output file appeared."""
    def run(scenario, *extra):
        out = tmp_path / "out.h5"
        result = migsim("run", scenario, "-o", out, "-q", *extra)
        assert not out.exists(), "an output file was created although the input is bad"
        assert result.stdout == "", f"unexpected output on stdout:\n{result.stdout}"
        return result
    return run


# ---- tables ------------------------------------------------------------------------------

def table(scenario: Path, name: str) -> CsvFile:
    return CsvFile(scenario / f"{name}.csv")


def test_unknown_id_reference(run_bad, toy_copy, tmp_path):
    links = table(toy_copy, "links")
    line = links.set(links.find(id="village_hub"), to="atlantis")
    check_error(run_bad(toy_copy), tmp_path, file="links.csv", line=line, value="atlantis",
                hint="location")


def test_duplicate_id(run_bad, toy_copy, tmp_path):
    borders = table(toy_copy, "borders")
    line = borders.set(borders.find(id="channel"), id="strait")
    check_error(run_bad(toy_copy), tmp_path, file="borders.csv", line=line, value="strait",
                hint="unique")


def test_probability_above_one(run_bad, toy_copy, tmp_path):
    borders = table(toy_copy, "borders")
    line = borders.set(borders.find(id="strait"), patrol="1.5")
    message = check_error(run_bad(toy_copy), tmp_path, file="borders.csv", line=line, value="1.5",
                          hint="[0, 1]")
    assert "patrol" in message


def test_probability_below_zero(run_bad, toy_copy, tmp_path):
    links = table(toy_copy, "links")
    line = links.set(links.find(id="channel_crossing"), death_risk="-0.02")
    message = check_error(run_bad(toy_copy), tmp_path, file="links.csv", line=line, value="-0.02",
                          hint="[0, 1]")
    assert "death_risk" in message


def test_negative_distance(run_bad, toy_copy, tmp_path):
    links = table(toy_copy, "links")
    line = links.set(links.find(id="strait_crossing"), distance_km="-150")
    message = check_error(run_bad(toy_copy), tmp_path, file="links.csv", line=line, value="-150",
                          hint="> 0")
    assert "distance_km" in message


def test_negative_market_capacity(run_bad, toy_copy, tmp_path):
    markets = table(toy_copy, "markets")
    line = markets.set(markets.find(id="strait_boats"), capacity="-5")
    message = check_error(run_bad(toy_copy), tmp_path, file="markets.csv", line=line, value="-5",
                          hint=">= 0")
    assert "capacity" in message


def test_unreachable_destinations(run_bad, toy_copy, tmp_path):
    # Cut the only roads out of the hub: from the village (profile migrant) no destination can
    # be reached any more (the refugees from town still have the corridor from the hub).
    links = table(toy_copy, "links")
    links.delete(id="hub_port_west")
    links.delete(id="hub_oasis")
    demand = table(toy_copy, "demand")
    first_row = min(line for line, row in demand.rows()
                    if row["origin"] == "village" and row["profile"] == "migrant")
    message = check_error(run_bad(toy_copy), tmp_path, file="demand.csv", line=first_row,
                          value="village", hint="reach")
    assert "'migrant'" in message


def test_wrong_type(run_bad, toy_copy, tmp_path):
    locations = table(toy_copy, "locations")
    line = locations.set(locations.find(id="hub"), lat="north")
    message = check_error(run_bad(toy_copy), tmp_path, file="locations.csv", line=line, value="north",
                          hint="number")
    assert "lat" in message


def test_missing_column(run_bad, toy_copy, tmp_path):
    line = table(toy_copy, "locations").drop_column("wage")
    message = check_error(run_bad(toy_copy), tmp_path, file="locations.csv", line=line, hint="missing")
    assert "'wage'" in message


def test_unknown_column(run_bad, toy_copy, tmp_path):
    # A typo in the name of an optional column.
    line = table(toy_copy, "links").rename_column("alone", "alnoe")
    check_error(run_bad(toy_copy), tmp_path, file="links.csv", line=line, value="alnoe", hint="alone")


def test_bad_event_target(run_bad, toy_copy, tmp_path):
    events = table(toy_copy, "events")
    first_line, _ = events.rows()[0]
    line = events.set(first_line, target="border:atlantis")
    check_error(run_bad(toy_copy), tmp_path, file="events.csv", line=line, value="border:atlantis",
                hint="border")


# ---- YAML files ----------------------------------------------------------------------------

def test_malformed_yaml(run_bad, toy_copy, tmp_path):
    line = replace_regex(toy_copy / "scenario.yml", r"days:", "days: 120: 3")
    check_error(run_bad(toy_copy), tmp_path, file="scenario.yml", line=line, hint="YAML")


def test_missing_scenario_file(run_bad, tmp_path):
    missing = tmp_path / "nowhere" / "scenario.yml"
    message = check_error(run_bad(missing), tmp_path, file="scenario.yml", hint="exist")
    assert "nowhere/scenario.yml" in message


def test_variant_extends_missing_base(run_bad, toy_copy, tmp_path):
    (toy_copy / "variants").mkdir()
    variant = toy_copy / "variants" / "broken-base.yml"
    variant.write_text("# A variant whose base does not exist.\n"
                       "name: toy-broken\n"
                       "extends: ../no-such-base/scenario.yml\n")
    # The error is in the variant, line 3: its `extends` value names nothing.
    check_error(run_bad(variant), tmp_path, file="broken-base.yml", line=3,
                value="../no-such-base/scenario.yml", hint="exist")


# ---- --set -------------------------------------------------------------------------------

@pytest.mark.parametrize("override, value, hint", [
    ("border:strait.patrl=0.5", "patrl", "patrol"),            # unknown parameter
    ("border:atlantis.patrol=0.5", "border:atlantis", "border"),  # unknown target id
    ("dayz=10", "dayz", "days"),                                # unknown setting
    ("patrol", "patrol", "KEY=VALUE"),                          # no '='
])
def test_bad_set_key(run_bad, tmp_path, override, value, hint):
    message = check_error(run_bad(TOY, "--set", override), tmp_path, value=value, hint=hint)
    assert "--set" in message


@pytest.mark.parametrize("override, value, hint", [
    ("border:strait.patrol=abc", "abc", "probability"),
    ("border:strait.patrol=1.5", "1.5", "[0, 1]"),
    ("market:strait_boats.capacity=2.5", "2.5", "whole"),
    ("days=-3", "-3", "from 1 to 65535"),
])
def test_bad_set_value(run_bad, tmp_path, override, value, hint):
    message = check_error(run_bad(TOY, "--set", override), tmp_path, value=value, hint=hint)
    assert "--set" in message


# ---- the command line itself ----------------------------------------------------------------

@pytest.mark.parametrize("args, named", [
    (["run", TOY, "--bogus-option"], ["--bogus-option"]),
    (["run", TOY, "--threads", "-1"], ["--threads", "-1"]),
])
def test_command_line_parse_error(migsim, tmp_path, args, named):
    result = migsim(*args, "-o", tmp_path / "out.h5", "-q")
    message = check_error(result, tmp_path)
    for word in named:
        assert word in message, f"the message does not name {word!r}: {message}"
    assert "--help" in message, f"the message does not point to --help: {message}"
    assert not (tmp_path / "out.h5").exists()


def test_help_still_exits_zero(migsim):
    result = migsim("run", "--help")
    assert result.returncode == 0, result.stderr
    assert "--seed" in result.stdout


# ---- output files ------------------------------------------------------------------------

@pytest.mark.parametrize("content", [b"this is not HDF5\n", None])
def test_info_on_a_file_that_is_not_hdf5(migsim, tmp_path, content):
    path = tmp_path / "not-output.h5"
    if content is not None:
        path.write_bytes(content)
    result = migsim("info", path)
    check_error(result, tmp_path, file="not-output.h5", hint="HDF5" if content else "does not exist", exit_code=3,
                prefix="migsim: output error:")
    assert result.stdout == ""


# ---- dates a notebook can read (issue 16, item 12) -----------------------------------------

@pytest.mark.parametrize("start, field, hint", [("1600-01-01", "start_date", "from 1678-01-01 on"),
                                               ("2262-01-01", "days", "ends by 2262-04-10")])
def test_dates_pandas_cannot_hold_are_refused(migsim, start, field, hint):
    result = migsim("validate", "scenarios/toy", "--set", f"start_date={start}")
    assert result.returncode == 2, result.stderr
    assert f"{field}: got" in result.stderr and hint in result.stderr, result.stderr
    assert migsim("validate", "scenarios/toy", "--set", "start_date=1678-01-01").returncode == 0
