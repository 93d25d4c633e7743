"""What an ``Accept`` header's ``as=…;g=meta.k8s.io;v=…`` asks the answer to become.

kube-apiserver negotiates the answer's media type clause by clause (the clauses in the client's
order of preference; ``negotiation.NegotiateMediaTypeOptions`` in
``k8s.io/apiserver/pkg/endpoints/handlers/negotiation/negotiate.go``): the first clause of a type
it serves whose conversion the endpoint allows wins, and when none does the plain object is sent,
never a ``406``. The conversions allowed (``RequestScope.AllowsMediaTypeTransform`` in
``handlers/rest.go``) are ``Table`` (JSON or YAML only), ``PartialObjectMetadata`` and
``PartialObjectMetadataList``, each in ``meta.k8s.io/v1`` or ``v1beta1``.

The conversion itself (``doTransformObject`` and ``asPartialObjectMetadata(List)`` in
``handlers/response.go``) runs on whatever the request answers with, reads and writes alike; a
``Status`` passes through. Asking a list for ``PartialObjectMetadata``, or one object for
``PartialObjectMetadataList``, is a ``406 NotAcceptable`` naming the Go type the handler held. A
metadata-only item carries the whole ``ObjectMeta`` (``managedFields`` included); the list is
built by appending to a nil slice, so an empty one has ``"items": null`` (the Python client's
dynamic client learnt to read that, kubernetes-client/python#2142).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.apiserver.catalog import ResourceType
from harness.kube.errors import ApiError
from harness.kube.objects import Obj

__all__ = ["Target", "negotiate", "not_acceptable", "output_media", "partial_list", "partial_object"]

_SERVED_TYPES = frozenset({"application/json", "application/yaml", "application/vnd.kubernetes.protobuf"})
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
        return sorted(_SERVED_TYPES)
    if media.endswith("/*"):
        return [m for m in sorted(_SERVED_TYPES) if m.startswith(media[:-1])]
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


def negotiate(accept: str) -> Target | None:
    """The conversion the first servable clause of ``accept`` asks for; None for the plain object."""
    for clause in _clauses(accept):
        for media in _serves(clause.media):
            allowed, target = _target(clause, media)
            if allowed:
                return target
    return None


def output_media(accept: str) -> str | None:
    """The media type of the clause :func:`negotiate` picks (``application/yaml`` for a YAML
    answer); None when no clause is servable."""
    for clause in _clauses(accept):
        for media in _serves(clause.media):
            if _target(clause, media)[0]:
                return media
    return None


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
