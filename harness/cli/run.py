"""``dkp-harness run [PATH ...] [-k EXPR] [-m EXPR] [--claim ID] [-- PYTEST_ARGS]``: run the suite.

Runs pytest on ``scenarios/`` (which binds every feature file under ``features/``) from the
project root, with the report plugin writing ``reports/conformance.html``, ``conformance.json``,
``junit.xml`` and ``cucumber.json``; one line per scenario appears as it finishes.

What to run:

- ``PATH``: a feature file, a folder of feature files, ``file.feature:LINE`` (the scenario at
  that line), or anything pytest takes (a node id, a test module);
- ``-k EXPR`` / ``-m EXPR``: pytest's name and marker (Gherkin tag) filters;
- ``--claim ID``: the scenarios tagged ``@claim:ID`` (repeatable).

``--deckhouse-version`` (``latest`` for today's DKP), ``--edition`` and ``--bundle`` choose what
the scenarios' clusters run (see docs/dkp-eras.md).

Unknown options (``--dkp-...`` of other plugins) and everything after ``--`` go to pytest
unchanged. Exit codes are pytest's: 0 every scenario passed (known deviations included, unless
``--fail-on-deviation``), 1 an expectation was not met or a scenario could not run, 2 interrupted,
3 internal error, 4 bad arguments, 5 the selection matched no scenario. A selection that matches
nothing, bad arguments and interruptions leave the previous reports untouched; a Ctrl-C that
comes while the reports are being written (every scenario has finished) lets the write end, so
the four files are this run's, whole, and the exit code is still 2. ``--report-dir`` is checked
before pytest starts: created when missing, refused (exit 4) when it is a file, lies under one,
is not writable, or another ``dkp-harness run`` is using it (the lock names its PID).
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from harness.cli._checks import USAGE_ERROR, given_path, usable_directory
from harness.cli._help import description
from harness.cli._platform import add_platform_arguments
from harness.cli._report_lock import ReportDirBusy, ReportDirLock
from harness.feature_text import unreadable_file
from harness.report.launcher import LAUNCHER, LAUNCHER_ENV
from harness.target.options import TargetOptionsError, add_target_arguments, forward_target_arguments

ROOT = Path(__file__).resolve().parents[2]
NO_TESTS_COLLECTED = 5
INTERRUPTED = 2
UNUSED_PLUGINS = ("-p", "no:hypothesispytest")
"""Plugins the scenarios never use, left out of a run of ``scenarios/`` (hypothesis's imports
cost ~0.25 s in each pytest process); a run given test modules keeps them."""
_LINE_SUFFIX = re.compile(r"^(?P<path>.+\.feature):(?P<line>[0-9]+)$")


class SelectionError(ValueError):
    """A path given to ``dkp-harness run`` that selects nothing; the message says why."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run the conformance scenarios and write reports/conformance.html",
        description=description(__doc__),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_run_arguments(parser)
    parser.set_defaults(func=run, pass_through=True)


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``dkp-harness run``; other packages add theirs next to these."""
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="feature files or folders (file.feature:LINE for one scenario); default: every feature",
    )
    parser.add_argument("-k", dest="keyword", metavar="EXPR", help="pytest -k: select by scenario name")
    parser.add_argument("-m", dest="markexpr", metavar="EXPR", help="pytest -m: select by Gherkin tag")
    parser.add_argument(
        "--claim",
        action="append",
        default=[],
        metavar="ID",
        help="run the scenarios tagged @claim:ID (repeatable), e.g. --claim REL-03",
    )
    parser.add_argument(
        "--claims",
        metavar="FILE",
        help="the claims catalogue the report traces scenarios to (default fixtures/claims.yaml)",
    )
    parser.add_argument(
        "--fail-on-deviation",
        action="store_true",
        help="exit 1 when a scenario passed only as a known deviation from the page",
    )
    parser.add_argument(
        "-n",
        dest="workers",
        metavar="N",
        type=worker_count,
        help="parallel workers (default 2; 0 runs in one process; auto: one per CPU)",
    )
    parser.add_argument(
        "--report-dir",
        type=given_path,
        default=ROOT / "reports",
        metavar="DIR",
        help="where conformance.html, conformance.json, junit.xml and cucumber.json go (default reports/)",
    )
    add_platform_arguments(parser, defaults=False)
    add_target_arguments(parser)


def worker_count(text: str) -> str:
    """``-n``'s value, checked here: pytest-xdist refused a bad one with pytest's usage line, which
    named ``python -m pytest`` and its options instead of ``dkp-harness run``."""
    if text in ("auto", "logical"):
        return text
    if not (text.isascii() and text.isdigit()):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of workers: give 0 (one process), 1, 2, ... or auto (one per CPU)"
        )
    most = max_workers()
    if int(text) > most:
        # pytest-xdist starts every worker at once: `-n 100000` (a typo for 10) forked Python
        # processes until the machine ran out, and the run never began.
        raise argparse.ArgumentTypeError(
            f"{text} workers is more than this machine can run (each is a Python process starting its "
            f"own clusters): give at most {most} (4 per CPU), or auto (one per CPU)"
        )
    return text


def max_workers() -> int:
    """The most ``-n`` workers a run may ask for: four per CPU, and never fewer than eight."""
    return max(8, 4 * (os.cpu_count() or 1))


def build_command(report_dir: Path, extra: list[str], args: argparse.Namespace | None = None) -> list[str]:
    """The pytest command line the suite runs with (``extra`` comes last, so it can override)."""
    rest = extra[1:] if extra[:1] == ["--"] else list(extra)
    selection, positional = _selection(args)
    return [
        sys.executable,
        "-m",
        "pytest",
        *(positional or [str(ROOT / "scenarios")]),
        f"--conformance-report={report_dir}",
        "--conformance-progress",
        "-q",
        *([] if positional else list(UNUSED_PLUGINS)),
        *selection,
        *_platform(args),
        *_parallelism(rest, None if args is None else args.workers),
        *rest,
    ]


def _platform(args: argparse.Namespace | None) -> list[str]:
    """The step plugin's ``--dkp-…`` options for what the scenarios' clusters run."""
    if args is None:
        return []
    keys = ("deckhouse_version", "edition", "bundle")
    chosen = {key: getattr(args, key, None) for key in keys}
    return [f"--dkp-{key.replace('_', '-')}={value}" for key, value in chosen.items() if value]


def _selection(args: argparse.Namespace | None) -> tuple[list[str], list[str]]:
    """(pytest options, positional paths) for the run's selection."""
    if args is None:
        return [], []
    options: list[str] = []
    positional: list[str] = []
    for raw in args.paths:
        kind, value = classify_path(raw, Path.cwd())
        if kind == "feature":
            options.append(f"--feature-path={value}")
        else:
            positional.append(value)
    if args.keyword:
        options += ["-k", args.keyword]
    if args.markexpr:
        options += ["-m", args.markexpr]
    options += [f"--claim={claim}" for claim in args.claim]
    if args.fail_on_deviation:
        options.append("--fail-on-deviation")
    return options, positional


