"""The in-process :class:`~harness.kube.client.KubeClient`: the HTTP handlers without the socket.

Each call builds the same :class:`Request` the HTTP server would and runs it through the same
fault rules and handlers, so controllers driven in-process see exactly what kubectl sees. Objects
cross this boundary as private in both directions: results as copy-on-write views of the stored
objects (:mod:`harness.apiserver.cow`: a list of N objects costs N shallow dict copies, and only
what the caller reaches is copied further), request bodies by the handlers, which never keep or
change the body they are given (they copy an object body before changing it, and a patch is
applied to a copy of the stored object). A view handed back as a body is turned into plain dicts
first, so the handlers' copy does not go through the view's accessors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from harness.apiserver.catalog import ResourceType
from harness.apiserver.cow import CowDict, CowList, thaw, view
from harness.apiserver.handlers import handle
from harness.apiserver.request import Backend, Request
from harness.kube.client import PatchType, Unsubscribe, WatchHandler
from harness.kube.errors import BadRequest
from harness.kube.objects import Obj
from harness.kube.resources import Resource

__all__ = ["InProcessClient"]

_AGENT = "harness-in-process"
Subscribe = Callable[[WatchHandler, Resource | None], Unsubscribe]


class InProcessClient:
    """Implements ``KubeClient`` over a :class:`Backend`."""

    def __init__(
        self,
        backend: Backend,
        subscribe: Subscribe,
        *,
        user_agent: str = _AGENT,
        user: str = "kubernetes-admin",
    ) -> None:
        self._b = backend
        self._subscribe = subscribe
        self._agent = user_agent
        self._user = user

    def _rt(self, resource: Resource) -> ResourceType:
        return self._b.catalog.lookup(resource.group, resource.version, resource.plural)

    def _call(self, verb: str, resource: Resource, **kw: Any) -> Any:
        body = kw.get("body")
        if isinstance(body, CowDict | CowList):
            kw["body"], kw["body_owned"] = thaw(body), True
        req = Request(verb, self._rt(resource), user_agent=self._agent, user=self._user, **kw)
        return handle(self._b, req).body

    def resolve(self, api_version: str, kind: str) -> Resource:
        return self._b.catalog.resolve(api_version, kind).resource

    def get(self, resource: Resource, name: str, *, namespace: str | None = None) -> Obj:
        return view(self._call("get", resource, namespace=namespace, name=name))  # type: ignore[no-any-return]

    def list(
        self,
        resource: Resource,
        *,
        namespace: str | None = None,
        label_selector: str | None = None,
        field_selector: str | None = None,
    ) -> list[Obj]:
        query = {k: v for k, v in (("labelSelector", label_selector), ("fieldSelector", field_selector)) if v}
        body = self._call("list", resource, namespace=namespace, query=query)
        return [CowDict(item) for item in body["items"]]

    def create(self, resource: Resource, obj: Obj, *, namespace: str | None = None) -> Obj:
        ns = namespace or (obj.get("metadata") or {}).get("namespace")
        return view(self._call("create", resource, namespace=ns, body=obj))  # type: ignore[no-any-return]

    def update(
        self, resource: Resource, obj: Obj, *, namespace: str | None = None, subresource: str | None = None
    ) -> Obj:
        meta = obj.get("metadata") or {}
        if not meta.get("name"):
            raise BadRequest("update needs metadata.name in the object")
        ns = namespace or meta.get("namespace")
        body = self._call(
            "update", resource, namespace=ns, name=meta["name"], subresource=subresource, body=obj
        )
        return view(body)  # type: ignore[no-any-return]

    def patch(
        self,
        resource: Resource,
        name: str,
        patch: Any,
        *,
        patch_type: PatchType = PatchType.MERGE,
        namespace: str | None = None,
        subresource: str | None = None,
        field_manager: str | None = None,
        force: bool = False,
    ) -> Obj:
        query = {"fieldManager": field_manager} if field_manager else {}
        if force:
            query["force"] = "true"
        body = self._call(
            "patch",
            resource,
            namespace=namespace,
            name=name,
            subresource=subresource,
            body=patch,
            query=query,
            content_type=patch_type.value,
        )
        return view(body)  # type: ignore[no-any-return]

    def delete(self, resource: Resource, name: str, *, namespace: str | None = None) -> Obj | None:
        body = self._call("delete", resource, namespace=namespace, name=name)
        if body.get("kind") == "Status" or not body.get("metadata", {}).get("deletionTimestamp"):
            return None  # gone: a Status, or the deleted object itself (pods)
        return view(body)  # type: ignore[no-any-return]

    def subscribe(self, handler: WatchHandler, resource: Resource | None = None) -> Unsubscribe:
        return self._subscribe(handler, resource)
