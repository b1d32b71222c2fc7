#!/usr/bin/env python3
"""Writes the fuzz seed corpus: the shipped scenarios (toy, mediterranean and each of its
variants) packed in the fuzz input format of fuzz/scenario_container.hpp.

    fuzz/make_corpus.py OUT_DIR
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEPARATOR = "%%%"
FILES = ["scenario.yml", "locations.csv", "borders.csv", "links.csv", "markets.csv",
         "pathways.csv", "demand.csv", "events.csv", "variant.yml", "variant-events.csv", "harms.csv"]
TABLE_LINE = re.compile(r"^(\s+)(locations|links|borders|markets|pathways|demand|events|harms):\s*([^#]+?)\s*(#.*)?$")


def merge_csv(paths):
    """One table from several files with the same columns (the events lists): the later
    files' comments and header row are dropped."""
    lines = []
    for p in paths:
        text = p.read_text().splitlines()
        if lines:
            rows = [l for l in text if l.strip() and not l.lstrip().startswith("#")]
            text = rows[1:]
        lines += text
    return "\n".join(lines) + "\n"


def pack_folder(folder: pathlib.Path):
    """scenario.yml with its tables renamed to the container's file names, and the tables."""
    sections = {}
    yml = []
    in_tables = False
    for line in (folder / "scenario.yml").read_text().splitlines():
        if re.match(r"^tables:\s*$", line):
            in_tables = True
        elif in_tables and re.match(r"^\S", line):
            in_tables = False
        m = TABLE_LINE.match(line) if in_tables else None
        if m:
            indent, key, value, _ = m.groups()
            names = [v.strip() for v in value.strip("[]").split(",")]
            sections[key + ".csv"] = merge_csv([folder / n for n in names])
            line = f"{indent}{key}: {key}.csv"
        yml.append(line)
    sections["scenario.yml"] = "\n".join(yml) + "\n"
    return sections


def pack(sections, overrides=()):
    """The sections in order, each followed by a separator line; an empty one has no lines."""
    parts = [sections.get(name, "") for name in FILES]
    parts.append("".join(o + "\n" for o in overrides))
    out = ""
    for i, part in enumerate(parts):
        if i:
            out += SEPARATOR + "\n"
        out += part.rstrip("\n") + "\n" if part.strip() else ""
    return out


def main():
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    toy = pack_folder(ROOT / "scenarios" / "toy")
    med = pack_folder(ROOT / "scenarios" / "mediterranean")
    # The demand table alone is half of the scenario's bytes: a few months of it keep every
    # structure at a quarter of the size (and so four times the executions per second).
    med["demand.csv"] = "\n".join(med["demand.csv"].splitlines()[:80]) + "\n"
    seeds = {
        "toy": pack(toy),
        "toy-overrides": pack(toy, ["border:strait.patrol=0.5", "market:strait_boats.price=900",
                                    "days=60", "seed=7"]),
        "mediterranean": pack(med),
    }
    for variant in sorted((ROOT / "scenarios" / "mediterranean" / "variants").glob("*.yml")):
        text = variant.read_text().replace("extends: ../scenario.yml", "extends: scenario.yml")
        sections = dict(med)
        m = re.search(r"^events:\s*(\S+)\s*$", text, re.M)
        if m:
            sections["variant-events.csv"] = (variant.parent / m.group(1)).read_text()
            text = text.replace(m.group(0), "events: variant-events.csv")
        sections["variant.yml"] = text
        seeds["mediterranean-" + variant.stem] = pack(sections)
    # Flee's rules: mali2012 with conflict-driven spawning (the container has no room for the
    # registrations' data files).
    flee = pack_folder(ROOT / "scenarios" / "flee-mali2012")
    flee["scenario.yml"] = re.sub(r"^\s*registration(s|_corrections):.*\n", "", flee["scenario.yml"], flags=re.M)
    flee["scenario.yml"] = flee["scenario.yml"].replace("spawning: registrations", "spawning: conflict")
    seeds["flee-mali2012"] = pack(flee, ["flee.displaced_per_conflict_day=50", "flee.awareness_level=2"])
    for name, data in seeds.items():
        (out / name).write_text(data)
    print(f"make_corpus: {len(seeds)} seeds in {out}")


if __name__ == "__main__":
    main()
