"""What the server serves: one :class:`ResourceType` per group/version/resource, and the catalogue.

Objects are stored once per group/resource (in the storage version) and read through any served
version; with conversion strategy ``None`` only ``apiVersion`` differs between versions, which is
how every DKP CRD is declared. Built-in kinds (namespaces, pods, events, secrets, service
accounts, configmaps, services, deployments, replica sets, daemon sets, replication controllers,
the access reviews) are described here by hand (Leases in :mod:`harness.apiserver.leases`);
custom kinds come from :mod:`harness.apiserver.crds`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from harness.apiserver.access_reviews import REVIEWS
from harness.apiserver.ages import age_of
from harness.apiserver.schema import StructuralSchema
from harness.kube.errors import NotFound
from harness.kube.objects import Obj
from harness.kube.resources import Resource
from harness.kube.selectors import FieldSelector, unsupported_field_label

__all__ = ["Catalog", "Generation", "PrinterColumn", "ResourceType", "core_types", "version_priority"]

CellFn = Callable[[Obj, datetime], Any]
Generation = Literal["none", "spec", "spec-and-annotations"]
"""When kube-apiserver's strategy for a kind sets ``metadata.generation``: never (ConfigMaps,
Secrets, Namespaces, Pods in 1.32, Services, Nodes, Events); 1 on create, then one more on each
change outside metadata and status (custom resources, ReplicaSets); or on annotation changes too
(Deployments, whose annotations are copied to their ReplicaSets)."""


@dataclass(frozen=True)
class PrinterColumn:
    """A Table column: a CRD ``additionalPrinterColumns`` entry, or a built-in printer cell."""

    name: str
    type: str
    json_path: str = ""
    description: str = ""
    priority: int = 0
    format: str = ""
    compute: CellFn | None = field(default=None, compare=False)


@dataclass(frozen=True, eq=False)
class ResourceType:
    """One served group/version/resource and the rules that apply to its writes."""

    resource: Resource
    singular: str
    storage_version: str
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    status_subresource: bool = False
    subresources: tuple[str, ...] = ()
    columns: tuple[PrinterColumn, ...] = ()
    schema: StructuralSchema | None = None
    custom: bool = True
    deprecation_warning: str | None = None
    read_only: bool = False
    """Served for reading only (get, list, watch): the CustomResourceDefinitions
    (:mod:`harness.apiserver.definitions`); every write is a 405."""
    field_labels: tuple[str, ...] = ()
    """Field selector paths offered besides ``metadata.name``/``metadata.namespace`` (kube-apiserver's
    per-kind field labels: a pod's ``spec.nodeName``, ``status.phase``; ``kubectl describe node``
    lists the node's pods with them)."""
    create_only: bool = False
    """Answered, never stored: the access reviews (:mod:`harness.apiserver.access_reviews`);
    create is the only verb, anything else is a 405."""
    field_label_conversion: bool = True
    """Whether kube-apiserver registers a field label conversion for the kind (custom resources,
    pods, nodes, events, namespaces, secrets, services do; ConfigMaps, Deployments, ReplicaSets do
    not): it decides whether ``metadata.namespace`` of a cluster-scoped kind may be selected, and
    the wording of a refused field (:meth:`field_selector`)."""
    field_refusal: Callable[[str], str] | None = None
    """The words of a kind's own field label conversion when they are not the common
    ``field label not supported: <label>`` (a Job's: ``field label "x" not supported for
    batchv1.Job``)."""
    returns_deleted_object: bool = False
    """A delete that removes the object answers with the object, not a ``Status``: pods and
    service accounts (``ReturnDeletedObject`` in ``pkg/registry/core/pod/storage/storage.go``,
    ``pkg/registry/core/serviceaccount/storage/storage.go``)."""
    generation: Generation = "spec"
    """Which changes move ``metadata.generation`` (see :data:`Generation`)."""
    create_on_update: bool = False
    """A PUT to a name nothing is stored under creates the object (201) instead of a 404: the
    strategy's ``AllowCreateOnUpdate`` (Leases; ``k8s.io/apiserver``'s ``Store.Update``)."""
    name_column_first: bool = True
    """Whether a Table starts with the ``Name`` column, as kube-apiserver's printers (and every
    custom resource's) do; an Event's has it last, shown only by ``-o wide`` (``printEvent``)."""
    conditional_update: bool = False
    """A PUT must carry the stored ``resourceVersion`` (no ``AllowUnconditionalUpdate``): custom
    resources always, built-ins whose strategy says so (Leases)."""
    prepare_create: Callable[[Obj], None] | None = None
    """What the kind's strategy or a mutating admission plugin adds on create once the object has
    its uid, after the field manager recorded the request (so no manager owns it): a Job's
    generated selector (:mod:`.job_selector`), a volume's or claim's protection finalizer
    (:mod:`.storage_protection`)."""
    key: tuple[str, str] = field(init=False, repr=False)
    """Storage key: the group/resource, shared by all versions (worked out once: every request
    reads it several times)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", (self.resource.group, self.resource.plural))

    @property
    def qualified_kind(self) -> str:
        """``ModuleSource.deckhouse.io`` as used in 422 messages (``Pod`` for the core group)."""
        r = self.resource
        return f"{r.kind}.{r.group}" if r.group else r.kind

    def field_selector(self, text: str | None) -> FieldSelector:
        """``text`` parsed with this kind's field labels, refused as kube-apiserver refuses it."""
        if not self.field_label_conversion:
            return FieldSelector.parse(text, self.field_labels)
        namespace = self.resource.namespaced
        refuse = self.field_refusal or unsupported_field_label
        return FieldSelector.parse(text, self.field_labels, namespace=namespace, refuse=refuse)

    def all_subresources(self) -> tuple[str, ...]:
        return (("status",) if self.status_subresource else ()) + self.subresources


_VERSION_RE = re.compile(r"^v(\d+)(?:(alpha|beta)(\d+))?$")


def version_priority(version: str) -> tuple[int, int, int, str]:
    """Sort key putting the version kube-apiserver prefers first (v1 > v1beta2 > v1alpha1 > other)."""
    m = _VERSION_RE.match(version)
    if not m:
        return (3, 0, 0, version)
    stage = {None: 0, "beta": 1, "alpha": 2}[m[2]]
    return (stage, -int(m[1]), -int(m[3] or 0), version)


class Catalog:
    """Lookup of served resources by path, by apiVersion/kind and by group."""

    def __init__(self, types: Iterable[ResourceType]) -> None:
        self._by_gvr: dict[tuple[str, str, str], ResourceType] = {}
        self._by_gvk: dict[tuple[str, str], ResourceType] = {}
        self._storage: dict[tuple[str, str], ResourceType] = {}
        self._single: dict[tuple[str, str], bool] = {}
        for rt in types:
            r = rt.resource
            self._by_gvr[(r.group, r.version, r.plural)] = rt
            self._by_gvk[(r.api_version, r.kind)] = rt

    def types(self) -> list[ResourceType]:
        return list(self._by_gvr.values())

    def lookup(self, group: str, version: str, plural: str) -> ResourceType:
        rt = self._by_gvr.get((group, version, plural))
        if rt is None:
            raise NotFound("the server could not find the requested resource")
        return rt

    def find(self, group: str, version: str, plural: str) -> ResourceType | None:
        return self._by_gvr.get((group, version, plural))

    def resolve(self, api_version: str, kind: str) -> ResourceType:
        rt = self._by_gvk.get((api_version, kind))
        if rt is None:
            raise NotFound(f'no matches for kind "{kind}" in version "{api_version}"')
        return rt

    def versions(self, group: str) -> list[str]:
        """Served versions of ``group``, preferred first."""
        found = {v for (g, v, _p) in self._by_gvr if g == group}
        return sorted(found, key=version_priority)

    def groups(self) -> list[str]:
        """Named groups in a stable order (the core group ``""`` excluded)."""
        return sorted({g for (g, _v, _p) in self._by_gvr if g})

    def in_version(self, group: str, version: str) -> list[ResourceType]:
        return [rt for (g, v, _p), rt in self._by_gvr.items() if g == group and v == version]

    def single_version(self, key: tuple[str, str]) -> bool:
        """Whether ``key`` is served in one version only, so every stored object of it was
        admitted by the schema its next write is admitted by (no CRD changes at run time)."""
        found = self._single.get(key)
        if found is None:
            found = sum(1 for rt in self._by_gvr.values() if rt.key == key) == 1
            self._single[key] = found
        return found

    def storage_type(self, key: tuple[str, str]) -> ResourceType:
        """The type whose version objects of ``key`` are stored in (looked up on every write: cached)."""
        found = self._storage.get(key)
        if found is None:
            found = self._find_storage_type(key)
            self._storage[key] = found
        return found

    def _find_storage_type(self, key: tuple[str, str]) -> ResourceType:
        for (g, v, p), rt in self._by_gvr.items():
            if (g, p) == key and v == rt.storage_version:
                return rt
        return next(rt for (g, _v, p), rt in self._by_gvr.items() if (g, p) == key)


def _age(obj: Obj, now: datetime) -> Any:
    return age_of(obj.get("metadata", {}).get("creationTimestamp"), now)


def _pod_ready(obj: Obj, _now: datetime) -> str:
    statuses = obj.get("status", {}).get("containerStatuses") or []
    total = len(obj.get("spec", {}).get("containers") or [])
    return f"{sum(1 for s in statuses if s.get('ready'))}/{total}"


def _pod_restarts(obj: Obj, _now: datetime) -> int:
    return sum(int(s.get("restartCount", 0)) for s in obj.get("status", {}).get("containerStatuses") or [])


def _data_count(obj: Obj, _now: datetime) -> int:
    return len(obj.get("data") or {}) + len(obj.get("binaryData") or {})


# An Event's cells as ``printEvent`` (``pkg/printers/internalversion/printers.go``) makes them.


def _event_object(obj: Obj, _now: datetime) -> str:
    """``kind/name`` of the involved object, lowercase kind; the kind alone without a name."""
    ref = obj.get("involvedObject") or {}
    kind = str(ref.get("kind", "")).lower()
    return f"{kind}/{ref['name']}" if ref.get("name") else kind


def _seen(stamp: Any, now: datetime) -> Any:
    """``translateTimestampSince``: the age, or ``<unknown>`` for a zero (absent) time."""
    return age_of(stamp, now) if stamp else "<unknown>"


def _event_first_seen(obj: Obj, now: datetime) -> Any:
    """``firstTimestamp``, else the newer API's ``eventTime``."""
    return _seen(obj.get("firstTimestamp") or obj.get("eventTime"), now)


def _event_last_seen(obj: Obj, now: datetime) -> Any:
    """A series' last observation, else ``lastTimestamp``, else when it was first seen."""
    series = obj.get("series")
    if isinstance(series, dict):
        return _seen(series.get("lastObservedTime"), now)
    last = obj.get("lastTimestamp")
    return _seen(last, now) if last else _event_first_seen(obj, now)


def _event_count(obj: Obj, _now: datetime) -> int:
    """A series' count, else ``count``, where 0 (a singleton of the newer API) is 1."""
    series = obj.get("series")
    if isinstance(series, dict):
        return int(series.get("count") or 0)
    return int(obj.get("count") or 0) or 1


def _event_source(obj: Obj, _now: datetime) -> str:
    """``formatEventSource``: the component (or reporting controller), then ``, host`` (or the
    reporting instance) when there is one."""
    source = obj.get("source") or {}
    component = str(source.get("component") or obj.get("reportingComponent") or "")
    instance = str(source.get("host") or obj.get("reportingInstance") or "")
    return f"{component}, {instance}" if instance else component


def _event_columns() -> tuple[PrinterColumn, ...]:
    """``kubectl get events``' columns; ``-o wide`` adds the sub-object, the source, the first
    sighting, the count and the name (an Event's table has no name column of its own)."""
    return (
        _col("Last Seen", "string", _event_last_seen),
        _path("Type", "string", ".type"),
        _path("Reason", "string", ".reason"),
        _col("Object", "string", _event_object),
        _path("Subobject", "string", ".involvedObject.fieldPath", 1),
        _col("Source", "string", _event_source, 1),
        _col("Message", "string", lambda o, _n: str(o.get("message") or "").strip()),
        _col("First Seen", "string", _event_first_seen, 1),
        _col("Count", "string", _event_count, 1),
    )


def _replicas_ready(obj: Obj, _now: datetime) -> str:
    status, spec = obj.get("status", {}), obj.get("spec", {})
    return f"{int(status.get('readyReplicas', 0))}/{int(spec.get('replicas', 1))}"


def _count(obj: Obj, part: str, key: str) -> int:
    return int((obj.get(part) or {}).get(key) or 0)


def _template_containers(obj: Obj, key: str) -> str:
    containers = obj.get("spec", {}).get("template", {}).get("spec", {}).get("containers") or []
    return ",".join(str(c.get(key, "")) for c in containers)


def _selector(obj: Obj, _now: datetime) -> str:
    labels = obj.get("spec", {}).get("selector", {}).get("matchLabels") or {}
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items()))


