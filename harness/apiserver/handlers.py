"""One function per verb, translating a :class:`Request` into storage calls.

Errors are raised as :mod:`harness.kube.errors` types; the HTTP layer renders them as ``Status``
bodies and the in-process client re-raises them. Every read returns stored objects converted to
the requested version without copying (stored objects are immutable); every write builds its new
object under the store lock, so a patch never races another write, copying only what it changes
(:mod:`harness.apiserver.sharing`). Request bodies are never changed or kept: an object body is
copied, a patch is applied to a new object.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from harness.apiserver import access_reviews, defaults, scale, strategy
from harness.apiserver.admission import AdmissionReview
from harness.apiserver.apply_fields import refusal as apply_refusal
from harness.apiserver.body_kind import interpret_problem, is_secrets, unrecognized
from harness.apiserver.copy_on_write import merge_shared, own_top
from harness.apiserver.decode_refusals import (
    apply_duplicates,
    not_decodable,
    patch_invalid,
    patch_validation,
    patched_text,
    write_validation,
)
from harness.apiserver.definitions import refuse_write
from harness.apiserver.field_ownership import apply_config, record_repeat, record_update
from harness.apiserver.field_validation import IGNORE, FieldValidation, directive
from harness.apiserver.json_patch import apply_json_patch
from harness.apiserver.label_selectors import parse_label_selector
from harness.apiserver.leaf_patch import leaf_changes, with_leaves
from harness.apiserver.options import (
    check_delete_options,
    check_dry_run,
    check_list_options,
    check_write_options,
    parse_resource_version,
    query_int,
    too_large_rv,
)
from harness.apiserver.paging import LATEST, decode_continue, encode_continue, expired_continue
from harness.apiserver.pod_exec import exec_pod
from harness.apiserver.pod_logs import pod_log
from harness.apiserver.printing import table
from harness.apiserver.request import Backend, Request, Response
from harness.apiserver.storage import invalid
from harness.apiserver.strategic import DirectiveFormatError, strategic_merge
from harness.apiserver.token_requests import token_request
from harness.apiserver.transform import (
    Target,
    go_type,
    negotiate,
    not_acceptable,
    partial_list,
    partial_object,
)
from harness.apiserver.typedfields import decode_error
from harness.apiserver.watch import WatchSpec, watch_stream
from harness.kube.client import PatchType
from harness.kube.errors import (
    BadRequest,
    Cause,
    Forbidden,
    Invalid,
    MethodNotAllowed,
    NotFound,
    UnsupportedMediaType,
)
from harness.kube.objects import Obj
from harness.kube.patches import PatchError, clone
from harness.kube.selectors import FieldSelector, LabelSelector, SelectorError

__all__ = ["handle"]

Handler = Callable[[Backend, Request], Response]


def _selectors(req: Request) -> tuple[LabelSelector, FieldSelector]:
    try:
        return parse_label_selector(req.query.get("labelSelector")), req.rt.field_selector(
            req.query.get("fieldSelector")
        )
    except SelectorError as exc:
        raise BadRequest(str(exc)) from exc


def _ns(req: Request) -> str:
    return (req.namespace or "") if req.rt.resource.namespaced else ""


def _manager(req: Request) -> str:
    given = req.query.get("fieldManager")
    if given:
        return given
    agent = req.user_agent.split("/", 1)[0].strip()
    return agent or "harness"


def _stamp(b: Backend) -> str:
    return b.store.now()


# ---- reads ---------------------------------------------------------------------------------


def get(b: Backend, req: Request) -> Response:
    if req.subresource == "log":
        return pod_log(b, req)
    obj = strategy.to_version(b.store.get(req.rt, _ns(req), req.name or ""), req.rt)
    return Response(200, _converted(b, req, obj, listed=False))


def _include(req: Request) -> str:
    """``includeObject`` of the Table options, checked as ``ValidateTableOptions`` checks it
    (``k8s.io/apimachinery/pkg/apis/meta/v1beta1/validation``) and only when a Table is asked for."""
    value = req.query.get("includeObject") or "Metadata"
    if value not in ("None", "Metadata", "Object"):
        raise BadRequest(
            f'Unable to convert to Table as requested: includeObject: Unsupported value: "{value}": '
            'supported values: "Metadata", "None", "Object"'
        )
    return value


def _converted(b: Backend, req: Request, body: Any, *, listed: bool) -> Any:
    """``body`` as the ``Accept`` header's conversion makes it (:mod:`.transform`): a Table, the
    metadata alone, or itself; a ``Status`` is never converted."""
    target = negotiate(req.accept, custom=req.rt.custom)
    if target is None or not isinstance(body, dict) or body.get("kind") == "Status":
        return body
    if target.kind == "Table":
        return _as_table(b, req, body, target, listed=listed)
    if target.kind == "PartialObjectMetadata":
        if listed:
            raise not_acceptable(
                "you requested PartialObjectMetadata, but the requested object is a list "
                f"({go_type(req.rt, listed=True)})"
            )
        return partial_object(body, target)
    if not listed:
        raise not_acceptable(
            "you requested PartialObjectMetadataList, but the requested object is not a list "
            f"({go_type(req.rt, listed=False)})"
        )
    return partial_list(body, target)


def _as_table(b: Backend, req: Request, body: Obj, target: Target, *, listed: bool) -> Obj:
    include = _include(req)
    if not listed:
        rv = body["metadata"].get("resourceVersion")
        return table(
            req.rt, [body], b.clock.now(), include_object=include, resource_version=rv, version=target.version
        )
    meta = body.get("metadata", {})
    return table(
        req.rt,
        body.get("items") or [],
        b.clock.now(),
        include_object=include,
        resource_version=meta.get("resourceVersion"),
        continue_token=meta.get("continue"),
        remaining=meta.get("remainingItemCount"),
        version=target.version,
    )


def _decode_continue(b: Backend, token: str) -> tuple[str, str]:
    try:
        rv, start = decode_continue(token)
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise BadRequest(f"continue key is not valid: {token!r}; start a new list without continue") from exc
    if rv != LATEST and b.log.expired(rv):
        raise expired_continue(start)
    return start


def _continue_from(b: Backend, req: Request) -> tuple[str, str] | None:
    """Where a ``continue`` token resumes the list. The token fixes the snapshot, so a
    ``resourceVersion`` beside it (but ``0``) is refused as the etcd3 store's list validation does
    (``ValidateListOptions``, ``k8s.io/apiserver/pkg/storage``): serving it would mix two snapshots."""
    token = req.query.get("continue")
    if not token:
        return None
    if req.query.get("resourceVersion") not in (None, "", "0"):
        raise BadRequest("specifying resource version is not allowed when using continue")
    return _decode_continue(b, token)


def _from_watch_cache(req: Request) -> bool:
    """A list at ``resourceVersion=0`` is answered by the watch cache, which in 1.32 ignores
    ``limit``: the whole list, no ``continue`` (``shouldDelegateList`` and ``GetList`` in
    ``k8s.io/apiserver/pkg/storage/cacher/cacher.go``); client-go's informers list this way."""
    match = req.query.get("resourceVersionMatch") or "NotOlderThan"
    return (
        req.query.get("resourceVersion") == "0" and not req.query.get("continue") and match == "NotOlderThan"
    )


