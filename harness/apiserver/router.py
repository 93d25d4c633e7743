"""Map a raw HTTP request (method, path, query, headers, body bytes) onto a :class:`Response`.

Non-resource paths (``/version``, discovery, ``/openapi``, health) are answered here; resource
paths become a :class:`Request` for :func:`harness.apiserver.handlers.handle`. A body is read as
its ``Content-Type`` says (:mod:`harness.apiserver.media_types`; none is JSON, as on the real
server).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from harness.apiserver import custom_protobuf, discovery, gnostic, health, protobuf
from harness.apiserver.body_kind import check_body, decoded_kind, decoded_type, is_secrets, unrecognized
from harness.apiserver.catalog import ResourceType
from harness.apiserver.decoding import Decoded, DecodeError, JsonSyntaxError, decode
from harness.apiserver.handlers import accepted_patch_types, handle, patch_syntax_error
from harness.apiserver.limits import DEFAULT_LIMITS, Limits
from harness.apiserver.media_types import PROTOBUF, input_media, patch_media
from harness.apiserver.openapi import OpenApi
from harness.apiserver.options import check_write_options
from harness.apiserver.request import Backend, Request, Response, query_flag
from harness.apiserver.token_requests import authenticate
from harness.apiserver.transform import not_acceptable, refusal
from harness.kube.errors import BadRequest, MethodNotAllowed, NotFound, UnsupportedMediaType

__all__ = ["PUBLIC_PATHS", "Router"]

PUBLIC_PATHS = frozenset({"/version", "/version/", "/healthz", "/livez", "/readyz"})
# The roots kube-apiserver answers with and without a trailing slash: ``/version`` and ``/api`` are
# go-restful web services whose one route is ``/`` (``routes/version.go``, the legacy root
# discovery handler), and ``/apis/`` is registered beside ``/apis`` by kube-aggregator. The Python
# ``kubernetes`` client calls the slashed forms (``VersionApi.get_code`` reads ``/version/``,
# ``CoreApi.get_api_versions`` ``/api/``, ``ApisApi.get_api_versions`` ``/apis/``).
_SLASHED_ROOTS = {"/version/": "/version", "/api/": "/api", "/apis/": "/apis"}
_METHOD_VERBS = {"POST": "create", "PUT": "update", "PATCH": "patch"}
APPLY_PATCH = "application/apply-patch+yaml"
_YAML_MEDIA = frozenset({"application/yaml", APPLY_PATCH})
_CONNECTS = frozenset({"exec", "attach", "portforward", "proxy"})
"""Subresources served by ``ConnectResource``, which negotiates no answer type (no ``406``)."""


class Router:
    """Routes for one server; ``address`` is what ``/api`` reports as the server address."""

    def __init__(
        self,
        backend: Backend,
        openapi: Callable[[], OpenApi],
        address: Callable[[], str],
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.backend = backend
        self.limits = limits
        self._openapi = openapi
        self._address = address

    def route(
        self,
        method: str,
        path: str,
        query: Mapping[str, str],
        headers: Mapping[str, str],
        raw: bytes,
        commands: tuple[str, ...] = (),
        raw_query: str = "",
        user: Mapping[str, Any] | None = None,
    ) -> Response:
        """``commands``: every ``command`` parameter of the query, in order (``pods/exec``);
        ``raw_query``: the query as sent (the health paths read a bare ``verbose`` and repeated
        ``exclude`` parameters, which ``query`` cannot hold); ``user``: who the bearer token
        stands for when it is not the admin (:meth:`authenticate`)."""
        accept = headers.get("accept", "")
        parts = [p for p in path.split("/") if p]
        if method == "GET":
            answer = self._non_resource(path, parts, accept, raw_query)
            if answer is not None:
                return answer
        if (len(parts) >= 3 and parts[0] == "api") or (len(parts) >= 4 and parts[0] == "apis"):
            return self._resource(method, parts, query, headers, raw, commands, user)
        raise NotFound("the server could not find the requested resource")

    def authenticate(self, token: str) -> Mapping[str, Any] | None:
        """Who a bearer token other than the admin's stands for: a service account whose token
        this server issued (:mod:`.token_requests`), or None."""
        return authenticate(self.backend, token)

    def _non_resource(self, path: str, parts: list[str], accept: str, raw_query: str = "") -> Response | None:
        catalog = self.backend.catalog
        path = _SLASHED_ROOTS.get(path, path)
        if path == "/version":
            # WriteRawJSON (k8s.io/apiserver responsewriters): always indented, no newline
            return Response(200, json.dumps(discovery.version_info(), indent=2).encode())
        if parts[:1] and f"/{parts[0]}" in health.ROOTS:
            text = health.answer(path, raw_query)
            if text is None:
                raise NotFound("the server could not find the requested resource")
            return Response(200, text, content_type="text/plain; charset=utf-8")
        if path in ("/api", "/apis"):
            agg = discovery.negotiate_aggregated(accept)
            if agg is not None:
                body = discovery.aggregated(catalog, core=path == "/api", version=agg)
                return Response(200, body, content_type=discovery.aggregated_content_type(agg))
            _negotiate_discovery(accept)
            if path == "/api":
                return Response(200, discovery.api_versions(self._address()))
            return Response(200, discovery.api_group_list(catalog))
        if parts[:1] == ["openapi"]:
            return self._openapi_doc(parts, accept)
        if len(parts) == 2 and parts[0] == "apis" and catalog.versions(parts[1]):
            _negotiate_discovery(accept)
            return Response(200, discovery.api_group(catalog, parts[1]))
        if (len(parts) == 2 and parts[0] == "api") or (len(parts) == 3 and parts[0] == "apis"):
            group, version = ("", parts[1]) if parts[0] == "api" else (parts[1], parts[2])
            found = discovery.api_resource_list(catalog, group, version)
            if found is None:
                raise NotFound("the server could not find the requested resource")
            _negotiate_discovery(accept)
            return Response(200, found)
        return None

    def _openapi_doc(self, parts: list[str], accept: str) -> Response:
        if parts[1:] == ["v2"]:
            protobuf = any(media in accept for media in gnostic.ACCEPTED)
            body = self._openapi().v2(protobuf)
            return Response(200, body, content_type=gnostic.MEDIA_TYPE if protobuf else "application/json")
        if parts[1:2] != ["v3"]:
            raise NotFound("the server could not find the requested resource")
        if len(parts) == 2:
            # kube-openapi's handler3 writes json.Marshal's bytes: compact, no newline
            index = json.dumps(self._openapi().index(), separators=(",", ":")).encode()
            return Response(200, index)
        doc = self._openapi().document("/".join(parts[2:]))
        if doc is None:
            raise NotFound("the server could not find the requested resource")
        return Response(200, doc)

    def _resource(
        self,
        method: str,
        parts: list[str],
        query: Mapping[str, str],
        headers: Mapping[str, str],
        raw: bytes,
        commands: tuple[str, ...] = (),
        user: Mapping[str, Any] | None = None,
    ) -> Response:
        group, version, rest = (
            ("", parts[1], parts[2:]) if parts[0] == "api" else (parts[1], parts[2], parts[3:])
        )
        q = dict(query)
        if rest[:1] == ["watch"]:
            q["watch"] = "true"
            rest = rest[1:]
        catalog = self.backend.catalog
        namespace = None
        if len(rest) >= 3 and rest[0] == "namespaces":
            found = catalog.find(group, version, rest[2])
            if found is not None:
                if not found.resource.namespaced:  # a cluster-scoped kind has no namespaced path
                    raise NotFound("the server could not find the requested resource")
                namespace, rest = rest[1], rest[2:]
        if not rest or len(rest) > 3:
            raise NotFound("the server could not find the requested resource")
        rt = catalog.lookup(group, version, rest[0])
        name = rest[1] if len(rest) > 1 else None
        sub = rest[2] if len(rest) > 2 else None
        if method == "GET":
            verb = "get" if name else ("watch" if query_flag(q, "watch") else "list")
        elif method == "DELETE":
            verb = "delete" if name else "deletecollection"
        elif method in _METHOD_VERBS and (name or method == "POST"):
            verb = _METHOD_VERBS[method]
        else:
            raise MethodNotAllowed(f"{method} is not supported on {'/'.join(parts)}")
        content_type = headers.get("content-type", "")
        refused = (
            None
            if sub in _CONNECTS
            else refusal(headers.get("accept", ""), custom=rt.custom, watch=verb == "watch")
        )
        if refused is not None:  # negotiated first; a patch's own Content-Type check comes before
            if verb == "patch":
                patch_media(content_type, tuple(accepted_patch_types(rt.custom)))
            raise not_acceptable(refused)
        if rt.custom and "protobuf" in content_type and _protobuf_write(verb, sub, content_type):
            check_write_options(verb, q, apply=False)
            return custom_protobuf.answer(
                rt.resource.api_version, rt.resource.kind, raw, q.get("fieldValidation", "")
            )
        decoded = self._decode(verb, rt, sub, raw, content_type, q)
        if verb == "update" or (verb == "create" and sub is None):  # not exec, attach, ...
            as_yaml = content_type.split(";")[0].strip() in _YAML_MEDIA
            check_body(
                rt, sub, decoded.value, raw, as_yaml=as_yaml, field_validation=q.get("fieldValidation")
            )
        req = Request(
            verb,
            rt,
            namespace,
            name,
            sub,
            decoded.value,
            q,
            headers.get("accept", ""),
            content_type,
            headers.get("user-agent", ""),
            commands=commands,
            duplicates=decoded.duplicates,
            body_error=decoded.body_error,
            user_info=user,
        )
        if user is not None:
            req.user = str(user["username"])
        return handle(self.backend, req)

    def _decode(
        self,
        verb: str,
        rt: ResourceType,
        sub: str | None,
        raw: bytes,
        content_type: str,
        query: Mapping[str, str],
    ) -> Decoded:
        """The body as a value; an undecodable one is the answer kube-apiserver sends for it.

        The ``Content-Type`` picks the decoder (:mod:`.media_types`): JSON is read as JSON only,
        YAML (``application/yaml``, a server-side apply) as YAML, with its repeated keys worded by
        the YAML decoder; protobuf is read for the kinds :mod:`.protobuf` knows (what kubectl's
        typed clients post), else it is a 415 (a custom resource's create or update never gets
        here: :mod:`.custom_protobuf` answers it). A
        read has no body to decode, and a delete only one that is not empty. A JSON, merge or
        strategic merge patch that is no JSON is refused once the object it patches is found
        (:attr:`.Request.body_error`), as the patch handler parses it then.
        """
        if verb in ("get", "list", "watch") or (verb.startswith("delete") and not raw):
            return Decoded(None)
        if verb == "patch":
            media = patch_media(content_type, tuple(accepted_patch_types(rt.custom)))
        else:
            media = input_media(content_type)
        if raw and media == PROTOBUF:
            return Decoded(self._decode_protobuf(rt, sub, raw))
        try:
            return decode(
                raw, self.limits.max_depth, as_yaml=media in _YAML_MEDIA, json_only=media not in _YAML_MEDIA
            )
        except JsonSyntaxError as exc:
            if verb == "patch":
                return Decoded(None, body_error=patch_syntax_error(media, str(exc), query))
            if verb in ("create", "update"):
                problem = f"couldn't get version/kind; json parse error: {exc}"
                raise unrecognized(decoded_kind(rt, sub), problem, raw, secret=is_secrets(rt)) from None
            raise BadRequest(f"the body of the request could not be decoded: {exc}") from None
        except DecodeError as exc:
            if verb in ("create", "update"):
                raise unrecognized(decoded_kind(rt, sub), str(exc), raw, secret=is_secrets(rt)) from None
            if media == APPLY_PATCH:  # the apply patcher's yaml.Unmarshal
                raise BadRequest(f"error decoding YAML: error converting YAML to JSON: {exc}") from None
            raise BadRequest(f"the body of the request could not be decoded: {exc}") from None

    def _decode_protobuf(self, rt: ResourceType, sub: str | None, raw: bytes) -> Any:
        api_version, kind = decoded_type(rt, sub)
        if rt.custom or kind not in protobuf.known_kinds():
            raise UnsupportedMediaType(
                "the body of the request was in an unknown format - accepted media types include: "
                "application/json, application/yaml"
            )
        try:
            body = protobuf.decode(raw, kind)
        except protobuf.ProtobufError as exc:
            version = api_version.rsplit("/", 1)[-1]
            message = f'{kind} in version "{version}" cannot be handled as a {kind}: {exc}'
            raise BadRequest(message) from None
        return {"apiVersion": api_version, "kind": kind, **body}


def _negotiate_discovery(accept: str) -> None:
    """A discovery document is written by ``WriteObjectNegotiated`` with no conversion allowed
    (``pkg/endpoints/discovery`` in k8s.io/apiserver): an ``Accept`` it cannot serve is the 406."""
    refused = refusal(accept, plain=True)
    if refused is not None:
        raise not_acceptable(refused)


def _protobuf_write(verb: str, sub: str | None, content_type: str) -> bool:
    """Whether a custom resource's request is a create or update (of the object or its status)
    whose body the CR handler reads as protobuf (:mod:`.custom_protobuf`)."""
    return verb in ("create", "update") and sub in (None, "status") and input_media(content_type) == PROTOBUF
