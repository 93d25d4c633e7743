"""The manager's work queue: FIFO, de-duplicated, safe to fill from any thread.

Writes reach the fake API server on HTTP threads, and its in-process client delivers their watch
events synchronously on those threads, so enqueueing must be thread-safe. Reconciling happens on
one thread at a time (the manager's run lock), which is why a key only has to be unique while it
waits: a key being reconciled may be queued again, and is then looked at once more afterwards,
as controller-runtime's queue does.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Hashable
from typing import Generic, TypeVar

__all__ = ["WorkQueue"]

K = TypeVar("K", bound=Hashable)


class WorkQueue(Generic[K]):
    """Keys wait in arrival order; adding a key that is already waiting does nothing."""

    def __init__(self) -> None:
        self._order: deque[K] = deque()
        self._waiting: set[K] = set()
        self.changed = threading.Condition()
        """Notified on every add, so a background driver can sleep until there is work."""

    def add(self, key: K) -> bool:
        """Queue ``key``; ``False`` if it was already waiting."""
        with self.changed:
            if key in self._waiting:
                return False
            self._waiting.add(key)
            self._order.append(key)
            self.changed.notify_all()
            return True

    def pop(self) -> K | None:
        """The oldest waiting key, or ``None`` when the queue is empty."""
        with self.changed:
            if not self._order:
                return None
            key = self._order.popleft()
            self._waiting.discard(key)
            return key

    def __len__(self) -> int:
        with self.changed:
            return len(self._order)

    def snapshot(self) -> list[K]:
        with self.changed:
            return list(self._order)
