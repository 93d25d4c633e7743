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

from harness.registry.client import Image, RegistryClient
from harness.registry.credentials import Credentials
from harness.registry.errors import RegistryAuthError, RegistryError
from harness.registry.publisher import Publisher

__all__ = ["Credentials", "Image", "Publisher", "RegistryAuthError", "RegistryClient", "RegistryError"]
