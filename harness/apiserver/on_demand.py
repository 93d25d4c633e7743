"""Objects kept current only when someone asks for their resource.

Some objects change with time alone on a real cluster: a leader renews its Lease every few
seconds, a kubelet its node's heartbeat Lease. Writing each renewal as virtual time passes would
cost a commit per renewal, weeks of simulated time would cost hundreds of thousands of writes that
nobody reads, and every one would move the resourceVersions the scenarios see. Instead the owner
of such objects registers a function that brings them up to date at the clock's instant, and the
server calls it before serving any request for their resource (a read, a watch, a write: a
client's update from a stale read must still meet the renewal it missed and get its 409). What a
client can observe is the same as with eager renewals, except that a watch already open sees a
renewal only once something asks for the resource again.

The function writes through the in-process client, which comes back through the same request
path: a per-thread flag keeps that inner request from calling the function again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from harness.apiserver.catalog import ResourceType

__all__ = ["OnDemand"]


class OnDemand:
    """Per resource (group, plural): the functions that bring its objects up to date."""

    def __init__(self) -> None:
        self._refreshers: dict[tuple[str, str], list[Callable[[], None]]] = {}
        self._inside = threading.local()

    def add(self, key: tuple[str, str], refresh: Callable[[], None]) -> None:
        """Call ``refresh()`` before every request for the resource ``key``."""
        self._refreshers = {**self._refreshers, key: [*self._refreshers.get(key, []), refresh]}

    def refresh(self, rt: ResourceType) -> None:
        """Run ``rt``'s resource's functions, unless this thread is already inside one."""
        found = self._refreshers.get(rt.key)
        if not found or getattr(self._inside, "active", False):
            return
        self._inside.active = True
        try:
            for refresh in found:
                refresh()
        finally:
            self._inside.active = False