def classify_path(raw: str, cwd: Path) -> tuple[str, str]:
    """``("feature", path[:line])`` for feature files and folders, ``("pytest", arg)`` for the rest.

    Raises :class:`SelectionError` when the path does not exist or holds no feature file.
    """
    match = _LINE_SUFFIX.match(raw)
    name, line = (match["path"], match["line"]) if match else (raw.split("::", 1)[0], None)
    path = _existing(name, cwd)
    if "::" in raw or path.suffix == ".py" or _is_relative(path, ROOT / "scenarios"):
        shown = path.relative_to(ROOT.resolve()).as_posix() if _is_relative(path, ROOT) else str(path)
        return "pytest", shown + raw[len(name) :]
    features = (ROOT / "features").resolve()
    if path.is_dir():
        if not any(path.rglob("*.feature")):
            raise SelectionError(f"{raw}: no .feature files in this folder")
    elif path.suffix != ".feature":
        raise SelectionError(f"{raw}: not a feature file, a folder of them, or a test module")
    if not _is_relative(path, features):
        raise SelectionError(
            f"{raw}: the suite runs the feature files under {features}; move the file there "
            "(any sub-folder works, no Python binding needed)"
        )
    shown = path.relative_to(ROOT.resolve()).as_posix()
    if line:
        _check_line(raw, path, int(line))
    return "feature", f"{shown}:{line}" if line else shown


