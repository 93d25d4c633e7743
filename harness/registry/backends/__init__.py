"""Registries the harness can start (or point at): one interface, several implementations.

==================  =========================================================================
``distribution``    ``docker-registry`` / ``registry`` / ``zot`` from PATH as a subprocess
``zot``             zot (or a stand-in image) in docker, through the docker SDK
``external``        an existing registry by address; no lifecycle
``auto``            zot when docker has the image, else distribution, else a clear error
==================  =========================================================================
"""

from __future__ import annotations

from harness.registry.backends.base import Backend, BackendUnavailable
from harness.registry.backends.configs import ConfigFormat
from harness.registry.backends.distribution import DistributionBackend, find_binary
from harness.registry.backends.external import ExternalBackend
from harness.registry.backends.selection import BACKEND_NAMES, choose_auto, create_backend
from harness.registry.backends.zot import DEFAULT_IMAGE, ZotBackend

__all__ = [
    "BACKEND_NAMES",
    "DEFAULT_IMAGE",
    "Backend",
    "BackendUnavailable",
    "ConfigFormat",
    "DistributionBackend",
    "ExternalBackend",
    "ZotBackend",
    "choose_auto",
    "create_backend",
    "find_binary",
]
