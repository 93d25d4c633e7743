"""Parked releases: DKP's 15-second polling of waiting ModuleReleases, without the polls.

DKP's release controller re-checks a waiting release every 15 s (60 s under an ``Ignore``
policy). Most waits end only when something else changes: an approval annotation (watched by
DKP itself), a ModuleUpdatePolicy or the ``deckhouse`` ModuleConfig, the Module's phase or
version, another release of the module. Polling those costs ~40,000 reconciles per virtual week
and shows nothing new, so the simulator parks such a release instead and keeps DKP's timing:

- the release is remembered with the instant of the look that parked it (the *anchor*): DKP's
  checks would fall on ``anchor + k * interval``;
- a change DKP watches (generation or annotations of the release) is looked at at once, as in DKP;
- any other change that could matter *pokes* the parked releases; each is then looked at on the
  first instant of its own grid at or after the change, i.e. exactly at the check at which DKP's
  polling would have noticed it;
- a wait on time alone (update window, canary) keeps its ``deadline``, a check instant on the
  same grid (see ``release._timed_wait``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from harness.kube.objects import Obj, annotations_of

__all__ = ["Parked", "Parking", "fingerprint"]


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

    def poke(self) -> list[str]:
        """Mark every parked release as possibly affected; returns their names."""
        with self._lock:
            names = sorted(self._parked)
            for name in names:
                self._parked[name] = replace(self._parked[name], poked=True)
            return names

    def __len__(self) -> int:
        with self._lock:
            return len(self._parked)
