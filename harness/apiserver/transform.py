"""What an ``Accept`` header's ``as=…;g=meta.k8s.io;v=…`` asks the answer to become.

kube-apiserver negotiates the answer's media type clause by clause (the clauses in the client's
order of preference; ``negotiation.NegotiateMediaTypeOptions`` in
``k8s.io/apiserver/pkg/endpoints/handlers/negotiation/negotiate.go``): the first clause of a type
it serves whose conversion the endpoint allows wins; when none does, the endpoint answers ``406``
before anything else (:func:`refusal`; nothing falls back to the plain object). The conversions
allowed (``RequestScope.AllowsMediaTypeTransform`` in ``handlers/rest.go``) are ``Table`` (JSON
or YAML only), ``PartialObjectMetadata`` and ``PartialObjectMetadataList``, each in
``meta.k8s.io/v1`` or ``v1beta1``.

The conversion itself (``doTransformObject`` and ``asPartialObjectMetadata(List)`` in
``handlers/response.go``) runs on whatever the request answers with, reads and writes alike; a
``Status`` passes through. Asking a list for ``PartialObjectMetadata``, or one object for
``PartialObjectMetadataList``, is a ``406 NotAcceptable`` naming the Go type the handler held. A
metadata-only item carries the whole ``ObjectMeta`` (``managedFields`` included); the list is
built by appending to a nil slice, so an empty one has ``"items": null`` (the Python client's
dynamic client learnt to read that, kubernetes-client/python#2142).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from harness.apiserver.catalog import ResourceType
from harness.kube.errors import ApiError
from harness.kube.objects import Obj

__all__ = [
    "Target",
    "negotiate",
    "not_acceptable",
    "output_media",
    "partial_list",
    "partial_object",
    "refusal",
]

_PROTOBUF = "application/vnd.kubernetes.protobuf"
_SERVED_ORDER = ("application/json", "application/yaml", _PROTOBUF)
"""The codec factory's serializers in its order (the CR handler's too; CBOR is gated off in 1.32)."""
_SERVED_TYPES = frozenset(_SERVED_ORDER)
_STREAMING = frozenset({"application/json", _PROTOBUF})
"""The serializers with a stream serializer: YAML has none, so no watch is sent as YAML."""
_ONLY = "only the following media types are accepted: "
_REFUSED = _ONLY + ", ".join(_SERVED_ORDER)
_REFUSED_STREAM = _ONLY + ", ".join(f"{m};stream=watch" for m in _SERVED_ORDER if m in _STREAMING)
_TABLE_TYPES = frozenset({"application/json", "application/yaml"})
_KINDS = frozenset({"Table", "PartialObjectMetadata", "PartialObjectMetadataList"})
_VERSIONS = frozenset({"v1", "v1beta1"})


@dataclass(frozen=True)
class Target:
    """A conversion the answer is to undergo: ``kind`` in ``meta.k8s.io/<version>``."""

    kind: str
    version: str

    @property
    def api_version(self) -> str:
        return f"meta.k8s.io/{self.version}"


@dataclass(frozen=True)
class _Clause:
    media: str
    params: dict[str, str]
    q: float


def _clause(text: str) -> _Clause | None:
    media, *raw_params = (part.strip() for part in text.split(";"))
    if "/" not in media:
        return None
    params: dict[str, str] = {}
    for raw in raw_params:
        key, _, value = raw.partition("=")
        params[key.strip().lower()] = value.strip()
    try:
        q = float(params.pop("q", "1"))
    except ValueError:
        q = 0.0
    return _Clause(media.lower(), params, q)


def _clauses(accept: str) -> list[_Clause]:
    """The header's clauses, most preferred first (goautoneg: by ``q``, wildcards last; a stable
    sort keeps the client's order among equals). A ``q`` of 0, or one that does not parse (0 to Go's
    ``ParseFloat``), only ranks the clause last: the negotiation does not drop it."""
    found = [c for c in (_clause(part) for part in accept.split(",")) if c is not None]

    def rank(c: _Clause) -> tuple[float, int]:
        kind, _, sub = c.media.partition("/")
        return (-c.q, (kind == "*") + (sub == "*"))

    return sorted(found, key=rank)


def _serves(media: str) -> list[str]:
    if media == "*/*":
        return list(_SERVED_ORDER)
    if media.endswith("/*"):
        return [m for m in _SERVED_ORDER if m.startswith(media[:-1])]
    return [media] if media in _SERVED_TYPES else []


def _target(clause: _Clause, media: str) -> tuple[bool, Target | None]:
    """Whether the clause can be served as ``media``, and the conversion it asks for."""
    p = clause.params
    if not any(k in p for k in ("as", "g", "v")):
        return True, None
    kind, group, version = p.get("as", ""), p.get("g", ""), p.get("v", "")
    if group != "meta.k8s.io" or version not in _VERSIONS or kind not in _KINDS:
        return False, None
    if kind == "Table" and media not in _TABLE_TYPES:
        return False, None
    return True, Target(kind, version)


def negotiate(accept: str, *, custom: bool = False) -> Target | None:
    """The conversion the first servable clause of ``accept`` asks for; None for the plain object
    (or for no servable clause at all, which :func:`refusal` has answered with a ``406`` by then)."""
    picked = _picked(accept, custom)
    return None if picked is None else picked[1]


@functools.lru_cache(maxsize=256)
def output_media(accept: str) -> str | None:
    """The media type of the clause :func:`negotiate` picks (``application/yaml`` for a YAML
    answer); None when no clause is servable. Cached per header, as :func:`refusal` is."""
    for clause in _clauses(accept):
        for media in _serves(clause.media):
            if _target(clause, media)[0]:
                return media
    return None


def _stream_allowed(clause: _Clause, media: str) -> bool:
    """``acceptMediaTypeOptions``'s ``stream`` and ``sv`` parameters: a stream only of a type with
    a stream serializer and only ``watch``; a server version only the meta group's ``v1``."""
    stream, server_version = clause.params.get("stream", ""), clause.params.get("sv", "")
    if stream and (media not in _STREAMING or stream != "watch"):
        return False
    return not server_version or server_version == "v1"


