"""The protobuf bodies kubectl posts for its access reviews, read into the JSON shape.

kubectl talks to built-in API groups through its typed clientset, which encodes requests as
Kubernetes protobuf (``application/vnd.kubernetes.protobuf``): the 4-byte magic ``k8s\\0``, then a
``runtime.Unknown`` message whose ``raw`` field holds the object's own message. The access
reviews (:mod:`harness.apiserver.access_reviews`) are the only built-in objects kubectl creates
that way, so only their messages are known here; their field numbers are those of
``k8s.io/api/authorization/v1/generated.proto`` and ``k8s.io/api/authentication/v1/generated.proto``.
Any other protobuf body is the 415 kube-apiserver sends for a type it cannot read as protobuf.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["MAGIC", "ProtobufError", "decode_review"]

MAGIC = b"k8s\x00"

# Field number -> (JSON name, nested message or None for a string). Only what a review carries.
_RESOURCE_ATTRIBUTES = {
    1: ("namespace", None),
    2: ("verb", None),
    3: ("group", None),
    4: ("version", None),
    5: ("resource", None),
    6: ("subresource", None),
    7: ("name", None),
}
_NON_RESOURCE_ATTRIBUTES = {1: ("path", None), 2: ("verb", None)}
_ACCESS_SPEC = {
    1: ("resourceAttributes", _RESOURCE_ATTRIBUTES),
    2: ("nonResourceAttributes", _NON_RESOURCE_ATTRIBUTES),
}
_RULES_SPEC = {1: ("namespace", None)}
_SPECS: dict[str, dict[int, tuple[str, Any]]] = {
    "SelfSubjectAccessReview": _ACCESS_SPEC,
    "SelfSubjectRulesReview": _RULES_SPEC,
    "SelfSubjectReview": {},
}


class ProtobufError(ValueError):
    """The body is not a protobuf message of the expected shape."""


def decode_review(raw: bytes, kind: str) -> dict[str, Any]:
    """The review in ``raw`` (magic + ``runtime.Unknown``) as its JSON object (``spec`` only)."""
    if not raw.startswith(MAGIC):
        raise ProtobufError("the body does not start with the Kubernetes protobuf magic number")
    unknown = dict(_fields(raw[len(MAGIC) :]))
    inner = unknown.get(2, b"")
    if not isinstance(inner, bytes):
        raise ProtobufError("runtime.Unknown has no raw object")
    review: dict[str, Any] = {}
    for number, value in _fields(inner):
        if number == 2 and _SPECS[kind] and isinstance(value, bytes):
            review["spec"] = _message(value, _SPECS[kind])
    return review


def _message(raw: bytes, schema: dict[int, tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for number, value in _fields(raw):
        if number not in schema or not isinstance(value, bytes):
            continue
        name, nested = schema[number]
        out[name] = _message(value, nested) if nested is not None else _text(value)
    return out


def _text(value: bytes) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtobufError("a string field is not UTF-8") from None


def _fields(raw: bytes) -> Iterator[tuple[int, bytes | int]]:
    """(field number, value) pairs of one message: varints as ints, length-delimited as bytes."""
    at = 0
    while at < len(raw):
        key, at = _varint(raw, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, at = _varint(raw, at)
            yield number, value
        elif wire == 2:
            length, at = _varint(raw, at)
            if at + length > len(raw):
                raise ProtobufError("a length-delimited field runs past the end of the body")
            yield number, raw[at : at + length]
            at += length
        elif wire in (1, 5):
            at += 8 if wire == 1 else 4
        else:
            raise ProtobufError(f"unsupported protobuf wire type {wire}")


def _varint(raw: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if at >= len(raw) or shift > 63:
            raise ProtobufError("a varint runs past the end of the body")
        byte = raw[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, at
        shift += 7
