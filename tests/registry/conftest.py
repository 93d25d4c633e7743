"""Fixtures for the registry layer's tests.

Real: a CNCF distribution registry process (``docker-registry`` from PATH) and real HTTP over
loopback. ``registry`` is an emptied one from the process's pool (``pooled_registry`` in
``tests/conftest.py``); tests of the process itself start their own ``DistributionBackend``.
Tests needing one skip with the install hint when no registry binary exists. The docker-backed
tests use a working daemon (``DOCKER_HOST`` or the default socket) with the zot image or the
stand-in (built on demand), and skip with the reason only when no daemon answers; ``.ci/run``
starts a private daemon so CI runs them for real.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.registry import Publisher, RegistryClient
from harness.registry.backends import DistributionBackend, find_binary
from harness.registry.backends.base import BackendUnavailable
from harness.registry.credentials import Credentials
from tests.registry_pool import pooled

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "modules"
ALICE = Credentials("alice", "s3cret-pass")


@pytest.fixture
def registry_binary() -> str:
    binary = find_binary()
    if binary is None:
        pytest.skip("no registry binary found: install one with `apt-get install docker-registry`")
    return binary


@pytest.fixture
def registry(pooled_registry: DistributionBackend) -> DistributionBackend:
    """An empty serving registry, from the process's pool (see ``pooled_registry``)."""
    return pooled_registry


@pytest.fixture
def auth_registry() -> Iterator[DistributionBackend]:
    """An empty serving registry that asks for ALICE's password, from the process's pool."""
    yield from pooled(ALICE)


@pytest.fixture
def own_auth_registry(registry_binary: str) -> Iterator[DistributionBackend]:
    """A registry of the test's own that asks for ALICE's password: its log from the first line."""
    with DistributionBackend(binary=registry_binary, credentials=ALICE) as backend:
        yield backend


@pytest.fixture
def publisher(registry: DistributionBackend) -> Iterator[Publisher]:
    with Publisher(registry.address, storage_root=registry.storage_root) as pub:
        yield pub


@pytest.fixture
def client(registry: DistributionBackend) -> Iterator[RegistryClient]:
    with RegistryClient.for_source(f"{registry.address}/deckhouse/modules", scheme="HTTP") as pull:
        yield pull


@pytest.fixture
def docker_registry_image() -> Iterator[tuple[str, str | None]]:
    """(image, docker_host) of a working daemon with the zot image or the stand-in; else skip.

    When the daemon has neither, the stand-in is built from the local ``docker-registry`` binary
    (about a second), so a machine with docker needs nothing else; ``.ci/run`` starts such a daemon.
    """
    from harness.registry.backends.standin import STANDIN_IMAGE, build_standin_image
    from harness.registry.backends.zot import DEFAULT_IMAGE, docker_client

    docker_host = os.environ.get("DOCKER_HOST")
    try:
        client = docker_client(docker_host)
    except BackendUnavailable as exc:
        pytest.skip(f"docker not available: {exc}")
    try:
        for image in (os.environ.get("DKP_HARNESS_ZOT_IMAGE"), DEFAULT_IMAGE, STANDIN_IMAGE):
            if image and _has_image(client, image):
                yield image, docker_host
                return
        try:
            built = build_standin_image(client)
        except BackendUnavailable as exc:
            pytest.skip(
                f"docker works but has neither the zot image ({DEFAULT_IMAGE}) nor the stand-in: {exc}"
            )
        yield built, docker_host
    finally:
        client.close()


def _has_image(client: object, image: str) -> bool:
    try:
        client.images.get(image)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - ImageNotFound or API error
        return False
    return True


@pytest.fixture
def make_client() -> Iterator[object]:
    """``make_client(repo, **kw)`` → RegistryClient.for_source(...), closed after the test."""
    made: list[RegistryClient] = []

    def make(repo: str, **kwargs: object) -> RegistryClient:
        kwargs.setdefault("scheme", "HTTP")
        made.append(RegistryClient.for_source(repo, **kwargs))  # type: ignore[arg-type]
        return made[-1]

    yield make
    for client in made:
        client.close()
