"""HTTP watch: initial replay, resume, 410 Expired, bookmarks, selectors, timeouts."""

from __future__ import annotations

import json
import threading

import httpcore
import httpx
import pytest

from harness.apiserver import ApiServer

from .conftest import TEST_CRDS, WIDGET, widget

URL = "/apis/example.com/v1alpha2/widgets"


def _events(http: httpx.Client, **params) -> list[dict]:
    with http.stream("GET", URL, params={"watch": "true", **params}) as r:
        assert r.status_code == 200
        return [json.loads(line) for line in r.iter_lines() if line]


def _summary(events):
    return [(e["type"], e["object"].get("metadata", {}).get("name")) for e in events]


def test_watch_without_resource_version_replays_current_objects_as_added(client, http):
    client.create(WIDGET, widget("a"))
    client.create(WIDGET, widget("b"))
    assert _summary(_events(http, timeoutSeconds="-1")) == [("ADDED", "a"), ("ADDED", "b")]


def test_watch_resumes_after_a_resource_version(client, http):
    first = client.create(WIDGET, widget("a"))
    client.patch(WIDGET, "a", {"spec": {"count": 2}})
    client.create(WIDGET, widget("b"))
    client.delete(WIDGET, "a")
    events = _events(http, resourceVersion=first["metadata"]["resourceVersion"], timeoutSeconds="-1")
    assert _summary(events) == [("MODIFIED", "a"), ("ADDED", "b"), ("DELETED", "a")]


def test_expired_resource_version_gets_410_as_an_error_event(clock):
    server = ApiServer(clock, crd_dir=TEST_CRDS, token="t", watch_history=5)
    client = server.client()
    for i in range(10):
        client.create(WIDGET, widget(f"w{i}"))
    url = server.start()
    try:
        with httpx.Client(base_url=url, headers={"Authorization": "Bearer t"}, verify=False) as http:
            events = _events(http, resourceVersion="2", timeoutSeconds="5")
    finally:
        server.stop()
    assert len(events) == 1 and events[0]["type"] == "ERROR"
    status = events[0]["object"]
    assert (status["code"], status["reason"]) == (410, "Expired")
    assert status["message"].startswith("too old resource version: 2")


def test_expired_continue_token_is_an_http_410(clock):
    server = ApiServer(clock, crd_dir=TEST_CRDS, token="t", watch_history=2)
    client = server.client()
    for i in range(3):
        client.create(WIDGET, widget(f"w{i}"))
    url = server.start()
    try:
        with httpx.Client(base_url=url, headers={"Authorization": "Bearer t"}, verify=False) as http:
            page = http.get(URL, params={"limit": "1"}).json()
            for i in range(3):
                client.create(WIDGET, widget(f"x{i}"))
            r = http.get(URL, params={"limit": "1", "continue": page["metadata"]["continue"]})
    finally:
        server.stop()
    assert r.status_code == 410 and r.json()["reason"] == "Expired"


def test_paging_with_limit_and_continue_walks_every_object(client, http):
    for name in "edcba":
        client.create(WIDGET, widget(name))
    names, token = [], None
    while True:
        params = {"limit": "2", **({"continue": token} if token else {})}
        body = http.get(URL, params=params).json()
        names += [o["metadata"]["name"] for o in body["items"]]
        token = body["metadata"].get("continue")
        if not token:
            break
    assert names == ["a", "b", "c", "d", "e"]


def test_bookmarks_are_sent_when_allowed(client, http):
    client.create(WIDGET, widget("a"))
    events = _events(
        http,
        allowWatchBookmarks="true",
        sendInitialEvents="true",
        timeoutSeconds="-1",
        resourceVersionMatch="NotOlderThan",
    )
    assert events[0]["type"] == "ADDED"
    assert events[1]["type"] == "BOOKMARK"
    assert events[1]["object"]["metadata"]["annotations"] == {"k8s.io/initial-events-end": "true"}


