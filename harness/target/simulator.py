"""The simulated cluster as a :class:`~harness.target.base.Target`: every capability, virtual time.

One :class:`~harness.cluster.SimulatedCluster` per scenario, so the scenario owns its whole
cluster: names stay as written, checks run once on a settled cluster, nothing needs cleaning up
but the processes, which ``close()`` stops. The registry process is the one exception: it comes
from the process's :func:`~harness.registry.backends.pool.shared_pool` and goes back to it,
emptied, so the next scenario finds it as a fresh one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

from harness import eras
from harness.cluster import DeckhouseSettings, SimulatedCluster, cluster_settings
from harness.kube.client import Unsubscribe, WatchHandler
from harness.kube.errors import ApiError
from harness.kube.resources import Resource
from harness.registry.backends.distribution import DistributionBackend
from harness.registry.backends.pool import RegistryPool, shared_pool
from harness.registry.publisher import Publisher
from harness.target.base import RegistryAccess, ScenarioOptions, Target
from harness.target.naming import Naming
from harness.target.simulator_info import describe_simulator

__all__ = ["SimulatorTarget", "start_simulator"]

T = TypeVar("T")


class _Time:
    def __init__(self, cluster: SimulatedCluster) -> None:
        self._cluster = cluster

    def advance(self, delta: timedelta) -> None:
        self._cluster.control.advance(delta)

    def set(self, when: datetime) -> None:
        self._cluster.control.set(when)


class _Faults:
    def __init__(self, cluster: SimulatedCluster) -> None:
        self._cluster = cluster

    def registry_down(self) -> None:
        self._cluster.control.registry_down()

    def registry_error(self, path_regex: str, status: int) -> None:
        self._cluster.control.registry_error(path_regex, status=status)

    def registry_back(self) -> None:
        self._cluster.control.clear_registry_faults()

    def api_error_once(self, verb: str, resource: Resource, error: ApiError) -> None:
        self._cluster.control.api_fault(verb, resource.plural, error, times=1)


class _Versions:
    def __init__(self, cluster: SimulatedCluster) -> None:
        self._cluster = cluster

    def set_versions(self, *, deckhouse: str | None = None, kubernetes: str | None = None) -> None:
        self._cluster.set_versions(deckhouse=deckhouse, kubernetes=kubernetes)


class _ModuleCli:
    def __init__(self, cluster: SimulatedCluster) -> None:
        self._cluster = cluster

    def set_enabled(self, name: str, enabled: bool) -> None:
        from harness.dkp.controllers.enable import set_module_enabled

        set_module_enabled(self._cluster.client, name, enabled)
        self._cluster.settle()


class SimulatorTarget(Target):
    """A running :class:`SimulatedCluster` seen through the target seam."""

    kind = "simulator"
    shared = False
    time_mode = "virtual"

    def __init__(
        self,
        cluster: SimulatedCluster,
        credentials: RegistryAccess | None = None,
        *,
        pooled: tuple[RegistryPool, DistributionBackend] | None = None,
    ) -> None:
        self.cluster = cluster
        self._pooled = pooled
        self.client = cluster.client
        self.registry = credentials or RegistryAccess(push=cluster.publisher.registry, pull=cluster.registry)
        self.names = Naming()
        self.time = _Time(cluster)
        self.faults = _Faults(cluster)
        self.versions = _Versions(cluster)
        self.module_cli = _ModuleCli(cluster)

    @property
    def kubeconfig(self) -> Path:
        return self.cluster.kubeconfig

    def publisher(self, repo: str) -> Publisher:
        """As any target's, but blobs go straight into the storage of the registry the cluster runs."""
        return Publisher(
            self.registry.push_host,
            repo,
            auth=self.registry.credentials,
            scheme=self.registry.scheme,
            seed_storage=self.cluster.blob_seed_root if self._pushes_to_own_registry() else None,
        )

    def _pushes_to_own_registry(self) -> bool:
        return self.registry.push == self.cluster.publisher.registry

    def now(self) -> datetime:
        return self.cluster.control.now()

    def settle(self) -> None:
        self.cluster.control.settle()

    def wait(self, span: timedelta) -> None:
        self.cluster.control.advance(span)

    def check(self, attempt: Callable[[], T]) -> T:
        return attempt()  # every write settled: the state is final, a retry would see the same

    def subscribe(self, handler: WatchHandler, kinds: tuple[Resource, ...]) -> Unsubscribe:
        # The in-process feed: synchronous and in commit order, so the history misses nothing.
        return self.cluster.client.subscribe(handler)

    def describe(self) -> dict[str, str]:
        return describe_simulator()

    def close(self) -> None:
        self.cluster.stop()
        if self._pooled is not None:
            pool, backend = self._pooled
            self._pooled = None
            pool.release(backend)


def start_simulator(options: ScenarioOptions) -> SimulatorTarget:
    """A running simulated cluster shaped by what the scenario's first steps asked for."""
    settings = cluster_settings(options.deckhouse_version, options.edition)
    if options.kubernetes_version:
        settings = dataclasses.replace(settings, kubernetes_version=options.kubernetes_version)
    if options.embedded_modules:
        settings = dataclasses.replace(settings, embedded_modules=options.embedded_modules)
    pool = shared_pool()
    backend = pool.acquire(options.credentials)
    try:
        cluster = SimulatedCluster(
            start=options.start,
            registry=backend,
            tls=True,
            settings=settings,
            deckhouse=DeckhouseSettings(bundle=options.bundle or eras.DEFAULT_BUNDLE),
        ).start()
    except BaseException:
        pool.release(backend)
        raise
    access = RegistryAccess(
        push=cluster.publisher.registry, pull=cluster.registry, credentials=options.credentials
    )
    return SimulatorTarget(cluster, access, pooled=(pool, backend))
