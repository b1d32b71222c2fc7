#!/usr/bin/python3
"""Print the series catalogue of a run file as the markdown table of docs/OUTPUT.md.

    tools/docs/catalogue_table.py med.h5

tests/python/package/test_catalogue.py checks that docs/OUTPUT.md holds exactly this table for
a toy run, so the page cannot fall behind the engine's catalogue (engine/include/migsim/series.hpp).
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "python"))

import migsim  # noqa: E402


def markdown(run) -> str:
    table = migsim.catalogue(run)
    lines = ["| series | entity | measure | made | by group | summary | rule sets | compare | paid to | units | meaning |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, row in table.iterrows():
        compare = f"`{row['compare_outcome']}` ({', '.join(row['compare_in'])})" if row["compare_in"] else ""
        lines.append(f"| `{name}` | {row['entity']} | {row['measure']} | {row['made']} | "
                     f"{'yes' if row['grouped'] else ''} | {'yes' if row['summarised'] else ''} | "
                     f"{', '.join(row['rule_sets'])} | {compare} | {str(row['paid_to']).replace('_', ' ')} | "
                     f"{row['units']} | {row['long_name']} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.stdout.write(markdown(sys.argv[1]))
