"""The controllers' registry clients reuse their connections from sync to sync, and errors stay."""

from __future__ import annotations

import httpcore
import pytest

from harness.api import kinds
from harness.registry.backends.distribution import find_binary

pytestmark = pytest.mark.registry

if find_binary() is None:
    pytest.skip(
        "OCI registry binary not found: install it with `apt-get install -y docker-registry`",
        allow_module_level=True,
    )


@pytest.fixture
def dials(monkeypatch):
    """How many TCP connections httpx opened (every client, every pool)."""
    count = [0]
    connect = httpcore.SyncBackend.connect_tcp

    def counting(self, *args, **kwargs):
        count[0] += 1
        return connect(self, *args, **kwargs)

    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", counting)
    return count


def _source(cluster):
    return {
        "apiVersion": "deckhouse.io/v1alpha1",
        "kind": "ModuleSource",
        "metadata": {"name": "example"},
        "spec": {"registry": {"repo": cluster.modules_repo, "scheme": "HTTP"}},
    }


def _message(cluster):
    return cluster.client.get(kinds.MODULE_SOURCE, "example")["status"]["message"]


def test_later_syncs_dial_the_registry_no_more(cluster, dials):
    cluster.publisher.publish("module-one", "v0.7.23", channels=["stable"])
    cluster.client.create(kinds.MODULE_SOURCE, _source(cluster))
    cluster.settle()
    first = dials[0]
    assert first >= 1
    cluster.control.advance("9m")  # three more syncs, each with a client of its own
    assert _message(cluster) == ""
    assert dials[0] == first


def test_a_reset_on_a_kept_connection_reads_as_before_and_the_next_sync_recovers(cluster):
    cluster.publisher.publish("module-one", "v0.7.23", channels=["stable"])
    cluster.client.create(kinds.MODULE_SOURCE, _source(cluster))
    cluster.settle()
    cluster.control.registry_error(status=500)  # a kept connection to the proxy, answered
    cluster.control.advance("3m")
    listing = f"{cluster.registry}/v2/deckhouse/modules/tags/list?n=1000"
    assert _message(cluster) == f"GET http://{listing}: UNKNOWN: unknown error"
    cluster.control.clear_registry_faults()
    cluster.control.registry_down()  # the proxy resets whatever connection the request comes on
    cluster.control.advance("3m")
    assert _message(cluster) == (
        f'Get "http://{listing}": read tcp {cluster.registry}: read: connection reset by peer'
    )
    cluster.control.clear_registry_faults()
    cluster.control.advance("3m")
    assert _message(cluster) == ""


def test_a_stopped_cluster_leaves_no_connection_and_no_control(pooled_registry):
    """The kept connections close with the cluster (the proxy's server waits for the handler of
    every open connection when it closes), and the one control object goes with it."""
    import threading

    from harness.cluster import SimulatedCluster

    threads_before = set(threading.enumerate())
    cluster = SimulatedCluster(registry=pooled_registry).start()
    control = cluster.control
    assert cluster.control is control  # one object for the run: the history reads the time through it
    cluster.publisher.publish("module-one", "v0.7.23", channels=["stable"])
    cluster.client.create(kinds.MODULE_SOURCE, _source(cluster))
    cluster.control.registry_error(status=500)  # a kept connection to the proxy, with its handler
    cluster.control.advance("3m")
    cluster.stop()
    assert set(threading.enumerate()) - threads_before == set()
    with pytest.raises(RuntimeError, match="not running"):
        _ = cluster.control
