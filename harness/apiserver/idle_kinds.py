"""Built-in kinds served only because kubectl expects every cluster to have them.

``kubectl apply --prune`` without ``--prune-allowlist`` resolves a fixed list of kinds before it
prunes anything (``defaultNamespacedPruneResources`` and ``defaultNonNamespacedPruneResources`` in
``k8s.io/kubectl/pkg/util/prune/prune.go``): ConfigMaps, Endpoints, PersistentVolumeClaims, Pods,
ReplicationControllers, Secrets, Services, Jobs, CronJobs, Ingresses, DaemonSets, Deployments,
ReplicaSets, StatefulSets, Namespaces and PersistentVolumes. One kind missing from discovery and
the whole command fails (``error retrieving RESTMappings to prune: invalid resource /v1,
Kind=Endpoints, Namespaced=true: no matches for kind "Endpoints" in version "v1"``), where a real
cluster lists each kind and prunes what the label selector picks.

The seven kinds the harness did not serve are here: stored, listed, watched and printed with
kube-apiserver's columns (``pkg/printers/internalversion/printers.go``), their fields those of the
1.32 Go types (``data/builtin_fields.json``). Nothing in the simulated cluster reads or writes
them and no controller runs them (a Job never starts a pod, a PersistentVolumeClaim is never
bound), and their ``SetDefaults_*`` and validation are not applied.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from harness.apiserver.ages import age_of, human_duration
from harness.apiserver.catalog import PrinterColumn, ResourceType
from harness.apiserver.job_selector import generate_selector
from harness.apiserver.storage_protection import protect_claim, protect_volume
from harness.kube.objects import Obj
from harness.kube.resources import Resource

__all__ = ["IDLE_TYPES", "job_field_refusal"]

Cell = Callable[[Obj, datetime], Any]


def _col(name: str, kind: str, fn: Cell, priority: int = 0) -> PrinterColumn:
    return PrinterColumn(name=name, type=kind, description=name, priority=priority, compute=fn)


def _get(obj: Any, *path: str) -> Any:
    """The value at ``path``, ``None`` where any step is missing or not an object."""
    for key in path:
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj


def _age(obj: Obj, now: datetime) -> Any:
    return age_of(_get(obj, "metadata", "creationTimestamp"), now)


def _since(stamp: Any, now: datetime) -> Any:
    """``translateTimestampSince`` of a time that may be unset: ``<none>`` then, as the CronJob
    printer writes an absent last schedule."""
    return age_of(stamp, now) if stamp else "<none>"


def _int(value: Any) -> int:
    """A Go int field as the printers read it: an absent one is 0."""
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else 0


def _containers(obj: Obj, key: str, *template: str) -> str:
    """``layoutContainerCells``: the template's containers' names or images, comma-joined."""
    containers = _get(obj, *template, "spec", "containers") or []
    return ",".join(str(c.get(key, "")) for c in containers if isinstance(c, dict))


def _requirement(key: str, op: str, values: list[str]) -> str:
    """One requirement as ``labels.Requirement.String`` writes it (values sorted)."""
    listed = ",".join(sorted(values))
    return {
        "In": f"{key} in ({listed})",
        "NotIn": f"{key} notin ({listed})",
        "Exists": key,
        "DoesNotExist": f"!{key}",
    }.get(op, f"{key} {op} ({listed})")


def _label_selector(selector: Any) -> str:
    """``metav1.FormatLabelSelector``: the requirements sorted by key (``matchLabels`` as
    ``k=v``), comma-joined; ``<none>`` for no selector or an empty one."""
    if not isinstance(selector, dict):
        return "<none>"
    found = [(str(k), f"{k}={v}") for k, v in (selector.get("matchLabels") or {}).items()]
    for expr in selector.get("matchExpressions") or []:
        if isinstance(expr, dict):
            key = str(expr.get("key", ""))
            found.append((key, _requirement(key, str(expr.get("operator", "")), expr.get("values") or [])))
    return ",".join(text for _key, text in sorted(found, key=lambda pair: pair[0])) or "<none>"


def _template_columns(*template: str, selector: tuple[str, ...] | None) -> tuple[PrinterColumn, ...]:
    """What ``-o wide`` adds for an owner of a pod template: its containers, images and (for
    Jobs and CronJobs) its selector."""
    cols = (
        _col("Containers", "string", lambda o, _n: _containers(o, "name", *template), 1),
        _col("Images", "string", lambda o, _n: _containers(o, "image", *template), 1),
    )
    if selector is None:
        return cols
    return (*cols, _col("Selector", "string", lambda o, _n: _label_selector(_get(o, *selector)), 1))


def _endpoints(obj: Obj, _now: datetime) -> str:
    """``formatEndpoints`` with every port: ``ip:port`` of each address and port, at most three
    then ``+ N more...``; an address of a subset without ports alone; ``<none>`` without subsets."""
    subsets = obj.get("subsets") or []
    if not subsets:
        return "<none>"
    shown: list[str] = []
    count = 0
    for subset in subsets:
        addresses = [str(a.get("ip", "")) for a in subset.get("addresses") or []]
        ports = subset.get("ports") or []
        pairs: list[tuple[str, int | None]] = [(ip, None) for ip in addresses] if not ports else []
        for port in ports:
            pairs += [(ip, _int(port.get("port"))) for ip in addresses]
        count += len(pairs)
        for ip, port in pairs:
            if len(shown) == 3:
                break
            shown.append(ip if port is None else (f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"))
    text = ",".join(shown)
    return f"{text} + {count - 3} more..." if count > 3 else text


_MODES = (
    ("ReadWriteOnce", "RWO"),
    ("ReadOnlyMany", "ROX"),
    ("ReadWriteMany", "RWX"),
    ("ReadWriteOncePod", "RWOP"),
)


def _access_modes(modes: Any) -> str:
    """``GetAccessModesAsString``: the short names in a fixed order, each once."""
    given = set(modes or [])
    return ",".join(short for mode, short in _MODES if mode in given)


def _storage_class(obj: Obj) -> str:
    """The beta annotation when set, else ``spec.storageClassName``."""
    annotated = _get(obj, "metadata", "annotations", "volume.beta.kubernetes.io/storage-class")
    return str(annotated if annotated is not None else _get(obj, "spec", "storageClassName") or "")


def _terminating_or(obj: Obj, phase: Any) -> str:
    return "Terminating" if _get(obj, "metadata", "deletionTimestamp") else str(phase or "")


def _unset(value: Any) -> str:
    return "<unset>" if value is None else str(value)


def _pvc_columns() -> tuple[PrinterColumn, ...]:
    """``printPersistentVolumeClaim``: capacity and access modes only once bound to a volume."""

    def bound(o: Obj) -> bool:
        return bool(_get(o, "spec", "volumeName"))

    return (
        _col("Status", "string", lambda o, _n: _terminating_or(o, _get(o, "status", "phase"))),
        _col("Volume", "string", lambda o, _n: str(_get(o, "spec", "volumeName") or "")),
        _col(
            "Capacity",
            "string",
            lambda o, _n: str(_get(o, "status", "capacity", "storage") or "") if bound(o) else "",
        ),
        _col(
            "Access Modes",
            "string",
            lambda o, _n: _access_modes(_get(o, "status", "accessModes")) if bound(o) else "",
        ),
        _col("StorageClass", "string", lambda o, _n: _storage_class(o)),
        _col(
            "VolumeAttributesClass",
            "string",
            lambda o, _n: _unset(_get(o, "spec", "volumeAttributesClassName")),
        ),
        _col("Age", "string", _age),
        _col("VolumeMode", "string", lambda o, _n: _unset(_get(o, "spec", "volumeMode")), 1),
    )


def _claim(obj: Obj) -> str:
    ref = _get(obj, "spec", "claimRef")
    return f"{ref.get('namespace', '')}/{ref.get('name', '')}" if isinstance(ref, dict) else ""


def _pv_columns() -> tuple[PrinterColumn, ...]:
    """``printPersistentVolume``."""
    return (
        _col("Capacity", "string", lambda o, _n: str(_get(o, "spec", "capacity", "storage") or "0")),
        _col("Access Modes", "string", lambda o, _n: _access_modes(_get(o, "spec", "accessModes"))),
        _col(
            "Reclaim Policy",
            "string",
            lambda o, _n: str(_get(o, "spec", "persistentVolumeReclaimPolicy") or ""),
        ),
        _col("Status", "string", lambda o, _n: _terminating_or(o, _get(o, "status", "phase"))),
        _col("Claim", "string", lambda o, _n: _claim(o)),
        _col("StorageClass", "string", lambda o, _n: _storage_class(o)),
        _col(
            "VolumeAttributesClass",
            "string",
            lambda o, _n: _unset(_get(o, "spec", "volumeAttributesClassName")),
        ),
        _col("Reason", "string", lambda o, _n: str(_get(o, "status", "reason") or "")),
        _col("Age", "string", _age),
        _col("VolumeMode", "string", lambda o, _n: _unset(_get(o, "spec", "volumeMode")), 1),
    )


_JOB_ENDS = ("Complete", "Failed")
_JOB_PAUSES = ("Suspended", "FailureTarget")


def _has_condition(obj: Obj, kind: str) -> bool:
    conditions = _get(obj, "status", "conditions") or []
    return any(c.get("type") == kind and c.get("status") == "True" for c in conditions if isinstance(c, dict))


def _job_status(obj: Obj, _now: datetime) -> str:
    """Complete, Failed, Terminating, Suspended, FailureTarget, else Running, in that order."""
    for condition in _JOB_ENDS:
        if _has_condition(obj, condition):
            return condition
    if _get(obj, "metadata", "deletionTimestamp"):
        return "Terminating"
    for condition in _JOB_PAUSES:
        if _has_condition(obj, condition):
            return condition
    return "Running"


def _job_completions(obj: Obj, _now: datetime) -> str:
    """``succeeded/completions``; without completions ``n/1``, or ``n/1 of p`` for parallelism p > 1."""
    succeeded = _int(_get(obj, "status", "succeeded"))
    completions = _get(obj, "spec", "completions")
    if isinstance(completions, int):
        return f"{succeeded}/{completions}"
    parallelism = _int(_get(obj, "spec", "parallelism"))
    return f"{succeeded}/1 of {parallelism}" if parallelism > 1 else f"{succeeded}/1"


def _parse(stamp: Any) -> datetime | None:
    if not isinstance(stamp, str):
        return None
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None


def _job_duration(obj: Obj, now: datetime) -> str:
    """From the start to the completion, or to now while running; empty before the start."""
    start = _parse(_get(obj, "status", "startTime"))
    if start is None:
        return ""
    end = _parse(_get(obj, "status", "completionTime")) or now
    return human_duration((end - start).total_seconds())


def _bool_ptr(value: Any) -> str:
    """``printBoolPtr``: ``<unset>`` for nil, else ``True`` or ``False``."""
    return "<unset>" if value is None else ("True" if value else "False")


def _cronjob_columns() -> tuple[PrinterColumn, ...]:
    """``printCronJob``."""
    return (
        _col("Schedule", "string", lambda o, _n: str(_get(o, "spec", "schedule") or "")),
        _col("Timezone", "string", lambda o, _n: str(_get(o, "spec", "timeZone") or "<none>")),
        _col("Suspend", "boolean", lambda o, _n: _bool_ptr(_get(o, "spec", "suspend"))),
        _col("Active", "integer", lambda o, _n: len(_get(o, "status", "active") or [])),
        _col("Last Schedule", "string", lambda o, n: _since(_get(o, "status", "lastScheduleTime"), n)),
        _col("Age", "string", _age),
        *_template_columns(
            "spec", "jobTemplate", "spec", "template", selector=("spec", "jobTemplate", "spec", "selector")
        ),
    )


def _hosts(obj: Obj, _now: datetime) -> str:
    """``formatHosts``: the first three rules' hosts, ``+ N more...``, ``*`` when none has one."""
    rules = _get(obj, "spec", "rules") or []
    hosts: list[str] = []
    more = False
    for rule in rules:
        if len(hosts) == 3:
            more = True
        if not more and rule.get("host"):
            hosts.append(str(rule["host"]))
    if not hosts:
        return "*"
    text = ",".join(hosts)
    return f"{text} + {len(rules) - 3} more..." if more else text