# kube-apiserver's field labels of these kinds (pkg/apis/core/v1/conversion.go; services' two
# since 1.30 and 1.31).
_POD_FIELDS = (
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.schedulerName",
    "spec.serviceAccountName",
    "spec.hostNetwork",
    "status.phase",
    "status.podIP",
    "status.nominatedNodeName",
)
_EVENT_FIELDS = (
    "involvedObject.kind",
    "involvedObject.namespace",
    "involvedObject.name",
    "involvedObject.uid",
    "involvedObject.apiVersion",
    "involvedObject.resourceVersion",
    "involvedObject.fieldPath",
    "reason",
    "reportingComponent",
    "type",
)


def _or_none(value: Any) -> str:
    """kube-apiserver's pod table prints ``<none>`` for an empty cell."""
    return str(value) if value else "<none>"


def _readiness_gates(obj: Obj, _now: datetime) -> str:
    """``<ready>/<gates>`` of the pod's readiness gates, ``<none>`` without any."""
    gates = (obj.get("spec") or {}).get("readinessGates") or []
    if not gates:
        return "<none>"
    conditions = {c.get("type"): c.get("status") for c in (obj.get("status") or {}).get("conditions") or []}
    ready = sum(1 for gate in gates if conditions.get(gate.get("conditionType")) == "True")
    return f"{ready}/{len(gates)}"


