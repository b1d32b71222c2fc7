"""docs/ERRORS.md is the catalogue of bad input: each `## ` section holds one or more pairs of a
```recipe``` block (how to break a copy of scenarios/toy, and the command) and a ```stderr```
block (the exact message migsim prints). This test replays every recipe on a private copy of
the toy scenario and compares the message word for word, so the catalogue cannot drift from the
code. One test per section.

Recipe lines (paths relative to the copy, which is called `toy`; TEXT takes \\n and \\xNN):

    replace FILE: OLD => NEW     OLD must occur exactly once in FILE
    write FILE: TEXT             create or overwrite FILE
    keep FILE: N                 keep the first N lines of FILE
    encode FILE: utf-16          re-encode FILE (with a byte-order mark)
    prepend FILE: TEXT
    delete FILE
    mkdir DIR
    $ migsim ARGS...   # exit N  the command, run in the folder that holds `toy`

To refresh the messages after a deliberate change of wording, run this file as a script:
`/usr/bin/python3 tests/python/test_error_catalogue.py --write` (then read the diff)."""
from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import CRASH_MARKERS, REPO_ROOT, TOY, migsim_path

CATALOGUE = REPO_ROOT / "docs" / "ERRORS.md"
BLOCK = re.compile(r"^```(recipe|stderr)\n(.*?)^```\n", re.M | re.S)


@dataclass
class Case:
    section: str
    recipe: list[str]
    stderr: str           # the expected stderr, "" for none
    span: tuple[int, int]  # where the stderr block's body lies in the catalogue text


def read_catalogue(text: str) -> dict[str, list[Case]]:
    """Section title -> its cases, in order."""
    sections: dict[str, list[Case]] = {}
    starts = [(m.start(), m.group(1).strip()) for m in re.finditer(r"^## (.+)$", text, re.M)]
    for k, (start, title) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(text)
        blocks = list(BLOCK.finditer(text, start, end))
        kinds = [b.group(1) for b in blocks]
        assert kinds == ["recipe", "stderr"] * (len(kinds) // 2), (
            f"ERRORS.md, section {title!r}: expected pairs of ```recipe and ```stderr blocks, got {kinds}")
        sections[title] = [Case(title, blocks[i].group(2).splitlines(), blocks[i + 1].group(2),
                                blocks[i + 1].span(2))
                           for i in range(0, len(blocks), 2)]
    return {title: cases for title, cases in sections.items() if cases}


def unescape(text: str) -> bytes:
    return text.encode("ascii").decode("unicode_escape").encode("latin-1")


def apply(recipe: list[str], toy: Path) -> tuple[list[str], int]:
    """Breaks the copy `toy` as the recipe says; returns the command's arguments and exit code."""
    command, exit_code = None, None
    for line in recipe:
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("$ "):
            words, _, comment = line[2:].partition("#")
            match = re.fullmatch(r"\s*exit (\d+)\s*", comment)
            assert match, f"recipe command without '# exit N': {line}"
            args = shlex.split(words)
            assert args[0] == "migsim", line
            command, exit_code = args[1:], int(match.group(1))
            continue
        verb, _, rest = line.partition(" ")
        name, _, argument = rest.partition(": ")
        path = toy / name.rstrip(":")
        if verb == "replace":
            old, new = (unescape(part) for part in argument.split(" => ", 1))
            data = path.read_bytes()
            assert data.count(old) == 1, f"{path.name}: {old!r} occurs {data.count(old)} times, expected once"
            path.write_bytes(data.replace(old, new))
        elif verb == "write":
            path.write_bytes(unescape(argument))
        elif verb == "prepend":
            path.write_bytes(unescape(argument) + path.read_bytes())
        elif verb == "keep":
            lines = path.read_bytes().splitlines(keepends=True)
            path.write_bytes(b"".join(lines[:int(argument)]))
        elif verb == "encode":
            path.write_bytes(path.read_text(encoding="utf-8").encode(argument))
        elif verb == "delete":
            path.unlink()
        elif verb == "mkdir":
            path.mkdir(parents=True)
        else:
            raise AssertionError(f"unknown recipe line: {line}")
    assert command is not None, f"recipe without a '$ migsim ...' line: {recipe}"
    return command, exit_code


def replay(case: Case, workdir: Path) -> tuple[subprocess.CompletedProcess, int]:
    # `scenario NAME` in a recipe breaks a copy of scenarios/NAME instead of the toy.
    names = [line.split()[1] for line in case.recipe if line.startswith("scenario ")]
    source = REPO_ROOT / "scenarios" / names[0] if names else TOY
    toy = Path(shutil.copytree(source, workdir / (names[0] if names else "toy")))
    args, exit_code = apply([line for line in case.recipe if not line.startswith("scenario ")], toy)
    result = subprocess.run([str(migsim_path()), *args], capture_output=True, text=True,
                            timeout=60, cwd=workdir, errors="replace")
    return result, exit_code


CASES = read_catalogue(CATALOGUE.read_text(encoding="utf-8"))


def test_the_catalogue_has_every_class():
    # The classes of docs/ERRORS.md's brief; each must keep its section.
    for words in ["missing", "unreadable", "encoding", "byte-order mark", "missing column",
                  "unknown column", "fields", "wrong type", "empty table", "duplicate id",
                  "unknown reference", "probability", "negative", "nan", "too large",
                  "outside the run", "unknown target", "unreachable", "extends itself",
                  "yaml syntax"]:
        assert any(words in title.lower() for title in CASES), f"no section of ERRORS.md about {words!r}"


@pytest.mark.parametrize("title", list(CASES))
def test_error_catalogue(migsim, tmp_path, title):
    for n, case in enumerate(CASES[title]):
        workdir = tmp_path / str(n)
        workdir.mkdir()
        result, exit_code = replay(case, workdir)
        for marker in CRASH_MARKERS:
            assert marker not in result.stderr, f"stderr shows a crash ({marker!r}):\n{result.stderr}"
        assert result.returncode == exit_code, (
            f"exit code {result.returncode}, expected {exit_code}; stderr:\n{result.stderr}")
        assert result.stderr == case.stderr, (
            f"ERRORS.md, {title!r}: the message differs from the catalogue\n"
            f"  catalogue: {case.stderr!r}\n  migsim:    {result.stderr!r}")
        if exit_code == 2:
            # One line naming a file (or --set), saying what was got and what was expected.
            message = result.stderr
            assert message.count("\n") == 1 and message.startswith("migsim: error: "), message
            assert re.search(r"((toy|flee-mali2012)/[\w./-]+|--set \S+|--[\w-]+)(:\d+)*:", message), f"no file named: {message}"
            assert "expected" in message, f"no 'expected': {message}"


def write_messages() -> None:
    """Refreshes every ```stderr block of ERRORS.md from real runs."""
    import tempfile

    text = CATALOGUE.read_text(encoding="utf-8")
    cases = [case for cases in read_catalogue(text).values() for case in cases]
    for case in sorted(cases, key=lambda c: c.span[0], reverse=True):
        with tempfile.TemporaryDirectory() as workdir:
            result, _ = replay(case, Path(workdir))
        text = text[:case.span[0]] + result.stderr + text[case.span[1]:]
    CATALOGUE.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit(__doc__)
    write_messages()
