"""Wakes the sandbox's background driver when a timer of a scaled clock falls due.

The driver sleeps until work arrives or, on a clock that runs by itself, until the next timer:
it computes that sleep in the clock's own seconds, which at ``--time-scale 60`` would be sixty
times too long. This thread sleeps the right number of wall seconds (the clock converts) and
then notifies the driver's condition, so timers fire on time. It waits on the same condition,
so a timer added meanwhile (every settle notifies) is seen at once; nothing polls.
"""

from __future__ import annotations

import threading

from harness.clock import ScaledClock
from harness.dkp.runtime.manager import Manager

__all__ = ["TimerWaker"]

_IDLE_WAIT = 60.0  # wall seconds without timers before looking again (a settle notifies sooner)


class TimerWaker:
    def __init__(self, manager: Manager, clock: ScaledClock) -> None:
        self._manager = manager
        self._clock = clock
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="dkp-timers", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        changed = self._manager.queue.changed
        with changed:
            self._stopping = True
            changed.notify_all()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        changed = self._manager.queue.changed
        with changed:
            while not self._stopping:
                deadline = self._clock.next_deadline()
                if deadline is None:
                    changed.wait(_IDLE_WAIT)
                    continue
                wait = self._clock.wall_seconds_until(deadline)
                if wait > 0:
                    changed.wait(wait)
                    continue
                changed.notify_all()  # due: the driver wakes, fires it and notifies when done
                changed.wait(0.05)
