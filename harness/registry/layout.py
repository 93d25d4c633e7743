"""What DKP expects inside the images of a module source (dkp-behaviour.md §1), as pure data.

For a repository ``R``:

* ``R:<module>`` — one tag per module; DKP lists modules as the tags of ``R`` itself;
* ``R/<module>:v<semver>`` — the module image: ``module.yaml``, ``openapi/config-values.yaml``,
  ``hooks/…``, and the release gates Deckhouse v1.78+ runs before install,
  ``release/validations/*.sql`` (upstream ``deckhouse-controller/pkg/releasegates``);
* ``R/<module>/release:<channel>`` and ``R/<module>/release:v<semver>`` — release images with
  ``version.json``, ``changelog.yaml`` and ``module.yaml``.

``module.yaml`` may carry ``accessibility`` (``editions.<edition>.available`` and
``enabledInBundles``), which Deckhouse v1.75+ reads from the release image to enable a module by
its bundle and to hide it from editions it is not available in (docs/dkp-eras.md).

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

from harness.registry.memo import Memo, frozen

__all__ = [
    "CHANNELS",
    "DEFAULT_SETTINGS_SCHEMA",
    "FAILING_HOOK",
    "VALIDATIONS_DIR",
    "ModuleVersion",
    "channel_tag",
    "check_accessibility",
    "check_field_types",
    "check_module_name",
    "check_repository",
    "check_validations",
    "normalize_version",
]

CHANNELS = ("alpha", "beta", "early-access", "stable", "rock-solid", "lts")
FAILING_HOOK = "hooks/failing-hook.py"
VALIDATIONS_DIR = "release/validations"
_EDITION_KEYS = {"available", "enabledInBundles"}
_MODULE_NAME = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_REPOSITORY = re.compile(rf"{_COMPONENT}(?:/{_COMPONENT})*")
"""The repository name grammar of the OCI distribution spec (``path-component``, ``/``-joined)."""
_VALIDATION_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.sql$")
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
    accessibility: Mapping[str, Any] | None = None
    """``{edition or "_default": {"available": bool, "enabledInBundles": [bundle, …]}}``."""
    validations: Mapping[str, str] | None = field(default=None, repr=False)
    """SQL release gates by file name (``10_edition.sql`` → its statements)."""

    def __post_init__(self) -> None:
        check_field_types(self)
        if self.accessibility is not None:
            check_accessibility(self.accessibility)
        if self.validations is not None:
            check_validations(self.validations)

    def definition(self) -> bytes:
        """``module.yaml``: name, weight, requirements and accessibility (DKP defaults weight to 900)."""
        document: dict[str, Any] = {"name": self.name}
        if self.weight is not None:
            document["weight"] = self.weight
        if self.requirements:
            document["requirements"] = dict(self.requirements)
        if self.accessibility is not None:
            document["accessibility"] = {"editions": {k: dict(v) for k, v in self.accessibility.items()}}
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
        for name, sql in (self.validations or {}).items():
            files[f"{VALIDATIONS_DIR}/{name}"] = sql.encode()
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


def check_module_name(name: str) -> None:
    """Refuse a module name DKP could not list: it is a tag of ``R`` and a path segment of
    ``R/<name>``, so a name such as ``../etc`` or ``Module_One`` would be pushed somewhere else than
    printed, or refused by the registry with a 404 that names no module."""
    if not isinstance(name, str) or not _MODULE_NAME.fullmatch(name):
        raise ValueError(
            f"module name {_shortened(name)} is not a lowercase kebab-case name (letters, digits and '-', "
            "starting and ending with a letter or digit), e.g. module-one"
        )
    if len(name) > MAX_MODULE_NAME:
        raise ValueError(
            f"module name {_shortened(name)} has {len(name)} characters: a module name becomes the name "
            f"of its Module and ModuleConfig, at most {MAX_MODULE_NAME}; use a shorter name"
        )


MAX_MODULE_NAME = 63
"""The longest module name, as ``dkp-harness publish --module`` takes it (a DNS label's length)."""


def _shortened(name: object) -> str:
    """``name`` quoted, its middle left out when it is long (a 300-character name filled a screen)."""
    text = repr(name)
    return text if len(text) <= 60 else f"{text[:40]}…{text[-10:]}"


def check_field_types(module: ModuleVersion) -> None:
    """Refuse fields of the wrong type with the field's name, before any image is built.

    A declarative spec is YAML, so ``weight: heavy`` or ``hookError: {a: 1}`` arrive as whatever
    YAML made of them; written into ``module.yaml`` unchecked, a string weight was published as
    is and a mapping for a text failed deep in image building with a Python ``TypeError``.
    """
    if module.weight is not None and (isinstance(module.weight, bool) or not isinstance(module.weight, int)):
        raise ValueError(f"weight must be a whole number, e.g. 910, got {module.weight!r}")
    if module.requirements is not None and not (
        isinstance(module.requirements, Mapping)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in module.requirements.items())
    ):
        raise ValueError('requirements must map names to constraints, e.g. {deckhouse: ">= 1.60"}')
    if module.hook_error is not None and not isinstance(module.hook_error, str):
        raise ValueError(
            f"hookError must be the failing hook's message text, got {type(module.hook_error).__name__}"
        )
    for key, value, example in (
        ("changelog", module.changelog, "{features: [faster]}"),
        ("settingsSchema", module.settings_schema, "{type: object}"),
    ):
        if value is not None and not isinstance(value, Mapping):
            raise ValueError(f"{key} must be a mapping, e.g. {example}, got {type(value).__name__}")


