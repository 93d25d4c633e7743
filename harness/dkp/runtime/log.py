"""The Deckhouse log: every decision of the simulated controllers as one JSON line.

The lines are compact JSON (``{"level":"info","logger":…,"msg":…,"time":…}``, no spaces), as
Deckhouse's Go logger writes them, so a ``grep '"msg":"…"'`` copied from a real cluster matches.

Served by ``kubectl -n d8-system logs -l app=deckhouse`` (the cluster wires it to the API server's
pod log source), kept in memory, stamped with virtual time, and free of secrets: callers log names
and outcomes, never registry credentials (the registry client's errors carry none either).
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from harness.clock import Clock
from harness.kube.timestamps import stamp

__all__ = ["DeckhouseLog"]

_TIME_KEY = '"time":"'


class DeckhouseLog:
    """A bounded, thread-safe list of JSON log lines."""

    def __init__(self, clock: Clock, *, limit: int = 50_000) -> None:
        self._clock = clock
        self._lines: deque[str] = deque(maxlen=limit)
        self._lock = threading.Lock()
        self._grown = threading.Condition(self._lock)  # a line was written, or the log closed
        self._written = 0
        self._closed = False

    def write(self, level: str, logger: str, msg: str, **fields: Any) -> None:
        """Append one line: ``{"level", "logger", "msg", ..., "time"}`` (key order is stable)."""
        record: dict[str, Any] = {"level": level, "logger": logger, "msg": msg}
        record.update({k: v for k, v in fields.items() if v is not None})
        record["time"] = stamp(self._clock.now())
        line = json.dumps(record, ensure_ascii=False, default=str, separators=(",", ":"))
        with self._lock:
            self._lines.append(line)
            self._written += 1
            self._grown.notify_all()

    @property
    def written(self) -> int:
        """Lines written so far (including any the length limit has dropped): a position mark."""
        with self._lock:
            return self._written

    def since(self, mark: int) -> list[str]:
        """The lines written after position ``mark`` (those still kept)."""
        with self._lock:
            return self._since(mark)

    def _since(self, mark: int) -> list[str]:
        count = min(self._written - mark, len(self._lines))
        return list(self._lines)[len(self._lines) - count :] if count > 0 else []

    def snapshot(self, mark: int = 0) -> tuple[list[str], int]:
        """(the lines written after ``mark``, the position after them), read at one instant."""
        with self._lock:
            return self._since(mark), self._written

    def follow(self, mark: int, end: Callable[[], int | None] | None = None) -> Iterator[str]:
        """The lines written after position ``mark``, as they are written, until :meth:`close`, or
        until position ``end()`` once it is not None (a pod's log ends where its container
        stopped; :meth:`wake` makes followers look again).

        It waits on the log's condition, which every write, :meth:`wake` and the close notify;
        nothing polls.
        """
        while True:
            with self._grown:
                while True:
                    stop = end() if end is not None else None
                    limit = self._written if stop is None else min(self._written, stop)
                    if limit > mark or self._closed or stop is not None:
                        break
                    self._grown.wait()
                if limit <= mark:
                    return
                lines = self._since(mark)
                lines = lines[: len(lines) - (self._written - limit)]
                mark = limit
            yield from lines

    def wake(self) -> None:
        """Make every :meth:`follow` look at its ``end`` again (a pod stopped)."""
        with self._grown:
            self._grown.notify_all()

    def close(self) -> None:
        """End every :meth:`follow` (the cluster stops); lines written later are still kept."""
        with self._grown:
            self._closed = True
            self._grown.notify_all()

    @staticmethod
    def time_of(line: str) -> datetime | None:
        """The instant in a line's ``time`` (its last key), or None for a line without one."""
        cut = line.rfind(_TIME_KEY)
        if cut < 0:
            return None
        try:
            return datetime.fromisoformat(
                line[cut + len(_TIME_KEY) : cut + len(_TIME_KEY) + 20].replace("Z", "+00:00")
            )
        except ValueError:
            return None

    def replay(self, lines: Sequence[str], at: datetime) -> None:
        """Append ``lines`` again, stamped ``at``: what a repeated, identical look would have logged.

        The manager uses it for periodic looks it skips as identical (see ``Manager._coalesce_idle``),
        so the log keeps one entry per look, as DKP's would. ``time`` is the last key of a line.
        """
        at_text = stamp(at)
        with self._lock:
            for line in lines:
                cut = line.rfind(_TIME_KEY)
                self._lines.append(line[: cut + len(_TIME_KEY)] + at_text + '"}' if cut >= 0 else line)
                self._written += 1
            self._grown.notify_all()

    def info(self, logger: str, msg: str, **fields: Any) -> None:
        self.write("info", logger, msg, **fields)

    def warning(self, logger: str, msg: str, **fields: Any) -> None:
        self.write("warn", logger, msg, **fields)

    def error(self, logger: str, msg: str, **fields: Any) -> None:
        self.write("error", logger, msg, **fields)

    def lines(self) -> list[str]:
        with self._lock:
            return list(self._lines)

    def text(self, since: int = 0) -> str:
        """The log as pod log text (one JSON object per line, trailing newline): the whole log, or
        the lines written after position ``since`` (:attr:`written`: a restarted pod's own)."""
        lines = self.lines() if since <= 0 else self.since(since)
        return "\n".join(lines) + ("\n" if lines else "")