def _check_line(raw: str, path: Path, line: int) -> None:
    """A line past the file's end selects nothing a reader meant (it used to run the last scenario)."""
    try:
        count = len(path.read_bytes().splitlines())
    except OSError:
        return  # the run reports the unreadable file itself
    if line < 1 or line > count:
        raise SelectionError(f"{raw}: the file has {count} lines; give the line of a scenario (1 to {count})")
    first = first_scenario_line(path)
    if first is not None and line < first:
        raise SelectionError(
            f"{raw}: no scenario starts at or above line {line} (a scenario starts at its "
            f"'Scenario:' line, below its tags); the first starts at line {first}: give a line "
            f"from {first} to {count}, or drop ':{line}' to run every scenario of the file"
        )


def first_scenario_line(path: Path) -> int | None:
    """The line of the file's first ``Scenario:``, where the selection starts it (its tags are
    above it); ``None`` when the file has no scenario or cannot be read.

    ``file:LINE`` runs the scenario at or above LINE: a line above every scenario (the Feature
    line, its description, a Background step) selected nothing, and the run ended with "no
    scenario matched the selection", which does not say that the line is what to change. Such a
    file (unreadable, not Gherkin) is the run's to report, with its own line.
    """
    from harness.steps.binding import UNREADABLE_ERRORS, parse_feature

    try:
        scenarios = parse_feature(path.parent, path.name).scenarios
    except UNREADABLE_ERRORS:
        return None
    return min((scenario.line_number for scenario in scenarios), default=None)


def _existing(name: str, cwd: Path) -> Path:
    for base in (cwd, ROOT):
        candidate = Path(name) if Path(name).is_absolute() else base / name
        if candidate.exists():
            return candidate.resolve()
        if candidate.is_symlink():
            raise SelectionError(f"{name}: {_broken_link(candidate)}")
    path, colon, after = name.rpartition(":")
    if (
        colon
        and path.endswith(".feature")
        and not after.isdigit()
        and any((b / path).is_file() for b in (cwd, ROOT))
    ):
        # file.feature:abc: the file is there, the line is what is wrong
        raise SelectionError(
            f"{name}: the line after ':' must be a number, e.g. {path}:12 (the scenario at or above "
            f"line 12), or give {path} alone to run every scenario of the file"
        )
    raise SelectionError(f"{name}: no such file or folder{_nearest_path(name, cwd)}")


def _broken_link(link: Path) -> str:
    """What is wrong with a symbolic link that ``exists()`` calls missing: it loops or points
    nowhere. "No such file or folder (did you mean '<the same name>'?)" named the link itself."""
    try:
        os.stat(link)
    except OSError as exc:
        return unreadable_file(exc)
    return "is a symbolic link that cannot be followed"


def _nearest_path(name: str, cwd: Path) -> str:
    """`` (did you mean 'features/x.feature'?)`` for the file or folder beside the one named
    that is spelt most like it (``approval.featur``), as the steps name a YAML file meant."""
    given = Path(name)
    folder = given.parent if given.is_absolute() else cwd / given.parent
    if not folder.is_dir():
        folder = ROOT / given.parent
    if not folder.is_dir():
        return ""
    near = difflib.get_close_matches(given.name, sorted(p.name for p in folder.iterdir()), n=1)
    return f" (did you mean {(given.parent / near[0]).as_posix()!r}?)" if near else ""


def _is_relative(path: Path, base: Path) -> bool:
    return path.resolve().is_relative_to(base.resolve())


def _parallelism(args: list[str], workers: str | None) -> list[str]:
    """Two workers by default (the budget machine has two cores); the user's ``-n``/``-p`` wins.

    Every scenario owns its cluster, so workers share nothing; the report plugin merges their
    results in the controller.
    """
    import importlib.util

    if importlib.util.find_spec("xdist") is None:
        return []
    if workers is not None:
        return ["-n", workers]
    chose = any(a.startswith(("-n", "--numprocesses")) for a in args)
    if chose or "no:xdist" in " ".join(args):
        return []
    return ["-n", "2"]


