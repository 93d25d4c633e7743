"""The simulated DKP module manager: runs the controllers over one work queue on one clock.

What the real controller-runtime manager does with goroutines, informers and rate-limited
queues, this does deterministically (docs/architecture.md):

- one subscription to the client; every committed change becomes requests for each controller
  whose own ``resource`` or whose ``watches`` match (by group and plural, any version);
- a FIFO, de-duplicated queue keyed by ``(controller name, Request)``;
- ``Result.requeue_after`` becomes a timer on the clock; the latest reconcile of a key decides its
  next timed look, so a newer requeue replaces the older one and ``Result()`` cancels it;
- any exception from a reconcile (an ``ApiError`` such as a 409 from a concurrent write, an
  injected fault, or a bug) is logged to the Deckhouse log and retried with exponential backoff
  on the virtual clock (1 s doubling up to 5 min), never propagated;
- ``settle()`` runs until quiescent: queue empty and no timer due at the current instant;
- ``advance(d)`` / ``set_time(t)`` jump from timer to timer, settling at each deadline.

The fast-time shortcut (``coalesce``, ``ClusterSettings.fast_time``; off, every look runs, as DKP
polls): a periodic look a controller reports as ``idle`` (``Result.idle``) is remembered with what
it read (the :class:`~harness.dkp.runtime.reads.ReadRecorder` the controllers read through), what
it logged and its heartbeat write. While nothing it read changes, no foreign timer fires, time
stays inside one jump (the registry cannot change within one) and its ``until`` has not come,
each following look on its timer is *replayed* (``_replay``): the heartbeat is written and the
lines logged again at the look's own instant, and the next look is scheduled, all that the look
would have done, in the order the clock fires the looks. A look that leaves nothing behind (a
waiting release) is not even fired: its timer is moved straight to the first of its instants at
which something may differ (``_skip_ahead``), ordered among the timers there as the skipped
looks would have ordered it. ``tests/dkp/test_shortcuts_differential.py`` runs every feature
scenario both ways and requires identical object histories, timelines and Deckhouse logs.

Reconciles run on one thread at a time (a run lock), whoever calls; events may arrive on any
thread. The :class:`BackgroundDriver` settles whenever work arrives, for the sandbox.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from harness.clock import Clock, Timer, VirtualClock, utc
from harness.dkp.runtime.errors import ReconcileError
from harness.dkp.runtime.log import DeckhouseLog
from harness.dkp.runtime.predicates import Predicate
from harness.dkp.runtime.reads import ANY, Read, ReadRecorder, kind_key
from harness.dkp.runtime.reconcile import Controller, Request, Result, Watch
from harness.dkp.runtime.workqueue import WorkQueue
from harness.kube.client import EventType, KubeClient, Unsubscribe, WatchEvent
from harness.kube.errors import ApiError, NotFound
from harness.kube.objects import Obj
from harness.kube.resources import Resource
from harness.registry.errors import RegistryError

_LOG = logging.getLogger(__name__)
_DKP_FAILURES = (ApiError, ReconcileError, RegistryError)
"""Failures a DKP controller has too; any other exception in a reconcile is a simulator bug."""

__all__ = ["BackgroundDriver", "Key", "LivelockError", "Manager", "TimeControlError"]

Key = tuple[str, Request]
"""``(controller name, request)``: the unit of work."""

_OBJECT_EVENTS = frozenset({EventType.ADDED, EventType.MODIFIED, EventType.DELETED})
LOGGER = "d8-module-manager"


class LivelockError(RuntimeError):
    """Controllers kept waking each other at one instant; the message names the hottest keys."""


class TimeControlError(ValueError):
    """A time jump that cannot be done (backwards, or on a real clock)."""


def _same_kind(a: Resource, b: Resource) -> bool:
    """Events carry the version they were stored in; controllers match any served version."""
    return a.group == b.group and a.plural == b.plural


def _meta(obj: Obj) -> Obj:
    """``metadata``, read without copying (``dict.get`` skips a copy-on-write view's copy)."""
    return dict.get(obj, "metadata") or {}


def _request_of(obj: Obj) -> Request:
    meta = _meta(obj)
    return Request(str(meta.get("name", "")), str(meta.get("namespace") or ""))


def _slim(obj: Obj) -> Obj:
    """What predicates compare, without keeping whole objects alive."""
    meta = _meta(obj)
    keep = ("generation", "annotations", "deletionTimestamp", "labels")
    return {"metadata": {k: meta.get(k) for k in keep if k in meta}}


@dataclass(frozen=True)
class _IdleMark:
    """An idle periodic look (``Result.idle``): replayable in its epoch while nothing it read changes."""

    epoch: int
    period: timedelta
    log_lines: tuple[str, ...]
    """What the look logged: each replayed look logs it again, at its own instant."""
    reads: frozenset[Read]
    """What the look read; a change of any of them (by another writer) drops the mark."""
    until: datetime | None
    heartbeat: Callable[[], None] | None
    writes: Read | None
    """The object the heartbeat writes (the look's own), ``None`` without one."""
    count: int = 1
    """How many writes the heartbeat makes."""
    cycle: bool = False
    """The heartbeat's writes leave the object's content as it was (``Result.cycle``)."""

    @property
    def silent(self) -> bool:
        """A replay of it leaves nothing behind: no write, no log line."""
        return self.heartbeat is None and not self.log_lines

    def affected_by(self, kind: str, name: str) -> bool:
        return ("*", ANY) in self.reads or (kind, ANY) in self.reads or (kind, name) in self.reads


_ALL: Read = ("*", ANY)
_EVERYTHING: frozenset[Read] = frozenset({_ALL})
"""The reads of a look when nobody recorded them: any change may matter."""


class _Fire:
    """The manager's own timer callback (a timer with another callback is foreign)."""

    def __init__(self, manager: Manager, key: Key) -> None:
        self.manager, self.key = manager, key
        self.timer: Timer | None = None

    def __call__(self) -> None:
        self.manager._fired(self)


def _describe(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, (ApiError, ReconcileError)) else f"{type(exc).__name__}: {exc}"


class Manager:
    """Drives ``controllers`` over ``client`` on ``clock`` (see the module docstring)."""

    def __init__(
        self,
        client: KubeClient,
        clock: Clock,
        log: DeckhouseLog,
        controllers: Sequence[Controller],
        *,
        max_steps: int = 200_000,
        max_per_key: int = 1_000,
        backoff_base: timedelta = timedelta(seconds=1),
        backoff_cap: timedelta = timedelta(minutes=5),
        coalesce: bool = True,
        reads: ReadRecorder | None = None,
    ) -> None:
        names = [c.name for c in controllers]
        if len(set(names)) != len(names):
            raise ValueError(f"controller names must be unique, got {names}")
        self._client = client
        self._clock = clock
        self._log = log
        self._controllers = {c.name: c for c in controllers}
        self._interest: dict[tuple[str, str], tuple[tuple[Controller, bool, tuple[Watch, ...]], ...]] = {}
        self._max_steps = max_steps
        self._max_per_key = max_per_key
        self._backoff_base = backoff_base
        self._backoff_cap = backoff_cap
        self._coalesce = coalesce and isinstance(clock, VirtualClock)
        """Replay idle periodic looks (the fast-time shortcut; ``ClusterSettings.fast_time``).
        Only in virtual time: on a real clock nothing marks when the registry may change."""
        self._reads = reads
        """The client the controllers read through, noting what each reconcile read."""
        self.queue: WorkQueue[Key] = WorkQueue()
        self._run_lock = threading.RLock()
        self._state_lock = threading.Lock()
        self._timers: dict[Key, Timer] = {}
        self._failures: dict[Key, int] = {}
        self._seen: dict[tuple[str, Request], Obj] = {}
        self._unsubscribe: Unsubscribe | None = None
        self.reconciles = 0
        """Total reconciles run, for benchmarks and tests."""
        self._events = 0  # committed changes seen
        self._epoch = 0  # one per advance/set_time/settle call: the registry cannot change within one
        self._running: tuple[Resource, Request] | None = None
        self._running_key: Key | None = None  # whose look (or replayed heartbeat) writes now
        self._foreign = 0  # changes of other objects than the one being reconciled
        self._idle: dict[Key, _IdleMark] = {}
        self._replaying_cycle = False  # a replayed heartbeat whose writes net to no change runs
        self._readers: dict[Read, set[Key]] = {}  # a read -> the keys whose idle mark made it
        self.coalesced = 0
        """Periodic looks replayed or skipped instead of run (for benchmarks and tests)."""
        self._stopped: frozenset[str] = frozenset()  # controllers of a Deckhouse not running now

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> None:
        """Subscribe once, then enqueue every existing object a controller cares about."""
        if self._unsubscribe is not None:
            return
        self._unsubscribe = self._client.subscribe(self._on_event)
        for resource in self._resources():
            try:
                objects = self._client.list(resource)
            except NotFound:
                self._log.warning(LOGGER, "resource not served, not watched", resource=resource.plural)
                continue
            for obj in objects:
                self._on_event(WatchEvent(EventType.ADDED, resource, obj))

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        with self._state_lock:
            for timer in self._timers.values():
                timer.cancel()
            self._timers.clear()

    def exclusive(self) -> threading.RLock:
        """Hold it (``with manager.exclusive():``) to make several writes no reconcile runs between,
        even on a background driver's thread (the cluster's own two-step changes)."""
        return self._run_lock

    def restart(self) -> None:
        """What restarting Deckhouse does to its controllers (its pod deleted, a new one started).

        Nothing of the old process's memory is left: its timers (a periodic look comes back with
        the initial list, not on its old schedule), backoffs, idle marks and what the predicates
        had seen; then every object is looked at again, as controller-runtime's informers list
        them when a manager starts. Work already queued stays queued (it would be listed again).
        Controllers :meth:`halt` stopped run again.
        """
        with self._run_lock:
            self.stop()
            with self._state_lock:
                self._forget()
                self._stopped = frozenset()
            self.start()

    def halt(self, keep: Collection[str]) -> None:
        """Deckhouse stopped and none runs (its Deployment scaled to zero): every controller but
        those named in ``keep`` (Kubernetes' own, which notice when Deckhouse is wanted again)
        stops reconciling, forgets its timers and what it had seen, and ignores changes until
        :meth:`restart`. Nothing reconciles a module meanwhile, and no periodic look comes due.
        """
        unknown = set(keep) - set(self._controllers)
        if unknown:
            raise KeyError(f"no controller named {sorted(unknown)}; known: {sorted(self._controllers)}")
        with self._run_lock, self._state_lock:
            self._stopped = frozenset(self._controllers) - set(keep)
            for key in [key for key in self._timers if key[0] in self._stopped]:
                self._timers.pop(key).cancel()
            self._forget()

    def _forget(self) -> None:
        """Drop what a Deckhouse process kept in memory (hold the state lock)."""
        self._failures.clear()
        self._seen.clear()
        self._idle.clear()
        self._readers.clear()
        self._epoch += 1

    @property
    def halted(self) -> bool:
        """Whether :meth:`halt` stopped the controllers and no :meth:`restart` started them again."""
        return bool(self._stopped)

    def _resources(self) -> list[Resource]:
        found: list[Resource] = []
        for ctrl in self._controllers.values():
            for resource in (ctrl.resource, *(w.resource for w in ctrl.watches)):
                if not any(_same_kind(resource, r) for r in found):
                    found.append(resource)
        return found

    # -- events → requests -----------------------------------------------------------------------

    def enqueue(self, controller: str, request: Request) -> None:
        """Queue a reconcile by hand (tests, the sandbox); thread-safe."""
        if controller not in self._controllers:
            raise KeyError(f"no controller named {controller!r}; known: {sorted(self._controllers)}")
        self.queue.add((controller, request))

    def _on_event(self, event: WatchEvent) -> None:
        """Runs on the writer's thread: must not block, must not raise, must not write."""
        if event.type not in _OBJECT_EVENTS:
            return
        request = _request_of(event.object)
        with self._state_lock:
            self._events += 1
            running = self._running
            if running is not None and not (_same_kind(event.resource, running[0]) and request == running[1]):
                self._foreign += 1
            if self._idle:
                self._drop_marks_reading(event, request.name)
        for ctrl, own, watches in self._interested(event.resource):
            if ctrl.name in self._stopped:
                continue
            try:
                for found in self._requests_for(ctrl, own, watches, event, request):
                    self.queue.add((ctrl.name, found))
            except Exception as exc:  # noqa: BLE001 - a broken mapper must not break the writer
                self._log.error(ctrl.name, "watch mapping failed", error=_describe(exc))

    def _interested(self, resource: Resource) -> tuple[tuple[Controller, bool, tuple[Watch, ...]], ...]:
        """The controllers an event of ``resource`` may concern, in controller order (cached)."""
        kind = (resource.group, resource.plural)
        found = self._interest.get(kind)
        if found is None:
            found = tuple(
                (ctrl, own, watches)
                for ctrl in self._controllers.values()
                for own in [_same_kind(resource, ctrl.resource)]
                for watches in [tuple(w for w in ctrl.watches if _same_kind(resource, w.resource))]
                if own or watches
            )
            self._interest[kind] = found
        return found

    def _requests_for(
        self, ctrl: Controller, own: bool, watches: tuple[Watch, ...], event: WatchEvent, request: Request
    ) -> list[Request]:
        requests: list[Request] = []
        if own and self._passes(ctrl, event, request):
            requests.append(request)
        for watch in watches:
            if event.type in watch.types:
                requests.extend(watch.map(event) if watch.map else [request])
        return requests

    def _passes(self, ctrl: Controller, event: WatchEvent, request: Request) -> bool:
        predicate: Predicate | None = getattr(ctrl, "predicate", None)
        if predicate is None:
            return True
        key = (ctrl.name, request)
        with self._state_lock:
            if event.type == EventType.DELETED:
                self._seen.pop(key, None)
                return True
            old = self._seen.get(key)
            self._seen[key] = _slim(event.object)
        return event.type == EventType.ADDED or predicate(old, event.object)

    # -- running ---------------------------------------------------------------------------------

    def settle(self) -> int:
        """Reconcile until quiescent; returns how many reconciles ran.

        Raises :class:`LivelockError` when one key is reconciled more than ``max_per_key`` times,
        or all together more than ``max_steps``, without time moving. Whoever calls it may have
        changed what no watch shows (the registry), so idle looks marked before are not replayed.
        """
        with self._run_lock:
            with self._state_lock:
                self._epoch += 1
            return self._settle()

    def _settle(self) -> int:
        with self._run_lock:
            counts: Counter[Key] = Counter()
            while True:
                self._fire_due_timers()
                key = self.queue.pop()
                if key is None:
                    if self._timer_due():
                        continue
                    return counts.total()
                self._reconcile(key)
                counts[key] += 1
                if counts[key] > self._max_per_key or counts.total() > self._max_steps:
                    raise LivelockError(self._livelock_message(counts))

    def _livelock_message(self, counts: Counter[Key]) -> str:
        hottest = ", ".join(f"{c}/{r.name} x{n}" for (c, r), n in counts.most_common(5))
        now = f"{self._clock.now():%Y-%m-%dT%H:%M:%SZ}"
        return (
            f"controllers did not settle after {counts.total()} reconciles at {now}"
            f" (limits: {self._max_per_key} per object, {self._max_steps} in all); hottest: {hottest}."
            " A controller keeps changing what another one (or itself) watches:"
            " check that its writes are idempotent."
        )

    def _fire_due_timers(self) -> None:
        self._run_callbacks(self._clock.pop_due())

    def _run_callbacks(self, callbacks: list[Callable[[], None]]) -> None:
        for callback in callbacks:
            if not isinstance(callback, _Fire):
                with self._state_lock:
                    self._epoch += 1  # a foreign callback may change anything: no replay after it
            try:
                callback()
            except Exception as exc:  # noqa: BLE001 - a foreign timer must not stop the cluster
                self._log.error(LOGGER, "timer callback failed", error=_describe(exc))

    def _timer_due(self) -> bool:
        deadline = self._clock.next_deadline()
        return deadline is not None and deadline <= self._clock.now()

    def _reconcile(self, key: Key) -> None:
        if key[0] in self._stopped:
            return  # queued before Deckhouse stopped: a new one lists everything when it starts
        mark = self._replayable(key)
        if mark is not None and self._replay(key, mark):
            return
        name, request = key
        ctrl = self._controllers[name]
        self.reconciles += 1
        with self._state_lock:
            self._running, self._foreign, events_before = (ctrl.resource, request), 0, self._events
            self._running_key = key
        log_mark = self._log.written
        if self._reads is not None:
            self._reads.begin()
        try:
            result = ctrl.reconcile(request)
        except Exception as exc:  # noqa: BLE001 - any failure is retried, as controller-runtime does
            self._end_reads(ctrl)
            self._finish_running(key, None, events_before, log_mark)
            delay = self._next_backoff(key)
            if not isinstance(exc, _DKP_FAILURES):
                # Not a failure DKP's controller would have (an API error, a registry error, the
                # Go error chain of a failed step): a bug of the simulator. DKP's log gets the
                # "Reconciler error" line as always; the process's stderr (serve's) gets the trace.
                _LOG.error("simulator bug: %s failed on %s", ctrl.name, request, exc_info=exc)
            self._log.error(
                ctrl.name,
                "Reconciler error",
                name=request.name,
                namespace=request.namespace or None,
                error=_describe(exc),
                retryAfter=f"{int(delay.total_seconds())}s",
            )
            self._schedule(key, delay)
            return
        self._finish_running(key, result, events_before, log_mark, self._end_reads(ctrl))
        with self._state_lock:
            self._failures.pop(key, None)
        if result.requeue_after is None:
            self._cancel(key)
        else:
            self._schedule(key, result.requeue_after)

    def _end_reads(self, ctrl: Controller) -> frozenset[Read]:
        """What the look read: known only for a controller that reads through the recorder."""
        if self._reads is None:
            return _EVERYTHING
        reads = self._reads.end()
        return reads if getattr(ctrl, "kube", None) is self._reads else _EVERYTHING

    def _finish_running(
        self,
        key: Key,
        result: Result | None,
        events_before: int,
        log_mark: int,
        reads: frozenset[Read] = _EVERYTHING,
    ) -> None:
        """Mark the look idle when it says so and wrote nothing but (once) its heartbeat."""
        idle = self._coalesce and result is not None and result.idle and bool(result.requeue_after)
        lines = tuple(self._log.since(log_mark)) if idle else ()
        with self._state_lock:
            own = self._events - events_before - self._foreign
            expected = result.writes if result is not None and result.heartbeat else 0
            quiet = self._foreign == 0 and own == expected
            self._running, self._running_key = None, None
            self._unmark(key)
            if not idle or not quiet or result is None or result.requeue_after is None:
                return
            ctrl = self._controllers[key[0]]
            writes = (kind_key(ctrl.resource), key[1].name) if result.heartbeat is not None else None
            mark = _IdleMark(
                self._epoch,
                result.requeue_after,
                lines,
                reads,
                result.until,
                result.heartbeat,
                writes,
                result.writes,
                result.cycle and writes is not None,
            )
            self._idle[key] = mark
            for read in reads:
                self._readers.setdefault(read, set()).add(key)

    def _unmark(self, key: Key) -> None:
        """Drop ``key``'s idle mark (state lock held)."""
        mark = self._idle.pop(key, None)
        if mark is None:
            return
        for read in mark.reads:
            readers = self._readers.get(read)
            if readers is not None:
                readers.discard(key)
                if not readers:
                    del self._readers[read]  # one entry per read some mark still holds

    def _drop_marks_reading(self, event: WatchEvent, name: str) -> None:
        """A change ends the idle marks of the looks that read it (state lock held).

        The object a look is writing (its own heartbeat, while its key runs) is not a change to it.
        The marks are found by the three reads a change of ``name`` concerns
        (:meth:`_IdleMark.affected_by`), not by a walk over every mark that read its kind.
        """
        if self._replaying_cycle:
            return  # a replayed cycle leaves what every other look read as it was
        kind = kind_key(event.resource)
        readers = self._readers
        affected = [*readers.get((kind, name), ()), *readers.get((kind, ANY), ()), *readers.get(_ALL, ())]
        for key in affected:
            if key in self._idle and key != self._running_key:
                self._unmark(key)

    def idle_reads(self, key: Key) -> frozenset[Read] | None:
        """What the idle look of ``key`` read, while its repeats may be replayed; else None (tests)."""
        with self._state_lock:
            mark = self._idle.get(key)
            return mark.reads if mark is not None and mark.epoch == self._epoch else None

    def forget_idle(self) -> None:
        """Drop every idle mark: something every look reads changed (the cluster's versions)."""
        with self._state_lock:
            self._epoch += 1

    def _replayable(self, key: Key) -> _IdleMark | None:
        with self._state_lock:
            mark = self._idle.get(key)
            if mark is None or mark.epoch != self._epoch:
                return None
        return mark if mark.until is None or self._clock.now() < mark.until else None

    def _replay(self, key: Key, mark: _IdleMark) -> bool:
        """Leave what the look at this instant would leave; False when it must run instead."""
        if mark.heartbeat is not None:
            name, request = key
            with self._state_lock:
                self._running, self._running_key = (self._controllers[name].resource, request), key
                self._foreign, events_before = 0, self._events
                self._replaying_cycle = mark.cycle
            try:
                mark.heartbeat()
            except Exception:  # noqa: BLE001 - the real look then finds out what is wrong
                with self._state_lock:
                    self._unmark(key)
                    if mark.cycle:
                        self._epoch += 1  # what it did write may matter to the other looks
                return False
            finally:
                with self._state_lock:
                    self._running, self._running_key = None, None
                    self._replaying_cycle = False
            with self._state_lock:
                if self._events - events_before != mark.count or self._foreign:
                    self._unmark(key)  # it did not write what the look wrote: look for real next time
                    if mark.cycle:
                        self._epoch += 1  # nor left what it found: no look replays on what it read
        if mark.log_lines:
            self._log.replay(mark.log_lines, self._clock.now())
        self.coalesced += 1
        self._schedule(key, mark.period)
        return True

    def _next_backoff(self, key: Key) -> timedelta:
        with self._state_lock:
            failures = self._failures.get(key, 0) + 1
            self._failures[key] = failures
        delay: timedelta = self._backoff_base * (2 ** min(failures - 1, 30))
        return min(delay, self._backoff_cap)

    # -- timers ----------------------------------------------------------------------------------

    def _schedule(self, key: Key, delay: timedelta, *, created: datetime | None = None) -> None:
        """One timer per key: the newest replaces the older one."""
        if key[0] in self._stopped:
            return
        fire = _Fire(self, key)
        with self._state_lock:
            old = self._timers.pop(key, None)
            if old is not None:
                old.cancel()
            timer = self._clock.call_at(self._clock.now() + max(delay, timedelta(0)), fire, created=created)
            fire.timer = timer
            self._timers[key] = timer
        with self.queue.changed:
            self.queue.changed.notify_all()  # a background driver on a real clock re-plans its wait

    def _fired(self, fire: _Fire) -> None:
        with self._state_lock:
            if fire.timer is not None and self._timers.get(fire.key) is fire.timer:
                del self._timers[fire.key]
        self.queue.add(fire.key)

    def _cancel(self, key: Key) -> None:
        with self._state_lock:
            old = self._timers.pop(key, None)
        if old is not None:
            old.cancel()

    def requeue_at(self, key: Key) -> datetime | None:
        """When ``key`` is due for its next timed reconcile, if any (for tests and the sandbox)."""
        with self._state_lock:
            timer = self._timers.get(key)
        return None if timer is None or timer.cancelled else timer.when

    # -- time --------------------------------------------------------------------------------------

    def _virtual(self) -> VirtualClock:
        if not isinstance(self._clock, VirtualClock):
            raise TimeControlError(
                "this cluster's clock runs by itself (real time, or scaled: serve --real-time or "
                "--time-scale N), so time cannot be moved; start serve without those options to "
                "move time with `dkp-harness time`"
            )
        return self._clock

    def advance(self, delta: timedelta) -> datetime:
        """Move virtual time forward by ``delta``, settling at every timer on the way."""
        if delta < timedelta(0):
            raise TimeControlError(
                f"cannot advance by a negative duration ({delta}); time only moves forward"
            )
        clock = self._virtual()
        with self._run_lock:
            return self._run_until(clock, clock.now() + delta)

    def set_time(self, when: datetime) -> datetime:
        """Move virtual time forward to the instant ``when``, settling at every timer on the way."""
        clock = self._virtual()
        target = utc(when)
        with self._run_lock:
            now = clock.now()
            if target < now:
                raise TimeControlError(
                    f"cannot set time to {_instant(target)}: it is before the current virtual time"
                    f" {_instant(now)}; virtual time only moves forward (start a new cluster to go back)"
                )
            return self._run_until(clock, target)

    def _run_until(self, clock: VirtualClock, target: datetime) -> datetime:
        self.settle()  # a new epoch: looks marked idle before this jump may have seen another registry
        while True:
            self._skip_ahead(clock, target)
            if self._beats_in_a_row(clock, target):
                continue
            deadline = clock.next_deadline()
            if deadline is None or deadline > target:
                break
            clock.set(max(deadline, clock.now()))
            self._settle()
        clock.set(target)
        self._settle()
        return clock.now()

    def _skip_ahead(self, clock: VirtualClock, target: datetime) -> None:
        """Move the timers of silent idle looks past the replays that would leave nothing behind.

        A silent look (``_IdleMark.silent``: a waiting release) replayed changes nothing but its
        own next timer. So its timer goes straight to the first instant of its period at or after
        the earliest of: the jump's target, its ``until``, and the next timer of a look that may
        change what it read (any look not idle, or an idle one whose heartbeat writes an object it
        read). The timer is given the creation instant the last skipped replay would have given it
        (one period before), so it fires among the timers of that instant where polling's would.
        A timer on the clock that is not the manager's makes the state unknowable: nothing moves.
        """
        if not self._coalesce:
            return
        with self._state_lock:
            marks = {k: m for k, m in self._idle.items() if m.epoch == self._epoch and m.silent}
            if not marks:
                return
            timers = {k: t for k, t in self._timers.items() if not t.cancelled}
            silent = sorted((t, k) for k, t in timers.items() if k in marks and t.when < target)
            if not silent:
                return  # nothing to move before the target (the usual case once moved)
            marks = {k: m for k, m in self._idle.items() if m.epoch == self._epoch}
        if clock.pending_timers != len(timers) or len(self.queue):
            return
        for timer, key in silent:
            mark = marks[key]
            bound = min(
                [target, *([mark.until] if mark.until else [])]
                + [t.when for k, t in timers.items() if k != key and self._may_change(marks.get(k), t, mark)]
            )
            if timer.when >= bound:
                continue
            steps = -(-(bound - timer.when) // mark.period)  # ceil: the looks before ``bound``
            landing = timer.when + mark.period * steps
            self._schedule(key, landing - clock.now(), created=landing - mark.period)
            self.coalesced += steps

    def _beats_in_a_row(self, clock: VirtualClock, target: datetime) -> bool:
        """Take the instants of a lone heartbeat look's timer back to back; False when none was taken.

        When one of the manager's timers is due strictly first, nothing is queued and no foreign
        timer waits, the jump's loop does at that instant exactly this: fire that timer, replay its
        look, and (the replay having woken nothing) find the same timers as before but this look's
        next one; its pass over silent looks then moves none of them (none is due before that next
        one). Here those instants are taken one after another, each with the same firing and
        replay, without the loop's search for the next deadline, its skipping pass and the settle
        loop around each replay, so the writes, log lines and timers are polling's (the fast-time
        shortcut's differential test compares them). It stops before the first instant that is
        not such a replay: another timer due first or at the same instant, past the jump's target,
        at the look's ``until`` or once its idle mark is gone; after a replay that woke another
        look or had to run the look for real, it settles that instant as the loop would and stops.
        A quiet week is ~3,400 such instants per source.
        """
        lone = self._lone_timer(clock, target)
        if lone is None:
            return False
        timer, key, bound = lone
        pending, beats = clock.pending_timers, 0
        while timer.when <= target and (bound is None or timer.when < bound):
            mark = self._replays_at(key, timer.when)
            if mark is None:
                break
            clock.set(timer.when)
            ran = self.reconciles
            self._take_due_look(clock, key, timer, mark)
            beats += 1
            if len(self.queue) or self._timer_due() or self.reconciles != ran:
                self._settle()  # what the loop's settle would still do at this instant
                break
            with self._state_lock:
                following = self._timers.get(key)
            if following is None or clock.pending_timers != pending:
                break  # no next look, or a timer someone else made: the loop sees to it
            timer = following
        return beats > 0

    def _lone_timer(self, clock: VirtualClock, target: datetime) -> tuple[Timer, Key, datetime | None] | None:
        """The manager's earliest timer and the instant of the next other one, when that timer is
        due by ``target``, strictly before every other, no foreign timer waits and nothing is
        queued; else None."""
        if not self._coalesce or len(self.queue):
            return None
        with self._state_lock:
            live = [(t, k) for k, t in self._timers.items() if not t.cancelled]
        if not live or clock.pending_timers != len(live):
            return None  # nothing pending, or a foreign timer: its callback may change anything
        first, key = min(live, key=lambda tk: tk[0])
        others = [t.when for t, _ in live if t is not first]
        bound = min(others) if others else None
        if first.when > target or (bound is not None and bound <= first.when):
            return None
        return first, key, bound

    def _replays_at(self, key: Key, when: datetime) -> _IdleMark | None:
        """``key``'s idle mark when it is marked in this epoch, with a heartbeat to replay at ``when``."""
        with self._state_lock:
            mark = self._idle.get(key)
            if mark is None or mark.epoch != self._epoch:
                return None
        replays = mark.heartbeat is not None and (mark.until is None or when < mark.until)
        return mark if replays else None

    def _take_due_look(self, clock: VirtualClock, key: Key, timer: Timer, mark: _IdleMark) -> None:
        """At ``timer``'s instant, do what firing it and settling would: the look of ``key``,
        replayed from ``mark`` (or run, when the replay cannot be made).

        The timer is the only one due (``_lone_timer``) and the queue is empty, so firing it would
        queue ``key`` alone and the settle loop would take it straight back; this takes it without
        the round trip through the queue. Anything else found due is handled as the loop would.
        """
        due = clock.pop_due()
        if len(due) != 1 or not isinstance(due[0], _Fire) or due[0].key != key or due[0].timer is not timer:
            self._run_callbacks(due)  # not the case this is for: as _fire_due_timers does
            popped = self.queue.pop()
            if popped is not None:
                self._reconcile(popped)
            return
        with self._state_lock:
            if self._timers.get(key) is timer:
                del self._timers[key]
        if not self._replay(key, mark):
            self._reconcile(key)  # the mark is gone: the look runs for real

    @staticmethod
    def _may_change(other: _IdleMark | None, timer: Timer, mark: _IdleMark) -> bool:
        """Whether the look behind ``timer`` (marked ``other``) may change what ``mark``'s look read:
        a look that will run for real may; a replay only through its heartbeat's object."""
        if other is None or (other.until is not None and timer.when >= other.until):
            return True
        return other.writes is not None and mark.affected_by(*other.writes)


def _instant(moment: datetime) -> str:
    """RFC 3339, with the fraction of a second when there is one (two instants a half second
    apart must not read alike in a message saying one is before the other)."""
    return moment.isoformat().replace("+00:00", "Z")


class BackgroundDriver:
    """Settles the manager whenever work arrives (sandbox mode), on its own thread.

    It sleeps on the queue's condition: every enqueue (for instance an API write from kubectl)
    wakes it. With a real clock it also wakes at the next timer's deadline; with a virtual clock
    timers only become due when someone moves time, and that caller settles.
    """

    def __init__(
        self, manager: Manager, clock: Clock, *, on_error: Callable[[Exception], None] | None = None
    ) -> None:
        self._manager = manager
        self._clock = clock
        self._on_error = on_error
        self._stopping = False
        self._busy = False
        self._thread = threading.Thread(target=self._run, name="dkp-manager", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._manager.queue.changed:
            self._stopping = True
            self._manager.queue.changed.notify_all()
        self._thread.join(timeout=10)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def wait_idle(self, timeout: float) -> bool:
        """Block until the controllers have nothing to do (or ``timeout`` real seconds); True if idle.

        This is the sandbox's read barrier: an API read waits for the reconciles that earlier
        writes started. It waits on the queue's condition, which every enqueue and every finished
        settle notifies; nothing polls. Called from another thread than the driver's.
        """
        changed = self._manager.queue.changed
        deadline = time.monotonic() + timeout
        with changed:
            while not self._stopping and self._has_work():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                changed.wait(remaining)
        return True

    def _has_work(self) -> bool:
        return self._busy or bool(len(self._manager.queue)) or self._timer_due()

    def _run(self) -> None:
        while self._wait_for_work():
            try:
                self._manager.settle()
            except Exception as exc:  # noqa: BLE001 - the sandbox keeps serving; the error is reported
                if self._on_error is not None:
                    self._on_error(exc)
            finally:
                with self._manager.queue.changed:
                    self._busy = False
                    self._manager.queue.changed.notify_all()

    def _wait_for_work(self) -> bool:
        changed = self._manager.queue.changed
        with changed:
            while not self._stopping and not len(self._manager.queue) and not self._timer_due():
                changed.wait(self._timeout())
            self._busy = not self._stopping
            return not self._stopping

    def _timer_due(self) -> bool:
        deadline = self._clock.next_deadline()
        return deadline is not None and deadline <= self._clock.now()

    def _timeout(self) -> float | None:
        if isinstance(self._clock, VirtualClock):
            return None
        deadline = self._clock.next_deadline()
        if deadline is None:
            return None
        return max((deadline - self._clock.now()).total_seconds(), 0.0)