def list_(b: Backend, req: Request) -> Response:
    if req.flag("watch"):
        return watch(b, req)
    labels, fields = _selectors(req)
    _check_rv(b, req, watch=False)
    asked_limit = query_int(req.query, "limit")
    limit = asked_limit if asked_limit is not None and asked_limit > 0 else None  # kube: <= 0 is "all"
    if _from_watch_cache(req):
        limit = None
    after = _continue_from(b, req)
    namespace = req.namespace if req.rt.resource.namespaced else None
    page = b.store.list(req.rt, namespace, labels, fields, after=after, limit=limit)
    token = None
    if page.last is not None:
        token = encode_continue(page.resource_version, page.last)
    items = [strategy.to_version(o, req.rt) for o in page.items]
    meta: dict[str, Any] = {"resourceVersion": str(page.resource_version)}
    if token or req.rt.custom:
        meta["continue"] = token or ""  # an unstructured list's continue is set, even empty
    if token and page.remaining >= 0:
        meta["remainingItemCount"] = page.remaining
    r = req.rt.resource
    listed = {"kind": f"{r.kind}List", "apiVersion": r.api_version, "metadata": meta, "items": items}
    return Response(200, _converted(b, req, listed, listed=True))


def _check_rv(b: Backend, req: Request, *, watch: bool) -> None:
    check_list_options("watch" if watch else "list", req.query)
    asked = parse_resource_version(
        req.query.get("resourceVersion"), watch=watch, resource=req.rt.resource.group_resource
    )
    if asked is not None and asked > b.store.resource_version:
        raise too_large_rv(asked, b.store.resource_version)


def watch(b: Backend, req: Request) -> Response:
    labels, fields = _selectors(req)
    _check_rv(b, req, watch=True)
    timeout = _watch_timeout(req)
    send_initial = req.query.get("sendInitialEvents")
    target = negotiate(req.accept, custom=req.rt.custom)
    metadata_only = target is not None and target.kind == "PartialObjectMetadata"
    spec = WatchSpec(
        rt=req.rt,
        namespace=req.namespace if req.rt.resource.namespaced else None,
        labels=labels,
        fields=fields,
        resource_version=req.query.get("resourceVersion"),
        bookmarks=req.flag("allowWatchBookmarks"),
        timeout=timeout,
        send_initial=None if send_initial is None else send_initial == "true",
        bookmark_type=("PartialObjectMetadata", target.api_version) if target and metadata_only else None,
    )
    convert: Callable[[Obj], Obj] = lambda o: strategy.to_version(o, req.rt)  # noqa: E731
    if target is not None and target.kind == "Table":
        convert = _table_rows(b, req, target)
    elif target is not None and metadata_only:
        convert = lambda o: partial_object(strategy.to_version(o, req.rt), target)  # noqa: E731
    stream = watch_stream(spec, b.store, b.log, convert)
    return Response(200, None, stream=stream)


