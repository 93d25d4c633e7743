"""What deploying a module release means for the simulated Deckhouse (docs/dkp-behaviour.md §5.8 steps 1-2).

DKP downloads ``R/<module>:v<version>``, validates the ModuleConfig settings against the module's
``openapi/config-values.yaml`` and unpacks the image into its downloaded-modules directory. Here
the unpacked module becomes an :class:`~harness.dkp.controllers.installed.InstalledModule` record (hooks, hook
errors from ``<hook>.error`` files, settings schema, weight), which the install simulation reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from harness.dkp.controllers.installed import InstalledModule
from harness.dkp.controllers.release_creation import DEFAULT_WEIGHT, yaml_map
from harness.dkp.rules import configvalues

__all__ = ["SettingsInvalid", "installed_module_from_files", "validate_settings"]

_ERROR_SUFFIX = ".error"
SCHEMA_FILE = "openapi/config-values.yaml"


class SettingsInvalid(ValueError):
    """ModuleConfig settings do not match the module's schema; ``initial`` decides the phase (§5.8)."""

    def __init__(self, message: str, *, initial: bool) -> None:
        super().__init__(message)
        self.initial = initial


def installed_module_from_files(
    name: str, version: str, source: str, files: Mapping[str, bytes], *, at: datetime
) -> InstalledModule:
    """Read an unpacked module image; ``version`` is ``v``-prefixed."""
    definition = yaml_map(files.get("module.yaml"))
    hooks = sorted(p for p in files if p.startswith("hooks/") and not p.endswith(_ERROR_SUFFIX))
    errors = {
        path.removesuffix(_ERROR_SUFFIX): files[path].decode("utf-8", "replace").strip()
        for path in files
        if path.startswith("hooks/") and path.endswith(_ERROR_SUFFIX)
    }
    schema = yaml_map(files.get(SCHEMA_FILE)) or None
    requirements = definition.get("requirements")
    return InstalledModule(
        name=name,
        version=version,
        source=source,
        weight=int(definition.get("weight") or DEFAULT_WEIGHT),
        installed_at=at,
        hooks=tuple(hooks),
        hook_errors=errors,
        settings_schema=schema,
        requirements=dict(requirements) if isinstance(requirements, dict) else {},
    )


def validate_settings(
    module: str, settings: Mapping[str, Any] | None, schema: Mapping[str, Any] | None
) -> None:
    """Raise :class:`SettingsInvalid` when ``settings`` break ``schema`` (none: nothing to check).

    The texts come from :mod:`harness.dkp.rules.configvalues` (go-openapi wording); §5.8 keeps a release
    Pending with ``Initial module config validation failed`` when one says ``is required`` or
    ``is a forbidden property``, and suspends it for anything else.
    """
    problems = configvalues.validate_settings(module, schema, dict(settings or {}))
    if not problems:
        return
    initial = any(" is required" in p or " is a forbidden property" in p for p in problems)
    raise SettingsInvalid("; ".join(problems), initial=initial)
