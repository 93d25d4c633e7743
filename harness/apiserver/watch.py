"""Watch: a bounded history of commits that HTTP watch streams read from.

Every commit is appended to one :class:`EventLog`. A watch stream keeps a cursor (the last
resourceVersion it has seen) and waits on the log's condition variable for newer commits, so an
idle watch costs no CPU and ends exactly at its ``timeoutSeconds`` or when the server stops.
Resuming from a resourceVersion works while that version is still in the history; older ones get
``410 Expired`` ("too old resource version"), as an ERROR event, as kube-apiserver's watch cache
sends it. A stream that falls so far behind that its next commit has been dropped gets the same.

Selectors are applied per commit with the object's previous state, like the watch cache does: an
object that starts matching arrives as ADDED, one that stops matching as DELETED.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from harness.apiserver.catalog import ResourceType
from harness.apiserver.storage import Change, Store
from harness.kube.client import EventType
from harness.kube.errors import ApiError
from harness.kube.objects import Obj
from harness.kube.selectors import FieldSelector, LabelSelector

__all__ = ["EventLog", "Expired", "WatchSpec", "next_bookmark", "watch_stream"]

_MAX_WAIT = 3600.0
"""The longest single condition wait, in seconds (far below ``threading.TIMEOUT_MAX``)."""


class Expired(ApiError):
    """410: the resourceVersion asked for is older than the history kept (reason ``Expired``)."""

    CODE, REASON = 410, "Expired"


class EventLog:
    """The last ``capacity`` commits, in resourceVersion order, with a condition to wait on."""

    def __init__(self, capacity: int = 4096) -> None:
        if capacity < 1:
            raise ValueError(f"watch history capacity must be at least 1, got {capacity}")
        self._events: deque[Change] = deque(maxlen=capacity)
        self._cond = threading.Condition()
        self._dropped_upto = 0
        self._closed = False

    def append(self, change: Change) -> None:
        with self._cond:
            if len(self._events) == self._events.maxlen:
                self._dropped_upto = self._events[0].rv
            self._events.append(change)
            self._cond.notify_all()

    def close(self) -> None:
        """End every waiting stream (server stop)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def reopen(self) -> None:
        """Accept watchers again after :meth:`close` (a server restarted with ``start``)."""
        with self._cond:
            self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    def expired(self, rv: int) -> bool:
        """True when commits after ``rv`` may have been dropped."""
        with self._cond:
            return rv < self._dropped_upto

    def oldest(self) -> int:
        with self._cond:
            return self._dropped_upto + 1

    def _after(self, rv: int) -> list[Change]:
        if not self._events or self._events[-1].rv <= rv:
            return []
        start = max(0, rv + 1 - self._events[0].rv)
        return [self._events[i] for i in range(start, len(self._events))]

    def wait(self, rv: int, deadline: float | None) -> list[Change] | None:
        """Commits after ``rv``, waiting until ``deadline`` (monotonic) for one; ``None`` when closed.

        Raises :class:`Expired` when commits after ``rv`` are no longer kept.
        """
        with self._cond:
            while True:
                if rv < self._dropped_upto:
                    raise Expired(_too_old(rv, self._dropped_upto))
                found = self._after(rv)
                if found or self._closed:
                    return found if found else None
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return []
                # Bounded: Condition.wait raises OverflowError beyond threading.TIMEOUT_MAX, and a
                # client may ask for any int64 of timeoutSeconds. The loop waits again as needed.
                self._cond.wait(_MAX_WAIT if remaining is None else min(remaining, _MAX_WAIT))


def _too_old(rv: int, resumable: int) -> str:
    """The watch cache's words for a watch from before the history: the version asked for and
    ``oldest-1``, the oldest kept event's version less one, which is the newest commit dropped here
    and the oldest version a watch may still resume from (``getAllEventsSinceLocked`` in
    ``k8s.io/apiserver/pkg/storage/cacher/watch_cache.go``)."""
    return f"too old resource version: {rv} ({resumable})"


@dataclass(frozen=True)
class WatchSpec:
    """What one watch request asked for."""

    rt: ResourceType
    namespace: str | None
    labels: LabelSelector
    fields: FieldSelector
    resource_version: str | None
    bookmarks: bool
    timeout: float | None
    send_initial: bool | None = None
    bookmark_interval: float = 60.0
    bookmark_type: tuple[str, str] | None = None
    """``(kind, apiVersion)`` of the bookmarks' objects when the events are converted (a
    metadata-only watch's are ``PartialObjectMetadata``, as every event object passes through the
    same conversion upstream); None: the watched kind."""


