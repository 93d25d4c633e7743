"""The real OCI registry layer: backends, a DKP-layout publisher, a pull client, fault injection.

* :mod:`~harness.registry.backends` start a real registry (distribution subprocess, zot in docker)
  or point at an external one;
* :class:`~harness.registry.publisher.Publisher` pushes modules in the layout DKP reads
  (:mod:`~harness.registry.layout`), reproducibly, and breaks them on purpose;
* :class:`~harness.registry.client.RegistryClient` is what the simulated DKP pulls with: the same
  requests as DKP's go-containerregistry client, the same error texts;
* :class:`~harness.registry.faults.FaultProxy` sits in front of any registry and injects errors,
  resets, delays and corrupted bodies by rule.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.registry.client import Image, RegistryClient
    from harness.registry.credentials import Credentials
    from harness.registry.errors import RegistryAuthError, RegistryError
    from harness.registry.publisher import Publisher

__all__ = ["Credentials", "Image", "Publisher", "RegistryAuthError", "RegistryClient", "RegistryError"]

_HOMES = {
    "Credentials": "harness.registry.credentials",
    "Image": "harness.registry.client",
    "Publisher": "harness.registry.publisher",
    "RegistryAuthError": "harness.registry.errors",
    "RegistryClient": "harness.registry.client",
    "RegistryError": "harness.registry.errors",
}
"""Where each name of the package lives. They are imported on first use (PEP 562): importing any
module of the package runs this file first, and most importers want only ``Credentials`` or the
errors (the CLI's option parsing, the pytest controller), not httpx and the client (~0.2 s)."""


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
