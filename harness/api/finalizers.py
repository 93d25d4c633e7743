"""Finalizers DKP's module controllers add and remove (docs/dkp-behaviour.md §2.3, §4.1, §5.1, §8)."""

from __future__ import annotations

__all__ = [
    "EXIST_ON_FS",
    "METRICS_REGISTERED",
    "MODULE_CONFIG_LEGACY",
    "MODULE_EXISTS",
    "MODULE_REGISTERED",
    "PULL_OVERRIDE",
    "RELEASE_EXISTS",
]

RELEASE_EXISTS = "modules.deckhouse.io/release-exists"
MODULE_EXISTS = "modules.deckhouse.io/module-exists"
MODULE_REGISTERED = "modules.deckhouse.io/module-registered"
EXIST_ON_FS = "modules.deckhouse.io/exist-on-fs"
PULL_OVERRIDE = "modules.deckhouse.io/mpo-finalizer"
METRICS_REGISTERED = "modules.deckhouse.io/metrics-registered"
"""Deckhouse v1.75 and later: the release controller's first step adds it (docs/dkp-eras.md)."""
MODULE_CONFIG_LEGACY = "modules.deckhouse.io/module-config"
"""An older ModuleConfig finalizer the config controller removes."""
