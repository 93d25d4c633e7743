"""The read barrier runs before HTTP reads only: not before writes, watches or in-process calls."""

from __future__ import annotations

import httpx

from harness.apiserver import ApiServer

from .conftest import WIDGET, widget


def test_the_barrier_runs_before_http_reads_but_not_writes_watches_or_in_process_calls(
    server: ApiServer, http: httpx.Client
) -> None:
    calls: list[str] = []
    server.set_read_barrier(lambda: calls.append("barrier"))
    client = server.client()

    client.create(WIDGET, widget("a"))
    client.get(WIDGET, "a")
    assert calls == []

    http.post(WIDGET.path(), json=widget("b")).raise_for_status()
    assert calls == []
    http.get(WIDGET.path("b")).raise_for_status()
    assert calls == ["barrier"]
    http.get(WIDGET.path(), params={"watch": "true", "timeoutSeconds": "-1"})
    assert calls == ["barrier"]

    server.set_read_barrier(None)
    http.get(WIDGET.path("b")).raise_for_status()
    assert calls == ["barrier"]


def test_a_barrier_set_before_the_listener_starts_applies_once_it_serves(server: ApiServer) -> None:
    calls: list[str] = []
    server.set_read_barrier(lambda: calls.append("barrier"))
    url = server.start()
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {server.token}"}, verify=False) as c:
        c.get("/version")
    assert calls == ["barrier"]