def _watch_timeout(req: Request) -> float | None:
    """Seconds until the watch ends; None for the server's own limit (here: none). kube-apiserver
    does not tell ``timeoutSeconds=0`` from no ``timeoutSeconds`` at all: both get the server's
    random one to two times ``--min-request-timeout`` (30-60 minutes by default; ``ListResource`` in
    ``k8s.io/apiserver/pkg/endpoints/handlers/get.go``), so a client's ``timeout_seconds=0`` is a
    long watch, not one that ends at once; a negative value ends it at once. Any int64 is taken
    (``watch.py`` bounds each wait)."""
    seconds = query_int(req.query, "timeoutSeconds")
    if seconds is None or seconds == 0:
        return None
    return float(max(seconds, 0))


def _table_rows(b: Backend, req: Request, target: Target) -> Callable[[Obj], Obj]:
    """Each watched object as a one-row Table, as kube-apiserver sends ``kubectl get -w``: the
    first carries the column definitions, the later ones none (its ``NoHeaders`` on every event
    after the first), so kubectl prints the header once and every update as a row."""
    include, first = _include(req), [True]

    def convert(obj: Obj) -> Obj:
        shown = table(
            req.rt,
            [strategy.to_version(obj, req.rt)],
            b.clock.now(),
            include_object=include,
            version=target.version,
        )
        shown["metadata"] = {"resourceVersion": obj["metadata"].get("resourceVersion", "")}
        if not first[0]:
            shown["columnDefinitions"] = None
        first[0] = False
        return shown

    return convert


# ---- writes --------------------------------------------------------------------------------


_JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "bool", int: "number", float: "number"}


def _json_type(value: Any) -> str:
    """The JSON type Go's decoder names in its errors (never a Python type name)."""
    return "null" if value is None else _JSON_TYPES.get(type(value), "value")


def _body_object(req: Request) -> Obj:
    """The body as the object to write. Over HTTP a create's or an update's body is an object by
    now (:func:`.body_kind.check_body`); an in-process one, or a server-side apply's, may not be."""
    if not isinstance(req.body, dict):
        problem = interpret_problem(req.body)
        if req.verb == "patch":
            raise not_decodable(req, problem)
        raw = b"" if req.body is None else json.dumps(req.body).encode()
        raise unrecognized(req.rt.resource.kind, problem, raw, secret=is_secrets(req.rt))
    body: Obj = req.body if req.body_owned else clone(req.body)
    return body


def _check_identity(req: Request, obj: Obj, *, applying: bool = False, kind_now: bool = True) -> None:
    """The body's kind, version, namespace and name against the URL's; the object then carries the
    URL's kind and version. A server-side apply in another kind or version was refused before
    (:func:`_check_apply_type`, the field manager's outermost check). A custom resource in another
    kind is apiextensions-apiserver's 422 (:func:`_wrong_custom_kind`), which its strategy raises
    inside the write, after the object is looked up: ``kind_now=False`` (an update, before the
    lookup) leaves that check to the write."""
    r = req.rt.resource
    custom_kind = req.rt.custom and not applying
    wrong_kind = obj.get("kind") not in (None, r.kind)
    if (wrong_kind and not custom_kind) or obj.get("apiVersion") not in (None, r.api_version):
        raise BadRequest(
            f"the API version in the data ({obj.get('apiVersion')}) or kind ({obj.get('kind')}) "
            "does not match "
            f"the expected {r.api_version} {r.kind}"
        )
    meta = obj.setdefault("metadata", {})
    if not isinstance(meta, dict):
        raise BadRequest("metadata must be an object")
    if r.namespaced:
        if meta.get("namespace") and req.namespace and meta["namespace"] != req.namespace:
            raise BadRequest(
                "the namespace of the provided object does not match the namespace sent on the request"
            )
        meta["namespace"] = req.namespace or meta.get("namespace") or "default"
    else:
        meta.pop("namespace", None)
    if req.name and meta.get("name") and meta["name"] != req.name:
        raise BadRequest(
            f"the name of the object ({meta['name']}) does not match the name on the URL ({req.name})"
        )
    if req.name:
        meta["name"] = req.name
    if wrong_kind and custom_kind:
        if kind_now:
            raise _wrong_custom_kind(req, obj)
        obj["apiVersion"] = r.api_version
        return
    obj["apiVersion"], obj["kind"] = r.api_version, r.kind


def _wrong_custom_kind(req: Request, obj: Obj) -> Invalid:
    """A custom resource whose body names another kind: ``customResourceValidator.ValidateTypeMeta``
    (apiextensions-apiserver's ``pkg/registry/customresource/validator.go``) returns only that
    error, and ``BeforeCreate``/``BeforeUpdate`` qualify the 422 with the kind the object says it
    is (the unstructured typer reads the body's), so it reads ``Module.deckhouse.io "x" is invalid:
    kind: Invalid value: "Module": must be ModuleConfig``."""
    r = req.rt.resource
    kind = str(obj.get("kind"))
    name = str(obj.get("metadata", {}).get("name") or "")
    cause = Cause("FieldValueInvalid", f'Invalid value: "{kind}": must be {r.kind}', "kind")
    qualified = f"{kind}.{r.group}" if r.group else kind
    return Invalid(
        f'{qualified} "{name}" is invalid: {cause.field}: {cause.message}',
        name=name,
        group=r.group,
        kind=kind,
        causes=[cause],
    )


def _check_types(req: Request, obj: Obj) -> None:
    """A body the Go decoder would refuse is a 400, as kube-apiserver sends for create and update."""
    r = req.rt.resource
    problem = decode_error(r.plural, r.kind, obj, builtin=not req.rt.custom)
    if problem is not None:
        raise not_decodable(req, problem)