@functools.lru_cache(maxsize=256)
def _picked(accept: str, custom: bool, plain: bool = False) -> tuple[str, Target | None] | None:
    """The media type and conversion ``NegotiateMediaTypeOptions`` picks for a resource endpoint;
    ``plain``: for an endpoint that converts nothing (``DefaultEndpointRestrictions``, discovery).

    A pure function of its arguments with an immutable answer, cached per header like
    :func:`refusal`: a write negotiates two or three times (the answer's conversion, whether it
    is unstructured), and parsing the header each time was ~8% of a small status patch."""
    for clause in _clauses(accept):
        for media in _serves(clause.media):
            allowed, target = _target(clause, media)
            if not allowed or not _stream_allowed(clause, media):
                continue
            if plain and any(k in clause.params for k in ("as", "g", "v")):
                continue
            if custom and target is None and media == _PROTOBUF:
                continue  # the CR handler's StandardSerializers: protobuf only for metadata-only
            return media, target
    return None


@functools.lru_cache(maxsize=256)
def _refusal(accept: str, custom: bool, watch: bool, plain: bool) -> str | None:
    picked = _picked(accept, custom, plain)
    if picked is None:
        return _REFUSED
    return _REFUSED_STREAM if watch and picked[0] not in _STREAMING else None


def refusal(accept: str, *, custom: bool = False, watch: bool = False, plain: bool = False) -> str | None:
    """The ``406`` message a resource endpoint answers ``accept`` with, or None to serve it.

    Every resource handler negotiates its answer's type first (``NegotiateOutputMediaType``); no
    clause it serves is ``errNotAcceptable`` listing every type, and a watch negotiates again for
    a stream serializer (``NegotiateOutputMediaTypeStream``), listing the stream types. Nothing
    falls back to JSON: a header of conversions alone that the endpoint cannot make is refused. An
    empty header is the first type, JSON. Headers repeat (a client sends the same one each time),
    so the answer is cached per header. ``plain``: a discovery document's endpoint, which converts
    nothing (``DefaultEndpointRestrictions``), so a clause asking for a conversion is never served.
    """
    return _refusal(accept, custom, watch, plain) if accept else None


def not_acceptable(message: str) -> ApiError:
    """``errNotAcceptable`` of ``handlers/response.go``: a 406 with reason ``NotAcceptable``."""
    return ApiError(message, code=406, reason="NotAcceptable")


def go_type(rt: ResourceType, *, listed: bool) -> str:
    """The Go type a handler holds for ``rt``, as ``%T`` prints it in the 406: an unstructured
    object for a custom resource, the internal type of the group's package for a built-in one
    (``*core.Pod``, ``*apps.DeploymentList``)."""
    r = rt.resource
    if rt.custom:
        return "*unstructured.UnstructuredList" if listed else "*unstructured.Unstructured"
    package = r.group.split(".")[0] or "core"
    return f"*{package}.{r.kind}{'List' if listed else ''}"


def partial_object(obj: Obj, target: Target) -> Obj:
    """``meta.AsPartialObjectMetadata``: the object's whole ``metadata`` under the target's kind."""
    return {
        "kind": "PartialObjectMetadata",
        "apiVersion": target.api_version,
        "metadata": obj.get("metadata", {}),
    }


def partial_list(listed: dict[str, Any], target: Target) -> dict[str, Any]:
    """A list's items as ``PartialObjectMetadata``, its list metadata kept but an empty
    ``continue`` (a typed ``ListMeta`` leaves it out); ``items`` is null when there are none (a
    nil Go slice)."""
    items = [partial_object(o, target) for o in listed.get("items") or []]
    meta = {key: value for key, value in (listed.get("metadata") or {}).items() if value != ""}
    return {
        "kind": "PartialObjectMetadataList",
        "apiVersion": target.api_version,
        "metadata": meta,
        "items": items or None,
    }
