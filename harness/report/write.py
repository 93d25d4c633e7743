"""Write every report file.

Redaction happens on the model (``assemble_run`` redacts every scenario, claim and problem)
rather than on the rendered text: a pattern run over escaped HTML, XML or JSON could break the
escaping and never sees the secret in its escaped form anyway.

The four files are one set: ``conformance.html`` next to a ``junit.xml`` of another run would
tell CI and the reader different stories. So the set is written whole or not at all, and a stop
request (Ctrl-C, ``kill``) that arrives while it is written waits until the last file is in place:
:func:`signals_held` notes it instead of raising in the middle of a render or between two renames.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from harness.report.model import Run
from harness.report.render_cucumber import render_cucumber
from harness.report.render_html import render_html
from harness.report.render_json import render_json
from harness.report.render_junit import render_junit

__all__ = ["FILES", "HELD_SIGNALS", "ReportWriteError", "signals_held", "write_reports"]

FILES: dict[str, Callable[[Run], str]] = {
    "conformance.html": render_html,
    "conformance.json": render_json,
    "junit.xml": render_junit,
    "cucumber.json": render_cucumber,
}

HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
"""The stop requests :func:`signals_held` holds back: Ctrl-C, ``kill`` and a closed terminal
(``dkp-harness run`` passes the last two on to pytest as SIGINT anyway)."""


class ReportWriteError(OSError):
    """The reports could not be written; the message names the directory and what is left."""


@contextlib.contextmanager
def signals_held() -> Iterator[list[int]]:
    """Note SIGINT, SIGTERM and SIGHUP instead of acting on them; yields the list they go into.

    Python raises ``KeyboardInterrupt`` wherever the main thread happens to be when Ctrl-C comes:
    between two ``os.replace`` calls that left a new ``conformance.html`` next to the previous
    run's other files and their ``.part`` files, with a traceback and exit -2. Inside this block
    the signals are only recorded; the caller decides what they mean once the block is over (the
    previous handlers are back by then). Outside the main thread, where no handler can be set, it
    holds nothing and the list stays empty.
    """
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def note(signum: int, _frame: object) -> None:
        received.append(signum)

    previous = {signum: signal.signal(signum, note) for signum in HELD_SIGNALS}
    try:
        yield received
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def write_reports(run: Run, directory: Path) -> list[Path]:
    """Write the four files into ``directory`` (created if needed); the HTML path comes first.

    Everything is rendered, then every file is written under a temporary name, and only then are
    they renamed into place: a renderer error, a full disk or a directory that went away while
    the run ran leaves the previous reports as they were, never a mix of old and new files, and
    no ``.part`` file. Such a failure is a :class:`ReportWriteError` with one line to show, not a
    traceback. Call it inside :func:`signals_held` so that a Ctrl-C cannot cut the set in two.
    """
    rendered = {name: render(run) for name, render in FILES.items()}
    partials: list[tuple[Path, Path]] = []
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name, text in rendered.items():
            path = directory / name
            partial = path.with_name(f".{name}.part")
            partials.append((partial, path))
            partial.write_text(text, encoding="utf-8")
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


def _discard(paths: Iterable[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()
