"""``pods/log`` with lines that carry their instants: since, timestamps, tail, bytes and follow."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from harness.apiserver.request import LogLine
from harness.clock import VirtualClock

from .conftest import POD

START = datetime(2024, 12, 16, 9, 0, tzinfo=UTC)
URL = "/api/v1/namespaces/default/pods/p/log"


class FakeLog:
    """Lines at 09:00, 09:02, 09:04 and 09:06; followers get what :meth:`add` writes, until closed."""

    def __init__(self) -> None:
        self.written = [LogLine(START + timedelta(minutes=2 * n), f"line {n}") for n in range(4)]
        self.more: queue.Queue[LogLine | None] = queue.Queue()

    def lines(self) -> list[LogLine]:
        return list(self.written)

    def follow(self) -> Iterator[LogLine]:
        while (line := self.more.get()) is not None:
            yield line


@pytest.fixture
def log(server, client, clock: VirtualClock) -> FakeLog:
    clock.set(START + timedelta(minutes=7))
    client.create(
        POD, {"metadata": {"name": "p", "namespace": "default"}, "spec": {"containers": [{"name": "c"}]}}
    )
    found = FakeLog()
    server.set_pod_log_source(lambda ns, pod, c: found)
    return found


@pytest.mark.parametrize(
    ("params", "text"),
    [
        ({}, "line 0\nline 1\nline 2\nline 3\n"),
        ({"sinceSeconds": "180"}, "line 2\nline 3\n"),  # 09:04 and 09:06 are within 3 minutes of 09:07
        ({"sinceTime": "2024-12-16T09:02:00Z"}, "line 1\nline 2\nline 3\n"),
        ({"sinceTime": "2024-12-16T10:02:00+01:00", "tailLines": "1"}, "line 3\n"),
        (
            {"timestamps": "true", "tailLines": "2"},
            "2024-12-16T09:04:00.000000000Z line 2\n2024-12-16T09:06:00.000000000Z line 3\n",
        ),
        ({"sinceSeconds": "60"}, "line 3\n"),  # at 09:06:00, exactly a minute ago: kept
        ({"sinceSeconds": "30"}, ""),
    ],
)
def test_the_options_apply_to_the_lines_instants(log, http, params, text):
    r = http.get(URL, params=params)
    assert (r.status_code, r.text) == (200, text)


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        ({"sinceTime": "yesterday"}, 400, 'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00"'),
        ({"sinceTime": "2024-12-16"}, 400, "parsing time"),
        ({"sinceTime": "2024-12-16T09:00:00Z", "sinceSeconds": "5"}, 422, "at most one of `sinceTime`"),
        ({"sinceSeconds": "0"}, 422, "sinceSeconds: Invalid value: 0: must be greater than 0"),
        # Go's RFC 3339 parser refuses what Python's fromisoformat would take
        ({"sinceTime": "20241216T090000Z"}, 400, "parsing time"),
        ({"sinceTime": "2024-W51-1T09:00:00Z"}, 400, "parsing time"),
        ({"sinceTime": "2024-12-16T09:00Z"}, 400, "parsing time"),
        ({"previous": "true"}, 400, 'previous terminated container "c" in pod "p" not found'),
    ],
)
def test_bad_since_options_are_refused_as_kube_apiserver_refuses_them(log, http, params, code, message):
    r = http.get(URL, params=params)
    assert r.status_code == code and message in r.json()["message"]


def test_follow_sends_the_lines_so_far_then_each_new_line_until_the_log_closes(log, http):
    received: queue.Queue[str] = queue.Queue()

    def read() -> None:
        with http.stream("GET", URL, params={"follow": "true", "tailLines": "1"}) as r:
            assert r.headers["content-type"] == "text/plain"
            for line in r.iter_lines():
                received.put(line)
        received.put("<end>")

    reader = threading.Thread(target=read)
    reader.start()
    assert received.get(timeout=10) == "line 3"
    log.more.put(LogLine(START + timedelta(minutes=8), "line 4"))
    assert received.get(timeout=10) == "line 4"
    log.more.put(None)  # the log closes (the cluster stops): the answer ends
    assert received.get(timeout=10) == "<end>"
    reader.join(10)


def test_follow_stops_at_limit_bytes(log, http):
    for text in ("line 4", "line 5"):
        log.more.put(LogLine(START, text))
    r = http.get(URL, params={"follow": "true", "tailLines": "1", "limitBytes": "10"})
    assert r.text == "line 3\nlin"  # ended there, though the log goes on


def test_a_plain_text_log_cannot_be_followed_and_its_answer_ends(server, client, http):
    client.create(
        POD, {"metadata": {"name": "p", "namespace": "default"}, "spec": {"containers": [{"name": "c"}]}}
    )
    server.set_pod_log_source(lambda ns, pod, c: "one\ntwo\n")
    r = http.get(URL, params={"follow": "true", "timestamps": "true", "sinceSeconds": "5"})
    assert (r.status_code, r.text) == (200, "one\ntwo\n")  # no instants: nothing to filter or stamp


def test_a_followed_log_keeps_only_lines_since_the_time_asked(log, http):
    log.more.put(LogLine(START + timedelta(minutes=8), "too early"))
    log.more.put(LogLine(START + timedelta(minutes=20), "in time"))
    log.more.put(None)
    r = http.get(URL, params={"follow": "true", "sinceTime": "2024-12-16T09:10:00Z"})
    assert r.text == "in time\n"


@pytest.mark.parametrize(
    ("value", "stamped"),
    [("true", True), ("1", True), ("yes", True), ("False", False), ("f", False), ("0", False)],
)
def test_a_boolean_option_reads_as_kube_apiservers_conversion_reads_it(log, http, value, stamped):
    """Convert_Slice_string_To_bool: only 0, f and false (any case) are false."""
    r = http.get(URL, params={"timestamps": value, "tailLines": "1"})
    assert r.text.startswith("2024-12-16T09:06:00.000000000Z ") is stamped
