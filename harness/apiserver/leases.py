"""``coordination.k8s.io/v1`` Leases: how kube-apiserver 1.32 stores, checks and prints them.

Leases are what leader election (client-go's, controller-runtime's, the Python client's
``leaderelection``) and the kubelet's node heartbeats write: a holder, a duration, when it was
acquired and last renewed. Their REST strategy (``pkg/registry/coordination/lease/strategy.go``)
differs from the other built-ins in two ways clients meet: a PUT to a name that does not exist
creates the Lease (``AllowCreateOnUpdate``), and a PUT must carry the stored resourceVersion (no
``AllowUnconditionalUpdate``). ``ValidateLeaseSpec`` (``pkg/apis/coordination/validation``)
refuses a duration that is not positive and a negative transition count; the fields behind the
alpha ``CoordinatedLeaderElection`` gate (``strategy``, ``preferredHolder``), off by default in
1.32, are dropped on every write, as the strategy drops disabled fields. ``kubectl get leases``
prints ``NAME``, ``HOLDER`` (``spec.holderIdentity``, blank without one) and ``AGE``
(``printLease`` in ``pkg/printers/internalversion/printers.go``). The times are MicroTimes
(:mod:`harness.apiserver.microtime`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from harness.apiserver.ages import age_of
from harness.apiserver.catalog import PrinterColumn, ResourceType
from harness.apiserver.microtime import canonical
from harness.kube.errors import Cause
from harness.kube.objects import Obj
from harness.kube.resources import Resource

__all__ = ["LEASE", "LEASE_TYPE", "prepare", "validate"]

LEASE = Resource("coordination.k8s.io", "v1", "leases", "Lease", True)
_TIMES = ("acquireTime", "renewTime")
_GATED = ("strategy", "preferredHolder")


def _holder(obj: Obj, _now: datetime) -> str:
    return str((obj.get("spec") or {}).get("holderIdentity") or "")


def _age(obj: Obj, now: datetime) -> Any:
    return age_of((obj.get("metadata") or {}).get("creationTimestamp"), now)


LEASE_TYPE = ResourceType(
    LEASE,
    "lease",
    "v1",
    custom=False,
    generation="none",
    field_label_conversion=False,
    create_on_update=True,
    conditional_update=True,
    columns=(
        PrinterColumn("Holder", "string", description="Holder", compute=_holder),
        PrinterColumn("Age", "string", description="Age", compute=_age),
    ),
)


def prepare(obj: Obj) -> None:
    """What the strategy and the MicroTime codec make of a Lease about to be stored: the gated
    fields dropped, the times in UTC with six fraction digits (they were checked readable)."""
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return
    if any(name in spec for name in (*_GATED, *_TIMES)):
        spec = obj["spec"] = {k: v for k, v in spec.items() if k not in _GATED}  # a copy: may be shared
        for name in _TIMES:
            if isinstance(spec.get(name), str):
                spec[name] = canonical(spec[name])


def validate(obj: Obj) -> list[Cause]:
    """``ValidateLeaseSpec``: a duration above 0, a transition count not below 0."""
    spec = obj.get("spec") or {}
    causes = []
    duration, transitions = _int(spec.get("leaseDurationSeconds")), _int(spec.get("leaseTransitions"))
    if duration is not None and duration <= 0:
        message = f"Invalid value: {duration}: must be greater than 0"
        causes.append(Cause("FieldValueInvalid", message, "spec.leaseDurationSeconds"))
    if transitions is not None and transitions < 0:
        message = f"Invalid value: {transitions}: must be greater than or equal to 0"
        causes.append(Cause("FieldValueInvalid", message, "spec.leaseTransitions"))
    return causes


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
