"""Two ``dkp-harness run`` on one report directory: the second is refused, naming the first.

Both used to run and both printed ``report: reports/conformance.html``, though only the last
writer's files survived. The first run holds a lock on the directory for as long as it runs;
here it is held by another process (as a second terminal would), started and awaited with
bounded waits only.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys

import pytest

from harness.cli import main
from harness.cli import run as run_module
from harness.cli._report_lock import LOCK_FILE, ReportDirBusy, ReportDirLock

HOLDER = (
    "import sys\n"
    "from pathlib import Path\n"
    "from harness.cli._report_lock import ReportDirLock\n"
    "lock = ReportDirLock(Path(sys.argv[1]))\n"
    "lock.acquire()\n"
    "print('locked', flush=True)\n"
    "sys.stdin.readline()\n"
    "lock.release()\n"
)


def _no_pytest(command):
    raise AssertionError("pytest must not start when the report directory is taken")


def test_a_second_run_on_the_same_report_dir_is_refused_with_the_first_ones_pid(
    tmp_path, monkeypatch, capsys
):
    reports = tmp_path / "reports"
    reports.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(reports)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(run_module.ROOT)},
    )
    try:
        assert holder.stdout is not None and holder.stdin is not None
        assert select.select([holder.stdout], [], [], 30)[0], "the first run never took the lock"
        assert holder.stdout.readline() == "locked\n"
        monkeypatch.setattr(run_module, "run_pytest", _no_pytest)
        assert main(["run", "features/approval", "-n", "0", "--report-dir", str(reports)]) == 4
        captured = capsys.readouterr()
        assert (
            f"dkp-harness run: another dkp-harness run (PID {holder.pid}) is writing its reports into "
            f"{reports}; wait for it to end, or give this run a directory of its own, e.g. "
            f"--report-dir {tmp_path / 'reports-2'}"
        ) in captured.err
        assert "report:" not in captured.out
    finally:
        if holder.stdin is not None:
            holder.stdin.close()
        holder.wait(30)
        if holder.stdout is not None:
            holder.stdout.close()
    assert not (reports / LOCK_FILE).exists()


def test_a_run_holds_its_report_dir_while_pytest_runs_and_gives_it_back(tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    seen = []

    def fake_pytest(command):
        with pytest.raises(ReportDirBusy, match=f"PID {os.getpid()}"):
            ReportDirLock(reports).acquire()
        seen.append(command)
        return 0

    monkeypatch.setattr(run_module, "run_pytest", fake_pytest)
    assert main(["run", "features/approval", "-n", "0", "--report-dir", str(reports)]) == 0
    assert seen
    assert not (reports / LOCK_FILE).exists()
    again = ReportDirLock(reports)
    again.acquire()  # free once the run is over
    again.release()


def test_a_lock_file_that_is_a_symlink_never_truncates_the_file_it_names(tmp_path):
    """A ``.dkp-harness-run.lock`` linking to another file: taking the lock emptied that file
    and wrote the run's PID into it (as a hard link would too)."""
    precious = tmp_path / "precious.txt"
    precious.write_text("precious data")
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / LOCK_FILE).symlink_to(precious)
    lock = ReportDirLock(reports)
    try:
        lock.acquire()
    except OSError:
        pass  # refusing the lock is a fine answer; losing the file is not
    finally:
        lock.release()
    assert precious.read_text() == "precious data"


def test_a_hard_linked_or_directory_lock_file_is_refused_with_what_to_remove(tmp_path):
    precious = tmp_path / "precious.txt"
    precious.write_text("precious data")
    linked = tmp_path / "linked"
    linked.mkdir()
    os.link(precious, linked / LOCK_FILE)
    folder = tmp_path / "folder"
    (folder / LOCK_FILE).mkdir(parents=True)
    for reports in (linked, folder):
        with pytest.raises(OSError, match=f"remove {reports / LOCK_FILE}"):
            ReportDirLock(reports).acquire()
    assert precious.read_text() == "precious data"