def _node_status(obj: Obj, _now: datetime) -> str:
    """kubectl's node STATUS: the Ready condition, then ``SchedulingDisabled`` when cordoned."""
    conditions = (obj.get("status") or {}).get("conditions") or []
    ready = next((c for c in conditions if c.get("type") == "Ready"), None)
    text = "Unknown" if ready is None else ("Ready" if ready.get("status") == "True" else "NotReady")
    return text + (",SchedulingDisabled" if (obj.get("spec") or {}).get("unschedulable") else "")


def _node_roles(obj: Obj, _now: datetime) -> str:
    labels = (obj.get("metadata") or {}).get("labels") or {}
    prefix = "node-role.kubernetes.io/"
    roles = sorted(key[len(prefix) :] for key in labels if key.startswith(prefix) and key != prefix)
    return ",".join(roles) or "<none>"


def _node_address(obj: Obj, kind: str) -> str:
    for address in (obj.get("status") or {}).get("addresses") or []:
        if address.get("type") == kind:
            return str(address.get("address") or "<none>")
    return "<none>"


def _cluster_ip(obj: Obj, _now: datetime) -> str:
    """``printService``: the first of ``clusterIPs``, ``<none>`` without (an ExternalName)."""
    ips = (obj.get("spec") or {}).get("clusterIPs") or []
    return str(ips[0]) if ips else "<none>"


