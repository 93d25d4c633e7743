"""The simulated DKP cluster: a real registry, the fake API server and the module manager on one clock.

``SimulatedCluster`` is what scenarios and the sandbox run against (docs/architecture.md)::

    with SimulatedCluster() as cluster:
        cluster.publisher.publish("module-one", "v0.7.23", channels=["stable"])
        cluster.client.create(kinds.MODULE_SOURCE, {...})
        cluster.settle()
        cluster.control.advance("3m")

It starts a registry backend (CNCF distribution by default, or the one given) behind a fault
proxy, an :class:`~harness.apiserver.ApiServer` with the DKP CRDs on a :class:`VirtualClock`
(Monday 2024-12-16 09:00 UTC unless told otherwise), and the manager with every simulated
controller. It creates what a fresh DKP cluster has: the ``d8-system`` namespace, the
``deckhouse`` Deployment and its running pod labelled ``app=deckhouse`` (statuses from
:mod:`harness.kube.workloads`), whose log is the :class:`DeckhouseLog`, and the ``deckhouse``
ModuleConfig carrying the embedded update policy. ``stop()`` leaves no process, thread or
temporary directory behind.

Time and faults are reached only through :class:`SimulationControl`, the one simulation-only
interface steps may use (docs/architecture.md).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from harness import eras
from harness.api import kinds
from harness.apiserver import ApiServer
from harness.apiserver import FaultRule as FaultRuleApi
from harness.apiserver.admission import AdmissionReview, Webhook
from harness.clock import Clock, RealClock, VirtualClock, parse_duration
from harness.cluster.deckhouse_workload import (
    LEADER_LEASE_DURATION,
    LEADER_RETRY_PERIOD,
    DeckhouseWorkload,
    deckhouse_service_account,
    deckhouse_services,
    leader_identity,
)
from harness.cluster.held_leases import HeldLease, HeldLeases
from harness.dkp.controllers.base import ControllerContext
from harness.dkp.controllers.config import ConfigController
from harness.dkp.controllers.deckhouse_pod import DeckhousePodController
from harness.dkp.controllers.installed import InstalledModules
from harness.dkp.controllers.lifecycle import LifecycleController
from harness.dkp.controllers.override import OverrideController
from harness.dkp.controllers.release import ReleaseController
from harness.dkp.controllers.source import SourceController
from harness.dkp.rules import admission
from harness.dkp.runtime.log import DeckhouseLog
from harness.dkp.runtime.manager import Manager
from harness.dkp.runtime.reads import ReadRecorder
from harness.dkp.runtime.reconcile import Controller
from harness.dkp.runtime.settings import ClusterSettings, cluster_settings, resolve_settings
from harness.kube import control_plane
from harness.kube.client import KubeClient
from harness.kube.errors import AlreadyExists, ApiError, NotFound
from harness.kube.objects import Obj, name_of
from harness.kube.timestamps import stamp
from harness.registry.backends import scratch
from harness.registry.backends.base import Backend
from harness.registry.backends.distribution import DistributionBackend
from harness.registry.client import RegistryClient
from harness.registry.connections import SharedTransports, pooled_transport
from harness.registry.credentials import host_of
from harness.registry.faults import FaultProxy, FaultRule, Reset, Respond
from harness.registry.publisher import Publisher

__all__ = [
    "CRD_DIR",
    "CRD_ERAS_DIR",
    "DECKHOUSE_USER_AGENT",
    "DeckhouseSettings",
    "SimulatedCluster",
    "SimulationControl",
    "cluster_settings",
    "crd_layers",
    "register_webhooks",
    "resolve_settings",
]

CRD_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "crds"
CRD_ERAS_DIR = CRD_DIR / "eras"
"""``eras/<version>/`` holds the CRD files a Deckhouse release changed, from that release on."""
MODULES_REPO = "deckhouse/modules"
DECKHOUSE_USER_AGENT = "deckhouse-controller/v0.0.0 (linux/amd64) kubernetes/$Format"
"""What client-go calls the controllers' binary when it sets no agent of its own: kube-apiserver
records their writes under ``deckhouse-controller`` (deckhouse/deckhouse's own fixtures show that
manager in ``managedFields``)."""


@dataclass(frozen=True)
class DeckhouseSettings:
    """Settings of the ``deckhouse`` ModuleConfig: the embedded update policy (docs/dkp-behaviour.md §6.4)."""

    release_channel: str = "Stable"
    update_mode: str = "Auto"
    update_windows: tuple[Mapping[str, Any], ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    bundle: str = eras.DEFAULT_BUNDLE
    """The module bundle (``enabledInBundles``); not written into the ModuleConfig, so the
    page-era ``deckhouse`` config stays as it was."""

    def to_settings(self) -> dict[str, Any]:
        update: dict[str, Any] = {"mode": self.update_mode}
        if self.update_windows:
            update["windows"] = [dict(w) for w in self.update_windows]
        return {**self.extra, "releaseChannel": self.release_channel, "update": update}


Behaviours = frozenset[eras.Behaviour]


def register_webhooks(api: ApiServer, behaviours: Behaviours | Callable[[], Behaviours]) -> None:
    """DKP's validating webhooks (``harness.dkp.rules.admission``), each active in its era.

    ``behaviours`` is the cluster's era, or a callable read at every review: the cluster passes
    one, so when a scenario upgrades Deckhouse (``set_versions``) the webhooks of the new version
    start refusing at once and those it no longer has stop, as the upgraded deckhouse-controller's
    webhook server would. A webhook outside its era allows every write.
    """
    current = behaviours if callable(behaviours) else (lambda: behaviours)
    source, config = kinds.MODULE_SOURCE, kinds.MODULE_CONFIG
    api.admission.register(
        source.group,
        source.plural,
        admission.MODULE_SOURCE_WEBHOOK,
        _in_era(
            eras.Behaviour.DEFAULT_SOURCE_ANNOTATION,
            current,
            lambda review: admission.second_default_source(review.obj, review.existing()),
        ),
    )
    api.admission.register(
        config.group,
        config.plural,
        admission.MODULE_CONFIG_WEBHOOK,
        _in_era(
            eras.Behaviour.EMBEDDED_TAKEOVER,
            current,
            lambda review: admission.embedded_source_refused(review.obj),
        ),
    )
    client = api.client()
    api.admission.register(
        config.group,
        config.plural,
        admission.MODULE_CONFIG_WEBHOOK,
        lambda review: admission.unavailable_source(review.obj, _module_of(client, review.obj)),
    )
    release = kinds.MODULE_RELEASE
    api.admission.register_policy(
        release.group,
        release.plural,
        admission.UPDATE_POLICY_LABEL_POLICY,
        lambda review: admission.update_policy_relabel(review.obj, review.old, review.user),
    )


def _module_of(client: KubeClient, config: Obj) -> Obj | None:
    """The Module a ModuleConfig configures (same name), or None while there is none; read as the
    upstream webhook reads it, through the API."""
    try:
        return client.get(kinds.MODULE, name_of(config))
    except NotFound:
        return None


def _in_era(behaviour: eras.Behaviour, current: Callable[[], Behaviours], webhook: Webhook) -> Webhook:
    """``webhook`` while ``behaviour`` is in the cluster's era; allowing everything otherwise."""

    def review(request: AdmissionReview) -> str | None:
        return webhook(request) if behaviour in current() else None

    return review


