"""A watch from a resourceVersion older than the history, as kube-apiserver 1.32's watch cache
answers it: an ``ERROR`` event with ``410 Expired`` and ``too old resource version: RV (OLDEST-1)``,
where OLDEST is the resourceVersion of the oldest event kept (``getAllEventsSinceLocked`` in
``k8s.io/apiserver/pkg/storage/cacher/watch_cache.go``: ``resourceVersion < oldest-1`` is too old,
and the message prints ``oldest-1``, the newest version a watch may still resume from)."""

from __future__ import annotations

import json

import httpx

from harness.apiserver import ApiServer

from .conftest import TEST_CRDS, WIDGET, widget

URL = "/apis/example.com/v1alpha2/widgets"


def _events(http: httpx.Client, rv: str) -> list[dict]:
    r = http.get(URL, params={"watch": "1", "resourceVersion": rv, "timeoutSeconds": "-1"})
    return [json.loads(line) for line in r.text.splitlines() if line.strip()]


def test_the_expired_message_names_the_oldest_version_one_may_resume_from(clock):
    server = ApiServer(clock, crd_dir=TEST_CRDS, token="t", watch_history=5)
    client = server.client()
    for i in range(10):
        client.create(WIDGET, widget(f"w{i}"))
    url = server.start()
    try:
        with httpx.Client(base_url=url, headers={"Authorization": "Bearer t"}) as http:
            newest = int(http.get(URL).json()["metadata"]["resourceVersion"])
            oldest_kept = newest - 4  # the last five commits
            expired = _events(http, "2")
            resumable = _events(http, str(oldest_kept - 1))
    finally:
        server.stop()
    assert [e["type"] for e in expired] == ["ERROR"]
    status = expired[0]["object"]
    assert (status["code"], status["reason"]) == (410, "Expired")
    assert status["message"] == f"too old resource version: 2 ({oldest_kept - 1})"
    assert [e["type"] for e in resumable] == ["ADDED"] * 5  # oldest-1 itself still resumes


def test_bookmarks_come_every_interval_and_two_seconds_before_the_deadline_never_at_it():
    from harness.apiserver.watch import next_bookmark

    assert next_bookmark(100.0, 60.0, None) == 160.0
    assert next_bookmark(100.0, 60.0, 130.0) == 128.0  # ~2 s before a deadline nearer than a minute
    assert next_bookmark(100.0, 60.0, 400.0) == 160.0
    assert next_bookmark(100.0, 60.0, 101.5) is None  # a watch of less than 2 s gets none
    assert next_bookmark(128.0, 60.0, 130.0) is None  # after the pre-timeout one, none at the deadline


def test_a_watch_that_times_out_at_once_ends_without_a_bookmark(clock):
    server = ApiServer(clock, crd_dir=TEST_CRDS, token="t")
    server.client().create(WIDGET, widget("a"))
    url = server.start()
    try:
        with httpx.Client(base_url=url, headers={"Authorization": "Bearer t"}) as http:
            params = {"watch": "1", "allowWatchBookmarks": "true", "timeoutSeconds": "-1"}
            r = http.get(URL, params=params)
    finally:
        server.stop()
    events = [json.loads(line) for line in r.text.splitlines() if line.strip()]
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in events] == [("ADDED", "a")]