def _external_ips(obj: Obj, _now: datetime) -> str:
    """``getServiceExternalIP`` of kubectl's printers: by the Service's type."""
    spec = obj.get("spec") or {}
    external = [str(ip) for ip in spec.get("externalIPs") or [] if ip]
    kind = spec.get("type")
    if kind == "ExternalName":
        return str(spec.get("externalName") or "")
    if kind in ("ClusterIP", "NodePort"):
        return ",".join(external) or "<none>"
    if kind == "LoadBalancer":
        ingress = (obj.get("status") or {}).get("loadBalancer", {}).get("ingress") or []
        balanced = [
            str(i.get("ip") or i.get("hostname")) for i in ingress if i.get("ip") or i.get("hostname")
        ]
        return ",".join(balanced + external) or "<pending>"
    return "<unknown>"


def _service_ports(obj: Obj, _now: datetime) -> str:
    ports = []
    for port in (obj.get("spec") or {}).get("ports") or []:
        node = f":{port['nodePort']}" if port.get("nodePort") else ""
        ports.append(f"{port.get('port')}{node}/{port.get('protocol') or 'TCP'}")
    return ",".join(ports) or "<none>"


def _service_selector(obj: Obj, _now: datetime) -> str:
    selector = (obj.get("spec") or {}).get("selector") or {}
    return ",".join(f"{k}={v}" for k, v in sorted(selector.items())) or "<none>"


def _col(name: str, kind: str, fn: CellFn, priority: int = 0) -> PrinterColumn:
    return PrinterColumn(name=name, type=kind, description=name, priority=priority, compute=fn)


def _path(name: str, kind: str, json_path: str, priority: int = 0) -> PrinterColumn:
    return PrinterColumn(name=name, type=kind, json_path=json_path, description=name, priority=priority)


