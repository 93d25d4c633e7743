"""Any cluster a kubeconfig reaches, as a :class:`~harness.target.base.Target`.

The connection (:class:`Connection`) is made once per test process: the client, the cluster's
clock and what the report names the cluster by. Each scenario then gets a
:class:`KubeconfigTarget` around it with its own :class:`~harness.target.naming.Naming` token and
:class:`~harness.target.timing.Timeline`. The scenario's objects and registry repositories carry
the token, and :meth:`KubeconfigTarget.close` deletes them, pass or fail (see
docs/real-clusters.md for the contract). A real cluster has no movable clock, no fault injection
and no version switch: those capabilities are ``None`` and the steps needing them skip.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from harness.kube.client import Unsubscribe, WatchHandler
from harness.kube.errors import ApiError, NotFound
from harness.kube.objects import Obj
from harness.kube.resources import Resource
from harness.registry.client import RegistryClient
from harness.registry.errors import RegistryError
from harness.registry.publisher import Publisher
from harness.target.base import RegistryAccess, ScenarioOptions, Target, TargetSkip, needs_virtual_time
from harness.target.catch_up import CATCH_UP_DEADLINE, lagging
from harness.target.deckhouse_exec import LeaderExec
from harness.target.kubeclient import KubernetesClient, TargetConnectionError
from harness.target.naming import Naming, new_token
from harness.target.timing import (
    CHECK_DEADLINE,
    LONGEST_WAIT,
    ClockStandsStill,
    ClusterClock,
    Timeline,
    eventually,
    pause,
)

__all__ = ["CLEANUP_ORDER", "Connection", "KubeconfigTarget", "TargetSettings"]

T = TypeVar("T")

CLEANUP_ORDER = (
    ("deckhouse.io/v1alpha1", "ModuleConfig"),
    ("deckhouse.io/v1alpha2", "ModulePullOverride"),
    ("deckhouse.io/v1alpha1", "ModuleSource"),
    ("deckhouse.io/v1alpha2", "ModuleUpdatePolicy"),
    ("deckhouse.io/v1alpha1", "ModuleRelease"),
    ("deckhouse.io/v1alpha1", "Module"),
)
"""What a scenario may leave on the cluster, in the order it is deleted: configs first (DKP stops
running the module), then sources (DKP stops making Modules and releases), then the rest."""
DECKHOUSE_NAMESPACE = "d8-system"


@dataclass(frozen=True)
class TargetSettings:
    """What ``--kubeconfig`` / ``--dkp-kubeconfig`` and their companions say."""

    kubeconfig: Path
    registry: RegistryAccess
    context: str | None = None
    run_id: str = "run00"


@dataclass
class Connection:
    """One process's connection to the cluster (shared by its scenarios)."""

    settings: TargetSettings
    client: KubernetesClient
    clock: ClusterClock
    info: dict[str, str] = field(default_factory=dict)

    @classmethod
    def open(cls, settings: TargetSettings) -> Connection:
        client = KubernetesClient.from_kubeconfig(settings.kubeconfig, settings.context)
        try:
            clock = ClusterClock(client.server_time)
            clock.calibrate()
            info = read_target_info(client, clock.rate, clock.time_mode())
        except (ApiError, TargetConnectionError, ClockStandsStill) as exc:
            client.close()
            raise TargetConnectionError(f"cannot use the cluster at {client.server}: {exc}") from None
        return cls(settings, client, clock, info)

    def close(self) -> None:
        self.client.close()


def read_target_info(client: KubernetesClient, rate: float, mode: str | None = None) -> dict[str, str]:
    """kind, server, versions, edition and time mode, read from the cluster as a user would.

    ``mode`` is the clock's own account (:meth:`ClusterClock.time_mode`, as precise as its
    measurement); rounding ``rate`` alone called a ``--time-scale 60`` sandbox "scaled x59".
    """
    version = client.request("GET", "/version") or {}
    image = _deckhouse_image(client)
    repo, _, tag = image.rpartition(":") if image else ("", "", "")
    edition = repo.rsplit("/", 1)[-1] if repo else "unknown"
    return {
        "kind": "kubeconfig",
        "server": client.server,
        "kubernetes_version": str(version.get("gitVersion", "unknown")),
        "deckhouse_version": tag or "unknown",
        "edition": edition,
        "time_mode": mode or ("real" if round(rate) <= 1 else f"scaled x{round(rate)}"),
    }


