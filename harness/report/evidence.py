"""What a scenario's steps record so that a reader can see *why* it passed or failed.

The step library gets one :class:`Evidence` per scenario from the ``conformance_evidence``
fixture (or :func:`harness.report.plugin.evidence_for` with the pytest item) and records:

- ``timeline``: a phase change of a Module/ModuleRelease/ModuleSource at a virtual instant;
- ``kubectl``: a command, its output and, when the step compared it, the expected text;
- ``diff``: an expected-vs-actual mismatch at a field path (usually right before failing);
- ``objects_yaml``: the YAML of an object involved in a failure;
- ``note`` and ``log``: free text and log lines (e.g. the simulated Deckhouse log).

Everything is redacted when recorded and bounded in size, so a runaway log cannot bloat the
report and a secret never reaches the pytest report that carries evidence between processes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from harness.clock import utc
from harness.report.redaction import REDACTED, is_secret_key, redact, redact_value

__all__ = [
    "MAX_ENTRIES",
    "MAX_LOG_LINES",
    "MAX_TEXT",
    "Diff",
    "Evidence",
    "KubectlRun",
    "ObjectYaml",
    "PhaseChange",
    "format_instant",
    "truncate",
]

MAX_TEXT = 20_000
MAX_ENTRIES = 200
MAX_LOG_LINES = 400


def truncate(text: str, limit: int = MAX_TEXT) -> str:
    """Cut ``text`` to ``limit`` characters, saying how much was dropped."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}\n… [truncated {len(text) - limit} characters]"


def format_instant(at: datetime) -> str:
    """An instant as ``2024-12-16T09:00:00Z``: UTC, seconds, sortable."""
    return utc(at).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class PhaseChange:
    """A field of a DKP object changed at a virtual instant (e.g. Module phase Installing → Ready)."""

    at: str
    kind: str
    name: str
    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class KubectlRun:
    """A kubectl command a step ran, what it printed and, if compared, what the page says.

    ``matched`` is the verdict of the step that compared the output: that step knows whether it
    checked one row, the columns, a substring or the whole text, so the report takes its word
    (see :meth:`Evidence.judge_step`) instead of guessing from the two texts. ``check`` names the
    comparison (``row``, ``columns``, ``contains``, ``output``) and ``step_line`` the feature line
    of that step.
    """

    command: str
    output: str
    expected: str | None = None
    matched: bool | None = None
    check: str | None = None
    step_line: int | None = None
    row: str | None = None
    """For a row check: the NAME the step looked the row up under, as the cluster spells it (on a
    real cluster the step renames ``module-one`` to ``module-one-<token>``). The step text only
    holds the scenario's name, under which the report would find no row."""


@dataclass(frozen=True)
class Diff:
    """An expected-vs-actual mismatch at a field path; values are shown as JSON."""

    field_path: str
    expected: str
    actual: str


@dataclass(frozen=True)
class ObjectYaml:
    """An object's YAML, recorded so a failure can be read without re-running it."""

    name: str
    yaml: str


