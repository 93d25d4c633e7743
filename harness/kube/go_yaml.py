"""The text a YAML number or boolean becomes in a Go string field, as ``sigs.k8s.io/yaml`` makes it.

Kubernetes' Go code (DKP's controller tests among it) reads YAML with ``sigs.k8s.io/yaml``, which
converts YAML to JSON with the target struct in view: a scalar written where the struct has a
``string`` field is turned into text from its decoded value, not from how it was written
(``yamlToJSONTarget`` in ``yaml.go``): integers in base ten, booleans as ``true``/``false``, and
floats by ``strconv.FormatFloat(v, 'g', -1, 32)``, the shortest text of the float32 nearest to
it. So ``to: 1.70`` becomes ``"1.7"`` and ``from: 1.67`` ``"1.67"`` (DKP's golden file
``from-to-sequential`` shows ``to: "1.7"``), ``1e6`` becomes ``"1e+06"``, ``0x10`` ``"16"``.

Map keys go through the same conversion (``convertToJSONableObject``, sigs.k8s.io/yaml v1.4.0,
which Kubernetes 1.32 and kubectl 1.32 use): a YAML key ``1`` is the JSON key ``"1"``, ``true`` is
``"true"``, a float ``strconv.FormatFloat(v, 'g', -1, 32)`` (``.inf`` stays ``.inf``). PyYAML
builds a Python dict first, in which ``1``, ``1.0`` and ``true`` are one key: ``{1: a, true: b}``
kept only ``b``; :func:`json_mapping` builds the mapping with the JSON keys instead. A key of any
other type is refused (:class:`UnsupportedKey`): ``null`` (``~``, an empty key), and an integer
that only Go's ``uint64`` holds (go-yaml's resolver makes 2^63 to 2^64-1 a ``uint64``).
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Hashable
from decimal import Decimal
from typing import Any

import yaml

__all__ = ["UnsupportedKey", "float64_g", "json_key", "json_mapping", "string_field_text"]

_INT64 = 1 << 63
_UINT64 = 1 << 64


class UnsupportedKey(yaml.constructor.ConstructorError):
    """A map key the YAML-to-JSON conversion refuses; ``go_message`` is its error, word for word:
    ``unsupported map key of type: %s, key: %+#v, value: %+#v`` (``reflect.TypeOf(nil)`` prints
    as ``%!s(<nil>)``)."""

    def __init__(self, go_message: str, mark: Any) -> None:
        super().__init__(None, None, f"a map key JSON cannot hold ({go_message})", mark)
        self.go_message = go_message


_EXPONENT_FROM = 6
"""``FormatFloat``'s ``'g'`` with the shortest precision writes an exponent from 1e6 up."""


def string_field_text(value: bool | int | float) -> str:
    """What ``sigs.k8s.io/yaml`` stores in a Go ``string`` field for the YAML scalar ``value``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return _float32_g(value)


def json_key(key: Any) -> str:
    """The JSON key ``sigs.k8s.io/yaml`` makes of a decoded YAML map key (one :func:`go_key_type`
    refuses is written as the text it would have, for callers past the check)."""
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, int) and -_INT64 <= key < _UINT64:
        return str(key)
    if isinstance(key, (int, float)):  # beyond uint64 go-yaml reads a float64
        text = _float32_g(float(key))
        return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(text, text)
    return "null" if key is None else str(key)


def go_key_type(key: Any) -> str | None:
    """How ``%s`` prints the Go type of a key the conversion refuses, ``None`` for one it takes."""
    if key is None:
        return "%!s(<nil>)"
    if isinstance(key, int) and not isinstance(key, bool) and _INT64 <= key < _UINT64:
        return "uint64"
    return None


def json_mapping(loader: Any, node: yaml.MappingNode, deep: bool = False) -> dict[str, Any]:
    """``node`` constructed by ``loader`` (a PyYAML constructor) with JSON keys, so that keys Python
    holds equal (``1``, ``1.0``, ``true``) but JSON does not each keep their value; merge keys
    (``<<``) are applied first, as the constructor applies them."""
    loader.flatten_mapping(node)
    mapping: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark, "found unhashable key", key_node.start_mark
            )
        refused = go_key_type(key)
        if refused is not None:
            shown = f"key: {_go_value(key)}, value: {_go_node(loader, value_node)}"
            raise UnsupportedKey(f"unsupported map key of type: {refused}, {shown}", key_node.start_mark)
        mapping[json_key(key)] = loader.construct_object(value_node, deep=deep)
    return mapping


def _go_node(loader: Any, node: yaml.Node, nested: bool = False) -> str:
    """Go's ``%+#v`` of what go-yaml decodes ``node`` to: maps of typed keys, ``[]interface {}``,
    ``interface {}(nil)`` for a nil inside them. Recursive: the limits were checked first."""
    if isinstance(node, yaml.MappingNode):
        pairs = [(loader.construct_object(k, deep=True), v) for k, v in node.value]
        pairs.sort(key=lambda pair: _go_order(pair[0]))
        inner = ", ".join(f"{_go_value(k, True)}:{_go_node(loader, v, True)}" for k, v in pairs)
        return f"map[interface {{}}]interface {{}}{{{inner}}}"
    if isinstance(node, yaml.SequenceNode):
        return f"[]interface {{}}{{{', '.join(_go_node(loader, item, True) for item in node.value)}}}"
    value = loader.construct_object(node, deep=True)
    return _go_value(value if isinstance(value, (str, int, float, type(None))) else node.value, nested)


def _go_order(key: Any) -> tuple[int, Any]:
    """fmt's map order (``internal/fmtsort``): nil first, then by type, then by value."""
    if key is None:
        return (0, 0)
    if isinstance(key, bool):
        return (1, key)
    if isinstance(key, (int, float)):
        return (2, key)
    return (3, str(key))


