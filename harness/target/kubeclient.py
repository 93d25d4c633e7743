"""A :class:`~harness.kube.client.KubeClient` over HTTP, built on the official ``kubernetes`` package.

Why ``kubernetes``: it is already a dependency, it is the client the Kubernetes project keeps,
and its kubeconfig loader handles everything a kubeconfig may carry: contexts, the cluster's CA
(file or data) or ``insecure-skip-tls-verify``, client certificates, bearer tokens and token
files, ``exec`` and auth-provider plugins, proxies. Its typed API classes know only built-in
kinds, so this client speaks the generic REST paths of :class:`~harness.kube.resources.Resource`
through the package's own request machinery (``param_serialize`` adds the credentials) and
maps failures to :mod:`harness.kube.errors`, exactly as the in-process client raises them.

It also reads the API server's ``Date`` header (:meth:`server_time`): the cluster's clock.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml
from kubernetes import config as kube_config
from kubernetes.client.exceptions import ApiException

from harness.kube.client import EventType, PatchType, Unsubscribe, WatchEvent, WatchHandler
from harness.kube.errors import ApiError, NotFound, from_status
from harness.kube.objects import Obj
from harness.kube.resources import Resource
from harness.target.timing import parse_date_header

__all__ = ["KubernetesClient", "TargetConnectionError"]

REQUEST_TIMEOUT = 60.0
WATCH_TIMEOUT_SECONDS = 300


class TargetConnectionError(RuntimeError):
    """The cluster cannot be reached or answered something that is not the Kubernetes API."""


class KubernetesClient:
    """The ``KubeClient`` protocol against the API server a kubeconfig (and context) names."""

    def __init__(self, api: Any) -> None:
        self.api: Any = api  # kubernetes.client.ApiClient (the package ships no type hints)
        self._resources: dict[tuple[str, str], Resource] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_kubeconfig(cls, path: Path, context: str | None = None) -> KubernetesClient:
        if not path.is_file():
            raise TargetConnectionError(
                f"kubeconfig {path} does not exist: give the path of a kubeconfig file"
            )
        try:
            loader: Any = kube_config.new_client_from_config
            api = loader(config_file=str(path), context=context, persist_config=False)
        except (kube_config.ConfigException, ValueError, KeyError, OSError) as exc:
            where = f" (context {context!r})" if context else ""
            raise TargetConnectionError(f"cannot use kubeconfig {path}{where}: {exc}") from None
        except yaml.YAMLError as exc:
            raise TargetConnectionError(f"cannot use kubeconfig {path}: {_yaml_problem(exc)}") from None
        except (TypeError, AttributeError) as exc:
            # The client walks the file as it finds it: `clusters: 5` is a TypeError deep inside.
            raise TargetConnectionError(
                f"cannot use kubeconfig {path}: a field has the wrong type ({exc}): clusters, users and "
                "contexts are lists of entries with a name, as `kubectl config view` shows them"
            ) from None
        return cls(api)

    @property
    def server(self) -> str:
        """The API server's URL as errors and the report show it: a ``user:password@`` in the
        kubeconfig's ``server:`` is masked (it reached the terminal and ``conformance.json``)."""
        return without_userinfo(str(self.api.configuration.host))

    def close(self) -> None:
        self.api.close()

    # -- raw requests ------------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        query: dict[str, str] | None = None,
        body: Any = None,
        content_type: str = "application/json",
        stream: bool = False,
        timeout: float | tuple[float, float] = REQUEST_TIMEOUT,
    ) -> Any:
        """One API request; returns the parsed JSON body (or the raw response when ``stream``)."""
        headers = {"Accept": "application/json", "Content-Type": content_type}
        serialized = self.api.param_serialize(
            method=method,
            resource_path=path,
            query_params=list((query or {}).items()),
            header_params=headers,
            body=body,
            auth_settings=["BearerToken"],
        )
        try:
            response = self.api.call_api(*serialized, _request_timeout=timeout)
        except ApiException as exc:
            raise self._error(exc.status or 500, exc.body, method, path) from None
        except Exception as exc:  # noqa: BLE001 - urllib3/ssl errors: say where, not a traceback
            raise TargetConnectionError(f"{method} {self.server}{path} failed: {exc}") from None
        if stream:
            return response
        data = response.read()
        if not 200 <= response.status < 300:
            raise self._error(response.status, data, method, path)
        return json.loads(data) if data else None

    def server_time(self) -> datetime:
        """The API server's clock, from the ``Date`` header of a ``GET /version``."""
        serialized = self.api.param_serialize(
            method="GET",
            resource_path="/version",
            header_params={"Accept": "application/json"},
            auth_settings=["BearerToken"],
        )
        try:
            response = self.api.call_api(*serialized, _request_timeout=REQUEST_TIMEOUT)
            response.read()
        except Exception as exc:  # noqa: BLE001 - refused, TLS, DNS: the first request of a run
            raise TargetConnectionError(f"GET {self.server}/version failed: {exc}") from None
        value = response.getheader("Date")
        if not value:
            raise TargetConnectionError(
                f"{self.server}/version sent no Date header: the cluster's clock cannot be read"
            )
        return parse_date_header(str(value))

    @staticmethod
    def _error(status: int, data: Any, method: str, path: str) -> ApiError:
        try:
            parsed = json.loads(data) if data else {}
        except (ValueError, TypeError):
            parsed = {}
        if isinstance(parsed, dict) and parsed.get("kind") == "Status":
            return from_status(parsed)
        text = data.decode(errors="replace")[:200] if isinstance(data, bytes) else str(data or "")[:200]
        return ApiError(message=f"{method} {path}: HTTP {status}: {text}", code=status, reason="Unknown")

    # -- KubeClient --------------------------------------------------------------------------------

    def resolve(self, api_version: str, kind: str) -> Resource:
        key = (api_version, kind)
        with self._lock:
            if key in self._resources:
                return self._resources[key]
        group, _, version = api_version.rpartition("/")
        path = f"/apis/{group}/{version}" if group else f"/api/{version}"
        try:
            listing = self.request("GET", path)
        except NotFound:
            raise NotFound(f'the server does not serve apiVersion "{api_version}"') from None
        for item in listing.get("resources", []):
            if item.get("kind") == kind and "/" not in str(item.get("name", "")):
                resource = Resource(group, version, str(item["name"]), kind, bool(item.get("namespaced")))
                with self._lock:
                    self._resources[key] = resource
                return resource
        raise NotFound(f'no matches for kind "{kind}" in version "{api_version}"')

    def get(self, resource: Resource, name: str, *, namespace: str | None = None) -> Obj:
        found: Obj = self.request("GET", resource.path(name, namespace=namespace))
        return found

    def list(
        self,
        resource: Resource,
        *,
        namespace: str | None = None,
        label_selector: str | None = None,
        field_selector: str | None = None,
    ) -> list[Obj]:
        query = {k: v for k, v in (("labelSelector", label_selector), ("fieldSelector", field_selector)) if v}
        listing = self.request("GET", resource.path(namespace=namespace), query=query)
        items: list[Obj] = listing.get("items") or []
        for item in items:  # list items carry no kind/apiVersion; callers expect whole objects
            item.setdefault("apiVersion", resource.api_version)
            item.setdefault("kind", resource.kind)
        return items

    def create(self, resource: Resource, obj: Obj, *, namespace: str | None = None) -> Obj:
        created: Obj = self.request("POST", resource.path(namespace=namespace), body=obj)
        return created

    def update(
        self, resource: Resource, obj: Obj, *, namespace: str | None = None, subresource: str | None = None
    ) -> Obj:
        name = str(obj.get("metadata", {}).get("name", ""))
        path = resource.path(name, namespace=namespace, subresource=subresource)
        updated: Obj = self.request("PUT", path, body=obj)
        return updated

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
        query: dict[str, str] = {}
        if field_manager:
            query["fieldManager"] = field_manager
        if force:
            query["force"] = "true"
        path = resource.path(name, namespace=namespace, subresource=subresource)
        patched: Obj = self.request("PATCH", path, query=query, body=patch, content_type=str(patch_type))
        return patched

    def delete(self, resource: Resource, name: str, *, namespace: str | None = None) -> Obj | None:
        answer = self.request("DELETE", resource.path(name, namespace=namespace))
        if (
            isinstance(answer, dict)
            and answer.get("kind") != "Status"
            and answer.get("metadata", {}).get("deletionTimestamp")
        ):
            return answer
        return None

    def subscribe(self, handler: WatchHandler, resource: Resource | None = None) -> Unsubscribe:
        """Watch ``resource`` on a background thread; every event goes to ``handler``."""
        if resource is None:
            raise ValueError("the HTTP client watches one resource at a time: pass the resource")
        watch = _Watch(self, resource, handler)
        watch.start()
        return watch.stop