def core_types() -> list[ResourceType]:
    """The built-in kinds the documented workflows touch, with kubectl's usual columns."""

    def core(plural: str, kind: str, namespaced: bool, short: tuple[str, ...], **kw: Any) -> ResourceType:
        res = Resource("", "v1", plural, kind, namespaced)
        kw.setdefault("generation", "none")
        return ResourceType(res, kind.lower(), "v1", short_names=short, custom=False, **kw)

    age = _col("Age", "string", _age)
    return [
        core(
            "namespaces",
            "Namespace",
            False,
            ("ns",),
            status_subresource=True,
            field_labels=("status.phase",),
            columns=(_path("Status", "string", ".status.phase"), age),
        ),
        core(
            "pods",
            "Pod",
            True,
            ("po",),
            status_subresource=True,
            subresources=("log", "exec", "attach", "portforward"),
            returns_deleted_object=True,
            categories=("all",),
            field_labels=_POD_FIELDS,
            columns=(
                _col("Ready", "string", _pod_ready),
                _path("Status", "string", ".status.phase"),
                _col("Restarts", "integer", _pod_restarts),
                age,
                _col("IP", "string", lambda o, _n: _or_none((o.get("status") or {}).get("podIP")), 1),
                _col("Node", "string", lambda o, _n: _or_none((o.get("spec") or {}).get("nodeName")), 1),
                _col(
                    "Nominated Node",
                    "string",
                    lambda o, _n: _or_none((o.get("status") or {}).get("nominatedNodeName")),
                    1,
                ),
                _col("Readiness Gates", "string", _readiness_gates, 1),
            ),
        ),
        core(
            "events",
            "Event",
            True,
            ("ev",),
            field_labels=_EVENT_FIELDS,
            name_column_first=False,
            columns=_event_columns(),
        ),
        core(
            "secrets",
            "Secret",
            True,
            (),
            field_labels=("type",),
            columns=(_path("Type", "string", ".type"), _col("Data", "integer", _data_count), age),
        ),
        core(
            "serviceaccounts",
            "ServiceAccount",
            True,
            ("sa",),
            field_label_conversion=False,
            returns_deleted_object=True,  # ReturnDeletedObject in its registry, as pods
            subresources=("token",),  # TokenRequest: harness.apiserver.token_requests
            # printServiceAccount: the count of ``secrets``, declared a string column upstream
            columns=(_col("Secrets", "string", lambda o, _n: len(o.get("secrets") or [])), age),
        ),
        core(
            "configmaps",
            "ConfigMap",
            True,
            ("cm",),
            field_label_conversion=False,
            columns=(_col("Data", "integer", _data_count), age),
        ),
        core(
            "nodes",
            "Node",
            False,
            ("no",),
            status_subresource=True,
            field_labels=("spec.unschedulable",),
            columns=(
                _col("Status", "string", _node_status),
                _col("Roles", "string", _node_roles),
                age,
                _path("Version", "string", ".status.nodeInfo.kubeletVersion"),
                _col("Internal-IP", "string", lambda o, _n: _node_address(o, "InternalIP"), 1),
                _col("External-IP", "string", lambda o, _n: _node_address(o, "ExternalIP"), 1),
                _path("OS-Image", "string", ".status.nodeInfo.osImage", 1),
                _path("Kernel-Version", "string", ".status.nodeInfo.kernelVersion", 1),
                _path("Container-Runtime", "string", ".status.nodeInfo.containerRuntimeVersion", 1),
            ),
        ),
        core(
            "services",
            "Service",
            True,
            ("svc",),
            status_subresource=True,
            categories=("all",),
            field_labels=("spec.clusterIP", "spec.type"),
            columns=(
                _path("Type", "string", ".spec.type"),
                _col("Cluster-IP", "string", _cluster_ip),
                _col("External-IP", "string", _external_ips),
                _col("Port(s)", "string", _service_ports),
                age,
                _col("Selector", "string", _service_selector, 1),
            ),
        ),
        core(
            "replicationcontrollers",
            "ReplicationController",
            True,
            ("rc",),
            status_subresource=True,
            subresources=("scale",),
            categories=("all",),
            field_labels=("status.replicas",),
            generation="spec",
            columns=(
                _col("Desired", "integer", lambda o, _n: _count(o, "spec", "replicas")),
                _col("Current", "integer", lambda o, _n: _count(o, "status", "replicas")),
                _col("Ready", "integer", lambda o, _n: _count(o, "status", "readyReplicas")),
                age,
                _col("Containers", "string", lambda o, _n: _template_containers(o, "name"), 1),
                _col("Images", "string", lambda o, _n: _template_containers(o, "image"), 1),
                _col("Selector", "string", lambda o, _n: _label_map(o, ("spec", "selector")), 1),
            ),
        ),
        _deployments(age),
        _replica_sets(age),
        _daemon_sets(age),
        *_reviews(),
    ]


