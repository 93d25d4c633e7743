"""The reconciler contract of the simulated DKP controllers (level-based, as controller-runtime's).

A controller is told *which* object to look at (a :class:`Request`), never *what happened*; it reads
the current state through the ``KubeClient`` and writes what should change. Its :class:`Result`
says when to look again (``requeue_after``, in virtual time). Raising an ``ApiError`` (for
instance a 409 Conflict from a concurrent write) makes the manager retry with backoff on the clock.

Which objects' changes wake which controller is declared with :class:`Watch` mappers, so the
manager can enqueue requests without the controller handling events itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple, Protocol

from harness.kube.client import WatchEvent
from harness.kube.resources import Resource

__all__ = ["Controller", "Request", "Result", "Watch"]


class Request(NamedTuple):
    """Which object to reconcile (cluster-scoped kinds leave ``namespace`` empty).

    A named tuple rather than a frozen dataclass: requests key the work queue, the timers and the
    idle marks, and a tuple hashes and compares in C (a dataclass's ``__hash__`` is a Python call,
    ~15 of them per replayed look). Ordered by name, then namespace.
    """

    name: str
    namespace: str = ""


@dataclass(frozen=True)
class Result:
    """``requeue_after``: look at the object again after this much virtual time (None: only on change).

    ``idle``: this periodic look found nothing to do. It wrote nothing, or only its own object
    (``writes`` times), which ``heartbeat`` writes again (a source's ``syncTime``, a release's
    message cleared and set again); its outcome depends only on
    the API objects it read, on inputs that cannot change while virtual time is being advanced
    (the registry content) and on time only from ``until`` on. With the fast-time shortcut on,
    the manager then *replays* the following looks on its period instead of running them, while
    nothing the look read changes: a replay writes the ``heartbeat`` and logs the look's lines
    again, at the replayed look's own instant, and schedules the next look, which is all the look
    would have done (see ``harness.dkp.runtime.manager``).
    """

    requeue_after: timedelta | None = None
    idle: bool = False
    until: datetime | None = None
    """The first instant at which an idle look's outcome may change with time alone (a window
    opening, a canary delay ending); looks from then on run for real. ``None``: never."""
    heartbeat: Callable[[], None] | None = None
    """What a replayed look writes (the same write the look made), at the replayed instant."""
    writes: int = 1
    """How many writes ``heartbeat`` makes (the look's own, in its order)."""
    cycle: bool = False
    """The look's writes leave its object as they found it, resourceVersion and managedFields
    times apart (a message cleared and set again): a replay of them changes nothing another look
    reads, so it ends no other look's replays (``harness.dkp.runtime.manager``)."""


@dataclass(frozen=True)
class Watch:
    """Changes of ``resource`` enqueue the requests ``map`` returns (default: the object itself)."""

    resource: Resource
    map: Callable[[WatchEvent], Iterable[Request]] | None = None
    types: frozenset[str] = field(default_factory=lambda: frozenset({"ADDED", "MODIFIED", "DELETED"}))


class Controller(Protocol):
    """One simulated DKP controller."""

    name: str
    """Logger name in the Deckhouse log, e.g. ``d8-module-source-controller``."""

    resource: Resource
    """The kind it reconciles; its own changes enqueue the object itself."""

    watches: tuple[Watch, ...]
    """Other kinds whose changes enqueue requests for this controller."""

    def reconcile(self, request: Request) -> Result: ...
