"""The declarative publish form: a YAML document of modules, versions and channels.

::

    modules:
      module-one:
        weight: 910                      # module-level defaults, inherited by versions
        requirements: {deckhouse: ">= 1.60"}
        accessibility:                   # module.yaml accessibility.editions (Deckhouse v1.75+)
          _default: {available: true, enabledInBundles: [Default]}
          ce: {available: false}
        validations:                     # release/validations/*.sql of the module image (v1.78+)
          10_edition.sql: "ASSERT NOT EMPTY (SELECT deckhouseEdition FROM v_d8_platform) FAIL 'E' 'x';"
        versions:
          v1.2.3: {channels: [alpha, beta, early-access, stable, rock-solid]}
          v1.3.0: {channels: [alpha], changelog: {features: [faster]}, hookError: "boom"}
        releasesWithoutVersion: [beta]   # optional: break a channel on purpose

Versions are applied in the order written, so a later version takes over a channel from an earlier
one. Keys are camelCase like Kubernetes YAML; unknown keys are errors (a typo must not silently
publish something else). ``repo`` at the top level is optional and only a default for the CLI.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml

from harness.registry.layout import check_accessibility, check_validations

__all__ = ["Operation", "SpecError", "load", "repo_of"]

_DEFAULT_KEYS = ("weight", "requirements", "settingsSchema", "accessibility", "validations")
_MODULE_KEYS = {*_DEFAULT_KEYS, "versions", "releasesWithoutVersion"}
_VERSION_KEYS = {*_DEFAULT_KEYS, "channels", "changelog", "hookError"}


class Publisher(Protocol):
    """What a spec's operations call: ``harness.registry.publisher.Publisher`` satisfies it.

    Declared here so the spec parser does not import the publisher that imports it.
    """

    def publish(
        self,
        name: str,
        version: str,
        channels: Iterable[str] = (),
        weight: int | None = None,
        requirements: Mapping[str, str] | None = None,
        hook_error: str | None = None,
        changelog: Mapping[str, Any] | None = None,
        settings_schema: Mapping[str, Any] | None = None,
        accessibility: Mapping[str, Any] | None = None,
        validations: Mapping[str, str] | None = None,
    ) -> dict[str, str]: ...

    def push_release_without_version(self, name: str, channel: str, version: str = ...) -> str: ...


class SpecError(ValueError):
    """The publish spec is malformed; the message names the place and the fix."""


@dataclass(frozen=True)
class Operation:
    """One publisher call the spec asks for."""

    description: str
    call: Callable[[Publisher], dict[str, str]]

    def run(self, publisher: Publisher) -> dict[str, str]:
        return self.call(publisher)


def load(spec: str | Path | Mapping[str, Any]) -> list[Operation]:
    """Parse and validate a spec (file path or mapping) into operations, in order."""
    document = _read(spec) if isinstance(spec, str | Path) else spec
    modules = _mapping(document.get("modules"), "modules")
    unknown = set(document) - {"modules", "repo"}
    if unknown:
        raise SpecError(f"unknown top-level keys {sorted(unknown)}: only 'modules' and 'repo' are allowed")
    operations: list[Operation] = []
    for name, body in modules.items():
        operations.extend(_module_operations(str(name), _mapping(body, f"modules.{name}")))
    return operations


def repo_of(spec: str | Path | Mapping[str, Any]) -> str | None:
    """The spec's ``repo`` default, if it has one."""
    document = _read(spec) if isinstance(spec, str | Path) else spec
    repo = document.get("repo")
    return str(repo) if repo else None


def _read(path: str | Path) -> Mapping[str, Any]:
    try:
        document = yaml.safe_load(Path(path).read_text())
    except OSError as exc:
        raise SpecError(f"cannot read the publish spec {str(path)!r}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise SpecError(f"the publish spec {str(path)!r} is not valid YAML: {exc}") from None
    return _mapping(document, str(path))


def _module_operations(name: str, body: Mapping[str, Any]) -> list[Operation]:
    _reject_unknown(body, _MODULE_KEYS, f"modules.{name}")
    defaults = {k: body[k] for k in _DEFAULT_KEYS if k in body}
    operations = [
        _publish_operation(name, str(version), {**defaults, **_mapping(options or {}, f"{name}.{version}")})
        for version, options in _mapping(body.get("versions"), f"modules.{name}.versions").items()
    ]
    broken = _list(body.get("releasesWithoutVersion", []), f"modules.{name}.releasesWithoutVersion")
    operations.extend(_broken_release_operation(name, str(channel)) for channel in broken)
    return operations


def _broken_release_operation(name: str, channel: str) -> Operation:
    def call(publisher: Publisher) -> dict[str, str]:
        return {f"{name}/release:{channel}": publisher.push_release_without_version(name, channel)}

    return Operation(f"{name}: release without version.json on {channel}", call)


def _publish_operation(name: str, version: str, options: Mapping[str, Any]) -> Operation:
    where = f"modules.{name}.versions.{version}"
    _reject_unknown(options, _VERSION_KEYS, where)
    channels = [str(c) for c in _list(options.get("channels", []), f"{name}.{version}.channels")]
    _check_gates(options, where)

    def call(publisher: Publisher) -> dict[str, str]:
        return publisher.publish(
            name,
            version,
            channels=channels,
            weight=options.get("weight"),
            requirements=options.get("requirements"),
            hook_error=options.get("hookError"),
            changelog=options.get("changelog"),
            settings_schema=options.get("settingsSchema"),
            accessibility=options.get("accessibility"),
            validations=options.get("validations"),
        )

    return Operation(f"{name} {version} on {channels or 'no channel'}", call)


def _check_gates(options: Mapping[str, Any], where: str) -> None:
    """Refuse bad ``accessibility``/``validations`` now, before anything is pushed."""
    try:
        if "accessibility" in options:
            check_accessibility(_mapping(options["accessibility"], f"{where}.accessibility"))
        if "validations" in options:
            check_validations(_mapping(options["validations"], f"{where}.validations"))
    except ValueError as exc:
        if isinstance(exc, SpecError):
            raise
        raise SpecError(f"{where}: {exc}") from None


def _reject_unknown(body: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(body) - allowed
    if unknown:
        raise SpecError(f"{where}: unknown keys {sorted(unknown)}; allowed: {', '.join(sorted(allowed))}")


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise SpecError(f"{where} must be a mapping (name: settings), got {type(value).__name__}")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise SpecError(f"{where} must be a list, got {type(value).__name__}")
    return value