def _check_patched_types(req: Request, kind: PatchType, patched: Obj, current: Obj) -> None:
    """A patch whose result the Go decoder refuses: kube-apiserver's 422 on the field ``patch``."""
    r = req.rt.resource
    problem = decode_error(r.plural, r.kind, patched, builtin=not req.rt.custom, stored=current)
    if problem is None:
        return
    raise patch_invalid(patched_text(req, kind, patched, current), problem)


def _review(b: Backend, req: Request, obj: Obj, old: Obj | None) -> None:
    """Validating admission (``harness.apiserver.admission``): main-resource writes only."""
    if req.subresource:
        return
    rt = req.rt

    def existing() -> list[Obj]:
        return [strategy.to_version(o, rt) for o in b.store.list(rt).items]

    operation = "CREATE" if old is None else "UPDATE"
    b.admission.review(rt, AdmissionReview(operation, obj, old, existing, req.user))


def create(b: Backend, req: Request) -> Response:
    if req.subresource:
        raise MethodNotAllowed(f"create is not supported on the {req.subresource} subresource")
    obj = _body_object(req)
    _check_identity(req, obj)
    _check_types(req, obj)
    return _store_create(b, req, obj)


def _store_create(b: Backend, req: Request, obj: Obj) -> Response:
    unknown = strategy.drop_unknown(req.rt, obj)
    strategy.for_create(req.rt, obj)
    warnings = strategy.admit(req.rt, obj, write_validation(req), unknown=unknown)
    _review(b, req, obj, None)
    with b.store.lock:
        _allocate(b, req, obj, None)
        record_update(
            None, obj, manager=_manager(req), api_version=req.rt.resource.api_version, now=_stamp(b)
        )
        stored = b.store.create(req.rt, strategy.to_storage(obj, req.rt, b.catalog), dry_run=req.dry_run)
    return Response(201, strategy.to_version(stored, req.rt), warnings=warnings)


def _allocate(b: Backend, req: Request, obj: Obj, old: Obj | None) -> None:
    """A Service's cluster IP and node ports, as the service REST storage assigns them on every
    create and update of the main resource (a Service made a NodePort gets its node ports then),
    among the addresses and ports the other Services hold."""
    if req.rt.key != ("", "services") or req.rt.custom or req.subresource:
        return
    uid = (old or {}).get("metadata", {}).get("uid")
    others = [o for o in b.store.list(req.rt).items if uid is None or o["metadata"].get("uid") != uid]
    defaults.allocate(obj, others)


def _store_update(
    b: Backend,
    req: Request,
    old: Obj,
    new: Obj,
    *,
    require_rv: bool,
    validation: FieldValidation | None = None,
) -> Response:
    """``validation``: a patch's (:func:`.decode_refusals.patch_validation`); else an update's."""
    _check_identity(req, new)
    unknown = strategy.drop_unknown(req.rt, new, old)
    new = strategy.for_update(req.rt, new, old, req.subresource)
    _allocate(b, req, new, old)
    admitted = old if b.catalog.single_version(req.rt.key) else None
    chosen = validation or write_validation(req)
    warnings = strategy.admit(req.rt, new, chosen, admitted, old=old, unknown=unknown)
    _review(b, req, new, old)
    record_update(
        strategy.to_version(old, req.rt),
        new,
        manager=_manager(req),
        api_version=req.rt.resource.api_version,
        now=_stamp(b),
        subresource=req.subresource,
    )
    stored = b.store.update(
        req.rt,
        strategy.to_storage(new, req.rt, b.catalog),
        require_rv=require_rv,
        dry_run=req.dry_run,
        status=req.subresource == "status",
    )
    return Response(200, strategy.to_version(stored, req.rt), warnings=warnings)


def update(b: Backend, req: Request) -> Response:
    """A PUT: the body's kind, name and namespace are checked against the URL before the object
    is looked up (upstream's ``UpdateResource`` runs ``checkName`` first), so a mismatch is a 400
    even when nothing is stored under the URL's name."""
    new = _body_object(req)
    _check_identity(req, new, kind_now=False)
    _check_types(req, new)
    with b.store.lock:
        try:
            old = b.store.get(req.rt, _ns(req), req.name or "")
        except NotFound:
            if not req.rt.create_on_update or req.subresource:
                raise
            return _create_on_update(b, req, new)
        return _store_update(b, req, old, new, require_rv=True)


def _create_on_update(b: Backend, req: Request, new: Obj) -> Response:
    """A PUT to a missing object of a kind whose strategy allows it (Leases) creates it, 201: the
    store fills the system fields as for a create, and the storage layer clears whatever
    resourceVersion the body carried before writing (``Store.Update`` in ``k8s.io/apiserver``)."""
    meta = new.get("metadata")
    if isinstance(meta, dict) and "resourceVersion" in meta:
        new["metadata"] = {k: v for k, v in meta.items() if k != "resourceVersion"}
    return _store_create(b, req, new)


_PATCH_TYPES = (PatchType.JSON, PatchType.MERGE, PatchType.STRATEGIC, PatchType.APPLY)
"""The patch types in the order the 415 lists them: the ``supportedTypes`` of the REST installer
(``k8s.io/apiserver/pkg/endpoints/installer.go``) and of apiextensions-apiserver's custom resource
handler (no strategic merge there); CBOR apply is behind a gate that is off in 1.32."""