def _reviews() -> list[ResourceType]:
    """The create-only access reviews ``kubectl auth whoami`` and ``kubectl auth can-i`` post."""
    return [
        ResourceType(review, review.kind.lower(), "v1", custom=False, create_only=True) for review in REVIEWS
    ]


def _replica_sets(age: PrinterColumn) -> ResourceType:
    """``apps/v1`` ReplicaSets, with ``kubectl get rs``'s columns (wide adds the last three)."""
    return ResourceType(
        Resource("apps", "v1", "replicasets", "ReplicaSet", True),
        "replicaset",
        "v1",
        short_names=("rs",),
        categories=("all",),
        status_subresource=True,
        subresources=("scale",),
        custom=False,
        field_label_conversion=False,
        columns=(
            # kubectl's printer reads Go ints: a count the API omits (omitempty) is 0, never <none>
            _col("Desired", "integer", lambda o, _n: _count(o, "spec", "replicas")),
            _col("Current", "integer", lambda o, _n: _count(o, "status", "replicas")),
            _col("Ready", "integer", lambda o, _n: _count(o, "status", "readyReplicas")),
            age,
            *_template_columns(),
        ),
    )


def _label_map(obj: Obj, path: tuple[str, ...]) -> str:
    """apimachinery's ``labels.FormatLabels`` of the string map at ``path``: ``k=v`` pairs by key,
    ``<none>`` when there are none."""
    found: Any = obj
    for key in path:
        found = found.get(key) if isinstance(found, dict) else None
    pairs = sorted(found.items()) if isinstance(found, dict) else []
    return ",".join(f"{k}={v}" for k, v in pairs) or "<none>"


def _daemon_sets(age: PrinterColumn) -> ResourceType:
    """``apps/v1`` DaemonSets with ``kubectl get ds``'s columns (``printDaemonSet`` in
    ``pkg/printers/internalversion/printers.go``; wide adds the last three). No controller runs
    them: the cluster has none, but ``kubectl cluster-info dump`` and ``kubectl get all`` list
    the kind in every namespace, and a real cluster answers with an empty list."""
    return ResourceType(
        Resource("apps", "v1", "daemonsets", "DaemonSet", True),
        "daemonset",
        "v1",
        short_names=("ds",),
        categories=("all",),
        status_subresource=True,
        custom=False,
        field_label_conversion=False,
        columns=(
            _col("Desired", "integer", lambda o, _n: _count(o, "status", "desiredNumberScheduled")),
            _col("Current", "integer", lambda o, _n: _count(o, "status", "currentNumberScheduled")),
            _col("Ready", "integer", lambda o, _n: _count(o, "status", "numberReady")),
            _col("Up-to-date", "integer", lambda o, _n: _count(o, "status", "updatedNumberScheduled")),
            _col("Available", "integer", lambda o, _n: _count(o, "status", "numberAvailable")),
            _col(
                "Node Selector",
                "string",
                lambda o, _n: _label_map(o, ("spec", "template", "spec", "nodeSelector")),
            ),
            age,
            *_template_columns(),
        ),
    )


def _template_columns() -> tuple[PrinterColumn, ...]:
    """What ``-o wide`` adds for a pod template's owner (a Deployment, a ReplicaSet)."""
    return (
        _col("Containers", "string", lambda o, _n: _template_containers(o, "name"), 1),
        _col("Images", "string", lambda o, _n: _template_containers(o, "image"), 1),
        _col("Selector", "string", _selector, 1),
    )


def _deployments(age: PrinterColumn) -> ResourceType:
    """``apps/v1`` Deployments, with ``kubectl get deploy``'s columns (wide adds the last three)."""
    return ResourceType(
        Resource("apps", "v1", "deployments", "Deployment", True),
        "deployment",
        "v1",
        short_names=("deploy",),
        categories=("all",),
        status_subresource=True,
        subresources=("scale",),
        custom=False,
        field_label_conversion=False,
        generation="spec-and-annotations",
        columns=(
            _col("Ready", "string", _replicas_ready),
            _col("Up-to-date", "integer", lambda o, _n: _count(o, "status", "updatedReplicas")),
            _col("Available", "integer", lambda o, _n: _count(o, "status", "availableReplicas")),
            age,
            *_template_columns(),
        ),
    )
