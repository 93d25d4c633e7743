"""Fixtures for the fake API server's tests: a server on a virtual clock, with test CRDs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from harness.apiserver import ApiServer
from harness.clock import VirtualClock
from harness.kube.client import KubeClient
from harness.kube.resources import Resource

TEST_CRDS = Path(__file__).parent / "crds"
FIXTURE_CRDS = Path(__file__).resolve().parents[2] / "fixtures" / "crds"
WIDGET = Resource("example.com", "v1alpha2", "widgets", "Widget")
WIDGET_OLD = Resource("example.com", "v1alpha1", "widgets", "Widget")
GADGET = Resource("example.com", "v1", "gadgets", "Gadget", namespaced=True)
CONFIGMAP = Resource("", "v1", "configmaps", "ConfigMap", namespaced=True)
POD = Resource("", "v1", "pods", "Pod", namespaced=True)


def widget(name: str = "w", **spec: object) -> dict[str, object]:
    return {
        "apiVersion": "example.com/v1alpha2",
        "kind": "Widget",
        "metadata": {"name": name},
        "spec": {"repo": "r", **spec},
    }


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


@pytest.fixture
def server(clock: VirtualClock) -> Iterator[ApiServer]:
    srv = ApiServer(clock, crd_dir=TEST_CRDS, token="test-token")
    yield srv
    srv.stop()


@pytest.fixture
def client(server: ApiServer) -> KubeClient:
    return server.client()


@pytest.fixture
def http(server: ApiServer) -> Iterator[httpx.Client]:
    url = server.start()
    with httpx.Client(
        base_url=url, headers={"Authorization": "Bearer test-token"}, timeout=10, verify=False
    ) as c:
        yield c


def fixture_crds_or_skip() -> Path:
    if not any(FIXTURE_CRDS.glob("*.yaml")):
        pytest.skip(
            f"fixtures/crds not present yet ({FIXTURE_CRDS}): the CRD files are written by another task"
        )
    return FIXTURE_CRDS
