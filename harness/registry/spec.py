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

from harness.registry.layout import (
    ModuleVersion,
    channel_tag,
    check_accessibility,
    check_module_name,
    check_repository,
    check_validations,
    normalize_version,
)

__all__ = ["Operation", "SpecError", "load", "repo_of"]

_DEFAULT_KEYS = ("weight", "requirements", "settingsSchema", "accessibility", "validations")
_MODULE_KEYS = {*_DEFAULT_KEYS, "versions", "releasesWithoutVersion"}
_VERSION_KEYS = {*_DEFAULT_KEYS, "channels", "changelog", "hookError"}
_MAX_WEIGHT = 9999
"""The range ``dkp-harness publish --weight`` takes, for the spec's ``weight`` too."""


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
    if "repo" in document:
        _checked("repo", check_repository, document["repo"])
    operations: list[Operation] = []
    for name, body in modules.items():
        _checked(f"modules.{name}", check_module_name, name)
        operations.extend(_module_operations(str(name), _mapping(body, f"modules.{name}")))
    return operations


def repo_of(spec: str | Path | Mapping[str, Any]) -> str | None:
    """The spec's ``repo`` default, if it has one."""
    document = _read(spec) if isinstance(spec, str | Path) else spec
    repo = document.get("repo")
    if repo:
        _checked("repo", check_repository, repo)
    return str(repo) if repo else None


def _read(path: str | Path) -> Mapping[str, Any]:
    try:
        document = yaml.safe_load(Path(path).read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise SpecError(f"cannot read the publish spec {str(path)!r}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise SpecError(f"the publish spec {str(path)!r} is {_not_utf8(exc)}; save it as UTF-8") from None
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
    for channel in broken:
        _checked(f"modules.{name}.releasesWithoutVersion", channel_tag, str(channel))
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
    _check_version(name, version, channels, options, where)

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


def _check_version(
    name: str, version: str, channels: list[str], options: Mapping[str, Any], where: str
) -> None:
    """Everything the publisher would refuse, refused now: a spec is checked whole before its
    first image is pushed. A bad channel of the second module used to fail after the first was
    published, and a field of the wrong type ended the command with a Python traceback."""
    weight = options.get("weight")
    try:
        ModuleVersion(
            name,
            normalize_version(version),
            weight,
            options.get("requirements"),
            options.get("hookError"),
            options.get("changelog"),
            options.get("settingsSchema"),
        )
        for channel in channels:
            channel_tag(channel)
    except ValueError as exc:
        raise SpecError(f"{where}: {exc}") from None
    if isinstance(weight, int) and not 0 <= weight <= _MAX_WEIGHT:
        raise SpecError(f"{where}: weight {weight} is out of range: use 0..{_MAX_WEIGHT}, e.g. 900")


def _checked(where: str, check: Callable[[Any], object], value: Any) -> None:
    """``check(value)``, its ``ValueError`` as a :class:`SpecError` naming ``where``."""
    try:
        check(value)
    except ValueError as exc:
        raise SpecError(f"{where}: {exc}") from None


def _not_utf8(error: UnicodeDecodeError) -> str:
    """ "not UTF-8 text: byte 0xff at line 3, column 7": where an editor shows it, not an offset."""
    data, start = bytes(error.object), error.start
    line = data.count(b"\n", 0, start) + 1
    column = start - (data.rfind(b"\n", 0, start) + 1) + 1
    return f"not UTF-8 text: byte 0x{data[start]:02x} at line {line}, column {column} cannot be decoded"


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
