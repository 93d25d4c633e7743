"""ModuleConfig settings against the module's OpenAPI schema (docs/dkp-behaviour.md §4.2).

DKP validates ``spec.settings`` with the module's ``openapi/config-values.yaml`` (go-openapi) and
shows the failure as ``status.message = "Error: <validation error>"``. jsonschema does the checking
here; the error lines are phrased the way go-openapi phrases them (``<path> in body is required``,
``... is a forbidden property``, ``... must be of type ...``) because the release controller keys
decisions on those phrases (§5.8). Paths start with the module's values key (camelCase name), as
addon-operator reports them. Several errors are joined with ``; `` so the message stays on one
line in ``kubectl get mc``.

``status.version`` is the schema version: ``spec.version`` when set, else the latest version the
schema declares with ``x-config-version`` (DKP's conversions), ``1`` when it declares none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from harness.dkp.rules import messages

if TYPE_CHECKING:
    import jsonschema

__all__ = ["ConfigStatus", "config_status", "latest_version", "validate_settings", "values_key"]

_GO_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number", list: "array", dict: "object"}


@dataclass(frozen=True)
class ConfigStatus:
    version: str
    message: str


def values_key(module: str) -> str:
    """``module-one`` → ``moduleOne``, the key of the module's values."""
    head, *rest = module.split("-")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def latest_version(schema: Mapping[str, Any] | None) -> int:
    if not schema:
        return 1
    try:
        return max(int(schema.get("x-config-version", 1)), 1)
    except (TypeError, ValueError):
        return 1


def _path(root: str, parts: Any) -> str:
    return ".".join([root, *(str(p) for p in parts)])


def _describe(error: jsonschema.ValidationError, root: str) -> str:
    path = _path(root, error.absolute_path)
    validator = error.validator
    if validator == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else "?"
        return f"{path}.{missing} in body is required"
    if validator == "additionalProperties":
        schema: Any = error.schema
        known = schema.get("properties", {}) if isinstance(schema, Mapping) else {}
        instance: Any = error.instance
        extra = sorted(set(instance) - set(known))
        return "; ".join(f"{path}.{name} in body is a forbidden property" for name in extra)
    if validator == "type":
        given = _GO_TYPES.get(type(error.instance), type(error.instance).__name__)
        return f'{path} in body must be of type {error.validator_value}: "{given}"'
    if validator == "enum":
        allowed: Any = error.validator_value
        choices = " ".join(str(v) for v in allowed)
        return f"{path} in body should be one of [{choices}]"
    return f"{path} in body: {error.message}"


def validate_settings(module: str, schema: Mapping[str, Any] | None, settings: Any) -> list[str]:
    """Error lines for ``settings`` (empty when valid or when the module has no schema)."""
    if not schema:
        return []
    import jsonschema  # here: most modules declare no settings schema, and the import costs ~60 ms

    validator = jsonschema.Draft7Validator(dict(schema))
    errors = sorted(validator.iter_errors(settings or {}), key=lambda e: list(map(str, e.absolute_path)))
    return [_describe(e, values_key(module)) for e in errors]


def config_status(module: str, spec: Mapping[str, Any], schema: Mapping[str, Any] | None) -> ConfigStatus:
    """What the config controller writes to ``status`` (§4.2, DKP's ``refreshModuleConfigStatus``)."""
    problems = validate_settings(module, schema, spec.get("settings"))
    if problems:
        return ConfigStatus("", messages.MC_ERROR_PREFIX + "; ".join(problems))
    latest = latest_version(schema)
    wanted = spec.get("version") or 0
    if not isinstance(wanted, int) or wanted <= 0:
        return ConfigStatus(str(latest), "")
    if wanted > latest:
        return ConfigStatus(str(wanted), messages.mc_invalid_version(latest))
    if wanted < latest:
        return ConfigStatus(str(wanted), messages.mc_update_available(latest))
    return ConfigStatus(str(wanted), "")
