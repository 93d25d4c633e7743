"""The defaults kube-apiserver fills into built-in objects, so what it serves back reads as real.

A Deployment created by ``kubectl create deployment`` carries five fields; the one a real cluster
returns carries twenty (its strategy, history limit, deadline, the pod template's DNS and restart
policies, each container's pull policy, ...): the API group's ``SetDefaults_*`` functions run on
every decode, for creates and updates alike. Filled here, for the kinds this server stores, are
those of ``pkg/apis/apps/v1/defaults.go`` and ``pkg/apis/core/v1/defaults.go`` (Kubernetes 1.32):

- Deployment: ``replicas`` 1, strategy ``RollingUpdate`` with ``maxSurge``/``maxUnavailable``
  ``25%``, ``revisionHistoryLimit`` 10, ``progressDeadlineSeconds`` 600; ReplicaSet: ``replicas`` 1;
  DaemonSet: ``updateStrategy`` ``RollingUpdate`` with ``maxUnavailable`` 1 and ``maxSurge`` 0,
  ``revisionHistoryLimit`` 10; ReplicationController: ``replicas`` 1, and the template's labels as
  its ``selector`` and its own labels where those are empty;
- a pod spec (templates and Pods): ``dnsPolicy`` ClusterFirst, ``restartPolicy`` Always,
  ``schedulerName`` default-scheduler, ``securityContext: {}``, ``terminationGracePeriodSeconds``
  30; each container's ``terminationMessagePath``/``Policy``, ``imagePullPolicy`` (``Always`` for
  an image without a tag or tagged ``latest``, else ``IfNotPresent``), its ports' protocol
  ``TCP``, its probes' timings; a Pod also ``enableServiceLinks``, and what the admission plugins
  of every cluster add (``priority`` 0 and its preemption policy, the ``default`` service account,
  the two 300-second not-ready/unreachable tolerations);
- Service: type ``ClusterIP``, ``sessionAffinity`` None, each port's protocol and ``targetPort``
  (its ``port``), the traffic policies; on create a cluster IP from the service network and a
  node port for each port of a NodePort or LoadBalancer Service that names none
  (:func:`allocate`), kept by updates that leave them out, as the service REST storage does.

Not filled: the service account token volume and node assignment (no scheduler or kubelet runs).
"""

from __future__ import annotations

import ipaddress
import uuid
from collections.abc import Iterable
from typing import Any

from harness.kube.control_plane import API_SERVICE_IP
from harness.kube.objects import Obj
from harness.kube.patches import clone

__all__ = ["SERVICE_NETWORK", "allocate", "fill", "keep_allocated"]

SERVICE_NETWORK = ipaddress.ip_network("10.222.0.0/16")
"""Deckhouse's default ``serviceSubnetCIDR``; ``default/kubernetes`` holds its first address."""
_NODE_PORTS = range(30000, 32768)
_DYNAMIC_FROM = 256
"""kube-apiserver hands out dynamic cluster IPs from above the band it keeps for static ones
(KEP-3070: for a /16, the first 256 addresses)."""
_SYSTEM_PRIORITIES = {"system-cluster-critical": 2000000000, "system-node-critical": 2000001000}
"""The priority classes every cluster has; the Priority admission plugin gives a pod its value."""
_KINDS = frozenset(
    {
        "deployments",
        "replicasets",
        "daemonsets",
        "replicationcontrollers",
        "statefulsets",
        "jobs",
        "cronjobs",
        "pods",
        "services",
        "persistentvolumeclaims",
        "persistentvolumes",
    }
)
_IDS = uuid.UUID("3f6c2a9e-1d4b-4c7a-8e52-7b0d9a1c6e34")
_TOLERATIONS = [
    {
        "effect": "NoExecute",
        "key": f"node.kubernetes.io/{taint}",
        "operator": "Exists",
        "tolerationSeconds": 300,
    }
    for taint in ("not-ready", "unreachable")
]