_PATCH_TYPE_OF = {p.value: p for p in PatchType}
"""``PatchType(media)`` as a dict lookup: the enum's call costs more than the rest of the check."""


def _patch_type(req: Request) -> PatchType:
    media = req.content_type.split(";")[0].strip() or PatchType.MERGE.value
    kind = _PATCH_TYPE_OF.get(media)
    if kind is None or (kind is PatchType.STRATEGIC and req.rt.custom):
        accepted = ", ".join(p.value for p in accepted_patch_types(req.rt.custom))
        raise UnsupportedMediaType(
            f"the body of the request was in an unknown format - accepted media types include: {accepted}"
        )
    return kind


def accepted_patch_types(custom: bool) -> tuple[PatchType, ...]:
    """The patch types a kind takes, in the order kube-apiserver lists them when it refuses one
    (``kubectl patch`` on a custom resource prints the list): JSON patch first, then merge patch,
    strategic merge patch for built-in kinds only, server-side apply last (``supportedTypes`` in
    apiextensions-apiserver's ``customresource_handler.go`` and in ``k8s.io/apiserver``'s
    ``endpoints/installer.go``)."""
    strategic = () if custom else (PatchType.STRATEGIC,)
    return (PatchType.JSON, PatchType.MERGE, *strategic, PatchType.APPLY)


def _strip_directives(patch: Any) -> Any:
    """Strategic-merge directives (``$patch``, ``$setElementOrder/...``) mean nothing to a merge patch."""
    if isinstance(patch, dict):
        return {k: _strip_directives(v) for k, v in patch.items() if not k.startswith("$")}
    return patch


def _merge(req: Request, kind: PatchType, current: Obj) -> Obj:
    """A merge patch, or a strategic one on a built-in kind (:mod:`.strategic`)."""
    if kind is PatchType.STRATEGIC:
        return strategic_merge(current, req.body, req.rt.resource.plural)
    merged: Obj = merge_shared(current, _strip_directives(req.body))
    return merged


def patch(b: Backend, req: Request) -> Response:
    kind = _patch_type(req)
    with b.store.lock:
        if kind is PatchType.APPLY:
            return _apply(b, req)
        current = strategy.to_version(b.store.get(req.rt, _ns(req), req.name or ""), req.rt)
        if req.body_error is not None:
            raise req.body_error
        if kind is PatchType.MERGE and req.subresource == "status":
            replaced = _leaf_patch(b, req, current)
            if replaced is not None:
                return replaced
        new = _patched(req, kind, current)
        _check_patched_types(req, kind, new, current)
        validation = patch_validation(req, kind, new, current)
        return _store_update(b, req, current, new, require_rv=False, validation=validation)


def _patched(req: Request, kind: PatchType, current: Obj) -> Obj:
    """``current`` with the request's JSON, merge or strategic patch applied (sharing what it
    leaves alone)."""
    try:
        if kind is PatchType.JSON:
            new = apply_json_patch(current, req.body)
        else:
            if not isinstance(req.body, dict):
                raise _not_a_patch_object(kind, req.body)
            new = own_top(_merge(req, kind, current))
    except DirectiveFormatError as exc:
        raise BadRequest(str(exc)) from exc
    except PatchError as exc:
        raise invalid(req.rt, req.name or "", [Cause("FieldValueInvalid", str(exc), "")]) from exc
    if not isinstance(new, dict):
        raise BadRequest("the patched document is not an object")
    return new


def patch_syntax_error(media: str, problem: str, query: Mapping[str, str]) -> BadRequest:
    """The 400 for a JSON, merge or strategic merge patch that is no JSON (``problem``: Go's
    syntax error), in the patch handler's words (``k8s.io/apiserver/pkg/endpoints/handlers/
    patch.go``): under ``Strict`` or ``Warn`` (the default) a JSON or merge patch is first decoded
    strictly, whose error is prefixed ``error decoding patch:``; under ``Ignore`` a JSON patch's
    ``DecodePatch`` error is bare and a merge patch is json-patch's ``ErrBadJSONPatch``; a strategic
    merge patch's decode error is bare either way."""
    if media == PatchType.STRATEGIC:
        return BadRequest(problem)
    if directive(query.get("fieldValidation")) != IGNORE:
        return BadRequest(f"error decoding patch: {problem}")
    return BadRequest("Invalid JSON Patch" if media == PatchType.MERGE else problem)


def _not_a_patch_object(kind: PatchType, body: Any) -> BadRequest:
    """A merge or strategic merge patch that is no JSON object, in the patch handler's words
    (``k8s.io/apiserver/pkg/endpoints/handlers/patch.go``): the strict decode into a
    ``map[string]interface{}`` fails first (a merge patch's error prefixed ``error decoding
    patch:``, a strategic one's bare), and a merge patch of ``null`` is json-patch's
    ``ErrBadJSONPatch``."""
    if body is None and kind is PatchType.MERGE:
        return BadRequest("Invalid JSON Patch")
    problem = f"json: cannot unmarshal {_json_type(body)} into Go value of type map[string]interface {{}}"
    return BadRequest(f"error decoding patch: {problem}" if kind is PatchType.MERGE else problem)


