"""The architecture's rules that the compiler does not check (docs/ARCHITECTURE.md): the model's
rules (engine/src/model/, and Flee's in engine/src/flee/rules/) are plain code over plain data;
threads (TBB), ranks (MPI) and files (HDF5) belong to the execution and output layers."""
from __future__ import annotations

import re

from conftest import REPO_ROOT

RULES = [REPO_ROOT / "engine" / "src" / "model", REPO_ROOT / "engine" / "src" / "flee" / "rules"]
FORBIDDEN = re.compile(r'^\s*#\s*include\s*[<"](oneapi/|tbb/|mpi\.h|hdf5|H5|parallel/threads|io/)', re.M)


def test_the_rules_include_no_threads_ranks_or_files():
    sources = [p for folder in RULES for p in folder.rglob("*") if p.suffix in (".cpp", ".hpp")]
    assert len(sources) > 20
    found = [f"{p.relative_to(REPO_ROOT)}: {m.group(0).strip()}" for p in sources
             for m in FORBIDDEN.finditer(p.read_text())]
    assert not found, "\n".join(found)