def check_repository(repo: str) -> None:
    """Refuse a repository path the OCI distribution spec does not allow (lowercase components
    joined by ``/``). ``UPPER/../x`` was pushed: the HTTP client folded the ``..`` away, so the
    images landed in ``x`` while every printed reference named ``UPPER/../x``. Slashes around it
    are fine: the publisher strips them."""
    if not isinstance(repo, str) or not _REPOSITORY.fullmatch(repo.strip("/")):
        raise ValueError(
            f"repository {repo!r} is not a registry path: lowercase components of letters and digits "
            "(separated inside by '.', '_', '__' or '-') joined by '/', e.g. deckhouse/modules"
        )


def check_accessibility(accessibility: Mapping[str, Any]) -> None:
    """Refuse an ``accessibility.editions`` map DKP would not read, naming the bad entry."""
    if not isinstance(accessibility, Mapping) or not accessibility:
        raise ValueError(
            "accessibility must map edition names (or _default) to {available, enabledInBundles}, "
            "e.g. {ee: {available: true, enabledInBundles: [Default]}}"
        )
    for edition, entry in accessibility.items():
        where = f"accessibility.{edition}"
        if not isinstance(entry, Mapping):
            raise ValueError(f"{where} must be a mapping with available and enabledInBundles")
        unknown = set(entry) - _EDITION_KEYS
        if unknown:
            raise ValueError(f"{where}: unknown keys {sorted(unknown)}; allowed: available, enabledInBundles")
        if "available" in entry and not isinstance(entry["available"], bool):
            raise ValueError(f"{where}.available must be true or false")
        bundles = entry.get("enabledInBundles", [])
        if not isinstance(bundles, list) or not all(isinstance(b, str) for b in bundles):
            raise ValueError(f"{where}.enabledInBundles must be a list of bundle names, e.g. [Default]")


def check_validations(validations: Mapping[str, str]) -> None:
    """Refuse validation files DKP would skip (it reads ``*.sql`` only), naming the file."""
    for name, sql in validations.items():
        if not _VALIDATION_NAME.match(str(name)):
            raise ValueError(
                f"validation file name {name!r} must be a plain file name ending in .sql, e.g. 10_edition.sql"
            )
        if not isinstance(sql, str):
            raise ValueError(f"validation {name!r} must be SQL text")


_YAML = Memo[bytes](512)
"""The YAML of the documents published lately (:mod:`harness.registry.memo`): ``module.yaml`` is
dumped three times for every version published, and scenarios publish the same versions."""


def _yaml(document: Mapping[str, Any]) -> bytes:
    plain = dict(document)
    return _YAML.get(frozen(plain), lambda: yaml.safe_dump(plain, sort_keys=True).encode())
