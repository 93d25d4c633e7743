"""``dkp-harness run --report-dir``: an unusable directory is refused before pytest starts.

The reports are written after the last scenario; a ``--report-dir`` under a file used to cost the
whole run and end in a pluggy traceback (``NotADirectoryError``), with exit code 1.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from harness.cli import main
from harness.cli import run as run_module
from harness.cli.run import report_dir_problem

PREVIOUS = {"conformance.html": "the previous html\n", "conformance.json": "{}\n"}


@pytest.fixture
def pytest_never_starts(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """``run_pytest`` records the pytest command instead of running it (exit 5: nothing ran)."""
    started: list[list[str]] = []

    def fake_run(command: list[str]) -> int:
        started.append(command)
        return 5

    monkeypatch.setattr(run_module, "run_pytest", fake_run)
    return started


def _refused(capsys: pytest.CaptureFixture[str], report_dir: Path) -> str:
    assert main(["run", "features/approval", "-n", "0", "--report-dir", str(report_dir)]) == 4
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1, err
    assert "Traceback" not in err
    return err


def test_a_report_dir_under_a_file_is_refused_before_pytest_starts(tmp_path, capsys, pytest_never_starts):
    blocker = tmp_path / "README.md"
    blocker.write_text("a file\n")
    err = _refused(capsys, blocker / "out")
    assert err == (
        f"dkp-harness run: --report-dir {blocker / 'out'} lies under {blocker}, which is not a "
        "directory; give a writable directory (it is created when missing), e.g. --report-dir reports\n"
    )
    assert pytest_never_starts == []
    assert blocker.read_text() == "a file\n"


def test_a_report_dir_that_is_a_file_is_refused(tmp_path, capsys, pytest_never_starts):
    blocker = tmp_path / "reports"
    blocker.write_text("a file\n")
    err = _refused(capsys, blocker)
    assert f"--report-dir {blocker} is not a directory" in err
    assert pytest_never_starts == [] and blocker.read_text() == "a file\n"


def test_a_missing_report_dir_is_created_and_the_run_goes_on(tmp_path, capsys, pytest_never_starts):
    target = tmp_path / "new" / "reports"
    main(["run", "features/approval", "-n", "0", "--report-dir", str(target)])
    assert target.is_dir()
    [command] = pytest_never_starts
    assert f"--conformance-report={target}" in command


def test_an_unwritable_report_dir_is_refused_and_its_reports_kept(
    tmp_path, capsys, monkeypatch, pytest_never_starts
):
    reports = tmp_path / "reports"
    reports.mkdir()
    for name, text in PREVIOUS.items():
        (reports / name).write_text(text)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != reports and real_access(path, mode))
    err = _refused(capsys, reports)
    assert f"--report-dir {reports} is not writable" in err
    assert pytest_never_starts == []
    assert {p.name: p.read_text() for p in reports.iterdir()} == PREVIOUS


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to a read-only directory")
def test_a_read_only_report_dir_is_refused(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir(mode=0o500)
    try:
        assert report_dir_problem(reports) == (
            f"--report-dir {reports} is not writable; give a writable directory (it is created when "
            "missing), e.g. --report-dir reports"
        )
    finally:
        reports.chmod(0o700)


def test_a_dangling_symlink_on_the_way_is_not_a_directory(tmp_path):
    parent = tmp_path / "parent"
    parent.mkdir()
    dangling = parent / "link"
    dangling.symlink_to(tmp_path / "nowhere")
    problem = report_dir_problem(dangling / "out")
    assert problem is not None
    assert problem.startswith(
        f"--report-dir {dangling / 'out'} lies under {dangling}, which is not a directory"
    )


def test_a_relative_report_dir_is_the_users_directory(tmp_path, capsys, monkeypatch, pytest_never_starts):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "file").write_text("")
    err = _refused(capsys, Path("file/out"))
    assert f"--report-dir {tmp_path / 'file' / 'out'} lies under {tmp_path / 'file'}, which is not" in err


def test_report_compare_refuses_an_html_path_under_a_file_before_printing(tmp_path, capsys):
    blocker = tmp_path / "README.md"
    blocker.write_text("a file\n")
    report = tmp_path / "conformance.json"
    report.write_text(json.dumps({"target": {"kind": "simulator"}, "claims": [], "features": []}))
    code = main(["report", "compare", str(report), str(report), "--html", str(blocker / "diff.html")])
    out, err = capsys.readouterr()
    assert code == 4 and out == ""
    assert err == (
        f"dkp-harness report compare: --html {blocker / 'diff.html'}: its folder {blocker} is not a "
        "directory; give a file in a writable folder\n"
    )
