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
from datetime import timedelta
from typing import Protocol

from harness.kube.client import WatchEvent
from harness.kube.resources import Resource

__all__ = ["Controller", "Request", "Result", "Watch"]


@dataclass(frozen=True, order=True)
class Request:
    """Which object to reconcile (cluster-scoped kinds leave ``namespace`` empty)."""

    name: str
    namespace: str = ""


@dataclass(frozen=True)
class Result:
    """``requeue_after``: look at the object again after this much virtual time (None: only on change).

    ``idle``: this periodic look found nothing to do and wrote nothing but a heartbeat (e.g. a
    source's ``syncTime``), and its outcome depends only on API objects and on inputs that cannot
    change while virtual time is being advanced (the registry content). While nothing else
    happens, the manager may then skip the identical looks in between and run only the last one
    before something else is due (see ``Manager._coalesce_idle``).
    """

    requeue_after: timedelta | None = None
    idle: bool = False


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
