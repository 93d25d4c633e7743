"""Choosing a backend by name, including ``auto``.

``auto`` prefers zot in docker when a daemon answers and the image is already present (what users
of zot have), then a registry binary on PATH, and otherwise fails with instructions.
"""

from __future__ import annotations

from harness.registry.backends.base import Backend, BackendUnavailable
from harness.registry.backends.distribution import HOW_TO_GET_A_REGISTRY, DistributionBackend, find_binary
from harness.registry.backends.external import ExternalBackend
from harness.registry.backends.zot import DEFAULT_IMAGE, ZotBackend, docker_client
from harness.registry.credentials import Credentials

__all__ = ["BACKEND_NAMES", "choose_auto", "create_backend", "docker_image_present"]

BACKEND_NAMES = ("auto", "distribution", "zot", "external")


def create_backend(
    name: str,
    *,
    credentials: Credentials | None = None,
    url: str | None = None,
    image: str = DEFAULT_IMAGE,
    docker_host: str | None = None,
) -> Backend:
    """A not-yet-started backend of kind ``name`` (one of :data:`BACKEND_NAMES`)."""
    if name == "auto":
        return choose_auto(credentials=credentials, image=image, docker_host=docker_host)
    if name == "distribution":
        return DistributionBackend(credentials=credentials)
    if name == "zot":
        return ZotBackend(image=image, credentials=credentials, docker_host=docker_host)
    if name == "external":
        if not url:
            raise ValueError("the external backend needs the registry address: --url HOST:PORT")
        return ExternalBackend(url, credentials=credentials)
    raise ValueError(f"unknown registry backend {name!r}; choose one of {', '.join(BACKEND_NAMES)}")


def choose_auto(
    *, credentials: Credentials | None = None, image: str = DEFAULT_IMAGE, docker_host: str | None = None
) -> Backend:
    """zot if docker works and has ``image``, else a registry binary, else a helpful error."""
    if docker_image_present(image, docker_host):
        return ZotBackend(image=image, credentials=credentials, docker_host=docker_host)
    if find_binary() is not None:
        return DistributionBackend(credentials=credentials)
    raise BackendUnavailable(HOW_TO_GET_A_REGISTRY)


def docker_image_present(image: str, docker_host: str | None = None) -> bool:
    """True when a docker daemon answers and already holds ``image``."""
    try:
        client = docker_client(docker_host)
    except BackendUnavailable:
        return False
    try:
        client.images.get(image)
    except Exception:  # noqa: BLE001 - ImageNotFound or an API error: not usable either way
        return False
    finally:
        client.close()
    return True