def run(args: argparse.Namespace) -> int:
    # pytest runs from the project root; a relative --report-dir means the user's directory.
    args.report_dir = args.report_dir.resolve()
    try:
        target = forward_target_arguments(args)
    except TargetOptionsError as exc:
        print(f"dkp-harness run: {exc}", file=sys.stderr)
        return USAGE_ERROR
    extra = list(getattr(args, "extra", []))
    extra = extra[1:] if extra[:1] == ["--"] else extra
    if getattr(args, "claims", None):  # the report plugin's option: its value goes with it
        extra = ["--claims", str(args.claims), *extra]
    try:
        command = build_command(args.report_dir, [*target, *extra], args)
    except SelectionError as exc:
        print(f"dkp-harness run: {exc}", file=sys.stderr)
        print(f"dkp-harness run: nothing ran; the reports in {args.report_dir} were left as they were")
        return USAGE_ERROR
    unknown = _unknown_claim(args.claim, extra)
    if unknown is not None:
        print(f"ERROR: {unknown}", file=sys.stderr)
        print(f"dkp-harness run: nothing ran; the reports in {args.report_dir} were left as they were")
        return USAGE_ERROR
    problem = report_dir_problem(args.report_dir) or _kubeconfig_problem(args)
    if problem is not None:
        print(f"dkp-harness run: {problem}", file=sys.stderr)
        return USAGE_ERROR
    lock = ReportDirLock(args.report_dir)
    try:
        lock.acquire()
    except (ReportDirBusy, OSError) as exc:
        reason = exc if isinstance(exc, ReportDirBusy) else f"cannot lock {lock.path} ({exc.strerror})"
        print(f"dkp-harness run: {reason}", file=sys.stderr)
        print(f"dkp-harness run: nothing ran; the reports in {args.report_dir} were left as they were")
        return USAGE_ERROR
    try:
        before = _report_version(args.report_dir)
        code = exit_code(run_pytest(command))
        return _explain(code, args, command, written=_report_version(args.report_dir) != before)
    finally:
        lock.release()


def exit_code(returncode: int) -> int:
    """pytest's exit code as this command's: a pytest ended by a signal is reported as a shell
    would (128 + N), and one ended by SIGINT as interrupted (2), as the README's table says.

    ``subprocess`` gives -N for a process a signal ended; returned as it was, it became exit 254
    ("-2" modulo 256) and the line "this run wrote no report (exit -2)".
    """
    import signal

    if returncode >= 0:
        return returncode
    return INTERRUPTED if -returncode == signal.SIGINT else 128 - returncode


def _kubeconfig_problem(args: argparse.Namespace) -> str | None:
    """A ``--kubeconfig`` that names no file, found before pytest starts (it used to be told by
    pytest, followed by "pytest refused the arguments"), or that comes with ``--deckhouse-version``."""
    kubeconfig: Path | None = getattr(args, "kubeconfig", None)
    if kubeconfig is not None and getattr(args, "deckhouse_version", None):
        # Every scenario would be skipped: "the scenario needs Deckhouse vX, the cluster runs vY".
        return (
            "--deckhouse-version chooses the simulated Deckhouse; a real cluster (--kubeconfig) runs its"
            " own, which the run reads from it and judges the era tags by: leave the option out"
        )
    if kubeconfig is None or kubeconfig.expanduser().is_file():
        return None
    return f"--kubeconfig {kubeconfig}: no such file; give the kubeconfig of the cluster to check"


def run_pytest(command: list[str]) -> int:
    """Run the pytest ``command`` from the project root; stopping this process stops it cleanly.

    pytest stops cleanly on SIGINT: it ends the session (exit 2, "interrupted"), its workers stop
    their clusters and registries and remove what they made, and the reports are left as they
    were. So a SIGTERM or SIGHUP sent to ``dkp-harness run`` (``kill``, a closed terminal) is
    passed on to pytest as SIGINT; before, it ended only this wrapper, and pytest, its workers and
    their registries went on and wrote the reports after it. A Ctrl-C at the terminal reaches
    pytest itself (one process group), so this process only waits for it to finish; a SIGINT sent
    to this process alone is passed on. The handlers are in place before pytest starts, and a
    signal that comes before pytest exists is passed on as soon as it does.

    pytest learns from :data:`~harness.report.launcher.LAUNCHER_ENV` that this command started
    it: its refusals then name ``dkp-harness run``, and the report's path is printed once, last.
    """
    import signal
    import subprocess

    child: subprocess.Popen[bytes] | None = None
    pending = False

    def forward(signum: int, _frame: object) -> None:
        nonlocal pending
        if signum == signal.SIGINT and _terminal_interrupt():
            return  # the terminal sent it to pytest as well
        if child is None:
            pending = True
            return
        with contextlib.suppress(ProcessLookupError):
            child.send_signal(signal.SIGINT)

    stops = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
    previous = {sig: signal.signal(sig, forward) for sig in stops}
    try:
        child = subprocess.Popen(command, cwd=ROOT, env={**os.environ, LAUNCHER_ENV: LAUNCHER})
        if pending:
            child.send_signal(signal.SIGINT)
        return child.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _terminal_interrupt() -> bool:
    """Whether this process group is the terminal's foreground group: a Ctrl-C reached pytest too."""
    try:
        return os.tcgetpgrp(sys.stdin.fileno()) == os.getpgrp()
    except (OSError, ValueError):
        return False