def crd_layers(version: eras.DeckhouseVersion) -> list[Path]:
    """The CRD directories a cluster on ``version`` serves: the page's, then each newer revision.

    A directory ``fixtures/crds/eras/<version>`` applies from that Deckhouse release on; its
    files replace the base files of the same name (so the page's era serves exactly
    ``fixtures/crds``).
    """
    layers = [CRD_DIR]
    if CRD_ERAS_DIR.is_dir():
        revisions = sorted((eras.parse_version(d.name), d) for d in CRD_ERAS_DIR.iterdir() if d.is_dir())
        layers.extend(d for since, d in revisions if since <= version)
    return layers


class SimulationControl:
    """Simulation powers: virtual time and fault injection (what a real cluster cannot do)."""

    def __init__(self, manager: Manager, clock: Clock, api: ApiServer, proxy: FaultProxy) -> None:
        self._manager = manager
        self._clock = clock
        self._api = api
        self._proxy = proxy

    def now(self) -> datetime:
        return self._clock.now()

    def settle(self) -> int:
        """Run the controllers until quiescent; returns how many reconciles ran."""
        return self._manager.settle()

    def advance(self, delta: timedelta | str) -> datetime:
        """Let ``delta`` (``timedelta`` or ``"3m"``) of virtual time pass, settling at every timer."""
        return self._manager.advance(parse_duration(delta) if isinstance(delta, str) else delta)

    def set(self, when: datetime) -> datetime:
        """Jump forward to ``when``, settling at every timer on the way."""
        return self._manager.set_time(when)

    # -- registry faults (through the fault proxy DKP reaches the registry by) -----------------

    def registry_down(self, path: str = "", *, times: int | None = None) -> int:
        """Requests whose path matches the regex ``path`` get their connection reset."""
        return self._proxy.rules.add(FaultRule(Reset(), path=path, times=times))

    def registry_unauthorized(self, path: str = "", *, times: int | None = None) -> int:
        return self._proxy.rules.add(FaultRule(Respond(401), path=path, times=times))

    def registry_error(self, path: str = "", *, status: int = 500, times: int | None = None) -> int:
        return self._proxy.rules.add(FaultRule(Respond(status), path=path, times=times))

    def remove_registry_fault(self, rule_id: int) -> None:
        self._proxy.rules.remove(rule_id)

    def clear_registry_faults(self) -> None:
        self._proxy.rules.clear()

    # -- API server faults -------------------------------------------------------------------------

    def api_fault(
        self, verb: str, resource: str, error: ApiError, *, name: str | None = None, times: int | None = None
    ) -> FaultRuleApi:
        """Make matching API requests fail with ``error`` (e.g. a 409 Conflict); returns the rule."""
        return self._api.faults.add(verb=verb, resource=resource, error=error, name=name, times=times)

    @property
    def api_faults(self) -> Any:
        """The API server's fault table, for anything :meth:`api_fault` does not cover."""
        return self._api.faults


