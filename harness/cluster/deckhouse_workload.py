"""Deckhouse as Kubernetes runs it: the ``deckhouse`` Deployment, its pod, the ``d8-system`` Services.

An API server alone stores what it is given; a DKP cluster runs Deckhouse in a pod that users
look at (``kubectl -n d8-system get pods``, ``logs deploy/deckhouse``), exec into (the page's
``exec svc/deckhouse-leader -c deckhouse -- deckhouse-controller module enable``) and restart
(``delete pod -l app=deckhouse``, ``rollout restart deploy/deckhouse``). :class:`DeckhouseWorkload`
keeps those objects as the kubelet, the Deployment and ReplicaSet controllers would, and answers
for the pod: its log (the :class:`DeckhouseLog` lines since the pod started) and the commands run
in its ``deckhouse`` container (:mod:`harness.dkp.controllers.deckhouse_cli`). A restart starts
the controllers afresh (the cluster's ``on_restart``); see docs/dkp-simulator.md.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from harness.api import kinds
from harness.apiserver.remotecommand import ExecCall, ExecResult
from harness.apiserver.request import LogLine, PodLog
from harness.clock import Clock
from harness.dkp.controllers.deckhouse_cli import NotSimulated, run_deckhouse_controller
from harness.dkp.runtime.log import DeckhouseLog
from harness.kube import control_plane, workloads
from harness.kube.client import KubeClient, PatchType
from harness.kube.errors import NotFound
from harness.kube.objects import Obj
from harness.kube.timestamps import stamp

__all__ = [
    "CONTAINER",
    "DEPLOYMENT",
    "FIRST_POD",
    "LABELS",
    "LEADER_LEASE_DURATION",
    "LEADER_RETRY_PERIOD",
    "SERVICE_ACCOUNT",
    "DeckhouseWorkload",
    "deckhouse_service_account",
    "deckhouse_services",
    "leader_identity",
    "replacement_pod_name",
    "template_hash",
]

CONTAINER = "deckhouse"
DEPLOYMENT = "deckhouse"
LABELS = {"app": "deckhouse"}
SERVICE_ACCOUNT = "deckhouse"
"""The account Deckhouse's pod runs as (``serviceAccountName``), in ``d8-system``."""
FIRST_POD = "deckhouse-7d9c5b8f4-q2x7m"  # fixed, so logs and scenario output are stable
_REVISION = "deployment.kubernetes.io/revision"
_HASH_LABEL = "pod-template-hash"
_UIDS = uuid.UUID("5c0b7f0e-3d1a-4a8e-9c2b-7e61d4f0a913")
_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
"""Kubernetes' alphabet for generated name parts (no vowels, no look-alikes)."""


