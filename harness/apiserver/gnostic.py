"""An OpenAPI v2 (Swagger 2.0) document written as gnostic's ``openapi.v2.Document`` protobuf.

client-go asks ``/openapi/v2`` for protobuf only (``Accept:
application/com.github.proto-openapi.spec.v2@v1.0+protobuf``, ``DiscoveryClient.OpenAPISchema``)
and unmarshals the answer with gnostic's generated Go types, so kubectl cannot read a JSON
document there. The message layout is ``openapiv2/OpenAPIv2.proto`` of google/gnostic (the
``gnostic-models`` kubectl 1.32 vendors): a document's ``swagger`` (1), ``info`` (2) and
``definitions`` (9); a schema's fields by their numbers below. Only what the harness's documents
hold is written: paths, parameters, responses and security are not. Vendor extensions and
``default``/``enum``/``example`` values travel as gnostic's ``Any`` with the value in its ``yaml``
field (JSON text, which YAML reads as the same value), as kube-openapi reads them back.

Encoding is proto3's: fields in number order, zero values (``""``, ``0``, ``false``) left out.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Mapping
from typing import Any

__all__ = ["ACCEPTED", "MEDIA_TYPE", "encode_document"]

MEDIA_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"
"""The Content-Type of the protobuf answer (kube-openapi's ``handler.go``: an ``@`` is no token
character, and Go's ``mime.ParseMediaType`` in the client refuses it)."""
ACCEPTED = (MEDIA_TYPE, "application/com.github.proto-openapi.spec.v2@v1.0+protobuf")
"""What an ``Accept`` may name for the protobuf document: client-go still sends the older,
``@`` form."""

_VARINT, _FIXED64, _BYTES = 0, 1, 2

_STRINGS = {"$ref": 1, "format": 2, "title": 3, "description": 4, "pattern": 13, "discriminator": 26}
_DOUBLES = {"multipleOf": 6, "maximum": 7, "minimum": 9}
_BOOLS = {"exclusiveMaximum": 8, "exclusiveMinimum": 10, "uniqueItems": 16, "readOnly": 27}
_INTS = {
    "maxLength": 11,
    "minLength": 12,
    "maxItems": 14,
    "minItems": 15,
    "maxProperties": 17,
    "minProperties": 18,
}
_ANYS = {"default": 5, "example": 30}


def _varint(value: int) -> bytes:
    value &= (1 << 64) - 1  # int64 as protobuf writes a negative one: ten bytes
    out = bytearray()
    while True:
        low = value & 0x7F
        value >>= 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def _tag(number: int, wire: int) -> bytes:
    return _varint(number << 3 | wire)


def _bytes(number: int, payload: bytes) -> bytes:
    return _tag(number, _BYTES) + _varint(len(payload)) + payload


def _string(number: int, text: str) -> bytes:
    return _bytes(number, text.encode()) if text else b""


def _any(value: Any) -> bytes:
    """gnostic's ``Any``: the value as YAML text in field 2."""
    return _string(2, json.dumps(value, separators=(",", ":"), ensure_ascii=False))


def _named_any(name: str, value: Any) -> bytes:
    return _string(1, name) + _bytes(2, _any(value))


def _scalar(key: str, value: Any) -> tuple[int, bytes]:
    """One scalar field of a schema as ``(number, encoded)``; ``(0, b"")`` for a key not known."""
    if key in _STRINGS and isinstance(value, str):
        return _STRINGS[key], _string(_STRINGS[key], value)
    if key in _DOUBLES and isinstance(value, (int, float)) and not isinstance(value, bool):
        return _DOUBLES[key], _tag(_DOUBLES[key], _FIXED64) + struct.pack("<d", float(value))
    if key in _BOOLS and value is True:
        return _BOOLS[key], _tag(_BOOLS[key], _VARINT) + b"\x01"
    if key in _INTS and isinstance(value, int) and not isinstance(value, bool) and value:
        return _INTS[key], _tag(_INTS[key], _VARINT) + _varint(value)
    if key in _ANYS:
        return _ANYS[key], _bytes(_ANYS[key], _any(value))
    return 0, b""


def _schema(schema: Mapping[str, Any]) -> bytes:
    """A ``Schema`` message; fields written in number order, as Go's marshaller writes them."""
    fields: list[tuple[int, bytes]] = [_scalar(key, value) for key, value in schema.items()]
    required = schema.get("required")
    if isinstance(required, list):
        fields.append((19, b"".join(_string(19, str(name)) for name in required)))
    enum = schema.get("enum")
    if isinstance(enum, list):
        fields.append((20, b"".join(_bytes(20, _any(value)) for value in enum)))
    extra = schema.get("additionalProperties")
    if isinstance(extra, Mapping):
        fields.append((21, _bytes(21, _bytes(1, _schema(extra)))))
    elif extra is True:
        fields.append((21, _bytes(21, _tag(2, _VARINT) + b"\x01")))
    kind = schema.get("type")
    if isinstance(kind, str) and kind:
        fields.append((22, _bytes(22, _string(1, kind))))
    items = schema.get("items")
    if isinstance(items, Mapping):
        fields.append((23, _bytes(23, _bytes(1, _schema(items)))))
    properties = schema.get("properties")
    if isinstance(properties, Mapping):
        named = b"".join(_bytes(1, _named_schema(name, value)) for name, value in properties.items())
        fields.append((25, _bytes(25, named)))
    extensions = [(k, v) for k, v in schema.items() if k.startswith("x-")]
    fields.append((31, b"".join(_bytes(31, _named_any(k, v)) for k, v in extensions)))
    return b"".join(encoded for _number, encoded in sorted(fields, key=lambda field: field[0]))


def _named_schema(name: str, schema: Mapping[str, Any]) -> bytes:
    return _string(1, name) + _bytes(2, _schema(schema))


def encode_document(document: Mapping[str, Any]) -> bytes:
    """``document`` (a Swagger 2.0 mapping: ``swagger``, ``info``, ``definitions``) as gnostic's
    ``Document`` message."""
    info = document.get("info") or {}
    definitions = document.get("definitions") or {}
    named = b"".join(_bytes(1, _named_schema(name, schema)) for name, schema in definitions.items())
    return (
        _string(1, str(document.get("swagger", "")))
        + _bytes(2, _string(1, str(info.get("title", ""))) + _string(2, str(info.get("version", ""))))
        + _bytes(9, named)
    )