def fill(plural: str, obj: Obj, *, creating: bool = False) -> None:
    """Fill the defaults of a built-in object of resource ``plural`` (others untouched).

    ``obj`` itself is changed, its spec replaced by a filled copy: a patched object shares nested
    values with the stored one, which must never change in place. ``creating``: the object is
    being created, so what the create's strategy does next (a Job's generated labels) is left to
    it (:mod:`harness.apiserver.job_selector`).
    """
    if plural == "endpoints":
        _endpoints(obj)
        return
    if plural == "endpointslices":
        _endpoint_slice(obj)
        return
    spec = obj.get("spec")
    if plural not in _KINDS or not isinstance(spec, dict):
        return
    spec = obj["spec"] = clone(spec)
    if plural == "deployments":
        _deployment(spec)
    elif plural == "replicasets":
        _default(spec, "replicas", 1)
        _template(spec)
    elif plural == "daemonsets":
        _daemon_set(spec)
    elif plural == "replicationcontrollers":
        _replication_controller(obj, spec)
    elif plural == "pods":
        _pod(spec)
    elif plural == "services":
        _service(spec)
    else:
        _idle_kind(plural, obj, spec, creating)


def _idle_kind(plural: str, obj: Obj, spec: dict[str, Any], creating: bool) -> None:
    """The kinds served only for kubectl's sake (:mod:`harness.apiserver.idle_kinds`)."""
    if plural == "statefulsets":
        _stateful_set(spec)
    elif plural == "jobs":
        _job(obj, spec, creating)
    elif plural == "cronjobs":
        _cron_job(spec)
    elif plural == "persistentvolumeclaims":
        _default(spec, "volumeMode", "Filesystem")
    elif plural == "persistentvolumes":
        _default(spec, "persistentVolumeReclaimPolicy", "Retain")
        _default(spec, "volumeMode", "Filesystem")


def _endpoints(obj: Obj) -> None:
    """``SetDefaults_EndpointPort``: each port's protocol is TCP unless given (the subsets are
    replaced by filled copies, never changed in place)."""
    subsets = obj.get("subsets")
    if not isinstance(subsets, list):
        return
    obj["subsets"] = subsets = clone(subsets)
    for subset in _dicts(subsets):
        for port in _dicts(subset.get("ports")):
            _default(port, "protocol", "TCP")


def _endpoint_slice(obj: Obj) -> None:
    """``SetDefaults_EndpointPort`` of ``discovery.k8s.io/v1`` (``pkg/apis/discovery/v1/
    defaults.go``): each port's name is ``""`` and its protocol TCP unless given."""
    ports = obj.get("ports")
    if not isinstance(ports, list):
        return
    obj["ports"] = ports = clone(ports)
    for port in _dicts(ports):
        _default(port, "name", "")
        _default(port, "protocol", "TCP")


def _stateful_set(spec: dict[str, Any]) -> None:
    """``SetDefaults_StatefulSet`` (``pkg/apis/apps/v1/defaults.go``, the 1.32 feature gates: no
    ``maxUnavailable``, a PVC retention policy); its claim templates get a claim's volume mode."""
    _default(spec, "podManagementPolicy", "OrderedReady")
    strategy = _mapping(spec, "updateStrategy")
    if strategy.get("type") in (None, ""):
        strategy["type"] = "RollingUpdate"
        _mapping(strategy, "rollingUpdate")
    if strategy["type"] == "RollingUpdate" and isinstance(strategy.get("rollingUpdate"), dict):
        _default(strategy["rollingUpdate"], "partition", 0)
    retention = _mapping(spec, "persistentVolumeClaimRetentionPolicy")
    _default(retention, "whenDeleted", "Retain")
    _default(retention, "whenScaled", "Retain")
    _default(spec, "replicas", 1)
    _default(spec, "revisionHistoryLimit", 10)
    for claim in _dicts(spec.get("volumeClaimTemplates")):
        if isinstance(claim.get("spec"), dict):
            _default(claim["spec"], "volumeMode", "Filesystem")
    _template(spec)


