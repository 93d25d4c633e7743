"""The discovery and version roots as the Python ``kubernetes`` client calls them: with a trailing
slash (``/version/``, ``/api/``, ``/apis/``, the paths of its OpenAPI spec). kube-apiserver answers
both spellings (go-restful web services ``/version`` and ``/api`` whose one route is ``/``,
``k8s.io/apiserver/pkg/server/routes/version.go``; kube-aggregator registers ``/apis/`` beside
``/apis``); the sandbox answered the slashed ones with a 404, so ``VersionApi().get_code()``, the
usual "is the cluster there" check of automation, failed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from harness.apiserver import ApiServer
from harness.clock import VirtualClock

from .conftest import TEST_CRDS, python_api_client


@pytest.fixture
def api(kubeconfig: tuple[ApiServer, str]) -> Iterator[Any]:
    with python_api_client(kubeconfig[1]) as api_client:
        yield api_client


def test_version_api_reads_the_servers_version(api):
    from kubernetes import client

    info = client.VersionApi(api).get_code()
    assert (info.major, info.minor) == ("1", "32")
    assert info.git_version.startswith("v1.32.")


def test_core_and_group_roots_list_what_the_unslashed_roots_list(api):
    from kubernetes import client

    versions = client.CoreApi(api).get_api_versions()
    assert (versions.kind, versions.versions) == ("APIVersions", ["v1"])
    groups = client.ApisApi(api).get_api_versions()
    assert groups.kind == "APIGroupList"
    names = [g.name for g in groups.groups]
    assert {"apps", "coordination.k8s.io", "example.com"} <= set(names)


def test_the_slashed_version_path_is_public_like_the_plain_one():
    """``system:public-info-viewer`` grants ``/version`` and ``/version/`` to anyone."""
    server = ApiServer(VirtualClock(), crd_dir=TEST_CRDS, token="t")
    url = server.start()
    try:
        with httpx.Client(base_url=url, verify=False) as anonymous:
            plain, slashed = anonymous.get("/version"), anonymous.get("/version/")
            assert anonymous.get("/api/").status_code == 401  # discovery still needs the token
    finally:
        server.stop()
    assert (slashed.status_code, slashed.json()) == (200, plain.json())
