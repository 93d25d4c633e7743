"""Every version of every object, stamped with virtual time, and the invariants checked over it.

Final-state asserts miss what happened in between (a release deployed before its approval and
then superseded looks fine at the end) and flake on transient states. The recorder subscribes to
the cluster's change feed, which delivers each committed change synchronously and in commit
order, so the history is complete and ordered; the checks below read the whole history, not a
sample. The phase timeline it produces is also the report's evidence.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from harness.api import kinds
from harness.api.annotations import APPROVED, is_approved
from harness.api.phases import ReleasePhase
from harness.kube.client import EventType, WatchEvent
from harness.kube.objects import Obj, annotations_of, deep_get, name_of

__all__ = ["History", "HistoryError", "PhaseChange", "Version"]

TRACKED_KINDS = (kinds.MODULE.kind, kinds.MODULE_RELEASE.kind, kinds.MODULE_SOURCE.kind)


class HistoryError(AssertionError):
    """An invariant or history expectation does not hold; the message tells the story."""


@dataclass(frozen=True)
class Version:
    """One committed state of one object."""

    at: datetime
    kind: str
    name: str
    deleted: bool
    obj: Obj

    @property
    def phase(self) -> str:
        return str(deep_get(self.obj, "status.phase", "") or "")


@dataclass(frozen=True)
class PhaseChange:
    """A row of the timeline: at ``at`` the object entered ``phase``."""

    at: datetime
    kind: str
    name: str
    phase: str
    message: str


@dataclass
class History:
    """Records versions from a change feed; ``now`` reads the virtual clock."""

    now: Callable[[], datetime]
    versions: list[Version] = field(default_factory=list)

    def record(self, event: WatchEvent) -> None:
        """A ``WatchHandler``: keep the version (the event's object is already a private copy)."""
        if event.type not in (EventType.ADDED, EventType.MODIFIED, EventType.DELETED):
            return
        obj = event.object
        self.versions.append(
            Version(self.now(), event.resource.kind, name_of(obj), event.type is EventType.DELETED, obj)
        )

    def of(self, kind: str, name: str) -> list[Version]:
        return [v for v in self.versions if v.kind == kind and v.name == name]

    def timeline(self, kinds: tuple[str, ...] = TRACKED_KINDS) -> list[PhaseChange]:
        """Phase changes of the tracked kinds, in commit order (one row per change, not per write)."""
        last: dict[tuple[str, str], str] = {}
        rows: list[PhaseChange] = []
        for version in self.versions:
            if version.kind not in kinds:
                continue
            key = (version.kind, version.name)
            phase = "(deleted)" if version.deleted else version.phase
            if phase and last.get(key) != phase:
                last[key] = phase
                message = str(deep_get(version.obj, "status.message", "") or "")
                rows.append(PhaseChange(version.at, version.kind, version.name, phase, message))
        return rows

    def phases(self, kind: str, name: str) -> list[str]:
        return [row.phase for row in self.timeline((kind,)) if row.name == name]

    def assert_went_through(self, kind: str, name: str, expected: list[str]) -> None:
        """``expected`` occurs, in this order, among the phases the object entered (others may interleave)."""
        seen = self.phases(kind, name)
        remaining = iter(seen)
        missing = [phase for phase in expected if not _advance_to(remaining, phase)]
        if missing or not seen:
            phases = " → ".join(seen) or "none (it never had a phase)"
            raise HistoryError(
                f"{kind} {name!r} did not go through {' → '.join(expected)}: "
                f"its phases were {phases}{self._others(kind, name)}"
            )

    def _others(self, kind: str, name: str) -> str:
        """For an object the history never saw: the objects of its kind it did see (a misspelt
        name, ``module-one-v0.7.32`` for ``module-one-v0.7.23``, reads as DKP's failure otherwise)."""
        if self.of(kind, name):
            return ""
        names = sorted({v.name for v in self.versions if v.kind == kind})
        near = difflib.get_close_matches(name, names, n=1)
        hint = f"did you mean {near[0]!r}? " if near else ""
        listed = ", ".join(names) if names else "none"
        return f"; no {kind} of that name was ever seen ({hint}the {kind} objects seen: {listed})"

    def assert_never_deployed_before_approval(self, release: str) -> None:
        """No version of ``release`` is Deployed unless this or an earlier version carried the approval."""
        approved_at: datetime | None = None
        for version in self.of(kinds.MODULE_RELEASE.kind, release):
            if is_approved(annotations_of(version.obj)) and approved_at is None:
                approved_at = version.at
            if version.phase == ReleasePhase.DEPLOYED and approved_at is None:
                raise HistoryError(
                    f"ModuleRelease {release!r} was Deployed at {version.at:%Y-%m-%d %H:%M:%S} UTC "
                    f'without the {APPROVED}: "true" annotation having been set'
                )
        if not self.of(kinds.MODULE_RELEASE.kind, release):
            raise HistoryError(f"ModuleRelease {release!r} never existed, so nothing can be said about it")

    def assert_single_deployed(self, module: str) -> None:
        """After every committed change, at most one release of ``module`` is Deployed."""
        current: dict[str, str] = {}
        for version in self.versions:
            if (
                version.kind != kinds.MODULE_RELEASE.kind
                or deep_get(version.obj, "spec.moduleName") != module
            ):
                continue
            current[version.name] = "" if version.deleted else version.phase
            deployed = sorted(name for name, phase in current.items() if phase == ReleasePhase.DEPLOYED)
            if len(deployed) > 1:
                raise HistoryError(
                    f"at {version.at:%Y-%m-%d %H:%M:%S} UTC {len(deployed)} releases of module "
                    f"{module!r} were Deployed at once: {', '.join(deployed)}"
                )


def _advance_to(iterator: Iterator[str], phase: str) -> bool:
    return any(seen == phase for seen in iterator)
