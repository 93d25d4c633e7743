"""JSON numbers as kube-apiserver's decoders read them, store them and write them back.

A request body is decoded with ``sigs.k8s.io/json``'s ``PreserveInts`` option
(``UnmarshalCaseSensitivePreserveInts``, what the unstructured decoder of custom resources uses,
``k8s.io/apimachinery/pkg/runtime/serializer/json/json.go``): a literal without ``.`` or an
exponent that fits an int64 is an int64, anything else a float64. Python reads ``1.0`` as a float
(fine) but ``99999999999999999999`` as an exact big integer, which Go never holds. So:

- an int literal beyond int64 becomes the float64 it is in Go;
- a float64 with a whole value (``1.0``, ``1e20``) becomes a :class:`WholeFloat`: an ``int`` for
  Python (so it is written back as Go's ``encoding/json`` writes a whole float64 below 1e21: the
  shortest digits, no ``.0``, no exponent: ``1``, ``100000000000000000000``), which remembers
  that it was a float64 and the literal it was written as.

Why it matters: go-openapi (kube-openapi's validator, ``pkg/validation/validate/type.go``) takes
a float64 for a ``type: integer`` field when ``swag.IsFloat64AJSONInteger`` holds (a whole value
within ±(2^53-1)), so ``replicas: 1.0`` in a custom resource is accepted and read back as ``1``,
while ``1e20`` (or ``99999999999999999999``) is refused as ``must be of type integer: "number"``;
a typed built-in field refuses both with the literal (``cannot unmarshal number 1.0 into ...``).

YAML bodies pass through ``sigs.k8s.io/yaml``'s YAML-to-JSON conversion first, which writes a
whole float as digits (``1.0`` becomes ``1``, an int64 once decoded again): :func:`from_yaml`
applies that round trip.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

__all__ = ["WholeFloat", "from_yaml", "is_json_integer", "parse_float", "parse_int"]

_INT64 = 2**63
_MAX_SAFE = 2**53 - 1
_EXPONENT_FROM = 1e21
"""Go's ``encoding/json`` writes a float64 in exponent form from 1e21 on (and below 1e-6)."""


class WholeFloat(int):
    """A float64 with a whole value below 1e21, held as the integer Go prints for it.

    ``literal`` is the text the client wrote (``1.0``, ``1e20``), which Go's typed decoder quotes
    when it refuses the number for an int field."""

    literal: str

    def __new__(cls, value: float, literal: str) -> WholeFloat:
        made = super().__new__(cls, int(Decimal(repr(value))))
        made.literal = literal
        return made

    def __repr__(self) -> str:
        return f"WholeFloat({int(self)}, {self.literal!r})"


def _float64(value: float, literal: str) -> float | WholeFloat:
    if value.is_integer() and abs(value) < _EXPONENT_FROM:
        return WholeFloat(value, literal)
    return value


def parse_int(literal: str) -> int | float:
    """``json.loads``' ``parse_int``: an int64 when it fits, else Go's float64 of it."""
    value = int(literal)
    if -_INT64 <= value < _INT64:
        return value
    return _float64(float(literal), literal)


def parse_float(literal: str) -> float | WholeFloat:
    """``json.loads``' ``parse_float``: a float64, whole ones as :class:`WholeFloat`."""
    return _float64(float(literal), literal)


def is_json_integer(value: Any) -> bool:
    """Whether go-openapi's validator takes ``value`` for ``type: integer``: an int64 always, a
    float64 when it is whole and within ±(2^53-1) (``swag.IsFloat64AJSONInteger``)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, WholeFloat):
        return abs(value) <= _MAX_SAFE
    if isinstance(value, int):
        return True
    return (
        isinstance(value, float) and math.isfinite(value) and value.is_integer() and abs(value) <= _MAX_SAFE
    )


def _go_text(value: float) -> str:
    """The text ``encoding/json`` writes for a float64 (the YAML-to-JSON step's output)."""
    if value.is_integer() and abs(value) < _EXPONENT_FROM:
        return str(int(Decimal(repr(value))))
    return repr(value)


def from_yaml(value: Any) -> Any:
    """A YAML scalar as it comes out of the YAML-to-JSON conversion and the JSON decoder."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, float):
        text = _go_text(value)
        return parse_int(text) if text.lstrip("-").isdigit() else parse_float(text)
    return value if -_INT64 <= value < _INT64 else parse_int(str(value))
