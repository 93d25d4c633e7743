"""Stop signals held back while a finished run writes its reports and ends.

Once the last scenario has finished, a Ctrl-C can no longer save any time worth having, only cut
the report set in two or end pytest with a traceback (exit -2) in the middle of its summary.
The report controller holds them from the start of the session's end to the end of pytest
(:class:`~harness.report.xdist_controller.Controller`), then acts on them: exit 2.
"""

from __future__ import annotations

import signal
import threading
from typing import Any

__all__ = ["HELD_SIGNALS", "HeldSignals", "signals_held"]

HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
"""The stop requests :func:`signals_held` holds back: Ctrl-C, ``kill`` and a closed terminal
(``dkp-harness run`` passes the last two on to pytest as SIGINT anyway)."""


class HeldSignals:
    """SIGINT, SIGTERM and SIGHUP noted instead of acted on, from :meth:`start` to :meth:`release`.

    Python raises ``KeyboardInterrupt`` wherever the main thread happens to be when Ctrl-C comes:
    between two ``os.replace`` calls that left a new ``conformance.html`` next to the previous
    run's other files and their ``.part`` files, with a traceback and exit -2. While held, the
    signals only land in :attr:`received`; the holder decides what they mean (the previous
    handlers are back once released). Outside the main thread, where no handler can be set, it
    holds nothing and :attr:`received` stays empty.
    """

    def __init__(self) -> None:
        self.received: list[int] = []
        self._previous: dict[int, Any] = {}

    def start(self) -> None:
        if self._previous or threading.current_thread() is not threading.main_thread():
            return
        self._previous = {signum: signal.signal(signum, self._note) for signum in HELD_SIGNALS}

    def release(self) -> None:
        """Give the signals their previous handlers back; safe to call twice."""
        for signum, handler in self._previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        self._previous = {}

    def _note(self, signum: int, _frame: object) -> None:
        self.received.append(signum)

    def __enter__(self) -> list[int]:
        self.start()
        return self.received

    def __exit__(self, *_exc: object) -> None:
        self.release()


def signals_held() -> HeldSignals:
    """``with signals_held() as received:``: hold the stop signals for the block (:class:`HeldSignals`)."""
    return HeldSignals()
