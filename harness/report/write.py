"""Write every report file.

Redaction happens on the model (``assemble_run`` redacts every scenario, claim and problem)
rather than on the rendered text: a pattern run over escaped HTML, XML or JSON could break the
escaping and never sees the secret in its escaped form anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from harness.report.model import Run
from harness.report.render_cucumber import render_cucumber
from harness.report.render_html import render_html
from harness.report.render_json import render_json
from harness.report.render_junit import render_junit

__all__ = ["FILES", "write_reports"]

FILES: dict[str, Callable[[Run], str]] = {
    "conformance.html": render_html,
    "conformance.json": render_json,
    "junit.xml": render_junit,
    "cucumber.json": render_cucumber,
}


def write_reports(run: Run, directory: Path) -> list[Path]:
    """Write the four files into ``directory`` (created if needed); the HTML path comes first."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, render in FILES.items():
        path = directory / name
        path.write_text(render(run), encoding="utf-8")
        written.append(path)
    return written