def _ingress_address(obj: Obj, _now: datetime) -> str:
    """The load balancer's IPs (or host names) sorted and deduplicated, cut to 16 characters
    (``ingressLoadBalancerStatusStringer`` for the narrow table)."""
    found = {
        str(i.get("ip") or i.get("hostname"))
        for i in _get(obj, "status", "loadBalancer", "ingress") or []
        if isinstance(i, dict) and (i.get("ip") or i.get("hostname"))
    }
    text = ",".join(sorted(found))
    return text[:13] + "..." if len(text) > 16 else text


def _ingress_columns() -> tuple[PrinterColumn, ...]:
    """``printIngress``."""
    return (
        _col("Class", "string", lambda o, _n: str(_get(o, "spec", "ingressClassName") or "<none>")),
        _col("Hosts", "string", _hosts),
        _col("Address", "string", _ingress_address),
        _col("Ports", "string", lambda o, _n: "80, 443" if _get(o, "spec", "tls") else "80"),
        _col("Age", "string", _age),
    )


def _listed(items: list[str], count: int) -> str:
    """``listWithMoreString``: the first three, ``+ N more...``, ``<unset>`` for none."""
    text = ",".join(items[:3])
    if count > 3:
        return f"{text} + {count - 3} more..."
    return text or "<unset>"


