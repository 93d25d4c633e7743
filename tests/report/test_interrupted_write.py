"""A stop request while the reports are written never leaves a mixed set.

Ctrl-C after the last scenario used to land wherever the controller was: in a renderer, or
between two renames, leaving a new ``conformance.html`` beside the previous run's other files and
their ``.part`` files, with a traceback and exit -2. The signal is sent here from inside the write
path itself (a wrapped ``os.replace`` or renderer that ``os.kill``\\s its own process), so the
test does not depend on timing: without the hold, the ``KeyboardInterrupt`` lands exactly there.
"""

from __future__ import annotations

import json
import os
import signal

import pytest

from harness.report.assemble import assemble_run
from harness.report.held_signals import signals_held
from harness.report.write import FILES, ReportWriteError, write_reports

from .conftest import LEAN_SUBPROCESS

pytest_plugins = ["pytester"]

STOP_INSIDE = """\
import os
import signal

import pytest

import harness.report.write as write

WHERE = {where!r}
SIGNAL = signal.{signal}


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    if WHERE == "replace":
        real = os.replace
        calls = []

        def replace(src, dst):
            calls.append(dst)
            if len(calls) == 2:  # the HTML is in place, the three others are not yet
                os.kill(os.getpid(), SIGNAL)
            return real(src, dst)

        write.os.replace = replace  # only the writer's view of os: write.os is the os module
        config.add_cleanup(lambda: setattr(write.os, "replace", real))
    elif WHERE == "render":
        name = "conformance.html"
        render = write.FILES[name]

        def stopped(run):
            os.kill(os.getpid(), SIGNAL)
            return render(run)

        write.FILES[name] = stopped
        config.add_cleanup(lambda: write.FILES.__setitem__(name, render))


def pytest_terminal_summary():
    if WHERE == "summary":  # the reports are written; pytest is printing its summary
        os.kill(os.getpid(), SIGNAL)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure():
    if WHERE == "unconfigure":  # the session is over; pytest is cleaning up
        os.kill(os.getpid(), SIGNAL)
"""


def _previous_set(out):
    out.mkdir()
    for name in FILES:
        (out / name).write_text(f"previous {name}")


@pytest.mark.parametrize(
    ("where", "sent"),
    [
        ("replace", "SIGINT"),
        ("render", "SIGINT"),
        ("replace", "SIGTERM"),
        ("summary", "SIGINT"),
        ("unconfigure", "SIGINT"),
    ],
)
def test_a_stop_after_the_last_scenario_leaves_the_whole_new_set_and_exits_2(bdd_project, where, sent):
    bdd_project.makeconftest(STOP_INSIDE.format(where=where, signal=sent))
    out = bdd_project.path / "out"
    _previous_set(out)
    result = bdd_project.runpytest_subprocess(
        "-p", "harness.report.plugin", "--conformance-report", "out", "-k", "synchronised", *LEAN_SUBPROCESS
    )
    text = result.stdout.str() + result.stderr.str()
    assert "Traceback" not in text and "KeyboardInterrupt" not in text
    assert result.ret == pytest.ExitCode.INTERRUPTED
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)  # no .part file left
    assert not any((out / name).read_text().startswith("previous") for name in FILES)
    assert json.loads((out / "conformance.json").read_text())["counts"]["scenarios"]["passed"] == 1
    when = "while the reports were written" if where in ("replace", "render") else "after the last scenario"
    result.stdout.fnmatch_lines(
        [f"interrupted {when}: every scenario had finished*this run's, whole; exit 2"]
    )


def test_signals_held_notes_the_signal_and_gives_the_previous_handler_back():
    before = signal.getsignal(signal.SIGINT)
    with signals_held() as received:
        os.kill(os.getpid(), signal.SIGINT)
        signal.raise_signal(signal.SIGTERM)
    assert received == [signal.SIGINT, signal.SIGTERM]
    assert signal.getsignal(signal.SIGINT) is before


def test_a_rename_that_fails_leaves_no_part_file(tmp_path, monkeypatch):
    import harness.report.write as write

    real = os.replace
    calls = []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(5, "Input/output error")
        return real(src, dst)

    monkeypatch.setattr(write.os, "replace", replace)
    run = assemble_run([], None, started_at="2024-12-16T09:00:00Z", duration=0.0)
    with pytest.raises(write.ReportWriteError, match=r"only conformance\.html, conformance\.json of"):
        write_reports(run, tmp_path)
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_a_symlink_left_as_a_part_file_is_replaced_not_followed(tmp_path):
    """``.conformance.html.part`` naming a file elsewhere: the write used to follow it and
    overwrite that file with the report (and leave ``conformance.html`` a link to it)."""
    precious = tmp_path / "precious.txt"
    precious.write_text("precious data")
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / ".conformance.html.part").symlink_to(precious)
    run = assemble_run([], None, started_at="2024-12-16T09:00:00Z", duration=0.0)
    write_reports(run, reports)
    assert precious.read_text() == "precious data"
    assert not (reports / "conformance.html").is_symlink()
    assert sorted(p.name for p in reports.iterdir()) == sorted(FILES)


def test_a_directory_in_place_of_a_report_file_leaves_the_set_as_it_was(tmp_path):
    """``junit.xml`` a directory: its rename failed after two files were replaced (a set of two runs)."""
    run = assemble_run([], None, started_at="2024-12-16T09:00:00Z", duration=0.0)
    write_reports(run, tmp_path)
    before = {name: (tmp_path / name).read_bytes() for name in FILES if name != "junit.xml"}
    (tmp_path / "junit.xml").unlink()
    (tmp_path / "junit.xml").mkdir()
    later = assemble_run([], None, started_at="2025-01-01T00:00:00Z", duration=1.0)
    with pytest.raises(ReportWriteError, match=r"junit\.xml is a directory; remove it"):
        write_reports(later, tmp_path)
    assert {name: (tmp_path / name).read_bytes() for name in before} == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]
