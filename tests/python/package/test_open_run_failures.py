"""open_run on files it cannot read: a clear migsim.RunFileError naming the file and what is
wrong (never h5py's OSError or h5clear's CalledProcessError), and no repair folder left behind."""
from __future__ import annotations

import shutil
import subprocess
import tempfile

import h5py
import numpy as np
import pytest

import migsim
from conftest import skip_outside_ci  # tests/python/conftest.py


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """The system temp directory pointed at an empty folder, so that what open_run leaves
    there can be counted."""
    folder = tmp_path / "systemp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    assert tempfile.gettempdir() == str(folder)
    return folder


def _left(folder):
    return sorted(p.name for p in folder.iterdir())


def _short_run(toy_runs, tmp_path, name="run.h5"):
    return shutil.copy(toy_runs(1, days=30), tmp_path / name)


def _killed_mid_flush(path):
    """`path` made unreadable to HDF5 in a way that `h5clear --increment` repairs, as open_run
    does for a run killed inside its end-of-day flush (docs/ARCHITECTURE.md, "Output"): that kill
    leaves metadata past the recorded end of file ("addr overflow"), which cannot be made on
    purpose; here the recorded end is moved 4 KiB past the last byte instead ("truncated file"),
    the same repair makes both readable, and nothing of the run is lost."""
    h5clear = shutil.which("h5clear")
    if h5clear is None:
        skip_outside_ci("h5clear (Debian's hdf5-tools) is not installed (tools/setup.sh installs it)")
    size = path.stat().st_size
    subprocess.run([h5clear, "--increment=4096", str(path)], check=True, capture_output=True)
    with open(path, "r+b") as f:
        f.truncate(size)
    with pytest.raises(OSError, match="truncated"):
        h5py.File(path, "r", locking=False)
    return path


def test_a_repaired_open_leaves_no_folder(toy_runs, tmp_path, private_tmp):
    path = _killed_mid_flush(_short_run(toy_runs, tmp_path))
    before = path.read_bytes()
    for _ in range(3):
        ds = migsim.open_run(path)
        assert ds.sizes["time"] == 30 and int(ds["arrivals"].sum()) > 0
        assert _left(private_tmp) == [], "open_run left its repaired copy in the temp directory"
    assert path.read_bytes() == before   # the original is left untouched
    assert int(ds["arrivals"].sum()) > 0  # loaded: still usable after the copy is gone


@pytest.mark.parametrize("content", ["empty", "text", "half"])
def test_failed_opens_leave_no_folder(toy_runs, tmp_path, private_tmp, content):
    path = tmp_path / "bad.h5"
    if content == "text":
        path.write_text("day,arrivals\n1,4\n")
    elif content == "half":
        data = _short_run(toy_runs, tmp_path).read_bytes()
        path.write_bytes(data[:len(data) // 2])
    else:
        path.write_bytes(b"")
    for _ in range(3):
        with pytest.raises(migsim.RunFileError):
            migsim.open_run(path)
    assert _left(private_tmp) == []


def test_an_empty_file(tmp_path):
    path = tmp_path / "empty.h5"
    path.write_bytes(b"")
    with pytest.raises(migsim.RunFileError, match=r"empty\.h5.*empty \(0 bytes\).*expected an HDF5 file"):
        migsim.open_run(path)


def test_a_text_file(tmp_path):
    path = tmp_path / "arrivals.csv"
    path.write_text("day,arrivals\n1,4\n")
    with pytest.raises(migsim.RunFileError, match=r"arrivals\.csv.*not an HDF5 file.*migsim run"):
        migsim.open_run(path)


def test_a_truncated_run(toy_runs, tmp_path, private_tmp):
    data = _short_run(toy_runs, tmp_path).read_bytes()
    path = tmp_path / "half.h5"
    path.write_bytes(data[:len(data) // 2])
    with pytest.raises(migsim.RunFileError, match=r"half\.h5.*truncated or damaged") as caught:
        migsim.open_run(path)
    assert f"{len(data) // 2} bytes" in str(caught.value)
    assert not isinstance(caught.value, (OSError, subprocess.CalledProcessError))


def test_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing.h5"):
        migsim.open_run(tmp_path / "nothing.h5")


def test_a_folder(tmp_path):
    with pytest.raises(migsim.RunFileError, match="is a folder"):
        migsim.open_run(tmp_path)


def test_an_hdf5_file_not_written_by_migsim(tmp_path):
    path = tmp_path / "other.h5"
    with h5py.File(path, "w") as f:
        f["values"] = np.arange(5)
        f.attrs["title"] = "someone else's file"
    with pytest.raises(migsim.RunFileError, match=r"other\.h5.*not written by migsim.*engine_version and kind"):
        migsim.open_run(path)


def test_a_run_missing_its_time_axis(toy_runs, tmp_path):
    path = _short_run(toy_runs, tmp_path)
    with h5py.File(path, "r+") as f:
        f.move("time", "day")   # the series' time axis now has another name
    with pytest.raises(migsim.RunFileError, match=r"run\.h5.*no dataset time"):
        migsim.open_run(path)


def test_run_file_error_is_a_value_error():
    assert issubclass(migsim.RunFileError, ValueError)


def test_without_h5py_the_error_says_what_to_install(toy_runs, monkeypatch):
    """h5py is an extra of the package (pyproject.toml): missing, open_run says how to get it."""
    monkeypatch.setitem(__import__("sys").modules, "h5py", None)   # import h5py raises ImportError
    with pytest.raises(ImportError, match=r"python3-h5py.*migsim\[hdf5\]"):
        migsim.open_run(toy_runs(1, days=30))