def _scale(b: Backend, req: Request) -> Response:
    """``/scale`` of a Deployment or ReplicaSet (:mod:`harness.apiserver.scale`): the parent's
    replicas as a Scale; a write of one changes the parent's ``spec.replicas`` only."""
    with b.store.lock:
        current = strategy.to_version(b.store.get(req.rt, _ns(req), req.name or ""), req.rt)
        if req.verb == "get":
            return Response(200, scale.scale_of(current))
        if req.verb == "update":
            written: Any = req.body
        elif req.verb == "patch":
            kind = _patch_type(req)
            if req.body_error is not None:
                raise req.body_error
            if kind is PatchType.APPLY:
                raise UnsupportedMediaType("server-side apply of the scale subresource is not simulated")
            written = _patched(req, kind, scale.scale_of(current))
        else:
            raise MethodNotAllowed(f"{req.verb} is not supported on the scale subresource")
        wanted, precondition = scale.replicas_of(req.name or "", written, req.namespace or "")
        new = own_top(current)
        new["metadata"] = {
            **current["metadata"],
            "resourceVersion": precondition or current["metadata"]["resourceVersion"],
        }
        new["spec"] = {**current["spec"], "replicas": wanted}
        done = _store_update(b, req, current, new, require_rv=precondition is not None)
        return Response(200, scale.scale_of(done.body), warnings=done.warnings)


def _leaf_patch(b: Backend, req: Request, current: Obj) -> Response | None:
    """A ``/status`` merge patch that only replaces scalar leaves (:mod:`~harness.apiserver.leaf_patch`),
    written without the walks it cannot need; None when it is anything else."""
    rt = req.rt
    if not rt.custom or rt.schema is None or not b.catalog.single_version(rt.key):
        return None
    manager, version = _manager(req), rt.resource.api_version
    repeated = b.repeats.leaves(rt, current, req.body, manager)
    leaves = repeated if repeated is not None else leaf_changes(current, req.body, rt.schema)
    if leaves is None:
        return None
    new = strategy.for_update(rt, with_leaves(current, leaves), current, req.subresource)
    if repeated is not None:  # the same write as the last one: see harness.apiserver.leaf_repeat
        record_repeat(new, manager=manager, api_version=version, now=_stamp(b), subresource="status")
    elif rt.schema.validate(new):
        return None  # the general path words the error
    else:
        record_update(current, new, manager=manager, api_version=version, now=_stamp(b), subresource="status")
    stored = b.store.update(
        rt, strategy.to_storage(new, rt, b.catalog), require_rv=False, dry_run=req.dry_run, status=True
    )
    if not req.dry_run and repeated is not None:
        b.repeats.renew(rt, stored)
    elif not req.dry_run:
        b.repeats.remember(rt, stored, leaves, manager)
    return Response(200, strategy.to_version(stored, rt))


def _check_apply_type(req: Request, applied: Obj) -> None:
    """The field manager's version check (``versionCheckManager.Apply`` in
    ``k8s.io/apimachinery/pkg/util/managedfields/internal/versioncheck.go``): the patch's group,
    version and kind must be the endpoint's, each read as a string (anything else is empty)."""
    r = req.rt.resource
    api_version, kind = (applied.get(key) for key in ("apiVersion", "kind"))
    api_version = api_version if isinstance(api_version, str) else ""
    kind = kind if isinstance(kind, str) else ""
    if (api_version, kind) == (r.api_version, r.kind):
        return
    group, _, version = api_version.rpartition("/")
    if api_version.count("/") > 1:
        group, version, kind = "", "", ""  # ParseGroupVersion fails: an empty GroupVersionKind
    raise BadRequest(f"invalid object type: {group}/{version}, Kind={kind}")


def _apply(b: Backend, req: Request) -> Response:
    applied = _body_object(req)
    _check_apply_type(req, applied)
    sent = applied.get("metadata")
    named = (sent.get("namespace"), sent.get("name")) if isinstance(sent, dict) else (None, None)
    _check_identity(req, applied, applying=True)
    _check_types(req, applied)
    if not req.rt.custom:
        refused = apply_refusal(req.rt.resource, applied, *named)  # under any fieldValidation
        if refused is not None:
            raise refused
    force = req.flag("force")
    version = req.rt.resource.api_version
    existing = b.store.find(req.rt.key, _ns(req), req.name or "")
    live = strategy.to_version(existing, req.rt) if existing is not None else None
    result = apply_config(
        live, applied, manager=req.query["fieldManager"], force=force, api_version=version, now=_stamp(b)
    )
    repeated = apply_duplicates(req)
    if live is None:
        strategy.for_create(req.rt, result)
        warnings = repeated + strategy.admit(req.rt, result, write_validation(req, repeated=False))
        _review(b, req, result, None)
        _allocate(b, req, result, None)
        stored = b.store.create(req.rt, strategy.to_storage(result, req.rt, b.catalog), dry_run=req.dry_run)
        return Response(201, strategy.to_version(stored, req.rt), warnings=warnings)
    result["metadata"]["resourceVersion"] = live["metadata"]["resourceVersion"]
    new = strategy.for_update(req.rt, result, live, req.subresource)
    _allocate(b, req, new, live)
    warnings = repeated + strategy.admit(req.rt, new, write_validation(req, repeated=False), old=live)
    _review(b, req, new, live)
    stored = b.store.update(
        req.rt,
        strategy.to_storage(new, req.rt, b.catalog),
        require_rv=False,
        dry_run=req.dry_run,
        status=req.subresource == "status",
    )
    return Response(200, strategy.to_version(stored, req.rt), warnings=warnings)


