"""migsim import-flee as a user runs it: a FabFlee folder (the shipped copy of mali2012's Flee
files) into a new scenario folder, the refusal of an existing folder, --force, --strict, and a
refused location type, each with the exit code and message the docs promise."""
from __future__ import annotations

import shutil
from pathlib import Path

from conftest import CRASH_MARKERS, SCENARIOS, read_table

MALI = SCENARIOS / "flee-mali2012"
FLEE_FILES = MALI / "flee"   # Flee's own input_csv/, source_data/, simsetting.yml


def no_crash(result):
    for marker in CRASH_MARKERS:
        assert marker not in result.stderr, result.stderr


def flee_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FLEE_FILES, tmp_path / "mali2012"))


def test_import_writes_the_scenario_and_flee_files(migsim, tmp_path):
    out = tmp_path / "mali"
    result = migsim.ok("import-flee", FLEE_FILES, "-o", out, "--hasten", 1)
    no_crash(result)
    assert "23 locations, 35 routes -> 70 links, 9 conflict events, 32 closure events" in result.stdout
    for group in ("supported (", "inert (", "ignored ("):
        assert group in result.stdout
    assert "unsupported (" not in result.stdout
    assert "optimisations.hasten = 10" in result.stdout
    assert "input_csv/demographics_age.csv" in result.stdout
    assert f"migsim run {out}" in result.stdout

    text = (out / "scenario.yml").read_text()
    assert text.startswith(f"# Imported from {FLEE_FILES} by migsim import-flee")
    assert "\nrules: flee" in text and "\n  hasten: 1 " in text
    locations = read_table(out / "locations.csv")
    assert len(locations) == 23
    assert {r["kind"] for r in locations} == {"conflict_zone", "town", "camp"}
    assert len(read_table(out / "links.csv")) == 70
    events = read_table(out / "events.csv")
    assert len(events) == 41
    assert {"day": "163", "target": "location:bamako", "parameter": "conflict", "value": "1"} in events
    for name in ("input_csv/locations.csv", "input_csv/conflicts.csv", "source_data/data_layout.csv",
                 "source_data/mau-fassala-mbera.csv", "simsetting.yml"):
        assert (out / "flee" / name).read_bytes() == (FLEE_FILES / name).read_bytes(), name
    # The shipped tables are these (the shipped header names the original FabFlee folder instead).
    for table in ("locations.csv", "links.csv", "events.csv"):
        assert read_table(out / table) == read_table(MALI / table), table


def test_an_existing_folder_is_refused_without_force(migsim, tmp_path):
    out = tmp_path / "mali"
    out.mkdir()
    (out / "README.md").write_text("mine\n")
    result = migsim("import-flee", FLEE_FILES, "-o", out)
    no_crash(result)
    assert result.returncode == 3, result.stderr
    assert "exists" in result.stderr and "--force" in result.stderr
    assert not (out / "scenario.yml").exists()

    migsim.ok("import-flee", FLEE_FILES, "-o", out, "--force")
    assert (out / "scenario.yml").exists()
    assert (out / "README.md").read_text() == "mine\n"     # other files are kept
    assert "\n  hasten: 10 " in (out / "scenario.yml").read_text()   # simsetting.yml's own


def test_strict_refuses_unsupported_settings(migsim, tmp_path):
    source = flee_copy(tmp_path)
    settings = source / "simsetting.yml"
    settings.write_text(settings.read_text().replace("avoid_short_stints: False", "avoid_short_stints: True"))

    strict = migsim("import-flee", source, "-o", tmp_path / "strict", "--strict")
    no_crash(strict)
    assert strict.returncode == 2, strict.stderr
    assert "move_rules.avoid_short_stints = true" in strict.stdout
    assert "--strict" in strict.stderr
    assert not (tmp_path / "strict").exists()

    lenient = migsim.ok("import-flee", source, "-o", tmp_path / "lenient")
    assert "unsupported (1)" in lenient.stdout
    assert (tmp_path / "lenient" / "scenario.yml").exists()

    # mali2012 as shipped has nothing unsupported.
    migsim.ok("import-flee", FLEE_FILES, "-o", tmp_path / "clean", "--strict")


def test_an_unsupported_location_type_is_an_error_naming_the_row(migsim, tmp_path):
    source = flee_copy(tmp_path)
    locations = source / "input_csv" / "locations.csv"
    locations.write_text(locations.read_text().replace('"Goundam","Timbuktu","Mali",16.417,-3.6639,"town"',
                                                       '"Goundam","Timbuktu","Mali",16.417,-3.6639,"marker"'))
    result = migsim("import-flee", source, "-o", tmp_path / "out")
    no_crash(result)
    assert result.returncode == 2
    assert "locations.csv:17: column 'location_type': got 'marker'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_help_teaches_the_command(migsim):
    result = migsim.ok("import-flee", "--help")
    for words in ("--hasten", "--strict", "--force", "events.csv", "idpcamp", "migsim validate-data"):
        assert words in result.stdout, words
    assert "import-flee" in migsim.ok("--help").stdout
