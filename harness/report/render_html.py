"""The self-contained HTML conformance report.

One file, inline CSS and a few lines of vanilla JS (status filters, expand/collapse), no external
URL loaded, so it can be mailed, archived as a CI artifact and opened offline. The template is
package data (``templates/report.html.j2``) rendered by Jinja2 with autoescaping; this module only
prepares view helpers. Output is deterministic for a given model.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import jinja2
from markupsafe import Markup, escape

from harness.report.comparisons import Comparison, comparison_of, row_name_of
from harness.report.evidence import KubectlRun, PhaseChange
from harness.report.model import (
    CHECKED_NOTHING_COUNT,
    NEEDS_VIRTUAL_TIME_COUNT,
    OTHER_ERA_COUNT,
    Run,
    ScenarioResult,
    StepCatalogueEntry,
)
from harness.report.run_target import deckhouse_era, describe_target
from harness.report.selection import describe, describe_stop
from harness.report.status import CLAIM_ORDER, SCENARIO_ORDER, Status
from harness.report.visible_text import visible_value

__all__ = ["code_spans", "make_environment", "render_html"]

_OPTIONS: dict[str, Any] = {
    "autoescape": True,
    "finalize": visible_value,  # control characters as their pictures (harness.report.visible_text)
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
}
"""The options compiled into the template's code (Jinja applies ``finalize`` and escaping in the
code it generates, not when it renders)."""


def make_environment(
    cache_directory: str | None = None,
    loader: jinja2.BaseLoader | None = None,
    **overrides: Any,
) -> jinja2.Environment:
    """The report's Jinja environment; its compiled templates are cached on disk.

    The template is compiled once per user (Jinja's per-user directory under the system temp dir,
    which it creates private): compiling it took ~0.25 s of every run's end. Jinja keys a cached
    template by its name and source only, yet the options above are compiled into it: a cache
    written by an environment with other options (an older harness, before ``finalize``) was
    loaded as it was, and the report showed raw NULs. The cache files are named after the
    options too.
    """
    options = {**_OPTIONS, **overrides}
    cache = jinja2.FileSystemBytecodeCache(
        cache_directory, pattern=f"__dkp_harness_{_fingerprint(options)}_%s.cache"
    )
    return jinja2.Environment(
        loader=loader or jinja2.PackageLoader("harness.report", "templates"),
        undefined=jinja2.StrictUndefined,
        bytecode_cache=cache,
        **options,
    )


def _fingerprint(options: dict[str, Any]) -> str:
    named = {
        key: f"{value.__module__}.{value.__qualname__}" if callable(value) else repr(value)
        for key, value in sorted(options.items())
    }
    return hashlib.sha256(repr(sorted(named.items())).encode()).hexdigest()[:16]


_ENV = make_environment()

_CODE_SPAN = re.compile(r"``(.+?)``")


def code_spans(text: str) -> Markup:
    """A step docstring's ``code`` spans (reST's double backquotes, which docs/steps.md shows as
    Markdown code) as ``<code>`` in the report, the rest escaped.

    The catalogue printed the docstrings as typed, so a reader saw "lacks ``version.json``" with
    the backquotes; a lone pair of backquotes is left as text.
    """
    parts = _CODE_SPAN.split(text)
    return Markup("").join(
        Markup("<code>{}</code>").format(part) if odd else escape(part) for odd, part in _alternating(parts)
    )


def _alternating(parts: list[str]) -> list[tuple[bool, str]]:
    """``re.split`` with one group: text at even places, the group's captures at odd ones."""
    return [(index % 2 == 1, part) for index, part in enumerate(parts)]


_ENV.filters["code_spans"] = code_spans

_LABELS = {
    Status.PASSED: "holds",
    Status.FAILED: "not met",
    Status.ERROR: "could not check",
    Status.SKIPPED: "skipped",
    Status.DEVIATION: "known deviation",
    Status.UNCOVERED: "uncovered",
    Status.UNSELECTED: "not in this run",
    Status.NOT_APPLICABLE: "not applicable",
}
_MEANINGS = {
    Status.PASSED: "every scenario checking the claim passed: DKP does what the page says.",
    Status.FAILED: "a scenario's expectation was not met: DKP or the scenario is wrong; read the step "
    "that did not pass against the claim, and its expected-vs-actual differences.",
    Status.ERROR: "a scenario could not be carried out (a mistake in the scenario, such as an unknown "
    "step or table column, or a harness problem): nothing was learnt about DKP.",
    Status.DEVIATION: "DKP does something other than the page says, in the way the claims catalogue "
    "records (the reason is under Known deviations). The scenario checks what DKP actually does and "
    "passes; the terminal prints DEVIATION; --fail-on-deviation fails the run on it.",
    Status.SKIPPED: "not run, with the reason: written for another Deckhouse version "
    "(--deckhouse-version), or needing the simulator's virtual time on a real cluster.",
    Status.UNCOVERED: "no scenario checks the claim yet: a to-do.",
    Status.UNSELECTED: "a filtered run (a folder, -k, -m, --claim) did not select its scenarios.",
    Status.NOT_APPLICABLE: "the claim is about other Deckhouse versions than the one this run checked.",
}
"""What each status means to a first-time reader: the legend under the counts and the counts'
tooltips (a "known deviation" tile with no explanation next to it reads like a failure)."""


