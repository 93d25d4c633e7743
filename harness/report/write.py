"""Write every report file.

Redaction happens on the model (``assemble_run`` redacts every scenario, claim and problem)
rather than on the rendered text: a pattern run over escaped HTML, XML or JSON could break the
escaping and never sees the secret in its escaped form anyway.
"""

from __future__ import annotations

import os
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
    """Write the four files into ``directory`` (created if needed); the HTML path comes first.

    Everything is rendered before anything is written, and each file is replaced atomically, so
    a renderer error or a crash never leaves a half-written or mixed set of reports.
    """
    directory.mkdir(parents=True, exist_ok=True)
    rendered = {name: render(run) for name, render in FILES.items()}
    written = []
    for name, text in rendered.items():
        path = directory / name
        partial = path.with_name(f".{name}.part")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
        written.append(path)
    return written
