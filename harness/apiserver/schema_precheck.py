"""A compiled "certainly valid" check for a Draft 4 schema, the fast path in front of ``jsonschema``.

``jsonschema`` walks a schema with a fresh validator object per node, which costs ~100 µs for one
DKP object; nearly every write is valid, so paying that to learn "no errors" dominated the
in-process write path. :func:`compile_check` turns the schema once into nested closures that
answer only "valid?". The check is *sound*: ``True`` means ``jsonschema`` would report no error
for the value; ``False`` means "maybe not", and the caller then runs ``jsonschema`` itself for
the field errors. So the error messages, and every case this module does not model, stay exactly
``jsonschema``'s:

- keywords it models: ``type``, ``properties``, ``required``, ``additionalProperties``,
  ``items`` (one schema), ``enum`` (for strings), ``pattern``, ``minLength``/``maxLength``,
  ``minItems``/``maxItems``, ``minimum``/``maximum`` (with Draft 4's boolean exclusives),
  ``allOf`` and ``anyOf`` (sound from sound parts);
- ``type: integer`` as go-openapi reads it: an int64, or a whole float64 within ±(2^53-1);
- ``format: date-time`` (``is_date_time``, kube-openapi's ``strfmt.IsDateTime``; other formats are
  not checked, by this module or by the ``jsonschema`` validators of :func:`draft4_validator`);
- a node with any other keyword (``oneOf``, ``not``, ``uniqueItems``, ``multipleOf``, tuple
  ``items``, an unknown type name, ...) is checked by a ``jsonschema`` validator for that node
  alone, which is exact because Draft 4 without ``$ref`` is compositional.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from harness.apiserver.json_numbers import is_json_integer

if TYPE_CHECKING:
    import jsonschema

__all__ = ["Check", "compile_check", "draft4_validator", "is_date_time"]

Check = Callable[[Any], bool]

_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": is_json_integer,
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
_MODELLED = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "enum",
        "pattern",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "allOf",
        "anyOf",
        "format",
    }
)
_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_TIME_RE = re.compile(r"([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))")
_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _is_date(text: str) -> bool:
    """Go's ``time.Parse("2006-01-02", text)`` succeeds: fixed-width ASCII digits, a real day."""
    m = _DATE_RE.fullmatch(text)
    if m is None:
        return False
    year, month, day = int(m[1]), int(m[2]), int(m[3])
    if not 1 <= month <= 12:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 1 <= day <= _DAYS[month - 1] + (1 if month == 2 and leap else 0)


def is_date_time(text: str) -> bool:
    """``format: date-time`` as apiextensions-apiserver checks it (kube-openapi ``strfmt.IsDateTime``):
    an RFC 3339 date, ``T``, a time with optional fraction and a ``Z`` or ``±hh:mm`` offset,
    case-insensitive (``2024-12-18T15:00:00Z``, ``2024-12-18t15:00:00.5+03:00``)."""
    if len(text) < 4:
        return False
    parts = text.lower().split("t")
    if len(parts) < 2 or not _is_date(parts[0]):
        return False
    m = _TIME_RE.fullmatch(parts[1])
    return m is not None and m[1] <= "23" and m[2] <= "59" and m[3] <= "59"


def _date_time_format(value: object) -> bool:
    return not isinstance(value, str) or is_date_time(value)


@lru_cache(maxsize=1)
def _format_checker() -> jsonschema.FormatChecker:
    import jsonschema

    checker = jsonschema.FormatChecker(formats=())
    checker.checks("date-time")(_date_time_format)
    return checker


@lru_cache(maxsize=1)
def _validator_class() -> Any:
    """Draft 4 with go-openapi's ``integer``: a whole float64 within ±(2^53-1) is one
    (:func:`~harness.apiserver.json_numbers.is_json_integer`); Draft 4 alone takes ints only."""
    import jsonschema  # imported lazily: see schema._compiled

    base = jsonschema.Draft4Validator
    checker = base.TYPE_CHECKER.redefine("integer", lambda _checker, value: is_json_integer(value))
    extend: Any = jsonschema.validators.extend  # untyped in jsonschema's stubs
    return extend(base, type_checker=checker)


def draft4_validator(schema: Any) -> jsonschema.protocols.Validator:
    """The ``jsonschema`` validator for a rendered schema: Draft 4 plus the formats kube checks,
    with go-openapi's integers."""
    validator: jsonschema.protocols.Validator = _validator_class()(schema, format_checker=_format_checker())
    return validator


def _always(_value: Any) -> bool:
    return True


