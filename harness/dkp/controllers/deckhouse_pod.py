"""The Deckhouse pod comes back when it is deleted or rolled out, and Deckhouse starts afresh in it.

DKP users restart Deckhouse with ``kubectl -n d8-system delete pod -l app=deckhouse`` or
``kubectl -n d8-system rollout restart deploy/deckhouse``. Kubernetes then runs a new pod: after a
deletion the ReplicaSet makes one like it (same template hash, a new five-character suffix);
after a change of the Deployment's pod template (a rollout: ``restartedAt``, ``set image``) a new
ReplicaSet makes one from the new template and the old pod goes, and the Deployment reports the
new generation observed (what ``kubectl rollout status`` waits for). The Deckhouse in the new pod
starts with nothing in memory, its log empty, its controllers listing every object again.

With several replicas (``kubectl scale --replicas=3``, Deckhouse's high-availability mode), one
pod leads and the others stand by; a deleted standby is replaced, a deleted leader hands over to
the oldest standby, whose Deckhouse starts afresh (``restart`` then promotes it).

Deleting the Deployment itself (``kubectl -n d8-system delete deploy deckhouse``) lets the garbage
collector take its ReplicaSets and pod: no Deckhouse runs any more, and nothing makes another
until a Deployment of that name is created again (``kubectl apply`` of a saved manifest), which
starts a fresh Deckhouse. Deleted with ``--cascade=orphan``, the pod stays and Deckhouse runs on.

This controller notices each and asks the cluster to do that (``restart(rollout)``, ``gone()``). Pods and
Deployments are Kubernetes', not DKP's; the controller is here because only the Deckhouse pod
matters to the simulation, and its restart is the controllers' own. A template change the cluster
makes itself (a Deckhouse upgrade) reports its generation at once and is not a rollout here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from harness.api import kinds
from harness.dkp.runtime.reconcile import Request, Result, Watch
from harness.kube.client import KubeClient, WatchEvent
from harness.kube.errors import NotFound
from harness.kube.objects import deep_get

__all__ = ["DEPLOYMENT_NAME", "DeckhousePodController"]

DEPLOYMENT_NAME = "deckhouse"


class DeckhousePodController:
    """Restarts Deckhouse (``restart(rollout)``) when the pod ``current()`` names is gone, or the
    ``deckhouse`` Deployment has a generation it has not observed."""

    name = "deckhouse-pod"
    resource = kinds.POD

    def __init__(
        self,
        kube: KubeClient,
        current: Callable[[], str],
        restart: Callable[[bool], None],
        gone: Callable[[], None] = lambda: None,
        standby: Callable[[], Collection[str]] = tuple,
        replace: Callable[[str], None] = lambda _pod: None,
    ) -> None:
        self._kube = kube
        self._current = current
        self._restart = restart
        self._gone = gone
        self._standby = standby
        self._replace = replace
        self.watches: tuple[Watch, ...] = (Watch(kinds.DEPLOYMENT, self._deployment_changed),)

    def _deployment_changed(self, event: WatchEvent) -> list[Request]:
        meta = event.object.get("metadata", {})
        ours = (meta.get("namespace"), meta.get("name")) == (kinds.DECKHOUSE_NAMESPACE, DEPLOYMENT_NAME)
        return [Request(self._current(), kinds.DECKHOUSE_NAMESPACE)] if ours else []

    def reconcile(self, request: Request) -> Result:
        if request.namespace != kinds.DECKHOUSE_NAMESPACE:
            return Result()
        leader = request.name == self._current()
        if not leader and request.name not in self._standby():
            return Result()
        try:
            deployment = self._kube.get(kinds.DEPLOYMENT, DEPLOYMENT_NAME, namespace=request.namespace)
        except NotFound:
            if leader and not self._pod_exists(request):  # collected with it (an orphan runs on)
                self._gone()
            return Result()
        if not leader:
            if not self._pod_exists(request):  # a standby replica: its ReplicaSet makes another
                self._replace(request.name)
            return Result()
        generation = int(deep_get(deployment, "metadata.generation") or 0)
        if generation > int(deep_get(deployment, "status.observedGeneration") or 0):
            self._restart(True)
            return Result()
        if not self._pod_exists(request):
            self._restart(False)
        return Result()

    def _pod_exists(self, request: Request) -> bool:
        try:
            self._kube.get(kinds.POD, request.name, namespace=request.namespace)
        except NotFound:
            return False
        return True