def _job(obj: Obj, spec: dict[str, Any], creating: bool) -> None:
    """``SetDefaults_Job`` (``pkg/apis/batch/v1/defaults.go``): one completion and one pod at a
    time when neither is given, six retries, the template's labels as the Job's own when it has
    none (its metadata replaced, not changed in place, as the spec is). On a create the labels
    are left to :func:`harness.apiserver.job_selector.generate_selector`, which must know whether
    the Job named labels of its own (a Job without shows the template's generated labels too)."""
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
    _default(spec, "parallelism", 1)
    _default(spec, "backoffLimit", 2147483647 if spec.get("backoffLimitPerIndex") is not None else 6)
    template = spec.get("template")
    labels = (template.get("metadata") or {}).get("labels") if isinstance(template, dict) else None
    meta = obj.get("metadata")
    if not creating and isinstance(labels, dict) and isinstance(meta, dict) and not meta.get("labels"):
        obj["metadata"] = {**meta, "labels": dict(labels)}
    _default(spec, "completionMode", "NonIndexed")
    _default(spec, "suspend", False)
    policy = "Failed" if spec.get("podFailurePolicy") is not None else "TerminatingOrFailed"
    _default(spec, "podReplacementPolicy", policy)
    _default(spec, "manualSelector", False)
    _template(spec)


def _cron_job(spec: dict[str, Any]) -> None:
    """``SetDefaults_CronJob``; the job template's pod template gets a pod spec's defaults (not
    a Job's: those apply to Jobs only)."""
    _default(spec, "concurrencyPolicy", "Allow")
    _default(spec, "suspend", False)
    _default(spec, "successfulJobsHistoryLimit", 3)
    _default(spec, "failedJobsHistoryLimit", 1)
    job = spec.get("jobTemplate")
    if isinstance(job, dict) and isinstance(job.get("spec"), dict):
        _template(job["spec"])


