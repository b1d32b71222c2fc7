"""The Python package installs as README.md and tools/python/README.md say, on Debian 12 without
network: a virtual environment that sees Debian's packages, and pip told not to download.

    python3 -m venv --system-site-packages .venv
    .venv/bin/pip install --no-build-isolation --no-index -e tools/python

It takes a few seconds (no migsim binary needed); every step has a timeout.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO_ROOT, skip_outside_ci

PACKAGE = REPO_ROOT / "tools" / "python"
PYTHON = "/usr/bin/python3" if Path("/usr/bin/python3").is_file() else sys.executable
VENV = "python3 -m venv --system-site-packages .venv"
INSTALL = ".venv/bin/pip install --no-build-isolation --no-index -e tools/python"
# What the package imports: declared in pyproject.toml, or (h5py, h5netcdf) in its extra "hdf5".
REQUIRED = {"numpy", "pandas", "xarray", "scipy", "matplotlib"}
HDF5_EXTRA = {"h5py", "h5netcdf"}


def _env() -> dict:
    """This environment without what would let the venv find the package another way (PYTHONPATH)
    or make pip look elsewhere (a user's pip.conf, PIP_INDEX_URL)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON", "VIRTUAL_ENV"))}
    env.update({"PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"})
    return env


def _run(command: list, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=timeout,
                          cwd=cwd, env=_env())


@pytest.mark.parametrize("readme", ["README.md", "tools/python/README.md"])
def test_the_readmes_give_the_command(readme):
    text = (REPO_ROOT / readme).read_text()
    assert VENV in text and INSTALL in text, f"{readme} does not show how to install the package: {INSTALL}"


def test_installs_offline_into_a_venv_over_debians_packages(tmp_path):
    venv = tmp_path / ".venv"
    made = _run([PYTHON, "-m", "venv", "--system-site-packages", venv], tmp_path)
    said = made.stdout + made.stderr
    if made.returncode != 0 and ("ensurepip" in said or "No module named venv" in said):
        skip_outside_ci(f"python3 -m venv is not available here (Debian: apt install python3-venv): {said.strip()}")
    assert made.returncode == 0, said
    pip = _run([venv / "bin" / "pip", "install", "--no-build-isolation", "--no-index", "-e", PACKAGE], tmp_path)
    assert pip.returncode == 0, f"{INSTALL} failed:\n{pip.stdout}\n{pip.stderr}"

    probe = _run([venv / "bin" / "python", "-c", (
        "import importlib.metadata as m, json, sys, migsim, h5py, h5netcdf\n"
        "print(json.dumps({'file': migsim.__file__, 'prefix': sys.prefix, 'version': migsim.__version__,\n"
        "                  'requires': m.requires('migsim') or []}))")], tmp_path)
    assert probe.returncode == 0, probe.stderr
    found = json.loads(probe.stdout)
    assert Path(found["file"]).resolve() == (PACKAGE / "migsim" / "__init__.py").resolve()
    assert Path(found["prefix"]).resolve() == venv.resolve()

    plain, extras = set(), {}
    for requirement in found["requires"]:
        name = re.match(r"[A-Za-z0-9_.-]+", requirement).group(0).lower()
        extra = re.search(r"""extra\s*==\s*["']([^"']+)["']""", requirement)
        if extra:
            extras.setdefault(extra.group(1), set()).add(name)
        else:
            plain.add(name)
    assert REQUIRED <= plain, f"pyproject.toml declares {sorted(plain)}: expected at least {sorted(REQUIRED)}"
    assert extras.get("hdf5", set()) >= HDF5_EXTRA, f"the extra hdf5 holds {extras.get('hdf5')}"
    assert not plain & HDF5_EXTRA   # Debian's h5py has no metadata pip sees: see pyproject.toml