def _go_value(value: Any, nested: bool = False) -> str:
    """Go's ``%+#v`` of a scalar go-yaml decodes (timestamps and ``!!binary`` are strings there)."""
    if value is None:
        return "interface {}(nil)" if nested else "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and -_INT64 <= value < _UINT64:
        return str(value) if value < _INT64 else f"0x{value:x}"
    if isinstance(value, (int, float)):
        return float64_g(float(value))
    text = value if isinstance(value, str) else str(value)
    return json.dumps(text, ensure_ascii=False)


def float64_g(value: float) -> str:
    """``strconv.FormatFloat(value, 'g', -1, 64)``: Python's shortest digits, Go's layout."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    shortest = Decimal(repr(abs(value))).normalize().as_tuple()  # repr: the fewest digits that read back
    digits = "".join(str(d) for d in shortest.digits)
    return _g_layout("-" if value < 0 else "", digits, int(shortest.exponent) + len(digits) - 1)


def _float32_g(value: float) -> str:
    """``strconv.FormatFloat(value, 'g', -1, 32)``."""
    if math.isnan(value):
        return "NaN"
    single = _to_float32(value)
    if math.isinf(single):
        return "+Inf" if single > 0 else "-Inf"
    if single == 0:
        return "-0" if math.copysign(1.0, single) < 0 else "0"
    digits, exponent = _shortest(single)
    return _g_layout("-" if single < 0 else "", digits, exponent)


def _g_layout(sign: str, digits: str, exponent: int) -> str:
    """The ``'g'`` layout of the significant ``digits`` whose first has the decimal ``exponent``."""
    if exponent < -4 or exponent >= _EXPONENT_FROM:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    if exponent < 0:
        return f"{sign}0.{'0' * (-exponent - 1)}{digits}"
    whole = digits[: exponent + 1].ljust(exponent + 1, "0")
    rest = digits[exponent + 1 :]
    return f"{sign}{whole}.{rest}" if rest else f"{sign}{whole}"


def _shortest(single: float) -> tuple[str, int]:
    """The fewest significant digits that read back as the same float32, and the decimal exponent
    of the first one (``1.7`` → ``("17", 0)``)."""
    for precision in range(1, 10):
        text = f"{abs(single):.{precision - 1}e}"
        if _to_float32(float(text)) == abs(single):
            mantissa, exponent = text.split("e")
            return mantissa.replace(".", "").rstrip("0") or "0", int(exponent)
    raise AssertionError(f"no float32 reads back {single!r}")  # nine digits always do


def _to_float32(value: float) -> float:
    try:
        return float(struct.unpack("f", struct.pack("f", value))[0])
    except OverflowError:
        return math.copysign(math.inf, value)
