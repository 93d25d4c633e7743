"""``dkp-harness report compare A B [--html OUT]``: where two conformance runs differ.

Lists, claim by claim and scenario by scenario, where two ``conformance.json`` files (or the report
directories holding them) disagree, e.g. the simulator against a real cluster or DKP v1.67 against
v1.70. Exit code: 0 when no claim or scenario checked on both sides differs, 1 when one does (a
scenario that passed on the left and failed or could not be checked on the right counts), 4 when a
file cannot be read (as for any bad argument). Claims checked on one side only (skipped,
unselected, uncovered) are listed apart, with the skip reason, and never fail the comparison.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from harness.cli._checks import given_path
from harness.cli._help import description


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "report",
        help="work with conformance reports (compare two runs)",
        description="Work with the conformance.json files `dkp-harness run` writes. "
        "Only action so far: compare.",
    )
    actions = parser.add_subparsers(dest="report_command", metavar="ACTION", required=True)
    compare = actions.add_parser(
        "compare",
        help="list where two runs' reports differ; exit 1 if a claim or scenario checked on both differs",
        description=description(__doc__),
    )
    compare.add_argument(
        "left",
        type=given_path,
        help="the first conformance.json, or its report directory (e.g. the simulator's)",
    )
    compare.add_argument(
        "right",
        type=given_path,
        help="the second conformance.json, or its report directory (e.g. a real cluster's)",
    )
    compare.add_argument(
        "--html", type=given_path, metavar="OUT", help="also write the comparison as HTML to OUT"
    )
    compare.set_defaults(func=run_compare)


def run_compare(args: argparse.Namespace) -> int:
    from harness.cli._checks import USAGE_ERROR
    from harness.report.compare import (
        CompareError,
        compare_runs,
        label_of,
        load_run,
        render_html,
        render_text,
    )

    try:
        left, right = load_run(args.left), load_run(args.right)
    except CompareError as exc:
        print(f"dkp-harness report compare: {exc}", file=sys.stderr)
        return USAGE_ERROR
    problem = None if args.html is None else _html_problem(args.html)
    if problem is not None:
        print(f"dkp-harness report compare: {problem}", file=sys.stderr)
        return USAGE_ERROR
    result = compare_runs(left, right, (label_of(left, args.left), label_of(right, args.right)))
    print(render_text(result), end="")
    if args.html is not None:
        try:
            args.html.write_text(render_html(result), encoding="utf-8")
        except OSError as exc:
            print(f"dkp-harness report compare: {_cannot_write(args.html, exc)}", file=sys.stderr)
            return USAGE_ERROR
        print(f"html: {args.html}")
    return result.exit_code


def _html_problem(path: Path) -> str | None:
    """Why ``--html`` cannot be written (its folder is created when missing), or None.

    Checked before the comparison is printed, so a mistyped path costs a one-line error, not a
    traceback after the output.
    """
    from harness.cli._checks import usable_directory

    if path.is_dir():
        return f"--html {path} is a folder; give a file name, e.g. --html compare.html"
    problem = usable_directory(path.parent)
    if problem is None:
        return None
    return f"--html {path}: its folder {path.parent} {problem}; give a file in a writable folder"


def _cannot_write(path: Path, exc: OSError) -> str:
    return f"--html {path}: cannot write it ({exc.strerror}); give a file in a writable folder"