def test_watch_streams_a_write_from_another_thread_and_ends_at_its_timeout(client, http):
    got: list[dict] = []
    ready = threading.Event()

    def watch() -> None:
        with http.stream("GET", URL, params={"watch": "true", "timeoutSeconds": "10"}) as r:
            ready.set()
            for line in r.iter_lines():
                if line:
                    got.append(json.loads(line))
                    return

    thread = threading.Thread(target=watch)
    thread.start()
    assert ready.wait(10)
    client.create(WIDGET, widget("late"))
    thread.join(10)
    assert _summary(got) == [("ADDED", "late")]


def test_label_selector_watch_sees_objects_leave_and_enter(client, http):
    start = client.create(WIDGET, {**widget("a"), "metadata": {"name": "a", "labels": {"on": "yes"}}})
    client.patch(WIDGET, "a", {"metadata": {"labels": {"on": "no"}}})
    client.patch(WIDGET, "a", {"metadata": {"labels": {"on": "yes"}}})
    events = _events(
        http,
        resourceVersion=start["metadata"]["resourceVersion"],
        labelSelector="on=yes",
        timeoutSeconds="-1",
    )
    assert _summary(events) == [("DELETED", "a"), ("ADDED", "a")]


def test_stop_ends_open_watch_streams(clock):
    server = ApiServer(clock, crd_dir=TEST_CRDS, token="t")
    url = server.start()
    result: list[int] = []
    ready = threading.Event()

    def watch() -> None:
        with httpx.Client(
            base_url=url, headers={"Authorization": "Bearer t"}, timeout=10, verify=False
        ) as http:
            try:
                with http.stream("GET", URL, params={"watch": "true", "resourceVersion": "1"}) as r:
                    ready.set()
                    result.append(sum(1 for _ in r.iter_lines()))
            except (httpx.HTTPError, httpcore.ProtocolError, httpcore.NetworkError):
                # stop() cuts the connection; httpx does not wrap an error raised while it closes
                # the cut stream, so httpcore's own may surface instead of httpx's.
                result.append(-1)

    thread = threading.Thread(target=watch)
    thread.start()
    assert ready.wait(10)
    server.stop()
    thread.join(10)
    assert not thread.is_alive() and result


@pytest.mark.parametrize("bad", ["abc", "1.5", "²", "\u0661", "9223372036854775808"])
def test_bad_timeout_seconds_is_a_bad_request(http, bad):
    """kube-apiserver's answer when the query does not decode into an int64: Go's ParseInt error."""
    r = http.get(URL, params={"watch": "true", "timeoutSeconds": bad})
    assert r.status_code == 400, r.text
    assert r.json()["reason"] == "BadRequest"
    assert r.json()["message"].startswith(f'strconv.ParseInt: parsing "{bad}": ')


def test_a_negative_timeout_seconds_ends_the_watch_at_once(http):
    """Any int64 is accepted, as kube-apiserver does; a negative timeout has already passed."""
    r = http.get(URL, params={"watch": "true", "timeoutSeconds": "-1"})
    assert r.status_code == 200, r.text


def test_a_deadline_beyond_threading_timeout_max_is_waited_for_in_bounded_steps():
    """``timeoutSeconds=9999999999`` made Condition.wait raise OverflowError and cut the stream."""
    import threading
    import time

    from harness.apiserver.watch import EventLog

    log = EventLog()
    real = log._cond
    waits: list[float | None] = []

    class Probe:
        def __enter__(self):
            return real.__enter__()

        def __exit__(self, *exc):
            return real.__exit__(*exc)

        def wait(self, timeout=None):
            waits.append(timeout)
            log._closed = True  # what a server stop does: the next check ends the wait
            return True

    log._cond = Probe()  # type: ignore[assignment]
    assert log.wait(0, time.monotonic() + 9999999999) is None
    assert len(waits) == 1 and waits[0] is not None and 0 < waits[0] <= threading.TIMEOUT_MAX
