"""The kubeconfig target's HTTP client (the ``kubernetes`` package) against the fake API server over TLS."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from harness.apiserver import ApiServer
from harness.clock import VirtualClock
from harness.kube.client import EventType
from harness.kube.errors import AlreadyExists, Invalid, NotFound
from harness.target.kubeclient import KubernetesClient, TargetConnectionError

CRDS = Path(__file__).resolve().parents[2] / "fixtures" / "crds"
START = datetime(2024, 12, 16, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    return VirtualClock(START)


@pytest.fixture
def kubeconfig(tmp_path, clock):
    server = ApiServer(clock, crd_dir=CRDS)
    server.start(port=0, tls=True)
    path = server.write_kubeconfig(tmp_path / "kubeconfig")
    yield path
    server.stop()


@pytest.fixture
def client(kubeconfig):
    client = KubernetesClient.from_kubeconfig(kubeconfig)
    yield client
    client.close()


def policy(name: str, mode: str = "Auto") -> dict:
    return {
        "apiVersion": "deckhouse.io/v1alpha2",
        "kind": "ModuleUpdatePolicy",
        "metadata": {"name": name},
        "spec": {"update": {"mode": mode}},
    }


def test_crud_through_the_kubeconfigs_tls_and_token(client):
    mup = client.resolve("deckhouse.io/v1alpha2", "ModuleUpdatePolicy")
    assert (mup.plural, mup.namespaced) == ("moduleupdatepolicies", False)
    client.create(mup, policy("p1"))
    assert client.get(mup, "p1")["spec"]["update"]["mode"] == "Auto"
    client.patch(mup, "p1", {"spec": {"update": {"mode": "Manual"}}})
    [listed] = client.list(mup)
    assert listed["kind"] == "ModuleUpdatePolicy" and listed["spec"]["update"]["mode"] == "Manual"
    assert client.delete(mup, "p1") is None
    with pytest.raises(NotFound):
        client.get(mup, "p1")


def test_api_errors_arrive_as_the_same_exceptions_the_in_process_client_raises(client):
    mup = client.resolve("deckhouse.io/v1alpha2", "ModuleUpdatePolicy")
    client.create(mup, policy("p1"))
    with pytest.raises(AlreadyExists):
        client.create(mup, policy("p1"))
    with pytest.raises(Invalid, match="Unsupported value"):
        client.create(mup, policy("p2", mode="Sometimes"))
    with pytest.raises(NotFound, match="no matches for kind"):
        client.resolve("deckhouse.io/v1alpha2", "Nothing")


def test_the_clusters_clock_is_read_from_the_date_header(client, clock):
    assert client.server_time() == START
    clock.advance(timedelta(hours=5))
    assert client.server_time() == START + timedelta(hours=5)


def test_a_watch_delivers_the_changes_of_one_resource(client):
    mup = client.resolve("deckhouse.io/v1alpha2", "ModuleUpdatePolicy")
    seen: list[tuple[EventType, str]] = []
    got_delete = threading.Event()

    def handler(event):
        seen.append((event.type, event.object["metadata"]["name"]))
        if event.type is EventType.DELETED:
            got_delete.set()

    stop = client.subscribe(handler, mup)
    try:
        client.create(mup, policy("w1"))
        client.patch(mup, "w1", {"spec": {"update": {"mode": "Manual"}}})
        client.delete(mup, "w1")
        assert got_delete.wait(10), f"no DELETED event within 10 s; saw {seen}"
    finally:
        stop()
    assert seen == [(EventType.ADDED, "w1"), (EventType.MODIFIED, "w1"), (EventType.DELETED, "w1")]


def test_a_context_is_chosen_by_name_and_a_missing_one_is_named_in_the_error(kubeconfig, tmp_path):
    config = yaml.safe_load(kubeconfig.read_text())
    config["contexts"].append({"name": "staging", "context": dict(config["contexts"][0]["context"])})
    config["current-context"] = "nowhere"
    path = tmp_path / "two-contexts"
    path.write_text(yaml.safe_dump(config))
    client = KubernetesClient.from_kubeconfig(path, "staging")
    try:
        assert client.request("GET", "/version")["major"] == "1"
    finally:
        client.close()
    with pytest.raises(TargetConnectionError, match="context 'missing'"):
        KubernetesClient.from_kubeconfig(path, "missing")


def test_a_missing_kubeconfig_says_so(tmp_path):
    with pytest.raises(TargetConnectionError, match="does not exist"):
        KubernetesClient.from_kubeconfig(tmp_path / "nope")
