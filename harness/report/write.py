"""Write every report file.

Redaction happens on the model (``assemble_run`` redacts every scenario, claim and problem)
rather than on the rendered text: a pattern run over escaped HTML, XML or JSON could break the
escaping and never sees the secret in its escaped form anyway.

The four files are one set: ``conformance.html`` next to a ``junit.xml`` of another run would
tell CI and the reader different stories. So the set is written whole or not at all, and a stop
request (Ctrl-C, ``kill``) that arrives while it is written waits until the last file is in
place: :class:`~harness.report.held_signals.HeldSignals` notes it instead of raising in the middle
of a render or between two renames.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from harness.report.model import Run
from harness.report.render_cucumber import render_cucumber
from harness.report.render_html import render_html
from harness.report.render_json import render_json
from harness.report.render_junit import render_junit

__all__ = ["FILES", "ReportWriteError", "write_reports"]

FILES: dict[str, Callable[[Run], str]] = {
    "conformance.html": render_html,
    "conformance.json": render_json,
    "junit.xml": render_junit,
    "cucumber.json": render_cucumber,
}


class ReportWriteError(OSError):
    """The reports could not be written; the message names the directory and what is left."""


def write_reports(run: Run, directory: Path) -> list[Path]:
    """Write the four files into ``directory`` (created if needed); the HTML path comes first.

    Everything is rendered, then every file is written under a temporary name, and only then are
    they renamed into place: a renderer error, a full disk or a directory that went away while
    the run ran leaves the previous reports as they were, never a mix of old and new files, and
    no ``.part`` file. Such a failure is a :class:`ReportWriteError` with one line to show, not a
    traceback. Call it while the stop signals are held
    (:class:`~harness.report.held_signals.HeldSignals`), so that a Ctrl-C cannot cut the set in two.
    """
    rendered = {name: render(run) for name, render in FILES.items()}
    partials: list[tuple[Path, Path]] = []
    _check_targets(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name, text in rendered.items():
            path = directory / name
            partial = path.with_name(f".{name}.part")
            partials.append((partial, path))
            _write_new(partial, text)
    except OSError as exc:
        _discard(partial for partial, _ in partials)
        raise ReportWriteError(
            f"cannot write the reports into {directory}: {exc.strerror or exc}; "
            "the reports there were left as they were"
        ) from exc
    replaced: list[str] = []
    try:
        for partial, path in partials:
            os.replace(partial, path)
            replaced.append(path.name)
    except OSError as exc:
        _discard(partial for partial, _ in partials)
        raise ReportWriteError(
            f"cannot put the reports in place in {directory}: {exc.strerror or exc}; "
            f"only {', '.join(replaced) or 'none'} of the four files are this run's"
        ) from exc
    return [path for _, path in partials]


def _check_targets(directory: Path) -> None:
    """Refuse before the first rename when one of the four names is a directory: its rename would
    fail after the others were in place, leaving a set of two runs."""
    for name in FILES:
        path = directory / name
        if path.is_dir() and not path.is_symlink():
            raise ReportWriteError(
                f"cannot write the reports into {directory}: {path} is a directory; remove it or "
                "give another --report-dir; the reports there were left as they were"
            )


def _write_new(partial: Path, text: str) -> None:
    """Write ``partial`` as a new file of its own: a leftover of a killed run, or a symlink planted
    under that name, is removed first (never followed), so no file elsewhere is overwritten."""
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


def _discard(paths: Iterable[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()
