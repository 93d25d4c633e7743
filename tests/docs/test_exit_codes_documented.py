"""The exit codes the README and docs promise are the ones the commands return."""

from __future__ import annotations

import re
from pathlib import Path

from harness.cli import BROKEN_PIPE
from harness.cli._checks import USAGE_ERROR

ROOT = Path(__file__).resolve().parents[2]


def _docs() -> dict[str, str]:
    return {
        p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8")
        for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    }


def test_the_readme_table_gives_the_codes_of_refused_arguments_and_a_closed_pipe():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith(f"| {USAGE_ERROR} | bad arguments"))
    assert "--report-dir" in row
    assert f"Every `dkp-harness` command exits {USAGE_ERROR} on a command line it refuses" in readme
    assert f"{BROKEN_PIPE} when the reader of its output" in readme


def test_no_doc_promises_exit_2_for_a_bad_argument():
    wrong = re.compile(
        r"(bad one|bad argument|is refused|refused)[^.]{0,60}\bexits? 2\b|\bexits? 2\b[^.]{0,40}PID"
    )
    found = [f"{name}: {m.group(0)}" for name, text in _docs().items() for m in wrong.finditer(text)]
    assert found == []