def _slice_ports(obj: Obj, _now: datetime) -> str:
    """``formatDiscoveryPorts``: each port's number, else its name, else ``*``."""
    ports = [p for p in obj.get("ports") or [] if isinstance(p, dict)]
    shown = [str(p["port"]) if p.get("port") is not None else str(p.get("name") or "*") for p in ports]
    return _listed(shown, len(shown))


def _slice_endpoints(obj: Obj, _now: datetime) -> str:
    """``formatDiscoveryEndpoints``: every endpoint's addresses."""
    addresses = [
        str(a) for e in obj.get("endpoints") or [] if isinstance(e, dict) for a in e.get("addresses") or []
    ]
    return _listed(addresses, len(addresses))


def job_field_refusal(label: str) -> str:
    """The words of the Job kind's own field label conversion (``pkg/apis/batch/v1/conversion.go``)."""
    return f'field label "{label}" not supported for batchv1.Job'


def _stored(
    group: str, plural: str, kind: str, namespaced: bool, short: tuple[str, ...], **kw: Any
) -> ResourceType:
    kw.setdefault("field_label_conversion", False)
    return ResourceType(
        Resource(group, "v1", plural, kind, namespaced),
        kind.lower(),
        "v1",
        short_names=short,
        custom=False,
        **kw,
    )