def _report_version(report_dir: Path) -> tuple[int, int, int] | None:
    """Which file ``conformance.html`` is (inode, size, mtime), or None when there is none.

    The plugin replaces the report with a newly created file (write.py), so a report this run
    wrote is another file than the one found before it started: only that one is announced.
    """
    try:
        stat = (report_dir / "conformance.html").stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def report_dir_problem(report_dir: Path) -> str | None:
    """Why the reports cannot go to ``report_dir``, or None once it exists (created when missing).

    The plugin writes the reports after the last scenario: an unusable directory found only then
    cost the whole run and ended in a traceback. A path that is a file, lies under a file, cannot
    be created or is not writable is refused before pytest starts, and nothing is written.
    """
    problem = usable_directory(report_dir)
    if problem is None:
        return None
    return (
        f"--report-dir {report_dir} {problem}; give a writable directory (it is created when missing), "
        "e.g. --report-dir reports"
    )


def _unknown_claim(claims: Sequence[str], extra: Sequence[str]) -> str | None:
    """The report plugin's own ``--claim`` check, made before pytest starts (its start-up takes
    ~1.5 s, only to refuse a typo); None when every ID is known, or when the run names another
    catalogue (``--claims``) or the catalogue is broken: pytest then checks, and says so."""
    if not claims or any(a == "--claims" or a.startswith("--claims=") for a in extra):
        return None
    import pytest

    from harness.report.claims import CatalogueError, load_catalogue
    from harness.report.selection import check_claim_filter

    try:
        known = load_catalogue(ROOT / "fixtures" / "claims.yaml").ids
        check_claim_filter(claims, known)
    except CatalogueError:
        return None
    except pytest.UsageError as exc:
        return str(exc)
    return None


def _described(args: argparse.Namespace) -> str:
    parts = [*args.paths]
    parts += [f"-k {args.keyword}"] if args.keyword else []
    parts += [f"-m {args.markexpr}"] if args.markexpr else []
    parts += [f"--claim {c}" for c in args.claim]
    parts += list(getattr(args, "extra", []))
    return " ".join(parts) or "every feature under features/"


_IN_WORDS = (
    ("failed", "not met", ""),
    ("error", "could not check", ""),
    ("passed", "hold", ""),
    ("checked_nothing", "passed without a Then step", " (they check nothing: no claim counts them)"),
    (
        "deviation",
        "known deviation{s}",
        " (they pass: DKP differs from the page as fixtures/claims.yaml records)",
    ),
    (
        "other_era",
        "skipped",
        " (written for other Deckhouse versions: --deckhouse-version latest runs the newest)",
    ),
    ("needs_virtual_time", "skipped", " (they need the simulator's virtual time)"),
    ("skipped", "skipped", ""),
)


_FAILED_ON_DEVIATION = " (they fail this run: --fail-on-deviation)"
_OTHER_SKIPS = " (other reasons: the report gives each)"


def _in_words(json_report: Path, *, fail_on_deviation: bool = False) -> str | None:
    """The run's scenarios by outcome, as the report counts them, for the line above ``report:``.

    pytest's own summary counts a known deviation as passed and a scenario of another Deckhouse
    version as skipped among the rest: a first run printed ``DEVIATION`` lines and then
    ``150 passed, 33 skipped``, and left the reader to guess how the two go together. A partial
    run says so on this line (``scenarios of a partial run (-k approval): …``), as the report does.
    """
    report = _read_report(json_report)
    try:
        counts = report["counts"]["scenarios"]
        parts = [
            f"{counts[key]} {words.format(s='s' if counts[key] != 1 else '')}"
            + _why(key, why, counts, fail_on_deviation)
            for key, words, why in _IN_WORDS
            if counts.get(key)
        ]
    except (KeyError, TypeError):
        return None
    if not parts:
        return None
    head = "scenarios"
    if report.get("partial"):
        head = f"scenarios of a partial run ({_selection_words(report)})"
    return f"{head}: " + ", ".join(parts)


