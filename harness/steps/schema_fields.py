"""Fields a ``matches:`` check names that the kind does not have: the scenario's typo, not DKP's.

``Then the ModuleSource "example" matches:`` with ``staus:`` would otherwise fail as "missing",
and the report would count a claim as not holding because of a spelling. The kind's schema (its
CustomResourceDefinition's ``openAPIV3Schema`` for the served version, read from the cluster like
any object) says which fields exist; a key it does not know, where the schema does not leave the
object open (``x-kubernetes-preserve-unknown-fields``, ``additionalProperties`` or no
``properties`` at all), is named with the nearest field that does exist. ``metadata`` is
ObjectMeta, never in a CRD's schema, and is not judged; neither is a kind without a CRD.
"""

from __future__ import annotations

import difflib
import json
from typing import Any

__all__ = [
    "UnknownField",
    "UnsupportedValue",
    "apply_refusal",
    "likely_typos",
    "match_refusal",
    "patch_refusal",
    "seed_refusal",
    "unknown_fields",
    "unsupported_values",
]

_ALWAYS = frozenset({"apiVersion", "kind", "metadata"})


_TYPO = 0.8
"""How alike an unknown key and a field must be (difflib's ratio) to call the key a misspelling:
``updatePolciy``/``updatePolicy`` 0.92, ``enabeld``/``enabled`` 0.86, ``sorce``/``source`` 0.91;
``moduleErrors``/``modules`` 0.63 is another field, not a typo."""


class UnknownField:
    """One key of the expected YAML that the schema says the kind does not have."""

    def __init__(self, path: str, key: str, known: list[str]) -> None:
        self.path, self.key, self.known = path, key, known

    def nearest(self, cutoff: float = 0.6) -> str | None:
        """The field of the kind at this level most like the key (None when none is alike)."""
        near = difflib.get_close_matches(self.key, sorted(set(self.known)), n=1, cutoff=cutoff)
        return near[0] if near else None

    def __str__(self) -> str:
        near = self.nearest()
        hint = f"did you mean {near!r}? " if near else ""
        fields = ", ".join(sorted(set(self.known))) or "none"
        return f"{self.path} is not a field of the kind ({hint}the fields there: {fields})"


def unknown_fields(expected: Any, schema: dict[str, Any]) -> list[UnknownField]:
    """The keys of ``expected`` (a top-level object) that ``schema`` does not allow."""
    if not isinstance(expected, dict):
        return []
    found: list[UnknownField] = []
    top = {k: v for k, v in expected.items() if k not in _ALWAYS}
    _walk(top, schema, "", found, extra=_ALWAYS)
    return found


def _walk(
    value: Any,
    schema: dict[str, Any],
    path: str,
    found: list[UnknownField],
    extra: frozenset[str] = frozenset(),
) -> None:
    if isinstance(value, dict):
        properties = schema.get("properties")
        if _open(schema) or not isinstance(properties, dict):
            return
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if key in properties:
                _walk(item, properties[key] or {}, where, found)
            else:
                found.append(UnknownField(where, str(key), [*properties, *extra]))
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for item in value:
            _walk(item, schema["items"], path, found)


def _open(schema: dict[str, Any]) -> bool:
    """Whether any key is allowed at this level (the schema keeps or maps unknown fields)."""
    additional = schema.get("additionalProperties")
    return bool(schema.get("x-kubernetes-preserve-unknown-fields")) or (
        additional is not None and additional is not False
    )


class UnsupportedValue:
    """A value outside its field's ``enum`` (``mode: Manuall``): the API server refuses the object."""

    def __init__(self, path: str, value: Any, allowed: list[Any]) -> None:
        self.path, self.value, self.allowed = path, value, allowed

    def __str__(self) -> str:
        words = [str(v) for v in self.allowed]
        near = difflib.get_close_matches(str(self.value), words, n=1) if isinstance(self.value, str) else []
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        supported = ", ".join(json.dumps(v) for v in self.allowed)
        return (
            f"{self.path}: Unsupported value: {json.dumps(self.value)}: supported values: {supported}{hint}"
        )


def unsupported_values(document: Any, schema: dict[str, Any]) -> list[UnsupportedValue]:
    """The values of ``document`` that a field's ``enum`` in ``schema`` does not list."""
    found: list[UnsupportedValue] = []
    if isinstance(document, dict):
        top = {k: v for k, v in document.items() if k not in _ALWAYS}
        _walk_values(top, schema, "", found)
    return found


def _walk_values(value: Any, schema: dict[str, Any], path: str, found: list[UnsupportedValue]) -> None:
    allowed = schema.get("enum")
    if isinstance(allowed, list) and not isinstance(value, (dict, list)) and value not in allowed:
        found.append(UnsupportedValue(path, value, allowed))
    if isinstance(value, dict) and isinstance(schema.get("properties"), dict):
        for key, item in value.items():
            if key in schema["properties"]:
                _walk_values(
                    item, schema["properties"][key] or {}, f"{path}.{key}" if path else str(key), found
                )
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            _walk_values(item, schema["items"], f"{path}[{index}]", found)


def apply_refusal(kind: str, name: str, mistakes: list[UnknownField]) -> str:
    """What ``When I apply:`` says of fields its kind does not have (kubectl apply refuses them)."""
    listed = "; ".join(str(m) for m in mistakes)
    return (
        f"the {kind} {name!r} in the YAML has fields its kind does not have, which kubectl apply "
        f"refuses (strict decoding error): {listed}"
    )


def patch_refusal(kind: str, name: str, mistakes: list[UnknownField]) -> str:
    """What ``When I patch … with:`` says of fields its kind does not have: kubectl patch refuses
    them as kubectl apply does (strict field validation), where the API server alone would prune
    them, the object would stay as it was and the scenario's next check would fail as if DKP had
    missed the claim."""
    listed = "; ".join(str(m) for m in mistakes)
    return (
        f"the patch of the {kind} {name!r} has fields its kind does not have, which kubectl patch "
        f"refuses (strict decoding error): {listed}"
    )


def likely_typos(mistakes: list[UnknownField]) -> list[UnknownField]:
    """The unknown keys so like a field of the kind that they are almost surely misspelt."""
    return [m for m in mistakes if m.nearest(_TYPO) is not None]


def seed_refusal(kind: str, name: str, typos: list[UnknownField]) -> str:
    """What ``Given the cluster has:`` says of a misspelt field: seeding takes other unknown fields
    (the API server prunes them, as DKP's controller tests take their objects), but a near miss
    of a real field would leave the scenario testing a state it did not mean."""
    listed = "; ".join(str(m) for m in typos)
    return (
        f"the {kind} {name!r} to seed has a field its kind has in no Deckhouse version, spelt like one"
        f" it has: {listed}. The API server would drop it and the scenario would start from another"
        " state than it says: correct the spelling"
    )


def match_refusal(kind: str, mistakes: list[UnknownField]) -> str:
    """What a ``matches:`` check says of fields its kind does not have (a typo, not DKP's miss)."""
    listed = "; ".join(str(m) for m in mistakes)
    return f"the YAML to match names fields a {kind} does not have: {listed}"