@dataclass
class Evidence:
    """Per-scenario recorder; every method redacts and bounds what it stores."""

    timeline_entries: list[PhaseChange] = field(default_factory=list)
    kubectl_runs: list[KubectlRun] = field(default_factory=list)
    diffs: list[Diff] = field(default_factory=list)
    objects: list[ObjectYaml] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    logs: list[str] = field(default_factory=list)
    dropped: int = 0
    #: Virtual instant at which the scenario failed, when the steps could tell (see ``failed_at``).
    failure_at: str | None = None
    #: The feature line of the step running now; set by the report's recorder, not serialised.
    current_step_line: int | None = field(default=None, repr=False, compare=False)

    def timeline(self, at: datetime, kind: str, name: str, field: str, old: object, new: object) -> None:
        """Record that ``kind/name``'s ``field`` went from ``old`` to ``new`` at virtual time ``at``."""
        entry = PhaseChange(
            at=format_instant(at),
            kind=redact(kind),
            name=redact(name),
            field=redact(field),
            old=None if old is None else truncate(redact(str(old)), 2_000),
            new=None if new is None else truncate(redact(str(new)), 2_000),
        )
        self._append(self.timeline_entries, entry)

    def kubectl(
        self,
        command: str,
        output: str,
        expected: str | None = None,
        *,
        check: str | None = None,
        row: str | None = None,
    ) -> None:
        """Record a kubectl command and its output; ``expected`` when the step compared it.

        The verdict is left open: the step that compared the output gives it when it ends
        (:meth:`judge_step`), so a row check is never judged as if it were whole-output equality.
        """
        run = KubectlRun(
            command=truncate(redact(command), 2_000),
            output=truncate(redact(output)),
            expected=None if expected is None else truncate(redact(expected)),
            check=check,
            step_line=self.current_step_line,
            row=None if row is None else truncate(redact(row), 500),
        )
        self._append(self.kubectl_runs, run)

    def judge_step(self, line: int | None, passed: bool, check: str | None = None) -> None:
        """Give every comparison the step at ``line`` recorded the step's own verdict.

        ``check`` fills in the kind of comparison where the step did not name it.
        """
        self.kubectl_runs = [
            replace(run, matched=passed, check=run.check or check)
            if run.step_line == line and run.expected is not None and run.matched is None
            else run
            for run in self.kubectl_runs
        ]

    def failed_at(self, at: datetime) -> None:
        """Record the virtual instant at which the scenario failed (the timeline marks it)."""
        self.failure_at = format_instant(at)

    def diff(self, field_path: str, expected: object, actual: object) -> None:
        """Record a mismatch; values of secret fields (``...dockerCfg``) are never stored."""
        secret = is_secret_key(field_path)
        self._append(
            self.diffs,
            Diff(
                field_path=redact(field_path),
                expected=REDACTED if secret else truncate(_as_json(expected), 5_000),
                actual=REDACTED if secret else truncate(_as_json(actual), 5_000),
            ),
        )

    def objects_yaml(self, name: str, yaml_text: str) -> None:
        """Record an object's YAML (typically on failure)."""
        self._append(self.objects, ObjectYaml(name=redact(name), yaml=truncate(redact(yaml_text))))

    def note(self, text: str) -> None:
        """Record a sentence for the reader (why a step waited, what it assumed)."""
        self._append(self.notes, truncate(redact(text), 5_000))

    def log(self, lines: Iterable[str]) -> None:
        """Record log lines; only the newest ``MAX_LOG_LINES`` are kept."""
        self.logs.extend(truncate(redact(line), 2_000) for line in lines)
        if len(self.logs) > MAX_LOG_LINES:
            cut = len(self.logs) - MAX_LOG_LINES
            self.dropped += cut
            del self.logs[:cut]

    def is_empty(self) -> bool:
        return not any(
            (self.timeline_entries, self.kubectl_runs, self.diffs, self.objects, self.notes, self.logs)
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("current_step_line", None)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        return cls(
            timeline_entries=[PhaseChange(**e) for e in data.get("timeline_entries", [])],
            kubectl_runs=[KubectlRun(**e) for e in data.get("kubectl_runs", [])],
            diffs=[Diff(**e) for e in data.get("diffs", [])],
            objects=[ObjectYaml(**e) for e in data.get("objects", [])],
            notes=list(data.get("notes", [])),
            logs=list(data.get("logs", [])),
            dropped=int(data.get("dropped", 0)),
            failure_at=data.get("failure_at"),
        )

    def _append(self, entries: list[Any], entry: object) -> None:
        if len(entries) >= MAX_ENTRIES:
            self.dropped += 1
            return
        entries.append(entry)


def _as_json(value: object) -> str:
    """Show a value the way a Kubernetes user reads it; secrets inside mappings are redacted."""
    if isinstance(value, str):
        return redact(value)
    try:
        return redact(json.dumps(redact_value(value), sort_keys=True, default=str))
    except (TypeError, ValueError):
        return redact(repr(value))
