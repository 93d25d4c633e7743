"""Step definitions, one module per area; importing a module registers its steps.

:data:`MODULES` is the load order used by the pytest plugin and by ``dkp-harness steps``.
"""

from __future__ import annotations

import importlib

__all__ = ["MODULES", "load_all"]

MODULES = (
    "harness.steps.library.platform",
    "harness.steps.library.objects",
    "harness.steps.library.registry",
    "harness.steps.library.time",
    "harness.steps.library.kubectl",
    "harness.steps.library.assertions",
    "harness.steps.library.history",
    "harness.steps.library.faults",
    "harness.steps.library.versions",
)


def load_all() -> None:
    """Import every step module (idempotent: modules register their steps once)."""
    for name in MODULES:
        importlib.import_module(name)