def render_html(run: Run) -> str:
    template = _ENV.get_template("report.html.j2")
    scenarios = {s.nodeid: s for s in run.scenarios}
    return template.render(
        run=run,
        scenarios=scenarios,
        scenario_order=[s.value for s in SCENARIO_ORDER],
        claim_order=[s.value for s in CLAIM_ORDER],
        scenario_counts=run.scenario_counts(),
        claim_counts=run.claim_counts(),
        deviations=[c for c in run.claims if c.claim.deviation],
        label=lambda status: _LABELS[Status(status)],
        meaning=lambda status: _MEANINGS[Status(status)],
        error_detail=_error_detail,
        offsets=_timeline_offsets,
        duration=_duration,
        comparison=_comparison,
        timeline_rows=_timeline_rows,
        selection=describe(run.selection),
        stopped=describe_stop(run.selection),
        target=describe_target(run.target),
        timeline_clock=_timeline_clock(run.target),
        era=deckhouse_era(run.target),
        catalogue_rows=_catalogue_rows(run.step_catalogue or []),
        needs_virtual_time=run.scenario_counts().get(NEEDS_VIRTUAL_TIME_COUNT, 0),
        other_era=run.scenario_counts().get(OTHER_ERA_COUNT, 0),
        checked_nothing=run.scenario_counts().get(CHECKED_NOTHING_COUNT, 0),
        beyond_page=run.beyond_page_count(),
    )


def _error_detail(text: str) -> str:
    """The terminal's account of a failure, as the report shows it: without the pointer to this report.

    The terminal's last line ends ``details: reports/conformance.html``; inside that very file the
    pointer only makes the reader look for another report.
    """
    return _REPORT_POINTER.sub(")", text)


_REPORT_POINTER = re.compile(r"; details: [^\n]*\.html\)$", re.M)


def _catalogue_rows(entries: Sequence[StepCatalogueEntry]) -> list[dict[str, object]]:
    """One row per step: the phrasings of one function and pattern (``Given``/``When I run``)
    together, since the count (per function) is the same for each and two rows would read as two
    steps."""
    kinds: dict[tuple[str, str], list[str]] = {}
    first: dict[tuple[str, str], StepCatalogueEntry] = {}
    for entry in entries:
        key = (entry.function or f"{entry.kind} {entry.pattern}", entry.pattern)
        kinds.setdefault(key, []).append(entry.kind)
        first.setdefault(key, entry)
    return [{"kind": " / ".join(kinds[key]), "entry": entry} for key, entry in first.items()]


def _timeline_clock(target: dict[str, str]) -> str:
    """What the timeline's instants are: the simulator's virtual clock, or the cluster's own
    timestamps (scaled on a ``serve --time-scale`` sandbox), so a real run is not read as virtual."""
    mode = target.get("time_mode", "virtual")
    if mode == "virtual":
        return "virtual time"
    return "cluster time" if mode == "real" else f"cluster time, {mode}"


def _comparison(scenario: ScenarioResult, run: KubectlRun) -> Comparison | None:
    """The comparison a kubectl run carries, with the row name read from the step that made it."""
    step = next((s for s in scenario.steps if s.line == run.step_line), None)
    return comparison_of(run, row_name_of(step.name) if step is not None else None)


def _timeline_rows(scenario: ScenarioResult) -> list[dict[str, object]]:
    """Timeline entries in time order with a row marking when the scenario failed."""
    offsets = _timeline_offsets(scenario)
    rows: list[dict[str, object]] = [
        {"entry": e, "offset": offsets[i], "failure": False}
        for i, e in enumerate(scenario.evidence.timeline_entries)
    ]
    if scenario.status not in (Status.FAILED, Status.ERROR) or not rows:
        return rows
    at = scenario.evidence.failure_at
    failing = scenario.failing_step
    marker: dict[str, object] = {
        "entry": None,
        "at": at or "",
        "failure": True,
        "step": f"{failing.keyword} {failing.name} (line {failing.line})" if failing else "",
    }
    position = len(rows) if at is None else sum(1 for r in rows if _entry_at(r) <= at)
    rows.insert(position, marker)
    return rows


def _entry_at(row: dict[str, object]) -> str:
    entry = row["entry"]
    return entry.at if isinstance(entry, PhaseChange) else ""


def _duration(seconds: float) -> str:
    if seconds < 0.001:
        return "<1 ms"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s"


def _timeline_offsets(scenario: ScenarioResult) -> list[str]:
    """Each timeline entry's virtual time as an offset from the first, e.g. ``+3m``, ``+2d 4h``."""
    entries = scenario.evidence.timeline_entries
    if not entries:
        return []
    instants = [datetime.strptime(e.at, "%Y-%m-%dT%H:%M:%SZ") for e in entries]
    start = min(instants)
    return [_offset(int((at - start).total_seconds())) for at in instants]


def _offset(seconds: int) -> str:
    if seconds == 0:
        return "+0s"
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        value, seconds = divmod(seconds, size)
        if value:
            parts.append(f"{value}{unit}")
    return "+" + " ".join(parts[:2])
