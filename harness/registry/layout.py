"""What DKP expects inside the images of a module source (dkp-behaviour.md §1), as pure data.

For a repository ``R``:

* ``R:<module>`` — one tag per module; DKP lists modules as the tags of ``R`` itself;
* ``R/<module>:v<semver>`` — the module image: ``module.yaml``, ``openapi/config-values.yaml``,
  ``hooks/…``;
* ``R/<module>/release:<channel>`` and ``R/<module>/release:v<semver>`` — release images with
  ``version.json``, ``changelog.yaml`` and ``module.yaml``.

A failing hook is the pair ``hooks/failing-hook.py`` + ``hooks/failing-hook.py.error`` (the
message); the simulated DKP reads that convention when it "runs" the module's hooks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

__all__ = [
    "CHANNELS",
    "DEFAULT_SETTINGS_SCHEMA",
    "FAILING_HOOK",
    "ModuleVersion",
    "channel_tag",
    "normalize_version",
]

CHANNELS = ("alpha", "beta", "early-access", "stable", "rock-solid", "lts")
FAILING_HOOK = "hooks/failing-hook.py"
DEFAULT_SETTINGS_SCHEMA: Mapping[str, Any] = {"type": "object", "additionalProperties": True}
_SEMVER = re.compile(r"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")
_VERSION_HOOK = b"""#!/usr/bin/env python3
# Reports the module version; a stand-in for a real module hook.
import json
print(json.dumps({"configVersion": "v1", "onStartup": 10}))
"""


def normalize_version(version: str) -> str:
    """``1.2.3`` or ``v1.2.3`` → ``v1.2.3``; anything else is rejected with the expected form."""
    if not _SEMVER.match(version.strip()):
        raise ValueError(
            f"version {version!r} is not a semantic version: use vMAJOR.MINOR.PATCH, e.g. v1.2.3"
        )
    value = version.strip()
    return value if value.startswith("v") else f"v{value}"


def channel_tag(channel: str) -> str:
    """``Stable``/``EarlyAccess``/``early-access`` → the kebab-case tag DKP reads."""
    tag = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", channel.strip()).replace("_", "-").lower()
    if tag not in CHANNELS:
        raise ValueError(f"unknown release channel {channel!r}; use one of {', '.join(CHANNELS)}")
    return tag


@dataclass(frozen=True)
class ModuleVersion:
    """One version of one module, and everything the images for it contain."""

    name: str
    version: str
    weight: int | None = None
    requirements: Mapping[str, str] | None = None
    hook_error: str | None = None
    changelog: Mapping[str, Any] | None = None
    settings_schema: Mapping[str, Any] | None = field(default=None, repr=False)

    def definition(self) -> bytes:
        """``module.yaml``: name, weight and requirements (DKP defaults weight to 900)."""
        document: dict[str, Any] = {"name": self.name}
        if self.weight is not None:
            document["weight"] = self.weight
        if self.requirements:
            document["requirements"] = dict(self.requirements)
        return _yaml(document)

    def module_files(self) -> dict[str, bytes]:
        """Files of the module image ``R/<name>:<version>``."""
        files = {
            "module.yaml": self.definition(),
            "openapi/config-values.yaml": _yaml(dict(self.settings_schema or DEFAULT_SETTINGS_SCHEMA)),
            "hooks/moduleVersion.py": _VERSION_HOOK,
        }
        if self.hook_error is not None:
            files[FAILING_HOOK] = b"#!/usr/bin/env python3\nraise SystemExit(1)\n"
            files[f"{FAILING_HOOK}.error"] = self.hook_error.encode()
        return files

    def release_files(self, *, with_version: bool = True) -> dict[str, bytes]:
        """Files of the release images ``R/<name>/release:<channel|version>``."""
        files = {
            "changelog.yaml": _yaml(dict(self.changelog or {})),
            "module.yaml": self.definition(),
        }
        if with_version:
            files["version.json"] = json.dumps({"version": self.version}).encode()
        return files


def _yaml(document: Mapping[str, Any]) -> bytes:
    return yaml.safe_dump(dict(document), sort_keys=True).encode()