def _success(req: Request, obj: Obj) -> dict[str, Any]:
    """The registry's answer to a delete that removed the object (``finalizeDelete`` in
    ``k8s.io/apiserver/pkg/registry/generic/registry/store.go``): the resource as ``kind``, and
    every detail ``omitempty``, so a core kind's empty group is left out."""
    r = req.rt.resource
    given = {
        "name": obj["metadata"]["name"],
        "group": r.group,
        "kind": r.plural,
        "uid": obj["metadata"].get("uid"),
    }
    details = {key: value for key, value in given.items() if value}
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": details}


IMMORTAL_NAMESPACES = frozenset({"default", "kube-system", "kube-public"})
"""Namespaces the NamespaceLifecycle admission plugin never lets go
(``plugin/pkg/admission/namespace/lifecycle/admission.go``), dry run included."""


def _check_mortal(req: Request) -> None:
    if req.rt.key == ("", "namespaces") and not req.rt.custom and req.name in IMMORTAL_NAMESPACES:
        raise Forbidden(
            f'namespaces "{req.name}" is forbidden: this namespace may not be deleted',
            name=req.name or "",
            kind="namespaces",
        )


def delete(b: Backend, req: Request) -> Response:
    if req.subresource:
        raise MethodNotAllowed(f"delete is not supported on the {req.subresource} subresource")
    _check_mortal(req)
    options = _delete_options(req)
    pre = options.get("preconditions") or {}
    policy = check_delete_options(req.verb, options, dict(req.query))
    body_dry_run = options.get("dryRun")
    dry_run = req.dry_run or check_dry_run(
        req.verb, body_dry_run if isinstance(body_dry_run, list) else [body_dry_run] if body_dry_run else []
    )
    obj, present = b.store.delete(
        req.rt,
        _ns(req),
        req.name or "",
        precondition_rv=pre.get("resourceVersion"),
        precondition_uid=pre.get("uid"),
        orphan=policy == "Orphan",
        foreground=policy == "Foreground",
        dry_run=dry_run,
    )
    if present or req.rt.returns_deleted_object:
        return Response(200, strategy.to_version(obj, req.rt))
    return Response(200, _success(req, obj))


def _delete_options(req: Request) -> dict[str, Any]:
    """The request body's ``DeleteOptions`` (``{}`` without a body), checked before anything is
    deleted: a body that is no DeleteOptions, or a grace period or preconditions of the wrong
    type, used to be ignored, and the delete went ahead without the options the client meant."""
    body = req.body
    if body is None or body == b"" or body == "":
        options: dict[str, Any] = {}
    elif not isinstance(body, dict):
        raise BadRequest(f"the body of a delete must be a DeleteOptions object, got {_json_type(body)}")
    elif body.get("kind") not in (None, "", "DeleteOptions"):
        raise BadRequest(f"decoded object cannot be converted to DeleteOptions: it is a {body['kind']}")
    else:
        options = body
    query_int(req.query, "gracePeriodSeconds")
    grace = options.get("gracePeriodSeconds")
    if grace is not None and (isinstance(grace, bool) or not isinstance(grace, int)):
        raise BadRequest(
            f"json: cannot unmarshal {_json_type(grace)} into Go struct field"
            " DeleteOptions.gracePeriodSeconds of type int64"
        )
    pre = options.get("preconditions")
    if pre is not None and not isinstance(pre, dict):
        raise BadRequest(
            f"json: cannot unmarshal {_json_type(pre)} into Go struct field"
            " DeleteOptions.preconditions of type v1.Preconditions"
        )
    return options


def deletecollection(b: Backend, req: Request) -> Response:
    """Every object the list options select, deleted with the delete options (its propagation
    policy included), as the registry's workers do; the answer is the list as read, with that
    list's resourceVersion. Options that do not parse (a forged ``continue``,
    ``resourceVersion=abc``, a body that is no DeleteOptions) are refused before anything goes,
    and so are preconditions any selected object fails (a dry pass checks them first)."""
    labels, fields = _selectors(req)
    options = _delete_options(req)
    policy = check_delete_options(req.verb, options, dict(req.query))
    _check_rv(b, req, watch=False)
    pre = options.get("preconditions") or {}
    namespace = req.namespace if req.rt.resource.namespaced else None
    with b.store.lock:
        after = _continue_from(b, req)
        page = b.store.list(req.rt, namespace, labels, fields, after=after)
        for dry in (True, False) if pre else (False,):
            deleted = _delete_listed(b, req, page.items, policy, pre, dry=dry or req.dry_run)
    r = req.rt.resource
    meta_out = {"resourceVersion": str(page.resource_version)}
    if req.rt.custom:
        meta_out["continue"] = ""  # the unstructured list as listed: its continue set, empty
    body = {"kind": f"{r.kind}List", "apiVersion": r.api_version, "metadata": meta_out, "items": deleted}
    return Response(200, body)


