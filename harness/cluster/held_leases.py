"""The Leases the cluster's components hold and renew: the Deckhouse leader's, the node's heartbeat.

On a DKP cluster ``kubectl -n d8-system get lease deckhouse-leader-election`` names the leading
Deckhouse replica, and ``kubectl -n kube-node-lease get lease`` has one Lease per node that its
kubelet renews. Their holders renew them on a fixed cadence (client-go's leader elector every
``RetryPeriod``, the kubelet every quarter of its 40-second lease), so each read shows a
``renewTime`` at most one period old and a resourceVersion that has moved.

:class:`HeldLeases` keeps what each holder would have written (who, since when, how often) and
writes it only when someone asks for Leases (``ApiServer.keep_current``): one write that lands
the latest renewal due at the clock's instant, never one per period, so weeks of virtual time
cost nothing while nobody looks and the other objects' resourceVersions stay as they were. A
hand-over (a new leader) is written at once when the Lease is already stored, so a watcher sees
it. A holder that stopped (its pod went, none replaced it) stops renewing: its last renewal stays
and the Lease expires, as on a cluster. A Lease someone else took (another holder written in)
is left alone from then on; one deleted is made again at the next renewal, as the holder's
next try would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from harness.api import kinds
from harness.apiserver.microtime import stamp
from harness.clock import Clock
from harness.kube.client import KubeClient
from harness.kube.errors import Conflict, NotFound
from harness.kube.objects import Obj

__all__ = ["HeldLease", "HeldLeases"]


@dataclass
class HeldLease:
    """One Lease as its holder keeps it: who holds it, since when, how long and how often renewed.

    ``elected``: a leader election record (``acquireTime``, ``leaseTransitions``), as client-go
    writes it; a kubelet's heartbeat has neither. ``owner``: the ``ownerReferences`` entry (a
    node's Lease is owned by the Node, so it goes with it)."""

    namespace: str
    name: str
    holder: str
    duration: int
    period: timedelta
    acquired: datetime
    agent: str
    """The user agent the holder writes with (``managedFields`` name its first part)."""
    elected: bool = True
    owner: Obj | None = None
    transitions: int = 0
    stopped: datetime | None = None
    written: tuple[str, datetime] | None = field(default=None, repr=False)
    """The holder and renewal last written (nothing to do while it is still the due one)."""
    lost: bool = field(default=False, repr=False)
    """Another holder was written in: the Lease is no longer this holder's to renew."""

    def due(self, now: datetime) -> datetime:
        """The last renewal at or before ``now`` (or before the holder stopped)."""
        until = min(now, self.stopped) if self.stopped is not None else now
        periods = max(0, int((until - self.acquired) / self.period))
        return self.acquired + self.period * periods

    def spec(self, renewed: datetime) -> dict[str, Any]:
        spec: dict[str, Any] = {"holderIdentity": self.holder, "leaseDurationSeconds": self.duration}
        if self.elected:
            spec["acquireTime"] = stamp(self.acquired)
        spec["renewTime"] = stamp(renewed)
        if self.elected:
            spec["leaseTransitions"] = self.transitions
        return spec


class HeldLeases:
    """The held Leases of one cluster, written through ``client(user_agent)`` when Leases are
    asked for."""

    def __init__(self, client: Callable[[str], KubeClient], clock: Clock) -> None:
        self._client = client
        self._clock = clock
        self._held: dict[tuple[str, str], HeldLease] = {}
        self._lock = threading.RLock()
        self.stored = False
        """Whether anyone asked for Leases yet (before that, nothing is written)."""

    def hold(self, lease: HeldLease) -> None:
        """Have ``lease`` held and renewed from now on."""
        with self._lock:
            self._held[(lease.namespace, lease.name)] = lease

    def holds(self, namespace: str, name: str) -> bool:
        return (namespace, name) in self._held

    def hand_over(self, namespace: str, name: str, holder: str | None) -> None:
        """The Lease goes to ``holder`` now (one more transition), or, with None, its holder
        stops renewing it; written at once when the Lease is stored already."""
        with self._lock:
            lease = self._held.get((namespace, name))
            if lease is None or lease.lost:
                return
            now = self._clock.now()
            if holder is None:
                lease.stopped = lease.stopped or now
            elif holder != lease.holder or lease.stopped is not None:
                if holder != lease.holder:
                    lease.transitions += 1
                lease.holder, lease.acquired, lease.stopped = holder, now, None
            if self.stored:
                self._renew(lease, now)

    def refresh(self) -> None:
        """Write every held Lease's latest due renewal (``ApiServer.keep_current`` calls this)."""
        with self._lock:
            self.stored = True
            now = self._clock.now()
            for lease in list(self._held.values()):
                if not lease.lost:
                    self._renew(lease, now)

    def _renew(self, lease: HeldLease, now: datetime) -> None:
        renewed = lease.due(now)
        if lease.written == (lease.holder, renewed):
            return
        client = self._client(lease.agent)
        try:
            stored = client.get(kinds.LEASE, lease.name, namespace=lease.namespace)
        except NotFound:
            client.create(kinds.LEASE, self._document(lease, renewed), namespace=lease.namespace)
            lease.written = (lease.holder, renewed)
            return
        if lease.written == (lease.holder, renewed):
            return  # written by the refresh the read itself ran
        holder = (stored.get("spec") or {}).get("holderIdentity")
        if lease.written is not None and holder not in (lease.holder, lease.written[0]):
            lease.lost = True  # someone else holds it now: the real holder would step down
            return
        document = self._document(lease, renewed)
        document["metadata"] = {**stored["metadata"]}
        try:
            client.update(kinds.LEASE, document, namespace=lease.namespace)
        except Conflict:
            return  # written meanwhile: the next request tries again, as the holder's next retry
        lease.written = (lease.holder, renewed)

    @staticmethod
    def _document(lease: HeldLease, renewed: datetime) -> Obj:
        metadata: dict[str, Any] = {"name": lease.name, "namespace": lease.namespace}
        if lease.owner is not None:
            metadata["ownerReferences"] = [lease.owner]
        return {
            "apiVersion": kinds.LEASE.api_version,
            "kind": kinds.LEASE.kind,
            "metadata": metadata,
            "spec": lease.spec(renewed),
        }
