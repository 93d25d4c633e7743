"""``make bench``: run every benchmark script and print one table of figures, ratios and budgets.

Runs each ``benchmarks/*.py`` (not the ``_``-prefixed helpers, not this file) as its own process,
one after another so they do not compete for the two cores, passes its output through, collects
its ``BENCH {json}`` lines and prints them as a table at the end. Exit status 1 when a budget is
missed or a script fails. ``--only NAME`` (repeatable) runs a subset, e.g. ``--only sync``.
Measure on ordinary disk with ``DKP_HARNESS_SCRATCH`` unset: the registry's tmpfs storage is
part of what is measured.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def scripts(only: list[str]) -> list[Path]:
    found = sorted(p for p in HERE.glob("*.py") if not p.name.startswith("_") and p.name != "run_all.py")
    return [p for p in found if not only or p.stem in only]


def run(script: Path) -> tuple[int, list[dict[str, object]]]:
    print(f"== {script.relative_to(ROOT)}", flush=True)
    rows: list[dict[str, object]] = []
    with subprocess.Popen(
        [sys.executable, str(script)], cwd=ROOT, stdout=subprocess.PIPE, text=True, bufsize=1
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("BENCH "):
                rows.append(json.loads(line[len("BENCH ") :]))
            else:
                print("   " + line, end="", flush=True)
    return process.returncode, rows


def verdict(row: dict[str, object]) -> str:
    budget = row.get("budget")
    if budget is None:
        return "—"
    value = float(row["value"])  # type: ignore[arg-type]
    ok = value >= float(budget) if row.get("higher_is_better") else value <= float(budget)  # type: ignore[arg-type]
    return "met" if ok else "MISSED"


def table(rows: list[dict[str, object]]) -> str:
    header = ("Benchmark", "Figure", "Baseline", "Value", "Spread", "Budget", "Verdict")
    lines = [header]
    for row in rows:
        unit = str(row.get("unit", ""))
        budget = row.get("budget")
        direction = "≥" if row.get("higher_is_better") else "≤"
        lines.append(
            (
                str(row["name"]),
                str(row["figure"]),
                str(row["baseline"]),
                f"{float(row['value']):.2f} {unit}".strip(),  # type: ignore[arg-type]
                str(row.get("spread") or ""),
                f"{direction} {budget} {unit}".strip() if budget is not None else "",
                verdict(row),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = [" | ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)) for line in lines]
    out.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[], help="script name without .py")
    args = parser.parse_args()
    rows: list[dict[str, object]] = []
    failed: list[str] = []
    for script in scripts(args.only):
        code, found = run(script)
        rows += found
        if code != 0:
            failed.append(f"{script.name} exited {code}")
    print()
    print(table(rows))
    missed = [str(r["name"]) for r in rows if verdict(r) == "MISSED"]
    if missed:
        print(f"\nbudgets missed: {', '.join(missed)}")
    if failed:
        print(f"\nscripts failed: {', '.join(failed)}")
    return 1 if missed or failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
