"""Fixtures for the fake API server's tests: a server on a virtual clock, with test CRDs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture
def kubeconfig(tmp_path: Path) -> Iterator[tuple[ApiServer, str]]:
    """A server with the test CRDs over TLS (the Python client sends its token over TLS only) and
    the path of a kubeconfig for it."""
    server = ApiServer(VirtualClock(), crd_dir=TEST_CRDS)
    server.start(tls=True)
    yield server, str(server.write_kubeconfig(tmp_path / "kubeconfig"))
    server.stop()


def python_api_client(kubeconfig_path: str) -> Any:
    """The ``kubernetes`` client's ``ApiClient`` configured from ``kubeconfig_path`` (its own
    configuration, not the process-wide default)."""
    from kubernetes import client, config

    cfg = client.Configuration()
    config.load_kube_config(config_file=kubeconfig_path, client_configuration=cfg)
    return client.ApiClient(cfg)


def fixture_crds_or_skip() -> Path:
    if not any(FIXTURE_CRDS.glob("*.yaml")):
        pytest.skip(
            f"fixtures/crds not present yet ({FIXTURE_CRDS}): the CRD files are written by another task"
        )
    return FIXTURE_CRDS
