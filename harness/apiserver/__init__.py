"""A fake Kubernetes API server faithful enough that kubectl and client libraries cannot tell.

Layers, bottom up: ``storage`` (object tracker), ``crds``/``schema``/``catalog``/``definitions``
(what is served and how it validates), ``watch`` (commit history and streams), ``strategy`` and
``managed`` (per-kind write rules, field ownership), ``handlers`` (one function per verb),
``printing``, ``discovery``, ``openapi``, ``faults``, then two faces over the same handlers:
``client`` (in-process, no sockets) and ``http`` (``ThreadingHTTPServer`` on 127.0.0.1).

Emulated:

- CRUD on CRD-defined kinds (every served version; conversion strategy ``None``) and on
  namespaces, pods, events, secrets, configmaps, services, nodes, ``apps/v1`` deployments and
  replicasets (stored, validated and printed; the cluster plays their controllers for Deckhouse's
  own), daemonsets and replicationcontrollers (stored and printed, no controller runs them),
  the rest of ``kubectl apply --prune``'s default kinds (endpoints, persistent volumes and
  claims, jobs, cronjobs, ingresses, statefulsets: ``idle_kinds``, stored and printed only; a
  Job's generated selector, ``job_selector``; claims' and volumes' protection finalizers,
  added and taken off as admission and kube-controller-manager do, ``storage_protection``),
  serviceaccounts (``default`` in every namespace, as kube-controller-manager keeps it:
  ``service_accounts``),
  ``coordination.k8s.io/v1`` leases (``leases``, MicroTimes in ``microtime``); the served CRDs
  themselves as read-only ``apiextensions.k8s.io/v1`` objects (``definitions``); objects
  kept current only when asked for (``on_demand``: renewed Leases);
- ``/healthz``, ``/livez``, ``/readyz`` with their check lists (``health``); the access reviews,
  a rules review listing the bootstrap RBAC rules of the admin (``rbac_bootstrap``);
- ``pods/log`` from a pluggable source with kubelet's options (``tailLines``, ``limitBytes``,
  ``sinceSeconds``/``sinceTime`` and ``timestamps`` by each line's instant, ``follow``;
  ``pod_logs``) and ``pods/exec`` over WebSocket, v5/v4 channel protocol, the command run by a
  pluggable runner (``pod_exec``, ``remotecommand``, ``websocket``);
- one global ``resourceVersion``; ``uid``/``creationTimestamp`` from the injected clock;
  ``generation`` only where kube-apiserver's strategy keeps one (custom resources, deployments,
  replicasets), bumped outside metadata/status; metadata stored as a typed ``ObjectMeta`` would
  be (no empty maps or lists; namespaces' name label, ``canonical``); 409 on stale updates; 422
  on a custom-resource PUT without ``resourceVersion``; no-op writes are not commits;
- status subresource split; finalizers and ``deletionTimestamp``; ownerReference garbage
  collection (background; ``Orphan`` leaves dependents); deleting a namespace deletes its contents;
- merge patch, JSON patch (with ``test``), server-side apply with ``managedFields``, ``force`` and
  409 ownership conflicts; strategic merge on built-ins by their Go types' merge keys
  (``strategic``; on custom resources a 415);
- CRD schemas: pruning, defaulting, validation with kube-apiserver's field-error wording,
  ``fieldValidation`` Strict/Warn/Ignore, deprecated-version ``Warning`` headers;
- label selectors (equality and set-based), ``metadata.name``/``metadata.namespace`` field
  selectors, ``limit``/``continue`` paging;
- watch with initial replay, resume from a resourceVersion, 410 Expired, bookmarks,
  ``sendInitialEvents``, ``timeoutSeconds``;
- legacy and aggregated (v2, v2beta1) discovery, ``/version`` (1.32), OpenAPI v3;
- Table output from ``additionalPrinterColumns`` (ages from the clock); bearer-token auth;
  fault injection on both paths;
- hostile input answered as kube-apiserver answers it: authentication before the body is read,
  3 MiB bodies (413 beyond), read timeouts (``limits``, ``wire``), bounded depth and YAML alias
  expansion (``decoding``), apimachinery's metadata validation (``objectmeta``), built-in kinds
  typed as their Go structs (``typedfields``), ``dryRun``/``propagationPolicy``/
  ``resourceVersion`` checks (``options``); see ``docs/apiserver-limits.md``.

Not emulated: creating or changing CRDs through the API (405), RBAC and admission webhooks, CEL
``x-kubernetes-validations``, string ``format`` checks, conversion webhooks, built-in kinds'
defaults beyond those :mod:`harness.apiserver.defaults` fills, the garbage collector's delay
(foreground and orphan deletion finish within the request),
``resourceVersionMatch`` on lists (lists are always current), protobuf (but for access reviews,
namespaces, configmaps, secrets, service accounts, deployments and services), OpenAPI v2 (404, which
kubectl tolerates), defaulting on read, list snapshots for ``continue`` (later pages show current
data), exec over SPDY (kubectl before 1.30), attach and port-forward.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from harness.apiserver.admission import Admission
from harness.apiserver.catalog import Catalog, ResourceType, core_types
from harness.apiserver.client import InProcessClient
from harness.apiserver.cow import view
from harness.apiserver.crds import default_crd_dir, load_crds
from harness.apiserver.definitions import CRD_TYPE, Definitions
from harness.apiserver.faults import FaultRule, Faults
from harness.apiserver.http import HttpServer
from harness.apiserver.idle_kinds import IDLE_TYPES
from harness.apiserver.kubeconfig import write_kubeconfig
from harness.apiserver.leases import LEASE_TYPE
from harness.apiserver.limits import DEFAULT_LIMITS, Limits
from harness.apiserver.openapi import OpenApi
from harness.apiserver.remotecommand import ExecRunner
from harness.apiserver.request import Backend, LogSource
from harness.apiserver.router import Router
from harness.apiserver.service_accounts import DefaultServiceAccounts
from harness.apiserver.storage import Change, Store
from harness.apiserver.storage_protection import WATCHED as PROTECTED
from harness.apiserver.storage_protection import StorageProtection
from harness.apiserver.strategy import for_create, to_version
from harness.apiserver.tls import loopback_cert
from harness.apiserver.watch import EventLog
from harness.clock import Clock
from harness.kube.client import KubeClient, Unsubscribe, WatchEvent, WatchHandler
from harness.kube.objects import Obj
from harness.kube.resources import Resource

__all__ = ["ApiServer", "FaultRule", "Faults", "Limits", "LogSource"]

_LOG = logging.getLogger(__name__)
INITIAL_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease", "d8-system")
"""Every cluster's own four (kube-apiserver's system namespaces controller keeps `kube-node-lease`
for the nodes' heartbeat Leases; only the first three are undeletable) and Deckhouse's."""


class ApiServer:
    """One fake API server: storage on ``clock``, CRDs from ``crd_dir``, reachable in-process or over HTTP."""

    def __init__(
        self,
        clock: Clock,
        *,
        crd_dir: Path | Sequence[Path] | None = None,
        token: str | None = None,
        watch_history: int = 4096,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.limits = limits
        layers = [crd_dir] if isinstance(crd_dir, Path) else list(crd_dir or [default_crd_dir()])
        types, documents = load_crds(layers)
        self.catalog = Catalog([*core_types(), *IDLE_TYPES, LEASE_TYPE, CRD_TYPE, *types])
        self.token = token or secrets.token_urlsafe(24)
        self.faults = Faults()
        self.url: str | None = None
        self._log = EventLog(watch_history)
        self._subscribers: list[tuple[WatchHandler, Resource | None]] = []
        self._sub_lock = threading.Lock()
        self.subscriber_errors: list[BaseException] = []
        self._clock = clock
        self._store = Store(clock, self._storage_type, self._on_commit)
        self._backend = Backend(
            self.catalog,
            self._store,
            self._log,
            self.faults,
            clock,
        )
        self._backend.preinstalled.add(CRD_TYPE.key, Definitions(documents, clock.now()).objects)
        self._accounts = DefaultServiceAccounts(self._store, self.catalog)
        self._protection = StorageProtection(self._store, self.catalog)
        self._backend.on_demand.add(("", "serviceaccounts"), self._accounts.start)
        self._openapi: OpenApi | None = None
        self._http: HttpServer | None = None
        self._read_barrier: Callable[[], object] | None = None
        for name in INITIAL_NAMESPACES:
            ns_type = self.catalog.lookup("", "v1", "namespaces")
            self._store.create(
                ns_type,
                for_create(ns_type, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}),
            )

    def __repr__(self) -> str:
        return f"ApiServer(url={self.url!r}, kinds={len(self.catalog.types())})"

    @property
    def admission(self) -> Admission:
        """The validating webhooks every create/update goes through (``harness.apiserver.admission``)."""
        return self._backend.admission

    # ---- wiring ------------------------------------------------------------------------------

    def _storage_type(self, key: tuple[str, str]) -> ResourceType:
        return self.catalog.storage_type(key)

    def _on_commit(self, change: Change) -> None:
        """Called by the store under its lock: history for HTTP watches, then subscribers in order."""
        self._log.append(change)
        for handler, resource in self._subscribers:
            if resource is not None and (resource.group, resource.plural) != change.key:
                continue
            served = (
                self.catalog.find(resource.group, resource.version, resource.plural) if resource else None
            )
            rt = served or self.catalog.storage_type(change.key)
            # Each subscriber gets its own copy-on-write view: it may change it, the store never changes.
            event = WatchEvent(change.type, rt.resource, view(to_version(change.obj, rt)))
            try:
                handler(event)
            except Exception as exc:  # noqa: BLE001 - a broken subscriber must not undo a committed write
                _LOG.exception("watch subscriber failed on %s %s", change.type.value, change.key)
                self.subscriber_errors.append(exc)
        if self._accounts.live:
            self._accounts.committed(change)
        if change.key in PROTECTED:
            self._protection.committed(change)

    def _subscribe(self, handler: WatchHandler, resource: Resource | None) -> Unsubscribe:
        entry = (handler, resource)
        with self._sub_lock:
            self._subscribers = [*self._subscribers, entry]

        def unsubscribe() -> None:
            with self._sub_lock:
                self._subscribers = [s for s in self._subscribers if s is not entry]

        return unsubscribe

    def _get_openapi(self) -> OpenApi:
        if self._openapi is None:
            self._openapi = OpenApi(self.catalog)
        return self._openapi

    # ---- public surface ----------------------------------------------------------------------

    def client(self, user_agent: str | None = None, user: str | None = None) -> KubeClient:
        """The in-process client: same handlers, faults and events as HTTP, no sockets.
        ``user_agent`` names the writer in ``managedFields`` when a write gives no ``fieldManager``
        (its part before the first ``/``, as kube-apiserver takes it); ``user`` is who it writes
        as for admission policies (the cluster's admin unless given)."""
        extra = {"user_agent": user_agent} if user_agent is not None else {}
        if user is not None:
            extra["user"] = user
        return InProcessClient(self._backend, self._subscribe, **extra)

    def preinstall(self, api_version: str, kind: str, make: Callable[[], list[Obj]]) -> None:
        """Have ``make()``'s objects of ``kind`` stored at the first request for that resource
        (a cluster's nodes, the ``default/kubernetes`` Service: :mod:`harness.apiserver.preinstalled`)."""
        self._backend.preinstalled.add(self.catalog.resolve(api_version, kind).key, make)

    def keep_current(self, api_version: str, kind: str, refresh: Callable[[], None]) -> None:
        """Call ``refresh()`` before every request for ``kind``, HTTP or in-process, to bring its
        objects up to date at the clock's instant (:mod:`harness.apiserver.on_demand`)."""
        self._backend.on_demand.add(self.catalog.resolve(api_version, kind).key, refresh)

    def preinstalled(self, api_version: str, kind: str) -> bool:
        """Whether the objects of ``kind`` given to :meth:`preinstall` are stored yet."""
        return self._backend.preinstalled.installed(self.catalog.resolve(api_version, kind).key)

    def set_pod_log_source(self, fn: LogSource | None) -> None:
        """``fn(namespace, pod, container)`` returns the container's log: its text, or a
        :class:`~harness.apiserver.request.PodLog` (lines with their instants, followable)."""
        self._backend.log_source = fn

    def set_exec_runner(self, fn: ExecRunner | None) -> None:
        """``fn`` runs the command of every ``pods/exec`` (:mod:`harness.apiserver.remotecommand`);
        with None, exec is refused with what to do instead."""
        self._backend.exec_runner = fn

    def set_read_barrier(self, fn: Callable[[], object] | None) -> None:
        """Call ``fn`` before serving every HTTP read that is not a watch (the in-process client never).

        A sandbox whose controllers run on their own thread passes "wait until the controllers are
        idle", so ``kubectl get`` right after ``kubectl apply`` sees what the controllers made of the
        write, as it would a moment later on a real cluster. Starting or restarting the HTTP
        listener keeps the barrier.
        """
        self._read_barrier = fn
        if self._http is not None:
            self._http.set_read_barrier(fn)

    def start(self, port: int = 0, *, tls: bool = False) -> str:
        """Serve on ``127.0.0.1:port`` (0 picks a free port) in a daemon thread; returns the URL.

        ``tls=True`` serves HTTPS with a self-signed loopback certificate (the kubeconfig carries
        its CA): kubectl sends the bearer token only over TLS, so kubectl needs it; Python clients
        and the in-process client work either way.
        """
        if self._http is not None:
            raise RuntimeError(f"the API server is already serving on {self.url}; stop() it first")
        context = loopback_cert().server_context() if tls else None
        self._log.reopen()
        router = Router(self._backend, self._get_openapi, self._address, self.limits)
        self._http = HttpServer(router, self.token, port, context)
        self._http.set_limits(self.limits)
        self._http.set_read_barrier(self._read_barrier)
        self._http.set_clock(self._clock.now)
        self.url = self._http.url
        return self.url

    def _address(self) -> str:
        return f"127.0.0.1:{self._http.port if self._http else 0}"

    @property
    def ca_pem(self) -> bytes | None:
        """The CA certificate clients must trust when serving TLS, else ``None``."""
        if self._http is None or self._http.scheme != "https":
            return None
        return loopback_cert().cert_pem

    def write_kubeconfig(self, path: Path) -> Path:
        """A kubeconfig (0600): this server's URL, bearer token and, for TLS, CA; :meth:`start` first."""
        if self.url is None:
            raise RuntimeError("start() the API server before writing a kubeconfig: it needs the server URL")
        return write_kubeconfig(path, self.url, self.token, ca_pem=self.ca_pem)

    def stop(self) -> None:
        """End watch streams, close the listener and every connection, join the threads."""
        self._log.close()
        if self._http is not None:
            self._http.stop()
            self._http = None
        self.url = None