def _deckhouse_image(client: KubernetesClient) -> str:
    """The image of the deckhouse container: the Deployment in d8-system, else its labelled pod."""
    for api_version, kind, selector in (("apps/v1", "Deployment", None), ("v1", "Pod", "app=deckhouse")):
        try:
            resource = client.resolve(api_version, kind)
            items = client.list(resource, namespace=DECKHOUSE_NAMESPACE, label_selector=selector)
        except ApiError:
            continue
        for item in items:
            if kind == "Deployment" and item.get("metadata", {}).get("name") != "deckhouse":
                continue
            spec = item.get("spec", {})
            containers = (
                spec.get("template", {}).get("spec", {}).get("containers") or spec.get("containers") or []
            )
            for container in containers:
                if container.get("name") == "deckhouse":
                    return str(container.get("image", ""))
    return ""


class KubeconfigTarget(Target):
    """One scenario on a cluster reached through a kubeconfig; see the module docstring."""

    kind = "kubeconfig"
    shared = True

    def __init__(self, connection: Connection, options: ScenarioOptions) -> None:
        self._connection = connection
        self.client = connection.client
        self.registry = connection.settings.registry
        self.names = Naming(new_token(connection.settings.run_id))
        self.clock = connection.clock
        self.timeline = Timeline(connection.clock, scenario_start=options.start)
        self.time_mode = connection.info.get("time_mode", "real")
        self._watches: list[Unsubscribe] = []
        self._repos: dict[str, set[str]] = {}
        self.module_cli = LeaderExec(connection.client)

    @classmethod
    def start(cls, connection: Connection, options: ScenarioOptions) -> KubeconfigTarget:
        """The scenario's target, or a skip when the scenario asks for what a real cluster cannot do."""
        if options.credentials is not None:
            raise TargetSkip(
                "needs a registry the harness starts itself with the credentials the scenario chooses; "
                "on a real cluster the registry is the one given with --registry"
            )
        if options.embedded_modules:
            raise TargetSkip(
                "needs a Deckhouse build that ships chosen modules embedded; which modules a real "
                "cluster's Deckhouse ships is fixed by its image"
            )
        info = connection.info
        for label, wanted, actual in (
            ("Deckhouse", options.deckhouse_version, info.get("deckhouse_version", "")),
            ("Kubernetes", options.kubernetes_version, info.get("kubernetes_version", "")),
        ):
            if wanted is not None and wanted.lstrip("v") != actual.lstrip("v"):
                raise TargetSkip(
                    f"cannot change a real cluster's version: the scenario needs {label} {wanted}, "
                    f"the cluster runs {actual or 'an unknown version'}"
                )
        return cls(connection, options)

    @property
    def kubeconfig(self) -> Path:
        return self._connection.settings.kubeconfig

    @property
    def kube_context(self) -> str | None:
        return self._connection.settings.context

    def now(self) -> datetime:
        return self.clock.now()

    def settle(self) -> None:
        """Nothing to drive: DKP runs by itself; checks wait for it instead (:meth:`check`)."""

    def before_write(self) -> None:
        self.timeline.start()

    def wait(self, span: timedelta) -> None:
        if span > LONGEST_WAIT:
            raise needs_virtual_time(
                f"lets {_describe(span)} pass, longer than the {_describe(LONGEST_WAIT)} a run on a real "
                "cluster waits at most"
            )
        self.timeline.wait(span)

    def check(self, attempt: Callable[[], T]) -> T:
        return eventually(attempt, self.clock)

    def same_time(self, expected: Any, actual: Any) -> bool | None:
        return self.timeline.same_time(expected, actual)

    def time_note(self) -> str:
        return self.timeline.describe()

    def subscribe(self, handler: WatchHandler, kinds: tuple[Resource, ...]) -> Unsubscribe:
        names = self.names

        def mine(event: Any) -> None:
            if names.owns(str(event.object.get("metadata", {}).get("name", ""))):
                handler(event)

        stops = [self.client.subscribe(mine, resource) for resource in kinds]
        self._watches.extend(stops)

        def stop_all() -> None:
            for stop in stops:
                stop()

        return stop_all

    def describe(self) -> dict[str, str]:
        return dict(self._connection.info)

    def publisher(self, repo: str) -> Publisher:
        """A publisher for the scenario's repository ``repo`` (the repository is remembered for cleanup)."""
        self._repos.setdefault(repo, set())
        return super().publisher(repo)

    def published(self, repo: str, module: str) -> None:
        self._repos.setdefault(repo, set()).add(module)

    def before_registry_change(self) -> None:
        """Wait (bounded) until DKP took in the scenario's writes; see :mod:`harness.target.catch_up`."""

        def caught_up() -> None:
            behind = lagging(self._owned_of, self.client.get)
            assert behind is None, behind

        try:
            eventually(caught_up, self.clock, CATCH_UP_DEADLINE)
        except AssertionError:
            return  # the change goes ahead; the scenario's checks say what followed

    def _owned_of(self, resource: Resource) -> list[Obj]:
        return [o for o in self.client.list(resource) if self.names.owns(_name(o))]

    # -- cleanup -----------------------------------------------------------------------------------

    def close(self) -> None:
        """Delete everything the scenario made on the cluster and in the registry, pass or fail."""
        for stop in self._watches:
            stop()
        self._watches.clear()
        problems = self._delete_objects()
        problems += self._delete_repositories()
        if problems:
            raise RuntimeError(
                "the scenario left things behind on the cluster:\n  - " + "\n  - ".join(problems)
            )

    def owned(self) -> list[tuple[Resource, str]]:
        """Every object on the cluster whose name carries the scenario's token."""
        found: list[tuple[Resource, str]] = []
        for api_version, kind in CLEANUP_ORDER:
            try:
                resource = self.client.resolve(api_version, kind)
                items = self.client.list(resource)
            except NotFound:
                continue
            found += [(resource, str(o["metadata"]["name"])) for o in items if self.names.owns(_name(o))]
        return found

    def _delete_objects(self) -> list[str]:
        if not self.names.active:
            return []
        for resource, name in self.owned():
            self._delete(resource, name)
        try:
            eventually(self._assert_gone, self.clock, CHECK_DEADLINE)
        except AssertionError:
            for resource, name in self.owned():  # finalizers no controller removes: ours to drop
                self._drop_finalizers(resource, name)
            pause(1.0)
        left = self.owned()
        return [f"{r.kind}/{n}" for r, n in left]

    def _assert_gone(self) -> None:
        left = self.owned()
        for resource, name in left:
            self._delete(resource, name)  # DKP may have made it again meanwhile
        assert not left, f"still present: {[f'{r.kind}/{n}' for r, n in left]}"

    def _delete(self, resource: Resource, name: str) -> None:
        try:
            self.client.delete(resource, name)
        except NotFound:
            pass

    def _drop_finalizers(self, resource: Resource, name: str) -> None:
        try:
            self.client.patch(resource, name, {"metadata": {"finalizers": None}})
            self.client.delete(resource, name)
        except NotFound:
            pass

    def _delete_repositories(self) -> list[str]:
        problems: list[str] = []
        for repo, modules in self._repos.items():
            reader = RegistryClient(
                f"{self.registry.push_host}/{repo}",
                credentials=self.registry.credentials,
                scheme=self.registry.scheme,
            )
            publisher = self.publisher(repo)
            try:
                for path in ["", *(f"{m}/release" for m in modules), *modules]:
                    problems += _delete_tags(reader, publisher, path)
            finally:
                reader.close()
                publisher.close()
        return problems


def _delete_tags(reader: RegistryClient, publisher: Publisher, path: str) -> list[str]:
    try:
        tags = reader.list_tags(path)
    except RegistryError:
        return []  # nothing was pushed there (or it is already gone)
    problems: list[str] = []
    for tag in tags:
        try:
            publisher.remove_tag(path, tag)
        except RegistryError as exc:
            problems.append(f"registry tag {publisher.name(path)}:{tag}: {exc}")
    return problems


def _describe(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} seconds"


def _name(obj: Obj) -> str:
    return str(obj.get("metadata", {}).get("name", ""))
