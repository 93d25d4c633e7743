"""The self-contained HTML conformance report.

One file, inline CSS and a few lines of vanilla JS (status filters, expand/collapse), no external
URL loaded, so it can be mailed, archived as a CI artifact and opened offline. The template is
package data (``templates/report.html.j2``) rendered by Jinja2 with autoescaping; this module only
prepares view helpers. Output is deterministic for a given model.
"""

from __future__ import annotations

from datetime import datetime

import jinja2

from harness.report.model import Run, ScenarioResult
from harness.report.status import CLAIM_ORDER, SCENARIO_ORDER, Status

__all__ = ["render_html"]

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("harness.report", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)

_LABELS = {
    Status.PASSED: "holds",
    Status.FAILED: "broken",
    Status.ERROR: "harness error",
    Status.SKIPPED: "skipped",
    Status.DEVIATION: "known deviation",
    Status.UNCOVERED: "uncovered",
}


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
        offsets=_timeline_offsets,
        duration=_duration,
    )


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