class _Watch:
    """One watch stream on its own thread; re-listed from scratch if the server ends the stream."""

    def __init__(self, client: KubernetesClient, resource: Resource, handler: WatchHandler) -> None:
        self._client = client
        self._resource = resource
        self._handler = handler
        self._stopping = threading.Event()
        self._response: Any = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"watch:{resource.plural}", daemon=True)

    def start(self) -> None:
        self._thread.start()
        self._ready.wait(REQUEST_TIMEOUT)  # bounded: the first stream is open (or failed) by then

    def stop(self) -> None:
        self._stopping.set()
        response = self._response
        if response is not None:
            try:
                response.response.shutdown()
            except Exception:  # noqa: BLE001 - the stream may already be closed
                pass
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self._stream_once()
            except Exception:  # noqa: BLE001 - a dropped stream is reopened until stop()
                if self._stopping.is_set():
                    return
            finally:
                self._ready.set()
            if not self._stopping.is_set():
                self._stopping.wait(0.2)

    def _stream_once(self) -> None:
        query = {
            "watch": "true",
            "timeoutSeconds": str(WATCH_TIMEOUT_SECONDS),
            "allowWatchBookmarks": "false",
        }
        self._response = self._client.request(
            "GET",
            self._resource.path(),
            query=query,
            stream=True,
            timeout=(10.0, WATCH_TIMEOUT_SECONDS + 30.0),
        )
        self._ready.set()
        for line in _lines(self._response.response):
            event = json.loads(line)
            kind = str(event.get("type", ""))
            if kind in (EventType.ADDED, EventType.MODIFIED, EventType.DELETED):
                self._handler(WatchEvent(EventType(kind), self._resource, event.get("object") or {}))


def _lines(response: Any) -> Iterator[bytes]:
    buffer = b""
    for chunk in response.stream(4096, decode_content=True):
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            if line.strip():
                yield line
    if buffer.strip():
        yield buffer


def _yaml_problem(error: yaml.YAMLError) -> str:
    """Where a kubeconfig stops being YAML, without PyYAML's quote of the line: that line may
    hold the user's token or password (``token: abc: def``), and the message reaches the terminal
    and CI logs."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or type(error).__name__
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    return f"not valid YAML{where}: {problem}; fix the file (kubectl reads it the same way)"


def without_userinfo(url: str) -> str:
    """``https://admin:s3cret@host:6443`` → ``https://***@host:6443``; other URLs as they are."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc="***@" + parts.netloc.rpartition("@")[2]))
