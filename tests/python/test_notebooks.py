"""The notebooks in tools/notebooks run headless, top to bottom, on a short run.

Each notebook is executed with `jupyter nbconvert --to notebook --execute` on Debian's
python3 kernel, with MIGSIM_NOTEBOOK_DAYS=120, MIGSIM_NOTEBOOK_REPLICATES=3, the binary of
this test session (MIGSIM_BIN, see conftest.py) and a private output folder; a cell that raises
fails the test. The committed notebooks must hold no outputs.

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
NAMES = ["patrol_shift", "pathways"]
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
    started = time.monotonic()
    result = subprocess.run(
        [*command, "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=600",
         f"--ExecutePreprocessor.kernel_name={KERNEL}", "--output-dir", str(tmp_path / "executed"),
         str(source)],
        capture_output=True, text=True, timeout=900, cwd=NOTEBOOKS, env=env)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, f"{name}.ipynb failed ({elapsed:.0f} s):\n{result.stderr[-6000:]}"

    executed = tmp_path / "executed" / f"{name}.ipynb"
    cells = code_cells(executed)
    errors = [o for c in cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, f"{name}.ipynb: {errors[0].get('ename')}: {errors[0].get('evalue')}"
    assert all(c.get("execution_count") for c in cells), f"{name}.ipynb: a cell did not run"
    images = sum("image/png" in o.get("data", {}) for c in cells for o in c.get("outputs", []))
    assert images >= 2, f"{name}.ipynb drew {images} figures"
    written = sorted((tmp_path / "output" / name).glob("*.h5"))
    assert written, f"{name}.ipynb wrote no .h5 file under MIGSIM_NOTEBOOK_OUTPUT"
    print(f"{name}.ipynb: {elapsed:.1f} s")