def _read_report(json_report: Path) -> dict[str, Any]:
    import json

    try:
        data = json.loads(json_report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _selection_words(report: dict[str, Any]) -> str:
    from harness.report.selection import describe, describe_stop

    selection = report.get("selection") or {}
    words = [w for w in (describe(selection), describe_stop(selection)) if w]
    return "; ".join(words) or "filtered"


_LISTED = 12
"""Up to this many unchecked claims are named on the summary line; more are counted."""


def _context_lines(json_report: Path) -> list[str]:
    """What the run checked (target and Deckhouse version) and, for a partial run, which claims it
    did not check at all: the lines above the scenario counts, so the terminal alone never reads
    as a whole run of some other cluster."""
    from harness.report.run_target import describe_target

    report = _read_report(json_report)
    if not report:
        return []
    lines = [f"checked against: {describe_target(report.get('target') or {})}"]
    lines += _not_applicable_line(report)
    claims = [c for c in report.get("claims") or [] if isinstance(c, dict)]
    unchecked = [str(c.get("id")) for c in claims if c.get("status") == "unselected"]
    if report.get("partial") and unchecked:
        named = ", ".join(unchecked) if len(unchecked) <= _LISTED else "the report lists them"
        lines.append(f"claims not checked by this partial run: {len(unchecked)} ({named})")
    in_part = [str(c.get("id")) for c in claims if c.get("status") != "unselected" and c.get("left_out")]
    if report.get("partial") and in_part:
        named = ", ".join(in_part) if len(in_part) <= _LISTED else "the report lists them"
        lines.append(
            f"claims checked only in part (the selection left some of their scenarios out): "
            f"{len(in_part)} ({named})"
        )
    return lines


def _not_applicable_line(report: dict[str, Any]) -> list[str]:
    """The claims about other Deckhouse versions than the run's, as the HTML's verdict counts them
    apart: without this line the terminal left them to be read as "not checked" (a partial run's
    line counts only the claims its selection left out) or lost among the ones that hold."""
    found = report.get("not_applicable")
    if not isinstance(found, dict) or not found.get("claims"):
        return []
    ids = [str(i) for i in found["claims"]]
    named = ", ".join(ids) if len(ids) <= _LISTED else "the report lists them"
    era = found.get("to") or "the Deckhouse version this run checked"
    return [f"claims not applicable to {era} (about other versions, not counted): {len(ids)} ({named})"]


def _why(key: str, why: str, counts: dict[str, int], fail_on_deviation: bool) -> str:
    """What a count's words add: a known deviation fails a --fail-on-deviation run; plain skips
    are told apart from the kinds counted before them."""
    if key == "deviation" and fail_on_deviation:
        return _FAILED_ON_DEVIATION
    if key == "skipped" and (counts.get("other_era") or counts.get("needs_virtual_time")):
        return _OTHER_SKIPS
    return why


def _explain(code: int, args: argparse.Namespace, command: Sequence[str], *, written: bool) -> int:
    """The run's last line: where its report is, or why there is none.

    ``report:`` names a report only when this run wrote it (``written``): pointing at an older
    run's report as if it were this one's would mislead.
    """
    if code == NO_TESTS_COLLECTED:
        print(
            f"dkp-harness run: no scenario matched the selection ({_described(args)}); exit 5. "
            f"The reports in {args.report_dir} were left as they were."
        )
    elif code == USAGE_ERROR:
        # pytest's exit 4 is any refusal before the first scenario: an option it does not know,
        # but also a cluster it cannot use; the error above says which.
        print(
            "dkp-harness run: nothing ran (see the error above); "
            f"the reports in {args.report_dir} were left as they were"
        )
    elif written:
        summary = _in_words(args.report_dir / "conformance.json", fail_on_deviation=args.fail_on_deviation)
        if summary:
            print("\n".join([*_context_lines(args.report_dir / "conformance.json"), summary]))
        print(f"report: {args.report_dir / 'conformance.html'}")
    else:
        why = "the run was interrupted" if code == INTERRUPTED else f"exit {code}"
        print(
            f"dkp-harness run: this run wrote no report ({why}); "
            f"the reports in {args.report_dir} were left as they were"
        )
    return code
