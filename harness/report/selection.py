"""Which scenarios a run selected, and whether that makes the report partial.

A report that says "14 of 66 claims hold · 52 without a scenario" after ``-k approval`` misleads:
the 52 were not asked about. So the plugin works out, from the run's own options, whether a filter
left scenarios out (``-k``, ``-m``, ``--claim``, ``--feature``, node ids or files narrower than
the whole suite, ``--deselect``, ``--last-failed``) and the report then says so and counts only
the claims the selection checked.

``--feature PATH`` and ``--claim ID`` are this plugin's own filters: they keep the scenarios of
the feature files under PATH, or those tagged ``@claim:ID``; the rest is deselected the way
``-k`` deselects.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

from harness.feature_text import read_feature, real_path
from harness.report.recorder import item_claims, scenario_template, unreadable_feature

__all__ = [
    "check_claim_filter",
    "check_expressions",
    "check_marker_names",
    "describe",
    "describe_stop",
    "filter_items",
    "selection_of",
]

#: Paths that stand for "the whole suite" when given as arguments.
_WHOLE_SUITE = ("scenarios", "features")


def selection_of(config: pytest.Config) -> dict[str, Any]:
    """The filters that narrowed this run, as given; empty when the whole suite was selected."""
    option = config.option
    selection: dict[str, Any] = {}
    paths = [a for a in config.args if _narrows(a, config.rootpath, config.invocation_params.dir)]
    if paths:
        selection["paths"] = paths
    features = list(config.getoption("--feature-path") or [])
    if features:
        selection["features"] = features
    claims = list(config.getoption("--claim") or [])
    if claims:
        selection["claims"] = claims
    for key, name in (("keyword", "keyword"), ("markexpr", "markexpr")):
        value = getattr(option, name, "") or ""
        if value:
            selection[key] = value
    deselect = list(getattr(option, "deselect", None) or [])
    if deselect:
        selection["deselect"] = deselect
    if getattr(option, "lf", False):
        selection["last_failed"] = True
    return selection


def describe(selection: dict[str, Any]) -> str:
    """A one-line summary of a selection for the banner, e.g. ``-k approval; claims REL-03``.

    Paths and feature files stand for themselves ("selected by features/approval"): a label in
    front of them read "selected by features features/approval".
    """
    parts = []
    for key, label in (("paths", ""), ("features", ""), ("claims", "claims ")):
        if selection.get(key):
            parts.append(f"{label}{', '.join(map(str, selection[key]))}")
    if selection.get("keyword"):
        parts.append(f"-k {selection['keyword']}")
    if selection.get("markexpr"):
        parts.append(f"-m {selection['markexpr']}")
    if selection.get("deselect"):
        parts.append(f"{len(selection['deselect'])} deselected")
    if selection.get("last_failed"):
        parts.append("last failed only")
    return "; ".join(parts)


def describe_stop(selection: dict[str, Any]) -> str:
    """What a run that stopped early left out, e.g. ``the run stopped before 3 of the selected
    scenarios ran (stopping after 1 failures)``; empty for a run that ran its whole selection."""
    not_run = selection.get("not_run") or []
    if not not_run:
        return ""
    reason = str(selection.get("stopped") or "")
    why = reason.removeprefix("the run stopped before it ").strip() if reason else ""
    count = len(not_run)
    scenarios = "scenario" if count == 1 else "scenarios"
    return f"the run stopped before {count} of the selected {scenarios} ran{f' {why}' if why else ''}"


def _narrows(arg: str, root: Path, cwd: Path) -> bool:
    """True when a command-line path selects less than every scenario."""
    if "::" in arg:
        return True
    path = Path(arg)
    path = (path if path.is_absolute() else cwd / path).resolve()
    if not path.is_dir():
        return path.suffix in (".py", ".feature") and _under_suite(path, root)
    whole = [(root / name).resolve() for name in _WHOLE_SUITE]
    if any(path == w or w.is_relative_to(path) for w in whole):
        return False
    return _under_suite(path, root)


def _under_suite(path: Path, root: Path) -> bool:
    return any(path.is_relative_to((root / name).resolve()) for name in _WHOLE_SUITE)


def check_expressions(config: pytest.Config) -> None:
    """Refuse a ``-k``/``-m`` expression pytest cannot parse, before any worker starts.

    Under pytest-xdist a bad expression otherwise surfaces as an INTERNALERROR from each worker.
    """
    try:
        from _pytest.mark.expression import Expression
    except ImportError:  # pragma: no cover - a pytest without the module parses it later itself
        return
    examples = {"-k": "-k 'approval and not manual'", "-m": "-m 'smoke and not deviation'"}
    for flag, name in (("-k", "keyword"), ("-m", "markexpr")):
        expression = getattr(config.option, name, "") or ""
        if not expression:
            continue
        try:
            compiled = Expression.compile(expression)
        except SyntaxError as exc:
            raise pytest.UsageError(
                f"{flag} {expression!r} is not a valid expression: at column {exc.offset}: {exc.msg}; "
                f"use names joined with and/or/not, e.g. {examples[flag]}"
            ) from None
        del compiled


def check_marker_names(config: pytest.Config) -> None:
    """A tag in ``-m`` that no feature file and no marker has is a typo; say so, with the nearest
    tag. Called once every plugin has registered its markers (the era tags' come late).

    pytest refuses it too (``--strict-markers``), but inside each xdist worker's collection,
    where it became an INTERNALERROR naming an unrelated scenario, and without a suggestion.
    """
    from _pytest.mark.expression import Expression

    expression = getattr(config.option, "markexpr", "") or ""
    if not expression or not (config.getini("strict_markers") or config.getini("strict")):
        return
    try:
        idents = getattr(Expression.compile(expression), "idents", None)
    except SyntaxError:
        return  # check_expressions said so already
    if idents is None:
        return
    known = {line.split(":", 1)[0].split("(", 1)[0].strip() for line in config.getini("markers")}
    unknown = sorted(set(idents()) - known)
    if not unknown:
        return
    hints = [near[0] for name in unknown if (near := difflib.get_close_matches(name, sorted(known), n=1))]
    suggestion = f" (did you mean {', '.join(hints)}?)" if hints else ""
    raise pytest.UsageError(
        f"-m {expression!r}: no feature file or marker has the tag {', '.join(unknown)}{suggestion}; "
        "-m selects by the feature files' @tags (without @) and the harness's markers "
        "(`pytest --markers` lists them)"
    )


def check_claim_filter(claims: Sequence[str], known: frozenset[str] | None) -> None:
    """``--claim`` must name claims of the catalogue; a typo would select nothing."""
    if known is None or not claims:
        return
    for claim_id in claims:
        if claim_id not in known:
            hint = difflib.get_close_matches(claim_id, sorted(known), n=1)
            suggestion = f" (did you mean {hint[0]}?)" if hint else ""
            raise pytest.UsageError(
                f"--claim {claim_id}: no such claim in the claims catalogue{suggestion}; "
                "the IDs are in fixtures/claims.yaml"
            )


def filter_items(
    items: Sequence[pytest.Item], claims: Iterable[str], features: Iterable[str], cwd: Path
) -> tuple[list[pytest.Item], list[pytest.Item]]:
    """(kept, deselected) by ``--claim`` and ``--feature-path``; tests that are not scenarios are kept.

    A feature path may end in ``:LINE`` to keep only the scenario that line belongs to (the
    scenario starting at or nearest above it, or the one Examples row on that line), the way
    editors, CI logs and Cucumber cite ``file:line``.
    The test standing for a feature file that is not valid Gherkin goes with its file: kept when a
    feature path selects the file (any line of it: which scenario a line belongs to cannot be
    told), dropped when the feature paths leave the file out; ``--claim`` keeps it, since the
    file may hold scenarios of the claim.
    """
    wanted_claims = set(claims)
    specs = [_feature_spec(f, cwd) for f in features]
    by_line = any(line is not None for _, line in specs)
    lines = _scenario_lines(items)
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        template = scenario_template(item)
        if template is None:
            problem = unreadable_feature(item)
            ok = problem is None or not specs or any(_selects_file(s, Path(problem.path)) for s in specs)
            (kept if ok else dropped).append(item)
            continue
        tagged = set(item_claims(item))
        path = real_path(template.feature.filename)
        rows = _example_rows(template) if by_line else ()
        row = _row_of(item, rows)
        ok = (not wanted_claims or bool(tagged & wanted_claims)) and (
            not specs or any(_selects(spec, path, template.line_number, lines, rows, row) for spec in specs)
        )
        (kept if ok else dropped).append(item)
    return kept, dropped


def _feature_spec(raw: str, cwd: Path) -> tuple[Path, int | None]:
    """``PATH[:LINE]``; LINE in ASCII digits only. ``str.isdigit`` also accepts ``²`` (which
    ``int`` then refuses: an INTERNALERROR traceback) and ``١٢`` (which ``int`` reads as 12: a
    scenario the user did not name); such a suffix is a usage error naming the argument."""
    head, _, tail = raw.rpartition(":")
    if head and tail.isascii() and tail.isdigit():
        return _resolved(head, cwd), int(tail)
    if head and tail and not tail.isascii() and any(c.isnumeric() for c in tail):
        raise pytest.UsageError(
            f"--feature-path {raw}: the line after ':' must be written in ASCII digits, e.g. {head}:12"
        )
    return _resolved(raw, cwd), None


_SCENARIO_LINE = re.compile(r"\s*(?:Scenario Outline|Scenario Template|Scenario|Example):")


def check_feature_lines(features: Iterable[str], cwd: Path) -> None:
    """Refuse every ``--feature-path file.feature:LINE`` that is above the file's first scenario
    (:func:`_refuse_line_above_scenarios`). Called at configure, before any xdist worker starts: a
    usage error raised while a worker collects is an INTERNALERROR."""
    for raw in features:
        _refuse_line_above_scenarios(raw, _feature_spec(raw, cwd))


def _refuse_line_above_scenarios(raw: str, spec: tuple[Path, int | None]) -> None:
    """A ``file.feature:LINE`` above the file's first ``Scenario:`` line (the Feature's
    description, a Background step, the first scenario's tags) selects nothing: a usage error
    naming the line the first scenario starts at, as ``dkp-harness run`` gives it, where pytest
    ended "no tests ran" without saying the line was the mistake. The file's own text is read
    (English keywords; ``Examples:``/``Scenarios:`` are not scenarios), not the collected items,
    which ``-k`` may have thinned."""
    path, wanted = spec
    if wanted is None or not path.is_file():
        return
    try:
        text = read_feature(path).splitlines()
    except (OSError, UnicodeDecodeError):
        return  # the run reports the unreadable file itself
    first = next((n for n, line in enumerate(text, start=1) if _SCENARIO_LINE.match(line)), None)
    if first is not None and 1 <= wanted < first:
        raise pytest.UsageError(
            f"{raw}: no scenario starts at or above line {wanted} (a scenario starts at its "
            f"'Scenario:' line, below its tags); the first starts at line {first}: give a line "
            f"from {first} to {len(text)}, or drop ':{wanted}' to run every scenario of the file"
        )


def _selects_file(spec: tuple[Path, int | None], path: Path) -> bool:
    root, _ = spec
    path = real_path(path)
    return path == root or path.is_relative_to(root)


def _selects(
    spec: tuple[Path, int | None],
    path: Path,
    line: int,
    lines: dict[Path, list[int]],
    rows: tuple[int, ...] = (),
    row: int | None = None,
) -> bool:
    """Whether the scenario at ``line`` of ``path`` (the Examples row at line ``row`` of an Outline
    whose rows are at ``rows``) is what ``spec`` names: a line on one Examples row names that row
    only, as Cucumber's ``file:LINE`` does; any other line the scenario at or above it."""
    root, wanted = spec
    if wanted is None:
        return path == root or path.is_relative_to(root)
    if path != root:
        return False
    if wanted in rows:
        return row == wanted
    starts = [n for n in lines.get(path, []) if n <= wanted]
    return bool(starts) and max(starts) == line


def _example_rows(template: Any) -> tuple[int, ...]:
    """The file lines of an Outline's Examples rows, in the order pytest-bdd numbers its examples
    (every Examples block's rows, header lines left out); empty for a plain scenario."""
    blocks = [examples.line_number for examples in template.examples if examples.line_number]
    if not blocks:
        return ()
    try:
        text = read_feature(template.feature.filename).splitlines()
    except (OSError, UnicodeDecodeError):
        return ()
    found: list[int] = []
    for start in blocks:
        found += _table_lines(text, start)[1:]  # the first row names the columns
    return tuple(found)


def _table_lines(text: list[str], start: int) -> list[int]:
    """The lines of the table below line ``start`` (blank and comment lines may come between)."""
    table: list[int] = []
    for number in range(start + 1, len(text) + 1):
        stripped = text[number - 1].strip()
        if stripped.startswith("|"):
            table.append(number)
        elif stripped and not stripped.startswith("#"):
            break
    return table


def _row_of(item: pytest.Item, rows: tuple[int, ...]) -> int | None:
    """The file line of the Examples row ``item`` runs, when it runs one."""
    callspec = getattr(item, "callspec", None)
    index = getattr(callspec, "indices", {}).get("_pytest_bdd_example") if callspec is not None else None
    return rows[index] if isinstance(index, int) and 0 <= index < len(rows) else None


def _scenario_lines(items: Sequence[pytest.Item]) -> dict[Path, list[int]]:
    lines: dict[Path, list[int]] = {}
    for item in items:
        template = scenario_template(item)
        if template is not None:
            lines.setdefault(real_path(template.feature.filename), []).append(template.line_number)
    return lines


def _resolved(path: str, cwd: Path) -> Path:
    candidate = Path(path)
    return (candidate if candidate.is_absolute() else cwd / candidate).resolve()
