"""The Deckhouse log as a pod's log: positions, instants, and following it while it grows."""

from __future__ import annotations

import queue
import threading
from datetime import UTC, datetime, timedelta

from harness.clock import VirtualClock
from harness.dkp.runtime.log import DeckhouseLog

START = datetime(2024, 12, 16, 9, 0, tzinfo=UTC)


def _follow_in_thread(
    log: DeckhouseLog, mark: int, end=None
) -> tuple[queue.Queue[str | None], threading.Thread]:
    lines: queue.Queue[str | None] = queue.Queue()

    def run() -> None:
        for line in log.follow(mark, end):
            lines.put(line)
        lines.put(None)  # the follow ended

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return lines, thread


def test_a_follower_gets_each_new_line_and_ends_when_the_log_closes():
    clock = VirtualClock(START)
    log = DeckhouseLog(clock)
    log.info("a", "before")
    lines, thread = _follow_in_thread(log, log.written)
    clock.advance(timedelta(minutes=3))
    log.info("a", "after")
    assert '"msg":"after"' in (lines.get(timeout=10) or "")
    log.replay(['{"level":"info","logger":"a","msg":"again","time":"x"}'], clock.now())
    assert '"time":"2024-12-16T09:03:00Z"' in (lines.get(timeout=10) or "")
    log.close()
    assert lines.get(timeout=10) is None
    thread.join(10)


def test_a_follower_stops_where_its_pod_stopped_and_sends_nothing_after():
    log = DeckhouseLog(VirtualClock(START))
    stopped: list[int] = []
    lines, thread = _follow_in_thread(log, 0, lambda: stopped[0] if stopped else None)
    log.info("a", "one")
    assert '"msg":"one"' in (lines.get(timeout=10) or "")
    log.info("a", "two")
    stopped.append(log.written)  # the pod stops after "two"
    log.info("a", "three")  # the next Deckhouse's line
    log.wake()
    got = [lines.get(timeout=10) for _ in range(2)]
    assert len(got) == 2 and '"msg":"two"' in (got[0] or "") and got[1] is None
    thread.join(10)


def test_a_line_is_compact_json_with_its_instant_last():
    log = DeckhouseLog(VirtualClock(START))
    log.info("d8-module-source-controller", "module source reconciled", source="example")
    [line] = log.lines()
    assert line == (
        '{"level":"info","logger":"d8-module-source-controller","msg":"module source reconciled",'
        '"source":"example","time":"2024-12-16T09:00:00Z"}'
    )
    assert DeckhouseLog.time_of(line) == START
