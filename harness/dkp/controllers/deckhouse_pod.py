"""The Deckhouse pod comes back when it is deleted, and Deckhouse starts afresh in it.

``kubectl -n d8-system delete pod -l app=deckhouse`` is how DKP users restart Deckhouse: the
``deckhouse`` Deployment's ReplicaSet creates a new pod (same template hash, a new five-character
suffix), and the Deckhouse in it starts with nothing in memory, its log empty, its controllers
listing every object again. This controller notices the deletion of the current pod and asks the
cluster to do that (``restart``): a new running pod, a fresh log for it, the manager restarted.
Pods are Kubernetes', not DKP's; the controller is here because only the Deckhouse pod matters
to the simulation, and its restart is the controllers' own.
"""

from __future__ import annotations

from collections.abc import Callable

from harness.api import kinds
from harness.dkp.runtime.reconcile import Request, Result, Watch
from harness.kube.client import KubeClient
from harness.kube.errors import NotFound

__all__ = ["DeckhousePodController"]


class DeckhousePodController:
    """Restarts Deckhouse (``restart()``) when the pod ``current()`` names is gone."""

    name = "deckhouse-pod"
    resource = kinds.POD
    watches: tuple[Watch, ...] = ()

    def __init__(self, kube: KubeClient, current: Callable[[], str], restart: Callable[[], None]) -> None:
        self._kube = kube
        self._current = current
        self._restart = restart

    def reconcile(self, request: Request) -> Result:
        if request.namespace != kinds.DECKHOUSE_NAMESPACE or request.name != self._current():
            return Result()
        try:
            self._kube.get(kinds.POD, request.name, namespace=request.namespace)
        except NotFound:
            self._restart()
        return Result()