class DeckhouseWorkload:
    """The Deckhouse Deployment and its one running, leading pod; see the module docstring.

    ``client`` is called for the cluster's in-process client, ``image`` for the image of the
    Deckhouse version the cluster runs now, ``on_restart`` when a new Deckhouse has started,
    ``on_stop`` when Deckhouse stopped and none runs (the Deployment scaled to zero).
    """

    def __init__(
        self,
        client: Callable[[], KubeClient],
        clock: Clock,
        log: DeckhouseLog,
        image: Callable[[], str],
        on_restart: Callable[[], None],
        sets_stored: Callable[[], bool] = lambda: False,
        on_stop: Callable[[], None] = lambda: None,
        on_leader: Callable[[str | None], None] = lambda _pod: None,
    ) -> None:
        self._client = client
        self._clock = clock
        self._log = log
        self._image = image
        self._on_restart = on_restart
        self._on_stop = on_stop
        self._on_leader = on_leader  # the leading pod's name when it changes, None when none runs
        self._sets_stored = sets_stored  # whether the ReplicaSets are in the API server yet
        self._sets: list[_Set] = []  # every ReplicaSet of the Deployment, oldest first
        self._deployment: Obj = {}  # kind, name, uid: what the ReplicaSets' owner reference names
        self.pod_name = FIRST_POD
        """The leading Deckhouse pod: a new name after every restart."""
        self.standby: list[str] = []
        """The other pods of a Deployment of several replicas, oldest first: Deckhouse runs in
        each, but only the leader's controllers work (leader election); the oldest takes over
        when the leader goes."""
        self._standby_made = 0  # how many standby pods were made: their names' counter
        self.restarts = 0
        self.running = True
        """Whether a Deckhouse pod runs (not while the Deployment is scaled to zero)."""
        self._log_start = 0  # where the running pod's log begins in the DeckhouseLog
        self._log_ends: dict[str, int] = {}  # a stopped pod -> where its log ended
        self._deleted = False  # the Deployment was deleted, its ReplicaSets and pod collected

    def start(self) -> None:
        """The Deployment and its pod, reported running as on an installed cluster.

        DKP's documentation reads the controller's log with ``kubectl -n d8-system logs
        deploy/deckhouse`` (kubectl finds the pod through the Deployment's selector), and a
        working cluster shows the pod ``1/1 Running``; a cluster whose deckhouse pod stayed
        ``Pending`` would run no module.
        """
        ns = kinds.DECKHOUSE_NAMESPACE
        document = workloads.deployment(
            ns, DEPLOYMENT, LABELS, CONTAINER, self._image(), pod_spec(self._image())
        )
        document["metadata"]["annotations"] = {_REVISION: "1"}
        document["spec"].update(strategy={"type": "Recreate"}, revisionHistoryLimit=2)
        made = self._client().create(kinds.DEPLOYMENT, document, namespace=ns)
        self._deployment = {"kind": kinds.DEPLOYMENT.kind, "name": DEPLOYMENT, "uid": made["metadata"]["uid"]}
        self._add_set(made["spec"]["template"], FIRST_POD.rsplit("-", 2)[1])
        self._report_deployment(int(made["metadata"]["generation"]))
        self._start_pod(self._image())
        self._on_leader(self.pod_name)

    def restart(self, rollout: bool) -> None:
        """A new Deckhouse pod, whose log starts empty, and Deckhouse started afresh in it.

        After a deletion the ReplicaSet makes the pod (same template hash, a new suffix). After a
        rollout (the Deployment's pod template changed) a new ReplicaSet makes it from the new
        template (a new hash, the template's image), the old pod goes, and the Deployment reports
        the new generation observed, which ``kubectl rollout status`` waits for. A Deployment
        scaled to zero replicas (``kubectl scale --replicas=0``) stops Deckhouse: its pod goes and
        no controller runs until it is scaled up again, when a new pod starts as after a deletion.
        """
        deployment = self._client().get(kinds.DEPLOYMENT, DEPLOYMENT, namespace=kinds.DECKHOUSE_NAMESPACE)
        if self._deleted:
            self._adopt(deployment)
            return
        if not rollout:
            if self.running and self.standby:  # the leader was deleted: the oldest standby leads
                self._promote()
                self._keep_standby(_replicas(deployment))
            elif self.running:  # the pod was deleted: its ReplicaSet makes another
                self._replace_pod(rolled=False)
            return
        generation = int(deployment["metadata"]["generation"])
        template = deployment["spec"]["template"]
        unchanged = _meaningful(template) == _meaningful(_unlabelled(self._sets[-1].template))
        moved = not unchanged and not deployment["spec"].get("paused")  # a paused change waits
        if not _replicas(deployment):
            if moved:
                self._roll_out(template, replicas=0)
            if self.running:
                self._stop_pod()
            self._report_deployment(generation, replicas=0)
            return
        wanted = _replicas(deployment)
        if moved:
            self._drop_standby()  # the old ReplicaSet's pods go with the rollout
            self._roll_out(template, replicas=wanted)
        elif self._sets[-1].replicas != wanted:  # a scale: the current ReplicaSet follows
            self._scale_set(self._sets[-1], wanted)
        if moved or not self.running:
            self._replace_pod(rolled=self.running)
        self._keep_standby(wanted)
        # Otherwise a new generation with the same pod template (`rollout pause`, a scale, a
        # strategy edit), or any while paused: the Deployment controller only reports it
        # observed; no new leader (a paused change rolls out at `rollout resume`).
        self._report_deployment(generation, replicas=wanted)

    def replace_standby(self, pod: str) -> None:
        """A standby pod was deleted: its ReplicaSet makes another; the leader runs on."""
        if pod in self.standby:
            self.standby.remove(pod)
            self._keep_standby(1 + len(self.standby) + 1)

    def _keep_standby(self, wanted: int) -> None:
        """As many standby pods as ``wanted`` replicas leave beside the leader: new ones from the
        current ReplicaSet, or the newest deleted first (the ReplicaSet controller's choice
        between equally ready pods)."""
        if not self.running:
            return
        while 1 + len(self.standby) < wanted:
            self._standby_made += 1
            name = standby_pod_name(self._sets[-1].name, self._standby_made)
            self._start_pod(_template_image(self._sets[-1].template) or self._image(), name, leader=False)
            self.standby.append(name)
        while self.standby and 1 + len(self.standby) > wanted:
            self._delete_pod(self.standby.pop())

    def _drop_standby(self) -> None:
        for pod in self.standby:
            self._delete_pod(pod)
        self.standby = []

    def _delete_pod(self, pod: str) -> None:
        with contextlib.suppress(NotFound):
            self._client().delete(kinds.POD, pod, namespace=kinds.DECKHOUSE_NAMESPACE)

    def deployment_gone(self) -> None:
        """The Deployment was deleted and the garbage collector took its ReplicaSets and pod: no
        Deckhouse runs, and nothing makes another pod until a Deployment is created again."""
        if self._deleted:
            return
        self._deleted = True
        self.standby = []  # collected with their ReplicaSet
        if self.running:
            self._end_log(self.pod_name)
            self.running = False
            self._on_leader(None)
            self._on_stop()

    def _adopt(self, deployment: Obj) -> None:
        """A Deployment created again after a deletion: a first ReplicaSet for its template (the
        old ones went with the old Deployment), its pod, and a fresh Deckhouse in it."""
        self._deleted = False
        meta = deployment["metadata"]
        self._deployment = {"kind": kinds.DEPLOYMENT.kind, "name": DEPLOYMENT, "uid": meta["uid"]}
        template = deployment["spec"]["template"]
        self._sets = []
        created = self._add_set(template, template_hash(template))
        created.replicas = _replicas(deployment)
        revision = {"metadata": {"annotations": {_REVISION: "1"}}}
        self._client().patch(
            kinds.DEPLOYMENT, DEPLOYMENT, revision, namespace=kinds.DECKHOUSE_NAMESPACE, subresource="status"
        )
        if self._sets_stored():
            self._store_roll_out(created, created=True, old=[])
        if created.replicas:
            self._replace_pod(rolled=False)
            self._keep_standby(created.replicas)
        self._report_deployment(int(meta["generation"]), replicas=created.replicas)

    def _replace_pod(self, *, rolled: bool) -> None:
        """The current ReplicaSet's next pod, running a fresh Deckhouse; after a rollout (``rolled``)
        the old pod goes, after a deletion or a scale-up it is gone already."""
        self.restarts += 1
        old = self.pod_name
        self.pod_name = replacement_pod_name(self._sets[-1].name, self.restarts)
        self._start_pod(_template_image(self._sets[-1].template) or self._image())
        if rolled:
            with contextlib.suppress(NotFound):
                self._client().delete(kinds.POD, old, namespace=kinds.DECKHOUSE_NAMESPACE)
        if self.running:
            self._end_log(old)
        self.running = True
        self._log_start = self._log.written
        self._on_leader(self.pod_name)
        self._on_restart()

    def _promote(self) -> None:
        """The oldest standby pod wins the leader election: it gets the ``leader=true`` label the
        ``deckhouse-leader`` Service selects, and its Deckhouse's controllers start working, with
        nothing in memory (its log in the simulation starts there)."""
        old, self.pod_name = self.pod_name, self.standby.pop(0)
        self.restarts += 1
        labels = {"metadata": {"labels": {"leader": "true"}}}
        self._client().patch(kinds.POD, self.pod_name, labels, namespace=kinds.DECKHOUSE_NAMESPACE)
        self._end_log(old)
        self._log_start = self._log.written
        self._on_leader(self.pod_name)
        self._on_restart()

    def _stop_pod(self) -> None:
        """Scaled to zero: the ReplicaSet deletes the pods, and no Deckhouse runs any more."""
        self._scale_set(self._sets[-1], 0)
        self._drop_standby()
        with contextlib.suppress(NotFound):
            self._client().delete(kinds.POD, self.pod_name, namespace=kinds.DECKHOUSE_NAMESPACE)
        self._end_log(self.pod_name)
        self.running = False
        self._on_leader(None)
        self._on_stop()

    def _end_log(self, pod: str) -> None:
        self._log_ends[pod] = self._log.written
        self._log.wake()  # whoever follows the old pod's log sees it end

    def upgrade(self) -> None:
        """A new Deckhouse version: the new image in the Deployment's template and in the pod, the
        generation reported at once (the simulator keeps the pod: see docs/dkp-simulator.md). The
        patches are strategic merges, which change the container's image alone (a merge patch
        replaced the whole container list, dropping its command and ports, and a pod's spec may
        change nowhere else: ``ValidatePodUpdate``)."""
        client, image, ns = self._client(), self._image(), kinds.DECKHOUSE_NAMESPACE
        spec = {"containers": [{"name": CONTAINER, "image": image}]}
        strategic = PatchType.STRATEGIC
        made = client.patch(
            kinds.DEPLOYMENT,
            DEPLOYMENT,
            {"spec": {"template": {"spec": spec}}},
            namespace=ns,
            patch_type=strategic,
        )
        self._report_deployment(int(made["metadata"]["generation"]), replicas=int(self.running))
        current = self._sets[-1]
        current.template = {
            **current.template,
            "spec": _with_image(current.template.get("spec") or {}, image),
        }
        if self._sets_stored():
            template = {"spec": {"template": {"spec": spec}}}
            client.patch(kinds.REPLICA_SET, current.name, template, namespace=ns, patch_type=strategic)
        for pod in [self.pod_name, *self.standby] if self.running else []:  # scaled to zero: none
            running = client.patch(kinds.POD, pod, {"spec": spec}, namespace=ns, patch_type=strategic)
            started = str(running["status"].get("startTime") or stamp(self._clock.now()))
            self._report_pod(image, started, pod)

    def exec(self, call: ExecCall) -> ExecResult:
        """``kubectl exec`` into the Deckhouse container runs ``deckhouse-controller``'s module
        commands (:mod:`harness.dkp.controllers.deckhouse_cli`); no other container runs anything."""
        deckhouse = (
            call.namespace == kinds.DECKHOUSE_NAMESPACE
            and call.container == CONTAINER
            and call.pod in (self.pod_name, *self.standby)
        )  # deckhouse-controller's module commands talk to the API server: any replica runs them
        if not deckhouse:
            return ExecResult(
                error=f"container {call.container!r} of pod {call.pod!r} runs no process in the simulated"
                f" cluster; only the {CONTAINER!r} container of {kinds.DECKHOUSE_NAMESPACE}/"
                f"{self.pod_name} runs deckhouse-controller (dkp-harness)"
            )
        try:
            done = run_deckhouse_controller(self._client(), call.command)
        except NotSimulated as exc:
            return ExecResult(error=str(exc))
        return ExecResult(done.stdout.encode(), done.stderr.encode(), done.exit_code)

    def pod_log(self, namespace: str, pod: str, container: str) -> str | PodLog:
        """The log the API server serves for a pod: the running Deckhouse pod's, else none."""
        if namespace == kinds.DECKHOUSE_NAMESPACE and pod == self.pod_name:
            return _PodLog(self._log, self._log_start, lambda: self._log_ends.get(pod))
        return ""

    def replica_sets(self) -> list[Obj]:
        """The Deployment's ReplicaSets as the API server stores them (made on the first request
        for ReplicaSets: a run that never asks writes none, and no resourceVersion moves)."""
        return [self._set_object(kept) for kept in self._sets]

    def _add_set(self, template: Obj, pod_hash: str) -> _Set:
        labels = {**(template.get("metadata", {}).get("labels") or {}), _HASH_LABEL: pod_hash}
        labelled = {**template, "metadata": {**template.get("metadata", {}), "labels": labels}}
        revision = self._sets[-1].revision + 1 if self._sets else 1
        made = _Set(f"{DEPLOYMENT}-{pod_hash}", labelled, revision, stamp(self._clock.now()))
        self._sets.append(made)
        return made

    def _roll_out(self, template: Obj, replicas: int = 1) -> None:
        """A ReplicaSet for the new template (the existing one of that template on a rollback) with
        ``replicas`` pods, the others scaled to zero, the Deployment at the new revision."""
        client, ns = self._client(), kinds.DECKHOUSE_NAMESPACE
        old = [kept for kept in self._sets if kept.replicas]
        wanted = _meaningful(template)
        again = next((kept for kept in self._sets if _meaningful(_unlabelled(kept.template)) == wanted), None)
        if again is not None:  # `rollout undo`: that template's ReplicaSet comes back, newest
            self._sets.remove(again)
            again.revision, again.replicas = self._sets[-1].revision + 1, replicas
            self._sets.append(again)
            new = again
        else:
            new = self._add_set(template, template_hash(template))
            new.replicas = replicas
        old = [kept for kept in old if kept is not new]
        for kept in old:
            kept.replicas = 0
        # Through /status, as the Deployment controller writes it (its UpdateStatus keeps the
        # annotations it sends): through the main resource an annotation moves the generation.
        annotations = {"metadata": {"annotations": {_REVISION: str(new.revision)}}}
        client.patch(kinds.DEPLOYMENT, DEPLOYMENT, annotations, namespace=ns, subresource="status")
        if self._sets_stored():  # else stored from :meth:`replica_sets` when someone first asks
            self._store_roll_out(new, created=again is None, old=old)

    def _store_roll_out(self, new: _Set, *, created: bool, old: list[_Set]) -> None:
        made = self._set_object(new)
        if created:
            ns = kinds.DECKHOUSE_NAMESPACE
            self._client().create(kinds.REPLICA_SET, made, namespace=ns)  # the status goes apart, as ever
            self._client().patch(
                kinds.REPLICA_SET, new.name, {"status": made["status"]}, namespace=ns, subresource="status"
            )
        else:
            self._store_scale(new, {"annotations": made["metadata"]["annotations"]})
        for kept in old:
            self._store_scale(kept)

    def _scale_set(self, kept: _Set, replicas: int) -> None:
        kept.replicas = replicas
        if self._sets_stored():  # else stored from :meth:`replica_sets` when someone first asks
            self._store_scale(kept)

    def _store_scale(self, kept: _Set, metadata: Obj | None = None) -> None:
        """A stored ReplicaSet's wanted pods and its report of them (``metadata`` changes with it)."""
        client, ns = self._client(), kinds.DECKHOUSE_NAMESPACE
        client.patch(
            kinds.REPLICA_SET,
            kept.name,
            {"metadata": metadata or {}, "spec": {"replicas": kept.replicas}},
            namespace=ns,
        )
        counts = dict.fromkeys(("fullyLabeledReplicas", "readyReplicas", "availableReplicas"))
        status = {
            "status": {**counts, **workloads.replica_set_status(kept.replicas)}
        }  # null: gone (merge patch)
        client.patch(kinds.REPLICA_SET, kept.name, status, namespace=ns, subresource="status")

    def _set_object(self, kept: _Set) -> Obj:
        return workloads.replica_set(
            kinds.DECKHOUSE_NAMESPACE,
            kept.name,
            kept.template,
            kept.revision,
            uid=_uid(f"replicaset/{kept.name}"),
            created=kept.created,
            owner=self._deployment,
            replicas=kept.replicas,
        )

    def _start_pod(self, image: str, name: str | None = None, *, leader: bool = True) -> None:
        """A pod of the newest ReplicaSet, running; the leader (``leader=true``, which the
        ``deckhouse-leader`` Service selects) unless ``leader`` is false (a standby replica)."""
        ns, current, name = kinds.DECKHOUSE_NAMESPACE, self._sets[-1], name or self.pod_name
        labels = {**LABELS, _HASH_LABEL: current.name.rsplit("-", 1)[1]}
        if leader:
            labels["leader"] = "true"
        owner = {
            "kind": kinds.REPLICA_SET.kind,
            "name": current.name,
            "uid": _uid(f"replicaset/{current.name}"),
        }
        spec = _with_image(current.template.get("spec") or {}, image)
        self._client().create(
            kinds.POD,
            workloads.pod(ns, name, labels, CONTAINER, image, control_plane.NODE_NAME, owner, spec),
            namespace=ns,
        )
        self._report_pod(image, stamp(self._clock.now()), name)

    def _report_deployment(self, generation: int, replicas: int = 1) -> None:
        newest = self._sets[-1].name if self._sets else ""
        status = workloads.deployment_status(
            generation, stamp(self._clock.now()), replicas, new_replica_set=newest
        )
        with contextlib.suppress(NotFound):
            current = self._client().get(kinds.DEPLOYMENT, DEPLOYMENT, namespace=kinds.DECKHOUSE_NAMESPACE)
            old = (current.get("status") or {}).get("conditions") or []
            status["conditions"] = workloads.carried_conditions(status["conditions"], list(old))
        self._client().patch(
            kinds.DEPLOYMENT,
            DEPLOYMENT,
            {"status": status},
            namespace=kinds.DECKHOUSE_NAMESPACE,
            subresource="status",
        )

    def _report_pod(self, image: str, started: str, pod: str) -> None:
        status = workloads.running_pod_status(CONTAINER, image, started)
        self._client().patch(
            kinds.POD,
            pod,
            {"status": status},
            namespace=kinds.DECKHOUSE_NAMESPACE,
            subresource="status",
        )


