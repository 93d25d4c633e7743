"""Which ``Content-Type`` a request body may have, as kube-apiserver negotiates it.

A create, an update and a delete's options are read by the serializer their media type names
(``NegotiateInputSerializer``, ``k8s.io/apiserver/pkg/endpoints/handlers/negotiation/negotiate.go``):
no ``Content-Type`` is the first served type, JSON; the header is parsed as Go's
``mime.ParseMediaType`` parses it (case-insensitive type, ``; charset=...`` and other parameters
allowed, a malformed parameter refused), and a type no serializer serves is a ``415
UnsupportedMediaType`` listing every served one: JSON, YAML and protobuf, for built-in kinds and
custom resources alike (apiextensions-apiserver's serializer lists protobuf too). JSON is then read
as JSON only, never as YAML.

A patch is stricter (``PatchResource`` in ``handlers/patch.go``): the ``Content-Type`` up to its
first ``;`` must be one of the patch types the endpoint takes, exactly (no lowercasing, no default:
a patch without one is a ``415`` too).
"""

from __future__ import annotations

import re

from harness.kube.errors import UnsupportedMediaType

__all__ = ["JSON", "PROTOBUF", "YAML", "input_media", "patch_media", "unsupported"]

JSON = "application/json"
YAML = "application/yaml"
PROTOBUF = "application/vnd.kubernetes.protobuf"
_SERVED = (JSON, YAML, PROTOBUF)
"""The codec factory's serializers in the order it lists them (CBOR is behind a gate, off in 1.32)."""

_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_TYPE = re.compile(rf"{_TOKEN}(?:/{_TOKEN})?")
_PARAMETER = re.compile(rf';\s*({_TOKEN})\s*=\s*(?:{_TOKEN}|"(?:[^"\\]|\\.)*")')


def unsupported(accepted: tuple[str, ...]) -> UnsupportedMediaType:
    """``NewUnsupportedMediaTypeError``'s 415."""
    return UnsupportedMediaType(
        "the body of the request was in an unknown format - accepted media types include: "
        + ", ".join(accepted)
    )


def _parsed(content_type: str) -> str | None:
    """The media type ``mime.ParseMediaType`` reads in ``content_type``, lowercased; None for a
    header it refuses (a bad type, a parameter that is not ``name=value``, a repeated one; one
    trailing ``;`` is allowed)."""
    base, _, _ = content_type.partition(";")
    media = base.strip().lower()
    if not _TYPE.fullmatch(media):
        return None
    rest = content_type[len(base) :]
    names: set[str] = set()
    while rest := rest.lstrip():
        found = _PARAMETER.match(rest)
        if found is None:
            return media if rest.rstrip() == ";" else None
        name = found.group(1).lower()
        if name in names:
            return None
        names.add(name)
        rest = rest[found.end() :]
    return media


def input_media(content_type: str) -> str:
    """The served media type a create's, an update's or a delete's body is read as."""
    if not content_type:
        return JSON
    media = _parsed(content_type)
    if media not in _SERVED:
        raise unsupported(_SERVED)
    return media


def patch_media(content_type: str, accepted: tuple[str, ...]) -> str:
    """The patch type of ``content_type``, one of ``accepted`` (their 415 otherwise)."""
    cut = content_type.find(";")
    media = content_type[:cut] if cut > 0 else content_type
    if media not in accepted:
        raise unsupported(accepted)
    return media