def _event(kind: str, obj: Obj) -> dict[str, Any]:
    return {"type": kind, "object": obj}


def _bookmark(spec: WatchSpec, rv: int, *, initial_end: bool = False) -> dict[str, Any]:
    meta: dict[str, Any] = {"resourceVersion": str(rv)}
    if initial_end:
        meta["annotations"] = {"k8s.io/initial-events-end": "true"}
    r = spec.rt.resource
    kind, api_version = spec.bookmark_type or (r.kind, r.api_version)
    return _event(EventType.BOOKMARK.value, {"kind": kind, "apiVersion": api_version, "metadata": meta})


def _matches(spec: WatchSpec, obj: Obj | None) -> bool:
    if obj is None:
        return False
    meta = obj.get("metadata") or {}
    if spec.namespace and meta.get("namespace") != spec.namespace:
        return False
    return spec.labels.matches(meta.get("labels")) and spec.fields.matches(obj)


def _translate(spec: WatchSpec, change: Change) -> str | None:
    """The event type this stream sees for ``change`` (``None``: not for this stream)."""
    now = _matches(spec, change.obj)
    before = _matches(spec, change.old)
    if change.type is EventType.MODIFIED:
        if now and before:
            return "MODIFIED"
        return "ADDED" if now else ("DELETED" if before else None)
    return change.type.value if now else None


def watch_stream(
    spec: WatchSpec, store: Store, log: EventLog, convert: Callable[[Obj], Obj]
) -> Iterator[dict[str, Any]]:
    """Watch events as JSON-ready dicts; ends on timeout, server stop or expiry."""
    deadline = None if spec.timeout is None else time.monotonic() + spec.timeout
    rv_text = spec.resource_version or ""
    replay = rv_text in ("", "0") or bool(spec.send_initial)
    initial: list[Obj] = []
    with store.lock:
        if replay:
            initial = store.list(spec.rt, spec.namespace, spec.labels, spec.fields).items
            cursor = store.resource_version
        else:
            cursor = int(rv_text) if rv_text.isascii() and rv_text.isdigit() else -1
            if cursor < 0:
                yield _event("ERROR", Expired(f"invalid resource version {rv_text!r}").to_status())
                return
    for obj in initial:
        yield _event("ADDED", convert(obj))
    if spec.send_initial and spec.bookmarks:
        yield _bookmark(spec, cursor, initial_end=True)
    yield from _follow(spec, log, convert, cursor, deadline)


_PRE_TIMEOUT = 2.0
"""Seconds before a watch's deadline at which the watch cache sends its last bookmark."""


def next_bookmark(now: float, interval: float, deadline: float | None) -> float | None:
    """When a bookmark-allowing watch gets its next bookmark, or None for none before it ends.

    The watch cache sends one every ``interval`` (about a minute) and one ~2 s before the watch's
    deadline, whichever comes first, and none once that moment is past: a watch of less than 2 s
    gets no bookmark at all, and none comes at the deadline itself (``nextBookmarkTime`` of
    ``cacheWatcher`` in ``k8s.io/apiserver/pkg/storage/cacher/cache_watcher.go``).
    """
    beat = now + interval
    if deadline is not None:
        beat = min(beat, deadline - _PRE_TIMEOUT)
    return None if beat <= now else beat


def _follow(
    spec: WatchSpec, log: EventLog, convert: Callable[[Obj], Obj], cursor: int, deadline: float | None
) -> Iterator[dict[str, Any]]:
    bookmark_at = (
        next_bookmark(time.monotonic(), spec.bookmark_interval, deadline) if spec.bookmarks else None
    )
    while True:
        wake = deadline
        if bookmark_at is not None:
            wake = bookmark_at if deadline is None else min(deadline, bookmark_at)
        try:
            changes = log.wait(cursor, wake)
        except Expired as exc:
            yield _event("ERROR", exc.to_status())
            return
        if changes is None:
            return
        if not changes:
            now = time.monotonic()
            if bookmark_at is not None and now >= bookmark_at:
                yield _bookmark(spec, cursor)
                bookmark_at = next_bookmark(now, spec.bookmark_interval, deadline)
            if deadline is not None and now >= deadline:
                return
            continue
        for change in changes:
            cursor = change.rv
            if change.key != spec.rt.key:
                continue
            kind = _translate(spec, change)
            if kind is not None:
                yield _event(kind, convert(change.obj))