@dataclass
class _Set:
    """One ReplicaSet of the Deployment: its name, pod template, revision, creation, replicas."""

    name: str
    template: Obj
    revision: int
    created: str
    replicas: int = 1


def _replicas(deployment: Obj) -> int:
    """The pods a Deployment wants: ``spec.replicas``, 1 when absent (the API server defaults it)."""
    wanted = deployment["spec"].get("replicas")
    return 1 if wanted is None else int(wanted)


def _unlabelled(template: Obj) -> Obj:
    """A ReplicaSet's pod template as the Deployment had it: without ``pod-template-hash``."""
    metadata = dict(template.get("metadata") or {})
    labels = {k: v for k, v in (metadata.get("labels") or {}).items() if k != _HASH_LABEL}
    return {**template, "metadata": {**metadata, "labels": labels}}


def _meaningful(value: Any) -> Any:
    """``value`` without nulls and empty objects: what Go writes for zero values (a template's
    ``creationTimestamp: null``, ``resources: {}``) compares equal to leaving them out."""
    if isinstance(value, dict):
        kept = {k: _meaningful(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v is not None and v != {}}
    if isinstance(value, list):
        return [_meaningful(item) for item in value]
    return value


def _uid(key: str) -> str:
    """A uid fixed per object name (drawn from no generator, so runs are alike)."""
    return str(uuid.uuid5(_UIDS, key))


class _PodLog:
    """The running Deckhouse pod's log as the API server serves it: the :class:`DeckhouseLog` lines
    from the pod's start, each at the instant in its ``time``, followable until the cluster stops."""

    def __init__(self, log: DeckhouseLog, start: int, ended: Callable[[], int | None]) -> None:
        self._log = log
        self._ended = ended  # where the pod's log ends once it stopped (a restart), else None
        self._lines, self._end = log.snapshot(start)

    def lines(self) -> list[LogLine]:
        return [LogLine(DeckhouseLog.time_of(line), line) for line in self._lines]

    def follow(self) -> _Following:
        return _Following(self._log, self._end, self._ended)


class _Following:
    """The lines of a followed pod log as they come; :meth:`cancel` (the client went) ends it."""

    def __init__(self, log: DeckhouseLog, mark: int, ended: Callable[[], int | None]) -> None:
        self._log = log
        self._cancelled = False
        self._ended = ended
        self._lines = log.follow(mark, self._end)

    def _end(self) -> int | None:
        return 0 if self._cancelled else self._ended()  # 0: nothing more, wherever it is

    def cancel(self) -> None:
        self._cancelled = True
        self._log.wake()

    def __iter__(self) -> Iterator[LogLine]:
        return self

    def __next__(self) -> LogLine:
        line = next(self._lines)
        return LogLine(DeckhouseLog.time_of(line), line)


LEADER_LEASE_DURATION = 35
"""Seconds a Deckhouse leader's Lease lasts; it renews every ``LEADER_RETRY_PERIOD``
(``leaseDuration`` and ``retryPeriod`` in ``deckhouse-controller/cmd/deckhouse-controller/start.go``)."""
LEADER_RETRY_PERIOD = 10


def leader_identity(pod: str) -> str:
    """The identity a Deckhouse replica runs for leader with: ``<pod>.<pod IP, dashed>.<namespace>
    .pod.<cluster domain>`` (``runHAMode`` in ``start.go``; the Deployment passes the pod's IP,
    namespace and the cluster domain, ``cluster.local`` by default, through its environment)."""
    address = workloads.POD_IP.replace(".", "-")
    return f"{pod}.{address}.{kinds.DECKHOUSE_NAMESPACE}.pod.cluster.local"


def replacement_pod_name(prefix: str, restarts: int) -> str:
    """The name of the pod a ReplicaSet ``prefix`` (``deckhouse-<template hash>``) makes after
    ``restarts`` restarts: a five-character suffix from Kubernetes' name alphabet, fixed per count
    so that logs and outputs are the same in every run."""
    digest = hashlib.sha256(f"{prefix}/{restarts}".encode()).digest()
    return prefix + "-" + "".join(_NAME_ALPHABET[b % len(_NAME_ALPHABET)] for b in digest[:5])


def standby_pod_name(prefix: str, made: int) -> str:
    """The name of the ``made``-th standby pod of a ReplicaSet ``prefix``: fixed per count, never
    one a restart of the leader gets (:func:`replacement_pod_name`)."""
    digest = hashlib.sha256(f"{prefix}/standby/{made}".encode()).digest()
    return prefix + "-" + "".join(_NAME_ALPHABET[b % len(_NAME_ALPHABET)] for b in digest[:5])


def template_hash(template: Obj) -> str:
    """A pod template's hash as the ReplicaSet's name carries it (ten characters of the alphabet;
    Kubernetes hashes with FNV, here SHA-256: only "changes with the template" is claimed)."""
    digest = hashlib.sha256(json.dumps(template, sort_keys=True).encode()).digest()
    return "".join(_NAME_ALPHABET[b % len(_NAME_ALPHABET)] for b in digest[:10])


def pod_spec(image: str) -> Obj:
    """The pod spec of Deckhouse's Deployment, as upstream's ``modules/002-deckhouse/templates/
    deployment.yaml`` renders it, without what the simulation has no use for (volumes, the
    ``kube-rbac-proxy`` sidecar, the environment, host networking): on the masters, tolerating
    every taint, critical priority, the ``deckhouse`` service account."""
    container = {
        "name": CONTAINER,
        "image": image,
        "imagePullPolicy": "Always",
        "command": ["/deckhouse/deckhouse"],
        "workingDir": "/deckhouse",
        "ports": [{"containerPort": 9650, "name": "self"}, {"containerPort": 9651, "name": "webhook"}],
    }
    return {
        "containers": [container],
        "nodeSelector": {"node-role.kubernetes.io/control-plane": ""},
        "priorityClassName": "system-cluster-critical",
        "serviceAccountName": SERVICE_ACCOUNT,
        "tolerations": [{"operator": "Exists"}],
    }


def _with_image(spec: Obj, image: str) -> Obj:
    """``spec`` with the ``deckhouse`` container running ``image`` (the others as they are)."""
    containers = [
        {**c, "image": image} if c.get("name") == CONTAINER else c for c in spec.get("containers") or []
    ]
    return {**spec, "containers": containers or [{"name": CONTAINER, "image": image}]}


def _template_image(template: Obj) -> str:
    for container in template.get("spec", {}).get("containers") or []:
        if container.get("name") == CONTAINER:
            return str(container.get("image") or "")
    return ""


def deckhouse_service_account(created: str) -> Obj:
    """``d8-system/deckhouse``, the account the Deckhouse pod runs as, as the installer creates it
    (``DeckhouseServiceAccount`` in deckhouse/deckhouse's ``dhctl/pkg/kubernetes/actions/manifests/
    manifests.go``: Helm's ownership labels and annotations, so the ``deckhouse`` release adopts
    it); no secrets, as every account since Kubernetes 1.24."""
    ns, account = kinds.DECKHOUSE_NAMESPACE, kinds.SERVICE_ACCOUNT
    return {
        "apiVersion": account.api_version,
        "kind": account.kind,
        "metadata": {
            "name": SERVICE_ACCOUNT,
            "namespace": ns,
            "uid": _uid(f"serviceaccount/{ns}/{SERVICE_ACCOUNT}"),
            "creationTimestamp": created,
            "labels": {"app.kubernetes.io/managed-by": "Helm", "heritage": "deckhouse"},
            "annotations": {"meta.helm.sh/release-name": "deckhouse", "meta.helm.sh/release-namespace": ns},
        },
    }


def deckhouse_services(created: str) -> list[Obj]:
    """The Services of ``d8-system`` that DKP's ``deckhouse`` module installs.

    ``deckhouse-leader`` selects the leading Deckhouse pod (``app=deckhouse,leader=true``): DKP's
    page runs ``kubectl exec svc/deckhouse-leader`` and kubectl finds the pod through that
    selector. ``deckhouse`` has no selector (its endpoints are managed apart). Ports and labels
    are upstream's (``modules/002-deckhouse/templates/service.yaml``,
    ``deckhouse-leader-service.yaml``); the cluster IPs are fixed addresses of the service network.
    """
    labels = {"app": "deckhouse", "heritage": "deckhouse", "module": "deckhouse"}
    ns = kinds.DECKHOUSE_NAMESPACE
    return [
        control_plane.service(
            ns,
            "deckhouse",
            created,
            labels=labels,
            cluster_ip="10.222.114.36",
            ports=[
                {"name": "self", "port": 9889, "protocol": "TCP", "targetPort": 9650},
                {"name": "webhook", "port": 9651, "protocol": "TCP", "targetPort": 9651},
            ],
        ),
        control_plane.service(
            ns,
            "deckhouse-leader",
            created,
            labels=labels,
            cluster_ip="10.222.187.203",
            ports=[
                {"name": "self", "port": 8080, "protocol": "TCP", "targetPort": "self"},
                {"name": "webhook", "port": 4223, "protocol": "TCP", "targetPort": "webhook"},
            ],
            selector={**LABELS, "leader": "true"},
            publish_not_ready=True,
        ),
    ]
