from __future__ import annotations

import pytest

from harness.kube.errors import Conflict, InternalError

from .conftest import WIDGET, widget


def test_fault_fires_n_times_on_the_in_process_path_then_goes(server, client):
    client.create(WIDGET, widget("m"))
    rule = server.faults.add(verb="patch", resource="widgets", error=Conflict("injected"), times=1)
    with pytest.raises(Conflict, match="injected"):
        client.patch(WIDGET, "m", {"spec": {"count": 2}})
    assert client.patch(WIDGET, "m", {"spec": {"count": 2}})["spec"]["count"] == 2
    assert rule.hits == 1 and server.faults.rules == []


def test_fault_applies_on_http_with_the_status_body(server, http):
    server.faults.add(verb="list", resource="*", error=InternalError("boom"))
    r = http.get("/apis/example.com/v1alpha2/widgets")
    assert r.status_code == 500 and r.json()["message"] == "boom"


def test_fault_can_target_one_name_and_be_removed(server, client):
    client.create(WIDGET, widget("a"))
    client.create(WIDGET, widget("b"))
    rule = server.faults.add(verb="get", resource="widgets", name="a", error=InternalError("no"))
    assert client.get(WIDGET, "b")["metadata"]["name"] == "b"
    with pytest.raises(InternalError):
        client.get(WIDGET, "a")
    server.faults.remove(rule)
    assert client.get(WIDGET, "a")["metadata"]["name"] == "a"


def test_unknown_verb_is_refused(server):
    with pytest.raises(ValueError, match="unknown verb"):
        server.faults.add(verb="frob", resource="*", error=Conflict("x"))