IDLE_TYPES: tuple[ResourceType, ...] = (
    _stored(
        "",
        "endpoints",
        "Endpoints",
        True,
        ("ep",),
        generation="none",
        columns=(_col("Endpoints", "string", _endpoints), _col("Age", "string", _age)),
    ),
    _stored(
        "",
        "persistentvolumeclaims",
        "PersistentVolumeClaim",
        True,
        ("pvc",),
        generation="none",
        prepare_create=protect_claim,
        status_subresource=True,
        columns=_pvc_columns(),
    ),
    _stored(
        "",
        "persistentvolumes",
        "PersistentVolume",
        False,
        ("pv",),
        generation="none",
        prepare_create=protect_volume,
        status_subresource=True,
        columns=_pv_columns(),
    ),
    _stored(
        "batch",
        "jobs",
        "Job",
        True,
        (),
        categories=("all",),
        status_subresource=True,
        field_label_conversion=True,
        field_labels=("status.successful",),
        field_refusal=job_field_refusal,
        prepare_create=generate_selector,
        columns=(
            _col("Status", "string", _job_status),
            _col("Completions", "string", _job_completions),
            _col("Duration", "string", _job_duration),
            _col("Age", "string", _age),
            *_template_columns("spec", "template", selector=("spec", "selector")),
        ),
    ),
    _stored(
        "batch",
        "cronjobs",
        "CronJob",
        True,
        ("cj",),
        categories=("all",),
        status_subresource=True,
        columns=_cronjob_columns(),
    ),
    _stored(
        "networking.k8s.io",
        "ingresses",
        "Ingress",
        True,
        ("ing",),
        status_subresource=True,
        columns=_ingress_columns(),
    ),
    _stored(
        "discovery.k8s.io",
        "endpointslices",
        "EndpointSlice",
        True,
        (),
        columns=(
            _col("AddressType", "string", lambda o, _n: str(o.get("addressType") or "")),
            _col("Ports", "string", _slice_ports),
            _col("Endpoints", "string", _slice_endpoints),
            _col("Age", "string", _age),
        ),
    ),
    _stored(
        "apps",
        "statefulsets",
        "StatefulSet",
        True,
        ("sts",),
        categories=("all",),
        status_subresource=True,
        columns=(
            _col(
                "Ready",
                "string",
                lambda o, _n: (
                    f"{_int(_get(o, 'status', 'readyReplicas'))}/{_int(_get(o, 'spec', 'replicas'))}"
                ),
            ),
            _col("Age", "string", _age),
            *_template_columns("spec", "template", selector=None),
        ),
    ),
)
"""Endpoints, PersistentVolumeClaims, PersistentVolumes, Jobs, CronJobs, Ingresses,
EndpointSlices (``printEndpointSlice``: ``formatDiscoveryPorts``, ``formatDiscoveryEndpoints``; a
generation moved by every change, as its strategy does) and StatefulSets, with their short names,
the ``all`` category where kubectl's ``get all`` finds them (Jobs, CronJobs, StatefulSets) and the
generation their strategies keep (none for the three core kinds)."""
