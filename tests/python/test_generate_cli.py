"""`migsim generate` as a user runs it for a benchmark: generate a scenario folder, run it, open
the file. And its refusals: bad option values and a folder that holds files give exit code 2
and one line naming the option, the value and what is expected; nothing is written."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CRASH_MARKERS, read_table

h5py = pytest.importorskip("h5py")
np = pytest.importorskip("numpy")

AGENTS = 12345


@pytest.fixture(scope="module")
def generated(migsim, tmp_path_factory) -> Path:
    """A small generated scenario: 300 places, AGENTS migrants setting out over the first 10
    of 20 days."""
    folder = tmp_path_factory.mktemp("generated") / "bench"
    result = migsim.ok("generate", "-o", folder, "--locations", 300, "--agents", AGENTS,
                       "--profiles", 3, "--days", 20, "--seed", 5)
    assert "wrote" in result.stdout and "migsim run" in result.stdout
    return folder


def test_the_files_are_a_scenario(migsim, generated):
    names = sorted(p.name for p in generated.iterdir())
    assert names == ["borders.csv", "demand.csv", "events.csv", "links.csv", "locations.csv",
                     "markets.csv", "pathways.csv", "scenario.yml"]
    assert len(read_table(generated / "locations.csv")) == 300
    assert sum(int(row["count"]) for row in read_table(generated / "demand.csv")) == AGENTS
    result = migsim.ok("validate", generated)
    assert "300 locations" in result.stdout and f"{AGENTS} migrants" in result.stdout


def test_run_it_and_open_the_file(migsim, generated, tmp_path):
    out = tmp_path / "bench.h5"
    migsim.ok("run", generated, "-o", out, "-q", "--threads", 2)
    with h5py.File(out, "r") as f:
        created = f["agents_created"][...]
        assert created.shape == (1, 20)
        assert int(created[0, -1]) == AGENTS, "every migrant of the demand was created"
        np.testing.assert_array_equal(f["status_counts"][...].sum(axis=-1), created)
        assert int(f["border_attempts"][...].sum()) > 0
        assert int(f["market_seats"][...].sum()) > 0


def test_same_options_same_files(migsim, generated, tmp_path):
    again = tmp_path / "again"
    migsim.ok("generate", "-o", again, "--locations", 300, "--agents", AGENTS, "--profiles", 3,
              "--days", 20, "--seed", 5)
    for file in generated.iterdir():
        assert (again / file.name).read_bytes() == file.read_bytes(), file.name


def refused(migsim, tmp_path: Path, *args, option: str, value: str, hint: str) -> None:
    out = tmp_path / "out"
    result = migsim("generate", "-o", out, *args)
    assert result.returncode == 2, f"exit code {result.returncode}:\n{result.stderr}"
    for marker in CRASH_MARKERS:
        assert marker not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("migsim: error:"), result.stderr
    assert option in lines[0] and f"'{value}'" in lines[0] and hint in lines[0], lines[0]
    assert not out.exists() or not any(out.iterdir()), "nothing is written"


@pytest.mark.parametrize("args, option, value, hint", [
    (("--locations", 0, "--agents", 10), "--locations", "0", "from 10 to 65000"),
    (("--locations", 70000, "--agents", 10), "--locations", "70000", "16 bits"),
    (("--locations", 100, "--agents", -5), "--agents", "-5", "from 0 to"),
    (("--locations", 100, "--agents", 10, "--profiles", 0), "--profiles", "0", "from 1 to 255"),
    (("--locations", 100, "--agents", 10, "--days", 70000), "--days", "70000", "from 1 to 65535"),
    (("--locations", 100, "--agents", 10, "--seed", -1), "--seed", "-1", "from 0 to"),
])
def test_bad_values_are_refused(migsim, tmp_path, args, option, value, hint):
    refused(migsim, tmp_path, *args, option=option, value=value, hint=hint)


def test_a_folder_that_holds_files_needs_force(migsim, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n")
    result = migsim("generate", "-o", out, "--locations", 50, "--agents", 100)
    assert result.returncode == 2, result.stderr
    assert "--force" in result.stderr and str(out) in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    migsim.ok("generate", "-o", out, "--locations", 50, "--agents", 100, "--force")
    assert (out / "scenario.yml").is_file() and (out / "notes.txt").read_text() == "mine\n"


def test_help_teaches(migsim):
    text = migsim.ok("generate", "--help").stdout
    for words in ("--locations", "--agents", "--force", "origins -> transit hubs -> coasts -> destinations",
                  "migsim run", "Example"):
        assert words in text, words
