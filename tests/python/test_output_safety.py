"""What a command writes (issue 16, items 2, 3 and 12): an existing file is replaced only with
--force, a file the command reads never; a file another program holds is refused before it is
touched; a run reports success only for a file that reads back whole, and a disk that fills at
any moment, the end of the run included, leaves a file plain h5py opens."""
from __future__ import annotations

import signal

import pytest

from conftest import CRASH_MARKERS, MEDITERRANEAN, wait_for_days

h5py = pytest.importorskip("h5py")


def assert_refused(result, code, *words):
    assert result.returncode == code, result.stdout + result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    assert not any(marker in result.stderr for marker in CRASH_MARKERS), result.stderr


def test_run_and_sweep_never_write_over_a_scenario_input(migsim, toy_copy):
    borders = toy_copy / "borders.csv"
    before = borders.read_bytes()
    for force in ([], ["--force"]):
        assert_refused(migsim("run", toy_copy, "-q", "-o", borders, *force), 3,
                       "is a file this command reads", "--force never replaces an input")
    assert_refused(migsim("sweep", toy_copy, "--param", "border:strait.patrol=0.2,0.4", "-q",
                          "-o", toy_copy / "links.csv"), 3, "is a file this command reads")
    assert borders.read_bytes() == before
    assert_refused(migsim("run", toy_copy, "-q", "-o", toy_copy, "--force"), 3, "is a folder")


def test_validate_data_never_writes_over_the_run_or_an_existing_file(migsim, toy_output, tmp_path):
    before = toy_output.read_bytes()
    for force in ([], ["--force"]):
        assert_refused(migsim("validate-data", toy_output, "--per-day", toy_output, *force), 3,
                       "is a file this command reads")
    assert toy_output.read_bytes() == before
    table = tmp_path / "per-day.csv"
    table.write_text("last week's numbers\n")
    assert_refused(migsim("validate-data", toy_output, "--per-day", table), 3,
                   "exists; give --force to replace it or another --per-day")
    assert table.read_text() == "last week's numbers\n"
    plots = tmp_path / "plots"
    plots.mkdir()
    (plots / "camp.png").write_bytes(b"old")
    assert_refused(migsim("validate-data", toy_output, "--plots", plots), 3, "holds files; give --force")


def test_a_file_being_written_is_refused_not_truncated(migsim, tmp_path):
    out = tmp_path / "busy.h5"
    proc = migsim.popen("run", MEDITERRANEAN, "--days", "900", "-q", "--threads", "1", "-o", out)
    try:
        wait_for_days(proc, out, 64)
        assert_refused(migsim("run", MEDITERRANEAN, "--days", "5", "-q", "-o", out, "--force"), 3,
                       "cannot replace it: another program has it open")
        assert_refused(migsim("info", out), 3, "another program is writing it")
        assert_refused(migsim("run", "--resume", out), 3, "another program is writing it")
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 0, err
    with h5py.File(out, "r") as f:
        assert f.attrs["completed"] == 1 and f.attrs["days_completed"] == 900


def read_whole(path) -> dict:
    """Every dataset's values through plain h5py (no repair), and the progress attributes."""
    with h5py.File(path, "r") as f:
        for name, item in f.items():
            if isinstance(item, h5py.Dataset):
                item[()]
        return {"completed": int(f.attrs["completed"]), "days": int(f.attrs["days_completed"])}


def test_a_disk_that_fills_at_any_moment_never_gives_exit_0_with_a_broken_file(migsim, small_disk):
    # The Mediterranean on 3 MB: the shorter runs finish; one replicate of 660-750 days fills
    # the disk while finishing (its ensemble summaries); two of 320 days or more while writing
    # days (measured: two replicates finish up to 317 days, one up to 630-659).
    seen = set()
    for replicates, days in [(2, 280), (2, 300), (2, 340), (2, 380), (1, 630), (1, 690), (1, 750)]:
        out = small_disk / f"run-{replicates}-{days}.h5"
        result = migsim("run", MEDITERRANEAN, "--days", days, "--replicates", replicates, "-q", "--threads", 2,
                        "-o", out, timeout=300)
        assert not any(marker in result.stderr for marker in CRASH_MARKERS), result.stderr
        assert "HDF5-DIAG" not in result.stderr and len(result.stderr.splitlines()) <= 1, result.stderr
        state = read_whole(out)
        if result.returncode == 0:
            assert state == {"completed": 1, "days": days}
            assert migsim("info", out).returncode == 0
            seen.add("finished")
        else:
            assert result.returncode == 3 and "disk full?" in result.stderr, result.stderr
            assert state["completed"] == 0 and state["days"] > 0
            seen.add("while finishing" if "cannot finish the file" in result.stderr else "while running")
        out.unlink()
    assert seen == {"finished", "while finishing", "while running"}, seen


@pytest.mark.parametrize("name, words", [("a" * 300 + ".h5", "at most 255: give a shorter -o"),
                                         ("missing-folder/run.h5", "does not exist: create it first")])
def test_an_output_that_cannot_be_created_says_why(migsim, tmp_path, name, words):
    assert_refused(migsim("run", "scenarios/toy", "-q", "-o", tmp_path / name), 3, "cannot create the output file", words)


@pytest.mark.parametrize("command, example", [("validate", "migsim validate scenarios/mediterranean/variants"),
                                              ("info", "migsim info --checksums a.h5")])
def test_help_of_a_command_shows_its_own_examples(migsim, command, example):
    text = migsim.ok(command, "--help").stdout
    assert example in text
    assert "migsim generate -o big" not in text   # not the general examples
