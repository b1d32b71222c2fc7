"""The notebooks in tools/notebooks run headless, top to bottom, on a short run.

Each notebook is executed with `jupyter nbconvert --to notebook --execute` on Debian's
python3 kernel, with MIGSIM_NOTEBOOK_DAYS=120, MIGSIM_NOTEBOOK_REPLICATES=3, the binary of
this test session (MIGSIM_BIN, see conftest.py) and a private output folder, twice: the second
run finds the first one's files and must work too (a notebook run again by its user). A cell
that raises fails the test. Without MIGSIM_NOTEBOOK_OUTPUT the files go outside the repository
(checked on the settings cell alone). The committed notebooks must hold no outputs.

    /usr/bin/python3 -m pytest tests/python/test_notebooks.py -q
"""
from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from conftest import REPO_ROOT, migsim_path

NOTEBOOKS = REPO_ROOT / "tools" / "notebooks"
NAMES = ["patrol_shift", "pathways", "calibration"]
DEBIAN_PYTHON = Path("/usr/bin/python3")
KERNEL = "migsim-debian-python3"
DAYS, REPLICATES = 120, 3


def nbconvert() -> list[str]:
    """`python3 -m jupyter nbconvert` with Debian's interpreter, else /usr/bin/jupyter-nbconvert."""
    if DEBIAN_PYTHON.is_file():
        probe = subprocess.run([str(DEBIAN_PYTHON), "-c", "import nbconvert, ipykernel, jupyter_core"],
                               capture_output=True, timeout=60)
        if probe.returncode == 0:
            return [str(DEBIAN_PYTHON), "-m", "jupyter", "nbconvert"]
    if Path("/usr/bin/jupyter-nbconvert").is_file():
        return ["/usr/bin/jupyter-nbconvert"]
    pytest.fail("jupyter nbconvert is not installed; tools/setup.sh installs it (Debian: jupyter-nbconvert, "
                "python3-ipykernel)")


def private_kernel(folder: Path) -> Path:
    """A kernelspec that starts Debian's python3 (which has the Debian packages the notebooks
    use), whatever other python3 kernels this machine has. Returns the JUPYTER_PATH entry."""
    spec = folder / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(DEBIAN_PYTHON), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (Debian)", "language": "python"}))
    return folder


def listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if "__pycache__" not in p.parts}


def code_cells(path: Path) -> list[dict]:
    return [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_committed_without_outputs(name):
    for cell in code_cells(NOTEBOOKS / f"{name}.ipynb"):
        assert cell.get("outputs") == [] and cell.get("execution_count") is None, (
            f"{name}.ipynb holds outputs: clear them (jupyter nbconvert --clear-output --inplace)")


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs(name, migsim, tmp_path):
    command = nbconvert()
    binary = migsim_path()
    env = dict(os.environ)
    for key in [k for k in env if k.startswith("MIGSIM_NOTEBOOK_")] + ["MIGSIM_ROOT"]:
        env.pop(key, None)   # the notebook finds the repository from its own folder
    env.update({
        "MIGSIM_BIN": str(binary),
        "MIGSIM_NOTEBOOK_DAYS": str(DAYS),
        "MIGSIM_NOTEBOOK_REPLICATES": str(REPLICATES),
        "MIGSIM_NOTEBOOK_OUTPUT": str(tmp_path / "output"),
        "JUPYTER_PATH": os.pathsep.join([str(private_kernel(tmp_path / "jupyter")),
                                         env.get("JUPYTER_PATH", "")]).rstrip(os.pathsep),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    })
    source = NOTEBOOKS / f"{name}.ipynb"
    notebooks_before = listing(NOTEBOOKS)
    # Twice into the same output folder: the second run finds the first one's files.
    for attempt in ("first", "second"):
        started = time.monotonic()
        result = subprocess.run(
            [*command, "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=600",
             f"--ExecutePreprocessor.kernel_name={KERNEL}", "--output-dir", str(tmp_path / "executed" / attempt),
             str(source)],
            capture_output=True, text=True, timeout=900, cwd=NOTEBOOKS, env=env)
        elapsed = time.monotonic() - started
        assert result.returncode == 0, (f"{name}.ipynb failed on its {attempt} run ({elapsed:.0f} s):\n"
                                        f"{result.stderr[-6000:]}")

        executed = tmp_path / "executed" / attempt / f"{name}.ipynb"
        cells = code_cells(executed)
        errors = [o for c in cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert not errors, f"{name}.ipynb ({attempt} run): {errors[0].get('ename')}: {errors[0].get('evalue')}"
        assert all(c.get("execution_count") for c in cells), f"{name}.ipynb ({attempt} run): a cell did not run"
        images = sum("image/png" in o.get("data", {}) for c in cells for o in c.get("outputs", []))
        assert images >= 2, f"{name}.ipynb ({attempt} run) drew {images} figures"
        written = sorted((tmp_path / "output" / name).glob("*.h5"))
        assert written, f"{name}.ipynb wrote no .h5 file under MIGSIM_NOTEBOOK_OUTPUT"
        print(f"{name}.ipynb, {attempt} run: {elapsed:.1f} s")
    assert listing(NOTEBOOKS) == notebooks_before, "the notebook wrote into tools/notebooks"


@pytest.mark.parametrize("name", NAMES)
def test_notebook_writes_outside_the_repository_by_default(name, migsim, tmp_path):
    """Without MIGSIM_NOTEBOOK_OUTPUT the files go to $XDG_CACHE_HOME/migsim/notebook-output/NAME
    (~/.cache/...), whatever folder Jupyter starts the kernel in: never into the repository.
    Runs the notebook's first code cell (the settings) only."""
    setup = "".join(code_cells(NOTEBOOKS / f"{name}.ipynb")[0]["source"])
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIGSIM_NOTEBOOK_") and k != "MIGSIM_ROOT"}
    env.update({"MIGSIM_BIN": str(migsim_path()), "XDG_CACHE_HOME": str(tmp_path / "cache"), "MPLBACKEND": "Agg"})
    before = listing(NOTEBOOKS), (REPO_ROOT / "notebook-output").exists()
    result = subprocess.run([str(DEBIAN_PYTHON), "-c", setup + "\nprint('OUT=' + str(OUT))"], capture_output=True,
                            text=True, timeout=120, cwd=NOTEBOOKS, env=env)
    assert result.returncode == 0, result.stderr[-4000:]
    out = Path(result.stdout.split("OUT=")[-1].strip())
    assert out == tmp_path / "cache" / "migsim" / "notebook-output" / name
    assert out.is_dir()
    assert (listing(NOTEBOOKS), (REPO_ROOT / "notebook-output").exists()) == before