def _delete_listed(
    b: Backend, req: Request, items: list[Obj], policy: str | None, pre: dict[str, Any], *, dry: bool
) -> list[Obj]:
    deleted = []
    for obj in items:
        meta = obj["metadata"]
        try:  # a dependent of an earlier item may be gone already; the registry skips it too
            b.store.delete(
                req.rt,
                meta.get("namespace") or "",
                meta["name"],
                orphan=policy == "Orphan",
                foreground=policy == "Foreground",
                precondition_rv=pre.get("resourceVersion"),
                precondition_uid=pre.get("uid"),
                dry_run=dry,
            )
        except NotFound:
            pass
        deleted.append(strategy.to_version(obj, req.rt))  # as listed, as the registry answers
    return deleted


READ_VERBS = frozenset({"get", "list", "watch"})
VERBS: dict[str, Handler] = {
    "get": get,
    "list": list_,
    "watch": watch,
    "create": create,
    "update": update,
    "patch": patch,
    "delete": delete,
    "deletecollection": deletecollection,
}


def _read_only(req: Request) -> None:
    """Refuse a write to a read-only resource (its objects are preinstalled, below)."""
    if req.verb not in READ_VERBS:
        raise refuse_write(req.verb, req.rt)


_STREAMS = frozenset({"exec", "attach", "portforward"})
"""Pod subresources that open a stream into a container: the simulated pods run no process, so
only ``exec`` is served, and only where the cluster runs the command (:mod:`.pod_exec`)."""


def _no_stream(req: Request) -> BadRequest:
    """``kubectl attach|port-forward`` (or exec with no runner): say why not, and what instead."""
    what = {"exec": "run a command in", "attach": "attach to", "portforward": "forward a port to"}
    return BadRequest(
        f"cannot {what[req.subresource or 'exec']} pod {req.name!r}: the simulated cluster's pods run no "
        "process. `kubectl -n d8-system exec svc/deckhouse-leader -c deckhouse -- deckhouse-controller "
        "module enable|disable NAME` works (or `dkp-harness module enable|disable NAME` with the "
        "sandbox's --state-dir); the Deckhouse log is `kubectl -n d8-system logs deploy/deckhouse`"
    )


def _answer_review(req: Request) -> Response:
    """A create-only review is answered from its body; any other verb is kube-apiserver's 405."""
    if req.verb != "create" or req.subresource:
        raise MethodNotAllowed("the server does not allow this method on the requested resource")
    return Response(201, access_reviews.answer(req.rt.resource, req.body, req.user_info))


_WRITES = frozenset({"create", "update", "patch", "delete", "deletecollection"})
"""Verbs whose answer is converted after the write, as ``transformResponseObject`` converts every
answer (a client asking for metadata only gets it from its writes too; the write is done even when
the conversion is refused)."""


def _no_subresource(req: Request) -> NotFound:
    """A subresource the kind lacks: apiextensions-apiserver answers for a custom resource as if
    the object were missing (``modulereleases.deckhouse.io "x" not found``, the default case of
    its ``crdHandler.ServeHTTP``); for a built-in kind no route matches the path."""
    r = req.rt.resource
    if not req.rt.custom:
        return NotFound("the server could not find the requested resource")
    name = req.name or ""
    return NotFound(f'{r.group_resource} "{name}" not found', name=name, group=r.group, kind=r.plural)


def handle(b: Backend, req: Request) -> Response:
    """Run fault rules, then the verb's handler; errors propagate as ``ApiError``."""
    if req.subresource and req.subresource not in req.rt.all_subresources():
        raise _no_subresource(req)
    if req.subresource in _STREAMS:
        if req.subresource == "exec" and b.exec_runner is not None:
            return exec_pod(b, req, b.exec_runner)
        raise _no_stream(req)
    if req.rt.read_only:
        _read_only(req)
    b.preinstalled.ensure(req.rt, b.store.install)
    b.on_demand.refresh(req.rt)
    if req.rt.create_only:
        return _answer_review(req)
    b.faults.check(req.verb, req.rt.resource.plural, req.name, req.subresource)
    apply = req.verb == "patch" and _patch_type(req) is PatchType.APPLY
    check_write_options(req.verb, req.query, apply=apply)
    if req.subresource == "scale":
        return _scale(b, req)
    if req.subresource == "token":
        return token_request(b, req)
    response = VERBS[req.verb](b, req)
    if req.verb in _WRITES and response.stream is None:
        response.body = _converted(b, req, response.body, listed=req.verb == "deletecollection")
    if req.rt.deprecation_warning:
        response.warnings.insert(0, req.rt.deprecation_warning)
    response.unstructured = _unstructured(req, response)
    return response


def _unstructured(req: Request, response: Response) -> bool:
    """Whether the answer is a custom resource (or a list of them) as the Go map it is upstream,
    not a typed ``Status``, ``Table`` or metadata-only object; a watch asked for
    ``PartialObjectMetadataList`` sends the objects unconverted, as upstream."""
    if not req.rt.custom:
        return False
    target = negotiate(req.accept, custom=req.rt.custom)
    if response.stream is not None:
        return target is None or target.kind == "PartialObjectMetadataList"
    body = response.body
    return target is None and isinstance(body, dict) and body.get("kind") != "Status"