def _deployment(spec: dict[str, Any]) -> None:
    _default(spec, "replicas", 1)
    _default(spec, "revisionHistoryLimit", 10)
    _default(spec, "progressDeadlineSeconds", 600)
    strategy = _mapping(spec, "strategy")
    _default(strategy, "type", "RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        rolling = _mapping(strategy, "rollingUpdate")
        _default(rolling, "maxUnavailable", "25%")
        _default(rolling, "maxSurge", "25%")
    _template(spec)


def _daemon_set(spec: dict[str, Any]) -> None:
    """``SetDefaults_DaemonSet`` (``pkg/apis/apps/v1/defaults.go``)."""
    strategy = _mapping(spec, "updateStrategy")
    _default(strategy, "type", "RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        rolling = _mapping(strategy, "rollingUpdate")
        _default(rolling, "maxUnavailable", 1)
        _default(rolling, "maxSurge", 0)
    _default(spec, "revisionHistoryLimit", 10)
    _template(spec)


def _replication_controller(obj: Obj, spec: dict[str, Any]) -> None:
    """``SetDefaults_ReplicationController`` (``pkg/apis/core/v1/defaults.go``): the template's
    labels stand in for an empty selector and for the controller's own labels when it has none
    (the metadata is replaced, not changed in place, as the spec is)."""
    template = spec.get("template")
    template_meta = template.get("metadata") if isinstance(template, dict) else None
    labels = template_meta.get("labels") if isinstance(template_meta, dict) else None
    if isinstance(labels, dict) and labels:
        if not spec.get("selector"):
            spec["selector"] = dict(labels)
        meta = obj.get("metadata")
        if isinstance(meta, dict) and not meta.get("labels"):
            obj["metadata"] = {**meta, "labels": dict(labels)}
    _default(spec, "replicas", 1)
    _template(spec)


def _template(spec: dict[str, Any]) -> None:
    template = spec.get("template")
    if isinstance(template, dict) and isinstance(template.get("spec"), dict):
        _pod_spec(template["spec"])


def _pod_spec(spec: dict[str, Any]) -> None:
    _default(spec, "dnsPolicy", "ClusterFirst")
    _default(spec, "restartPolicy", "Always")
    _default(spec, "schedulerName", "default-scheduler")
    _default(spec, "securityContext", {})
    _default(spec, "terminationGracePeriodSeconds", 30)
    for key in ("initContainers", "containers"):
        for container in _dicts(spec.get(key)):
            _container(container)


def _pod(spec: dict[str, Any]) -> None:
    _pod_spec(spec)
    _default(spec, "enableServiceLinks", True)
    _default(spec, "priority", _SYSTEM_PRIORITIES.get(str(spec.get("priorityClassName") or ""), 0))
    _default(spec, "preemptionPolicy", "PreemptLowerPriority")
    _default(spec, "serviceAccountName", "default")
    _default(spec, "serviceAccount", spec["serviceAccountName"])
    tolerations = spec.get("tolerations")
    if tolerations is None or isinstance(tolerations, list):
        added = [t for t in _TOLERATIONS if not _tolerated(str(t["key"]), _dicts(tolerations))]
        if added:
            spec["tolerations"] = [*(tolerations or []), *(dict(t) for t in added)]


def _tolerated(taint: str, tolerations: list[dict[str, Any]]) -> bool:
    """Whether a NoExecute ``taint`` is tolerated already (an empty key or effect matches all),
    as the DefaultTolerationSeconds admission plugin checks before adding its own."""
    return any(
        t.get("key") in (None, "", taint) and t.get("effect") in (None, "", "NoExecute") for t in tolerations
    )


def _container(container: dict[str, Any]) -> None:
    _default(container, "terminationMessagePath", "/dev/termination-log")
    _default(container, "terminationMessagePolicy", "File")
    image = container.get("image")
    if isinstance(image, str) and image:
        _default(container, "imagePullPolicy", _pull_policy(image))
    for port in _dicts(container.get("ports")):
        _default(port, "protocol", "TCP")
    for key in ("livenessProbe", "readinessProbe", "startupProbe"):
        probe = container.get(key)
        if isinstance(probe, dict):
            for field, value in (
                ("timeoutSeconds", 1),
                ("periodSeconds", 10),
                ("successThreshold", 1),
                ("failureThreshold", 3),
            ):
                _default(probe, field, value)


def _pull_policy(image: str) -> str:
    """``Always`` for ``name`` and ``name:latest`` (not a digest), else ``IfNotPresent``."""
    if "@" in image:
        return "IfNotPresent"
    last = image.rsplit("/", 1)[-1]
    tag = last.split(":", 1)[1] if ":" in last else ""
    return "Always" if tag in ("", "latest") else "IfNotPresent"


def _service(spec: dict[str, Any]) -> None:
    _default(spec, "type", "ClusterIP")
    _default(spec, "sessionAffinity", "None")
    if spec["sessionAffinity"] == "ClientIP":
        _default(spec, "sessionAffinityConfig", {"clientIP": {"timeoutSeconds": 10800}})
    for port in _dicts(spec.get("ports")):
        _default(port, "protocol", "TCP")
        if port.get("targetPort") in (None, 0, "") and "port" in port:
            port["targetPort"] = port["port"]
    kind = spec["type"]
    if kind in ("NodePort", "LoadBalancer"):
        _default(spec, "externalTrafficPolicy", "Cluster")
    if kind != "ExternalName":
        _default(spec, "internalTrafficPolicy", "Cluster")
    if kind == "LoadBalancer":
        _default(spec, "allocateLoadBalancerNodePorts", True)


def allocate(service: Obj, existing: Iterable[Obj]) -> None:
    """A new Service's cluster IP and node ports, as the service REST storage assigns them.

    Unlike kube-apiserver's random pick, the address and ports derive from the Service's namespace
    and name (the first free one from there on): a run gives the same Service the same address
    every time, which keeps reports and captured outputs comparable.
    """
    spec = service.get("spec")
    if not isinstance(spec, dict) or spec.get("type") == "ExternalName":
        return
    meta = service.get("metadata") or {}
    seed = uuid.uuid5(_IDS, f"{meta.get('namespace', '')}/{meta.get('name', '')}").int
    others: list[dict[str, Any]] = [o["spec"] for o in existing if isinstance(o.get("spec"), dict)]
    if not spec.get("clusterIP"):
        taken = {str(s.get("clusterIP")) for s in others} | {API_SERVICE_IP}
        spec["clusterIP"] = _free_address(seed, taken)
    _default(spec, "clusterIPs", [spec["clusterIP"]])
    _default(spec, "ipFamilies", ["IPv4"])
    _default(spec, "ipFamilyPolicy", "SingleStack")
    if spec.get("type") in ("NodePort", "LoadBalancer") and spec.get("allocateLoadBalancerNodePorts", True):
        taken_ports = {p.get("nodePort") for s in others for p in _dicts(s.get("ports"))}
        for offset, port in enumerate(_dicts(spec.get("ports"))):
            if not port.get("nodePort"):
                port["nodePort"] = _free_port(seed + offset, taken_ports)
                taken_ports.add(port["nodePort"])


def keep_allocated(new: Obj, old: Obj) -> None:
    """An update that leaves the cluster IP or a port's node port out keeps the stored ones
    (``patchAllocatedValues`` of the service REST storage)."""
    spec, before = new.get("spec"), old.get("spec")
    if not isinstance(spec, dict) or not isinstance(before, dict):
        return
    if "ExternalName" not in (spec.get("type"), before.get("type")):  # both have a cluster IP
        for key in ("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"):
            if not spec.get(key) and key in before:
                spec[key] = before[key]
    if spec.get("type") not in ("NodePort", "LoadBalancer"):
        return  # a Service that is no NodePort any more loses its node ports
    stored = {p.get("port"): p.get("nodePort") for p in _dicts(before.get("ports")) if p.get("nodePort")}
    for port in _dicts(spec.get("ports")):
        if not port.get("nodePort") and port.get("port") in stored:
            port["nodePort"] = stored[port.get("port")]


def _free_address(seed: int, taken: set[str]) -> str:
    size = SERVICE_NETWORK.num_addresses - _DYNAMIC_FROM - 1
    for step in range(size):
        address = str(SERVICE_NETWORK[_DYNAMIC_FROM + (seed + step) % size])
        if address not in taken:
            return address
    raise RuntimeError(f"the service network {SERVICE_NETWORK} has no free address left")


def _free_port(seed: int, taken: set[Any]) -> int:
    for step in range(len(_NODE_PORTS)):
        port = _NODE_PORTS[(seed + step) % len(_NODE_PORTS)]
        if port not in taken:
            return port
    raise RuntimeError("no free node port left in 30000-32767")


def _default(obj: dict[str, Any], key: str, value: Any) -> None:
    """``obj[key] = value`` where the field is unset: absent, null or an empty string, as Go's
    defaulting sees a nil pointer or a zero string (a zero number is a value: ``replicas: 0``)."""
    if obj.get(key) in (None, ""):
        obj[key] = value


def _mapping(parent: dict[str, Any], key: str) -> dict[str, Any]:
    """The mapping at ``parent[key]``, an empty one put there when it is missing or not a mapping
    (defaulting then fills it, as Go fills a nil struct pointer it allocates)."""
    found = parent.get(key)
    if not isinstance(found, dict):
        found = parent[key] = {}
    return found


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
