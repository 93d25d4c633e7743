"""Parked releases: DKP's 15-second polling of waiting ModuleReleases, without the polls.

DKP's release controller re-checks a waiting release every 15 s (60 s under an ``Ignore``
policy). Most waits end only when something else changes: an approval annotation (watched by
DKP itself), a ModuleUpdatePolicy or the ``deckhouse`` ModuleConfig, the Module's phase or
version, another release of the module. Polling those costs ~40,000 reconciles per virtual week
and shows nothing new, so the simulator parks such a release instead and keeps DKP's timing:

- the release is remembered with the instant of the look that parked it (the *anchor*): DKP's
  checks would fall on ``anchor + k * interval``;
- a change DKP watches (generation or annotations of the release) is looked at at once, as in DKP;
- a parked release remembers the kinds its last look read (``reads``, recorded by the controller
  as it gathered the decision's snapshot, not a hand-kept list); a change of an object of one of
  those kinds *pokes* it, and it is then looked at on the first instant of its own grid at or
  after the change, i.e. exactly at the check at which DKP's polling would have noticed it;
- a wait on time alone (update window, canary) keeps its ``deadline``, a check instant on the
  same grid (``harness.dkp.rules.recheck.timed_wait``, the one source of next-check times).

All of this is one of the fast-time shortcuts: with ``ClusterSettings.fast_time`` off the
controller polls instead, and ``tests/dkp/test_shortcuts_differential.py`` requires both to give
identical object histories, timelines and Deckhouse logs for every feature scenario.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from harness.kube.objects import Obj, annotations_of
from harness.kube.resources import Resource

__all__ = ["Parked", "Parking", "fingerprint", "kind_key"]


def kind_key(resource: Resource) -> str:
    """``plural.group``: one kind whatever version an event or a read uses."""
    return f"{resource.plural}.{resource.group}"


def fingerprint(release: Obj) -> tuple[Any, ...]:
    """What DKP's own watch reacts to (§5.3 filter: generation or annotations), plus deletion."""
    meta = release.get("metadata") or {}
    return (
        meta.get("generation"),
        tuple(sorted(annotations_of(release).items())),
        meta.get("deletionTimestamp"),
    )


@dataclass(frozen=True)
class Parked:
    """One waiting release (see the module docstring)."""

    anchor: datetime
    interval: timedelta
    fingerprint: tuple[Any, ...]
    deadline: datetime | None = None
    poked: bool = False
    reads: frozenset[str] = frozenset()
    """The kinds (:func:`kind_key`) the look that parked it read."""

    def next_check(self, now: datetime) -> datetime:
        """The first of DKP's checks (after the parking one) at or after ``now``."""
        steps = max(-(-(now - self.anchor) // self.interval), 1)  # ceil, at least one interval on
        check = self.anchor + self.interval * steps
        return min(check, self.deadline) if self.deadline is not None else check


class Parking:
    """Thread-safe map release name → :class:`Parked` (watch mappers run on writer threads)."""

    def __init__(self) -> None:
        self._parked: dict[str, Parked] = {}
        self._lock = threading.Lock()

    def park(self, name: str, parked: Parked) -> None:
        with self._lock:
            self._parked[name] = parked

    def unpark(self, name: str) -> None:
        with self._lock:
            self._parked.pop(name, None)

    def get(self, name: str) -> Parked | None:
        with self._lock:
            return self._parked.get(name)

    def poke(self, kind: str | None = None) -> list[str]:
        """Mark the parked releases that read ``kind`` as possibly affected; returns their names.

        ``None`` pokes every parked release: the cluster's own settings changed (an upgrade of
        Deckhouse or Kubernetes), which every decision reads.
        """
        with self._lock:
            names = sorted(n for n, p in self._parked.items() if kind is None or kind in p.reads)
            for name in names:
                self._parked[name] = replace(self._parked[name], poked=True)
            return names

    def __len__(self) -> int:
        with self._lock:
            return len(self._parked)
