"""``dkp-harness run [-- PYTEST_ARGS]``: run the conformance suite and write the report.

Runs pytest on ``scenarios/`` from the project root with the report plugin's options
(``--conformance-report reports --conformance-progress``), on two workers unless ``-n`` says
otherwise. One line per scenario appears as it finishes, and ``reports/`` gets
``conformance.html``, ``conformance.json``, ``junit.xml`` and ``cucumber.json``. Anything after
``--`` goes to pytest unchanged, e.g. ``dkp-harness run -- -k approval -n 0``. The exit code is
pytest's; "no tests ran" (5) is a failure too, with a hint, because a conformance run that
checked nothing proves nothing.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from harness.target.options import TargetOptionsError, add_target_arguments, forward_target_arguments

ROOT = Path(__file__).resolve().parents[2]
NO_TESTS_COLLECTED = 5


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "run", help="run the conformance scenarios and write reports/conformance.html"
    )
    parser.add_argument("--report-dir", type=Path, default=ROOT / "reports", help="where reports go")
    add_target_arguments(parser)
    parser.add_argument("pytest_args", nargs=argparse.REMAINDER, help="after --: arguments for pytest")
    parser.set_defaults(func=run)


def build_command(report_dir: Path, extra: list[str]) -> list[str]:
    """The pytest command line the suite runs with (``extra`` comes last, so it can override)."""
    import sys

    args = extra[1:] if extra[:1] == ["--"] else extra
    return [
        sys.executable,
        "-m",
        "pytest",
        str(ROOT / "scenarios"),
        f"--conformance-report={report_dir}",
        "--conformance-progress",
        "-q",
        *_parallelism(args),
        *args,
    ]


def _parallelism(args: list[str]) -> list[str]:
    """Two workers by default (the budget machine has two cores); the user's ``-n``/``-p`` wins.

    Every scenario owns its cluster, so workers share nothing; the report plugin merges their
    results in the controller.
    """
    import importlib.util

    chose = any(a.startswith(("-n", "--numprocesses")) for a in args)
    if chose or "no:xdist" in " ".join(args) or importlib.util.find_spec("xdist") is None:
        return []
    return ["-n", "2"]


def run(args: argparse.Namespace) -> int:
    import subprocess

    try:
        target = forward_target_arguments(args)
    except TargetOptionsError as exc:
        print(f"dkp-harness run: {exc}")
        return 2
    extra = list(args.pytest_args)
    command = build_command(args.report_dir, [*target, *(extra[1:] if extra[:1] == ["--"] else extra)])
    code = subprocess.run(command, cwd=ROOT, check=False).returncode
    if code == NO_TESTS_COLLECTED:
        print("dkp-harness run: no scenario ran: check the -k/-m filter or that scenarios/ binds features/")
        return code
    report = args.report_dir / "conformance.html"
    if report.exists():
        print(f"report: {report}")
    return code
