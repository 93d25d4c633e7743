"""What the simulated Deckhouse has installed: the stand-in for DKP's downloaded-modules directory.

The real release controller unpacks ``R/<module>:v<version>`` to ``<downloaded>/<module>/v<version>``
and restarts Deckhouse, whose module manager then runs the module's hooks (docs/dkp-behaviour.md §5.8).
Here the release controller records the unpacked module in :class:`InstalledModules`, and the
install simulation (``lifecycle``) reads it to move the Module through Installing to Ready, or to
Error when a hook is marked as failing in the image (see docs/registry.md for that convention).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["InstalledModule", "InstalledModules"]


@dataclass(frozen=True)
class InstalledModule:
    name: str
    version: str
    """``v``-prefixed, as ``Module.properties.version`` shows it (``v0.7.24``)."""
    source: str
    weight: int
    installed_at: datetime
    """Virtual time of the deploy; the install simulation measures its durations from here."""
    hooks: tuple[str, ...] = ()
    """Hook paths inside the image, e.g. ``hooks/moduleVersion.py``."""
    hook_errors: Mapping[str, str] = field(default_factory=dict)
    """Hook path → the error it fails with (from ``<hook>.error`` files in the image)."""
    settings_schema: Mapping[str, Any] | None = None
    """``openapi/config-values.yaml`` of the image, for ModuleConfig settings validation."""
    requirements: Mapping[str, Any] = field(default_factory=dict)
    module_error: str = ""
    """Set when the module image could not be read; the install ends in ``Error``/``ModuleError``."""


class InstalledModules:
    """Thread-safe map module name → the version installed on the simulated Deckhouse."""

    def __init__(self) -> None:
        self._modules: dict[str, InstalledModule] = {}
        self._lock = threading.Lock()

    def install(self, module: InstalledModule) -> None:
        with self._lock:
            self._modules[module.name] = module

    def remove(self, name: str) -> None:
        with self._lock:
            self._modules.pop(name, None)

    def get(self, name: str) -> InstalledModule | None:
        with self._lock:
            return self._modules.get(name)

    def names(self) -> list[str]:
        with self._lock:
            return sorted(self._modules)
