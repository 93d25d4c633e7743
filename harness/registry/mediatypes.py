"""OCI and Docker v2 media types, and the digest helper every part shares."""

from __future__ import annotations

import enum
import hashlib

__all__ = [
    "ACCEPT_MANIFESTS",
    "INDEX_TYPES",
    "MANIFEST_TYPES",
    "Flavor",
    "sha256_digest",
]

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"
OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip"

MANIFEST_TYPES = frozenset({OCI_MANIFEST, DOCKER_MANIFEST})
INDEX_TYPES = frozenset({OCI_INDEX, DOCKER_LIST})
ACCEPT_MANIFESTS = ", ".join((OCI_MANIFEST, DOCKER_MANIFEST, OCI_INDEX, DOCKER_LIST))


class Flavor(enum.Enum):
    """Which family of media types an image is pushed with."""

    OCI = "oci"
    DOCKER = "docker"

    @property
    def manifest_type(self) -> str:
        return OCI_MANIFEST if self is Flavor.OCI else DOCKER_MANIFEST

    @property
    def config_type(self) -> str:
        return OCI_CONFIG if self is Flavor.OCI else DOCKER_CONFIG

    @property
    def layer_type(self) -> str:
        return OCI_LAYER_GZIP if self is Flavor.OCI else DOCKER_LAYER_GZIP


def sha256_digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()