def _modelled(schema: dict[str, Any]) -> bool:
    if not set(schema) <= _MODELLED:
        return False
    types = schema.get("type", [])
    names = types if isinstance(types, list) else [types]
    if not all(isinstance(t, str) and t in _TYPES for t in names):
        return False
    items = schema.get("items", {})
    extra = schema.get("additionalProperties", True)
    return isinstance(items, dict) and isinstance(extra, (dict, bool))


def compile_check(schema: Any) -> Check:
    """A sound validity predicate for the Draft 4 ``schema`` (see the module docstring)."""
    if not isinstance(schema, dict) or not _modelled(schema):
        # jsonschema only for a node this module does not model (see schema._compiled)
        return draft4_validator(schema).is_valid
    kind = schema.get("type")
    shaped = {"object": _object_check, "array": _array_check, "string": _string_check}
    checks: list[Check | None] = []
    for name, build in shaped.items():
        # A node typed as exactly this shape folds its type test into the shape check.
        checks.append(build(schema, kind == name))
    if not isinstance(kind, str) or kind not in shaped:
        checks.append(_type_check(schema))
    checks += [_number_check(schema), _combinators(schema)]
    return _all_of([c for c in checks if c is not None])


def _all_of(checks: list[Check]) -> Check:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)

    def check(value: Any) -> bool:
        for each in checks:
            if not each(value):
                return False
        return True

    return check


def _type_check(schema: dict[str, Any]) -> Check | None:
    if "type" not in schema:
        return None
    names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    tests = [_TYPES[name] for name in names]
    if len(tests) == 1:
        return tests[0]
    return lambda value: any(test(value) for test in tests)


def _object_check(schema: dict[str, Any], typed: bool) -> Check | None:
    props = {name: compile_check(sub) for name, sub in (schema.get("properties") or {}).items()}
    required = tuple(schema.get("required") or ())
    extra = schema.get("additionalProperties", True)
    extra_check = compile_check(extra) if isinstance(extra, dict) else None
    if not props and not required and extra is True:
        return _TYPES["object"] if typed else None

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return not typed
        for name in required:
            if name not in value:
                return False
        for key, item in value.items():
            sub = props.get(key)
            if sub is not None:
                if not sub(item):
                    return False
            elif extra is False or (extra_check is not None and not extra_check(item)):
                return False
        return True

    return check


def _array_check(schema: dict[str, Any], typed: bool) -> Check | None:
    item_check = compile_check(schema["items"]) if "items" in schema else None
    low, high = schema.get("minItems"), schema.get("maxItems")
    if item_check is None and low is None and high is None:
        return _TYPES["array"] if typed else None

    def check(value: Any) -> bool:
        if not isinstance(value, list):
            return not typed
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            return False
        if item_check is not None:
            for item in value:
                if not item_check(item):
                    return False
        return True

    return check


def _string_check(schema: dict[str, Any], typed: bool) -> Check | None:
    enum = schema.get("enum")
    allowed = None if enum is None else frozenset(e for e in enum if isinstance(e, str))
    pattern = re.compile(schema["pattern"]) if "pattern" in schema else None
    low, high = schema.get("minLength"), schema.get("maxLength")
    date_time = schema.get("format") == "date-time"
    if enum is None and pattern is None and low is None and high is None and not date_time:
        return _TYPES["string"] if typed else None

    def check(value: Any) -> bool:
        if not isinstance(value, str):
            # Not a string: fails a string type; an enum over other values is left to jsonschema's
            # equality rules (``True`` is not ``1`` there).
            return not typed and enum is None
        if allowed is not None and value not in allowed:
            return False
        if pattern is not None and pattern.search(value) is None:
            return False
        if date_time and not is_date_time(value):
            return False
        return (low is None or len(value) >= low) and (high is None or len(value) <= high)

    return check


def _number_check(schema: dict[str, Any]) -> Check | None:
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is None and high is None:
        return None
    low_open, high_open = bool(schema.get("exclusiveMinimum")), bool(schema.get("exclusiveMaximum"))

    def check(value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, numbers.Number):
            return True
        if not isinstance(value, (int, float)):
            return False  # an exotic number: let jsonschema compare it
        if low is not None and (value <= low if low_open else value < low):
            return False
        return high is None or not (value >= high if high_open else value > high)

    return check


def _combinators(schema: dict[str, Any]) -> Check | None:
    all_of = [compile_check(sub) for sub in schema.get("allOf") or []]
    any_of = [compile_check(sub) for sub in schema.get("anyOf") or []]
    if "anyOf" in schema and not any_of:
        return lambda _value: False  # an empty anyOf: let jsonschema decide
    if not all_of and not any_of:
        return None

    def check(value: Any) -> bool:
        return all(c(value) for c in all_of) and (not any_of or any(c(value) for c in any_of))

    return check