class SimulatedCluster:
    """Registry + API server + module manager; see the module docstring."""

    def __init__(
        self,
        *,
        settings: ClusterSettings | None = None,
        start: datetime | None = None,
        deckhouse: DeckhouseSettings | None = None,
        registry: Backend | None = None,
        real_time: bool = False,
        token: str | None = None,
        tls: bool = False,
        registry_factory: Callable[..., Any] | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.deckhouse = deckhouse or DeckhouseSettings()
        checked = resolve_settings(settings or ClusterSettings())
        self.deckhouse_version = eras.parse_version(checked.deckhouse_version)
        self.settings = dataclasses.replace(
            checked, behaviours=eras.behaviours_for(self.deckhouse_version), bundle=self.deckhouse.bundle
        )
        """Checked settings carrying the era-dependent rules and the bundle the controllers read."""
        self.clock: Clock = clock or (RealClock() if real_time else VirtualClock(start))
        self.log = DeckhouseLog(self.clock)
        self.installed = InstalledModules()
        self._backend = registry
        self._owns_backend = registry is None
        self._token = token
        self._tls = tls
        self._registry_factory = registry_factory or self._registry_client
        self._connections = SharedTransports()
        """The connection pools the controllers' registry clients share (closed by ``stop``)."""
        self._workdir: Path | None = None
        self._proxy: FaultProxy | None = None
        self._api: ApiServer | None = None
        self._manager: Manager | None = None
        self._controller_list: list[Controller] = []
        self._publisher: Publisher | None = None
        self._control: SimulationControl | None = None
        self.api_url = ""
        self.workload = DeckhouseWorkload(
            lambda: self.client,
            self.clock,
            self.log,
            self._deckhouse_image,
            lambda: self.manager.restart(),
            sets_stored=lambda: self.api.preinstalled(kinds.REPLICA_SET.api_version, kinds.REPLICA_SET.kind),
            on_stop=lambda: self.manager.halt(keep=(DeckhousePodController.name,)),
            on_leader=self._leader_changed,
        )
        """The Deckhouse Deployment, pod and Services (restarts, exec, the pod's log)."""
        self.leases = HeldLeases(lambda agent: self.api.client(user_agent=agent), self.clock)
        """The Deckhouse leader's Lease and the node's heartbeat Lease (docs/dkp-simulator.md)."""

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- start / stop ------------------------------------------------------------------------------

    def start(self) -> Self:
        """Start everything; on failure, stop what was started and re-raise."""
        try:
            if self._backend is None:
                self._backend = DistributionBackend()
            self._backend.begin_start()  # the registry boots on the other core meanwhile
            self._start_api()
            self._bootstrap_objects()
            self._start_registry()
            self._start_manager()
        except BaseException:
            self.stop()
            raise
        return self

    def _start_registry(self) -> None:
        if self._backend is None:
            self._backend = DistributionBackend()
        self._proxy = FaultProxy(self._backend.finish_start())
        self._proxy.start()

    def _registry_client(
        self,
        repo: str,
        *,
        docker_cfg: str = "",
        scheme: str = "HTTPS",
        ca: str = "",
        transport: Any = None,
    ) -> RegistryClient:
        """The controllers' registry client: a plain-HTTP one (no ``ca``) for the fault proxy's
        address sends the reads no fault rule can touch straight to the registry (``faults.bypass``).

        Every client of the cluster sends through the connection pool it shares with the others
        of its kind (``registry.connections``): one opened for each sync and pull no longer dials
        the registry again.
        """
        proxy = self._proxy
        if transport is None:
            if (
                proxy is not None
                and scheme.upper() == "HTTP"
                and not ca.strip()  # the bypass would drop the TLS settings a ``ca`` gives the client
                and host_of(repo) == proxy.address
            ):
                transport = self._connections.borrow("proxy-bypass", proxy.bypass)
            else:
                key = (scheme.strip().lower(), ca)
                transport = self._connections.borrow(key, lambda: pooled_transport(scheme, ca))
        return RegistryClient.for_source(
            repo, docker_cfg=docker_cfg, scheme=scheme, ca=ca, transport=transport
        )

    def _start_api(self) -> None:
        # In the process's scratch folder, not /tmp: the kubeconfig there carries the API server's
        # token, and a process killed before stop() leaves it to the next process's sweep.
        self._workdir = scratch.make_workdir("dkp-cluster-")
        self._api = ApiServer(self.clock, crd_dir=crd_layers(self.deckhouse_version), token=self._token)
        register_webhooks(self._api, lambda: self.settings.behaviours)
        self.api_url = self._api.start(port=0, tls=self._tls)
        self._api.write_kubeconfig(self.kubeconfig)
        self._api.set_pod_log_source(self.workload.pod_log)
        started = stamp(self.clock.now())
        node, service = kinds.NODE, kinds.SERVICE
        self._api.preinstall(
            node.api_version,
            node.kind,
            lambda: [control_plane.node(self.settings.kubernetes_version, started)],
        )
        self._api.preinstall(
            service.api_version,
            service.kind,
            lambda: [control_plane.kubernetes_service(started), *deckhouse_services(started)],
        )
        endpoints, endpoint_slice = kinds.ENDPOINTS, kinds.ENDPOINT_SLICE
        self._api.preinstall(
            endpoints.api_version, endpoints.kind, lambda: [control_plane.kubernetes_endpoints(started)]
        )
        self._api.preinstall(
            endpoint_slice.api_version,
            endpoint_slice.kind,
            lambda: [control_plane.kubernetes_endpoint_slice(started)],
        )
        account = kinds.SERVICE_ACCOUNT
        self._api.preinstall(account.api_version, account.kind, lambda: [deckhouse_service_account(started)])
        self._api.set_exec_runner(self.workload.exec)
        replica_set = kinds.REPLICA_SET
        self._api.preinstall(replica_set.api_version, replica_set.kind, self.workload.replica_sets)
        self._hold_node_lease()
        self._api.keep_current(kinds.LEASE.api_version, kinds.LEASE.kind, self.leases.refresh)

    def _hold_node_lease(self) -> None:
        """The kubelet's heartbeat: a Lease named after the node in ``kube-node-lease``, held by
        the node, 40 s long, renewed every 10 s, owned by the Node (the kubelet's node lease
        controller, ``k8s.io/component-helpers/apimachinery/lease``)."""
        version = self.settings.kubernetes_version.lstrip("v")
        owner = {"apiVersion": "v1", "kind": kinds.NODE.kind, "name": control_plane.NODE_NAME}
        self.leases.hold(
            HeldLease(
                control_plane.NODE_LEASE_NAMESPACE,
                control_plane.NODE_NAME,
                control_plane.NODE_NAME,
                40,
                timedelta(seconds=10),
                self.clock.now(),
                f"kubelet/v{version} (linux/amd64) kubernetes/$Format",
                elected=False,
                owner={**owner, "uid": control_plane.NODE_UID},
            )
        )

    def _leader_changed(self, pod: str | None) -> None:
        """The leading Deckhouse pod changed (None: none runs): the leader election Lease is its
        from now on (``deckhouse-controller``'s ``runHAMode``; see docs/dkp-simulator.md)."""
        ns, name = kinds.DECKHOUSE_NAMESPACE, kinds.DECKHOUSE_LEADER_LEASE
        if pod is not None and not self.leases.holds(ns, name):
            lease = HeldLease(
                ns,
                name,
                leader_identity(pod),
                LEADER_LEASE_DURATION,
                timedelta(seconds=LEADER_RETRY_PERIOD),
                self.clock.now(),
                DECKHOUSE_USER_AGENT,
            )
            self.leases.hold(lease)
            return
        self.leases.hand_over(ns, name, leader_identity(pod) if pod is not None else None)

    def _start_manager(self) -> None:
        # The controllers write as deckhouse-controller does on a real cluster, so managedFields and
        # server-side apply conflicts name that manager; steps acting as the user keep self.client.
        reads = ReadRecorder(
            self.api.client(user_agent=DECKHOUSE_USER_AGENT, user=admission.DECKHOUSE_SERVICE_ACCOUNT)
        )  # what each look read: the fast-time shortcut's wake-ups
        self._controller_list = self._controllers(reads)
        self._manager = Manager(
            reads.inner,
            self.clock,
            self.log,
            self._controller_list,
            coalesce=self.settings.fast_time,
            reads=reads,
        )
        self._manager.start()
        self._manager.settle()

    def _controllers(self, kube: KubeClient) -> list[Controller]:
        # One context for all of them, as the real controllers share one manager's clients.
        ctx = ControllerContext(
            kube=kube,
            clock=self.clock,
            settings=self.settings,
            log=self.log,
            installed=self.installed,
            registry_factory=self._registry_factory,
        )
        return [
            SourceController(ctx),
            ReleaseController(ctx),
            ConfigController(ctx),
            LifecycleController(ctx),
            OverrideController(ctx),
            DeckhousePodController(
                kube,
                lambda: self.workload.pod_name,
                self.workload.restart,
                self.workload.deployment_gone,
                lambda: self.workload.standby,
                self.workload.replace_standby,
            ),
        ]

    def stop(self) -> None:
        """Stop the manager, API server, proxy and registry (if ours) and remove the temp dir."""
        self._control = None
        if self._manager is not None:
            self._manager.stop()
            self._manager = None
        # Before the proxy: its server waits, when it closes, for the handler of every connection
        # still open to it, and the pools keep theirs open until closed.
        self._connections.close()
        self.log.close()  # ends every followed pod log, so the API server's threads can end
        if self._publisher is not None:
            self._publisher.close()
            self._publisher = None
        if self._api is not None:
            self._api.stop()
            self._api = None
        if self._proxy is not None:
            self._proxy.stop()
            self._proxy = None
        if self._backend is not None and self._owns_backend:
            self._backend.stop()
        if self._workdir is not None:
            scratch.discard(self._workdir)
            self._workdir = None

    # -- what a fresh DKP cluster holds ------------------------------------------------------------

    def _bootstrap_objects(self) -> None:
        client = self.client
        namespace = {
            "apiVersion": "v1",
            "kind": kinds.NAMESPACE.kind,
            "metadata": {"name": kinds.DECKHOUSE_NAMESPACE},
        }
        try:
            client.create(kinds.NAMESPACE, namespace)
        except AlreadyExists:
            pass  # the API server may start with it, as a DKP cluster does
        self.workload.start()
        client.create(kinds.MODULE_CONFIG, self._deckhouse_config())

    @property
    def behaviours(self) -> frozenset[eras.Behaviour]:
        """The era-dependent rules this cluster follows (see :mod:`harness.eras`)."""
        return self.settings.behaviours

    def _deckhouse_image(self) -> str:
        return f"registry.deckhouse.io/deckhouse/{self.settings.edition}:{self.settings.deckhouse_version}"

    @property
    def pod_name(self) -> str:
        """The running Deckhouse pod's name (a new one after every restart)."""
        return self.workload.pod_name

    def _upgrade_kubelet(self) -> None:
        """A Kubernetes upgrade: the node's kubelet reports the new version (when anyone looked)."""
        version = f"v{self.settings.kubernetes_version.removeprefix('v')}"
        info = control_plane.node_info(version)
        self.client.patch(
            kinds.NODE, control_plane.NODE_NAME, {"status": {"nodeInfo": info}}, subresource="status"
        )

    def _deckhouse_config(self) -> Obj:
        return {
            "apiVersion": kinds.MODULE_CONFIG.api_version,
            "kind": kinds.MODULE_CONFIG.kind,
            "metadata": {"name": "deckhouse"},
            "spec": {"enabled": True, "version": 1, "settings": self.deckhouse.to_settings()},
        }

    # -- accessors ---------------------------------------------------------------------------------

    @property
    def api(self) -> ApiServer:
        if self._api is None:
            raise RuntimeError("the cluster is not running: use `with SimulatedCluster() as cluster:`")
        return self._api

    @property
    def client(self) -> KubeClient:
        """The in-process client (what the controllers use; no sockets)."""
        client: KubeClient = self.api.client()
        return client

    @property
    def manager(self) -> Manager:
        if self._manager is None:
            raise RuntimeError("the cluster is not running: use `with SimulatedCluster() as cluster:`")
        return self._manager

    @property
    def kubeconfig(self) -> Path:
        if self._workdir is None:
            raise RuntimeError("the cluster is not running: use `with SimulatedCluster() as cluster:`")
        return self._workdir / "kubeconfig"

    @property
    def registry(self) -> str:
        """``127.0.0.1:PORT`` DKP and users reach the registry by (the fault proxy)."""
        if self._proxy is None:
            raise RuntimeError("the cluster is not running: use `with SimulatedCluster() as cluster:`")
        return self._proxy.address

    @property
    def blob_seed_root(self) -> Path | None:
        """The registry storage publishers of this cluster write blobs into (None: push them over HTTP)."""
        return self._backend.blob_seed_root if self._backend is not None else None

    @property
    def modules_repo(self) -> str:
        """``spec.registry.repo`` for a ModuleSource of this cluster's registry."""
        return f"{self.registry}/{MODULES_REPO}"

    @property
    def publisher(self) -> Publisher:
        """Pushes straight to the registry (not through the fault proxy), under ``deckhouse/modules``.

        When the cluster runs the registry itself, images go straight into its storage, written
        as the registry writes them (:mod:`harness.registry.blob_seed`).
        """
        if self._publisher is None:
            if self._backend is None:
                raise RuntimeError("the cluster is not running: use `with SimulatedCluster() as cluster:`")
            self._publisher = Publisher(
                registry=self._backend.address, repo=MODULES_REPO, seed_storage=self._backend.blob_seed_root
            )
        return self._publisher

    @property
    def control(self) -> SimulationControl:
        """Time and faults. One object for the cluster's whole run (it holds nothing but the
        manager, clock, API server and proxy, which stay the same until ``stop``): the scenario
        history reads the time through it at every change the API server commits."""
        if self._proxy is None:
            raise RuntimeError("the cluster is not running: use `with SimulatedCluster() as cluster:`")
        if self._control is None:
            self._control = SimulationControl(self.manager, self.clock, self.api, self._proxy)
        return self._control

    def settle(self) -> int:
        return self.manager.settle()

    def set_versions(self, *, deckhouse: str | None = None, kubernetes: str | None = None) -> None:
        """Run another Deckhouse / Kubernetes version from now on, as an upgrade of the cluster would.

        The controllers read the versions from their settings when they check a release's
        requirements. Every look's idle mark is dropped, so each waiting release is re-checked at
        its next 15-second check, as DKP's polling of waiting releases would.
        """
        self.settings = dataclasses.replace(
            self.settings,
            deckhouse_version=deckhouse or self.settings.deckhouse_version,
            kubernetes_version=kubernetes or self.settings.kubernetes_version,
        )
        if deckhouse is not None:
            # An upgrade brings the new version's controllers: the era's rules follow the version.
            self.deckhouse_version = eras.parse_version(self.settings.deckhouse_version)
            self.settings = dataclasses.replace(
                self.settings, behaviours=eras.behaviours_for(self.deckhouse_version)
            )
        for controller in self._controller_list:
            controller.settings = self.settings  # type: ignore[attr-defined]
        if deckhouse is not None and self._api is not None:
            with self.manager.exclusive():  # the template change and its observed generation, as one
                self.workload.upgrade()
        if (
            kubernetes is not None
            and self._api is not None
            and self._api.preinstalled(kinds.NODE.api_version, kinds.NODE.kind)
        ):
            self._upgrade_kubelet()
        self.manager.forget_idle()
        self.manager.settle()
