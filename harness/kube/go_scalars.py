"""Plain YAML scalars read as go-yaml v2 reads them, which is what Kubernetes reads.

kube-apiserver and kubectl convert YAML to JSON with ``sigs.k8s.io/yaml`` (v1.4.0 in Kubernetes
1.32), whose decoder is a copy of go-yaml v2 (``goyaml.v2/resolve.go``). Its resolver is not
PyYAML's YAML 1.1 one, so the same unquoted text can be another value:

- numbers: underscores are dropped, then Go's ``strconv.ParseInt(s, 0, 64)`` reads ``0x1F``,
  ``0o17``, ``0b101`` and the C octal ``017``; what only ``ParseUint`` holds is a ``uint64``; what
  matches ``^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$`` is a float64 (``1e30``,
  ``1E3``, ``.5``, ``+1.5``, ``08``, ``1.``), unless it overflows (``1e400`` stays text); PyYAML
  made ``1e30``, ``1E3`` and ``0o17`` strings and ``13:30`` the base-60 integer 810;
- booleans: ``y``, ``Y``, ``n``, ``N`` as well as ``yes``, ``on``, ``true`` and their kin;
- null: ``~``, ``null``, ``Null``, ``NULL`` and the empty scalar; ``.inf``, ``.nan`` and their
  spellings are floats; anything else is text (timestamps too: go-yaml hands them to an
  ``interface{}`` as the text written).

:class:`GoScalars` is a loader mixin that resolves plain scalars so; :func:`install` gives a loader
class the constructors that build the values.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

__all__ = ["GoScalars", "go_number", "install"]

_INT, _FLOAT, _BOOL, _NULL, _STR = (
    f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null", "str")
)
_MERGE = "tag:yaml.org,2002:merge"

_WORD_LISTS: tuple[tuple[tuple[str, Any], str], ...] = (
    ((_BOOL, True), "y Y yes Yes YES true True TRUE on On ON"),
    ((_BOOL, False), "n N no No NO false False FALSE off Off OFF"),
    ((_NULL, None), "~ null Null NULL"),
    ((_FLOAT, math.nan), ".nan .NaN .NAN"),
    ((_FLOAT, math.inf), ".inf .Inf .INF +.inf +.Inf +.INF"),
    ((_FLOAT, -math.inf), "-.inf -.Inf -.INF"),
    ((_MERGE, "<<"), "<<"),
)
_WORDS: dict[str, tuple[str, Any]] = {"": (_NULL, None)}
for _value, _words in _WORD_LISTS:
    _WORDS.update(dict.fromkeys(_words.split(), _value))
"""go-yaml's ``resolveMap``: the words it reads as one value wherever they stand."""

_INT64, _UINT64 = 1 << 63, 1 << 64
_GO_INT = re.compile(r"([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)")
_YAML_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_DOT_FLOAT = re.compile(r"\.[0-9]+([eE][-+]?[0-9]+)?")
_BINARY = re.compile(r"[+-]?[01]+")
_BASES = {"x": 16, "o": 8, "b": 2}


def _parse_int(text: str) -> int | None:
    """``strconv.ParseInt(text, 0, 64)``, or ``ParseUint`` beyond int64; None when neither reads it."""
    found = _GO_INT.fullmatch(text)
    if found is None:
        return None
    sign, digits = found.groups()
    if len(digits) > 1 and digits[0] == "0":
        prefix = digits[1].lower()
        value = int(digits[2:], _BASES[prefix]) if prefix in _BASES else int(digits[1:], 8)
    else:
        value = int(digits)
    value = -value if sign == "-" else value
    if -_INT64 <= value < _INT64 or (not sign and value < _UINT64):
        return value
    return None


def _parse_float(text: str) -> float | None:
    value = float(text)
    return None if math.isinf(value) else value  # ParseFloat's ErrRange: go-yaml keeps the text


def go_number(text: str) -> int | float | None:
    """The number go-yaml reads in a plain scalar starting with a digit, a sign or ``.``; None
    for text that is no number to it."""
    if text[:1] == ".":
        return _parse_float(text) if _DOT_FLOAT.fullmatch(text) else None
    plain = text.replace("_", "")
    number = _parse_int(plain)
    if number is not None:
        return number
    if _YAML_FLOAT.fullmatch(plain):
        return _parse_float(plain)
    if plain.startswith("0b") and _BINARY.fullmatch(plain[2:]):
        value = int(plain[2:], 2)
        return value if -_INT64 <= value < _UINT64 else None
    return None


def _resolve(text: str) -> tuple[str, Any]:
    """go-yaml's ``resolve`` of a plain scalar: its tag and value."""
    known = _WORDS.get(text)
    if known is not None:
        return known
    if text[:1] in "+-.0123456789" and text:
        number = go_number(text)
        if number is not None:
            return (_FLOAT if isinstance(number, float) else _INT), number
    return _STR, text


class GoScalars:
    """A loader mixin: plain scalars resolve as go-yaml resolves them (quoted and tagged ones as
    before)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0]:
            return _resolve(value)[0]
        return super().resolve(kind, value, implicit)  # type: ignore[misc]


def _construct(tag: str, fallback: str) -> Any:
    """A constructor for ``tag`` reading the scalar as go-yaml does; an explicitly tagged scalar
    go-yaml would not read so (``!!int abc``) falls back to PyYAML's ``fallback`` constructor."""

    def construct(loader: Any, node: yaml.ScalarNode) -> Any:
        found, value = _resolve(str(node.value))
        if found == tag:
            return value
        if tag == _FLOAT and found == _INT:
            return float(value)
        return getattr(loader, fallback)(node)

    return construct


def install(loader: Any) -> None:
    """Give ``loader`` (a class with :class:`GoScalars`) go-yaml's int, float and bool values."""
    loader.add_constructor(_INT, _construct(_INT, "construct_yaml_int"))
    loader.add_constructor(_FLOAT, _construct(_FLOAT, "construct_yaml_float"))
    loader.add_constructor(_BOOL, _construct(_BOOL, "construct_yaml_bool"))
