"""The test cluster's registry dies and comes back: DKP's objects show it, nothing published is lost."""

from __future__ import annotations

import os
import signal

import pytest

from harness.api import kinds
from harness.registry.backends.distribution import find_binary

pytestmark = pytest.mark.registry

if find_binary() is None:
    pytest.skip(
        "OCI registry binary not found: install it with `apt-get install -y docker-registry`",
        allow_module_level=True,
    )

RESTART_WITHIN = 1.0  # seconds


@pytest.fixture
def cluster():
    from harness.cluster import SimulatedCluster

    with SimulatedCluster() as running:
        yield running


def _source_status(cluster):
    return cluster.client.get(kinds.MODULE_SOURCE, "example")["status"]


def test_a_dead_registry_shows_on_the_source_and_its_restart_loses_nothing(cluster):
    cluster.publisher.publish("module-one", "v0.7.23", channels=["stable"])
    cluster.client.create(
        kinds.MODULE_SOURCE,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleSource",
            "metadata": {"name": "example"},
            "spec": {"registry": {"repo": cluster.modules_repo, "scheme": "HTTP"}},
        },
    )
    cluster.settle()
    assert _source_status(cluster)["modulesCount"] == 1
    backend = cluster._backend
    supervisor = backend.supervisor

    with supervisor.held():
        os.kill(backend.pid, signal.SIGKILL)
        assert supervisor.wait_deaths(1, RESTART_WITHIN)
        cluster.control.advance("3m")  # the next scheduled sync finds the registry gone
        status = _source_status(cluster)
        assert status["message"] == (
            f'Get "http://{cluster.registry}/v2/deckhouse/modules/tags/list?n=1000": '
            f"dial tcp {cluster.registry}: connect: connection refused"
        )
        assert [m["name"] for m in status["modules"]] == ["module-one"]  # DKP keeps the last list

    assert supervisor.wait_restarts(1, RESTART_WITHIN)
    cluster.publisher.publish("module-two", "v1.0.0", channels=["stable"])
    cluster.control.advance("3m")
    status = _source_status(cluster)
    assert status["message"] == ""
    assert sorted(m["name"] for m in status["modules"]) == ["module-one", "module-two"]
