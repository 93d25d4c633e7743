"""The :class:`Target` protocol: a client, a registry, and optional simulation powers.

Steps never ask "am I on the simulator?". They ask the target for what they need: a
:class:`~harness.kube.client.KubeClient` to read and write objects, a :class:`RegistryAccess` to
publish modules to, and, for the steps that need them, a capability such as :class:`TimeControl`
(moving the clock to a given instant) or :class:`FaultControl` (making DKP's registry fail). A
capability a target lacks is ``None``; the step then raises :class:`TargetSkip`, and the
scenario is skipped with the reason. Reasons that start with :data:`VIRTUAL_TIME` ("needs virtual
time: ...") are counted apart in the report: they say what only the simulator can do, not that a
cluster failed.
"""

from __future__ import annotations

import abc
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from harness.kube.client import KubeClient, Unsubscribe, WatchHandler
from harness.kube.errors import ApiError
from harness.kube.resources import Resource
from harness.registry.credentials import Credentials
from harness.target.naming import Naming

if TYPE_CHECKING:  # imported where a publisher is built: it brings httpx, which a controller never uses
    from harness.registry.publisher import Publisher

__all__ = [
    "VIRTUAL_TIME",
    "FaultControl",
    "ModuleCli",
    "RegistryAccess",
    "ScenarioOptions",
    "Target",
    "TargetSkip",
    "TimeControl",
    "VersionControl",
    "needs_virtual_time",
]

T = TypeVar("T")

VIRTUAL_TIME = "needs virtual time: "
"""Prefix of the skip reasons the report counts as "needs virtual time" rather than as skipped."""


class TargetSkip(Exception):
    """The step cannot run on this target; the scenario is skipped with :attr:`reason`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def needs_virtual_time(what: str) -> TargetSkip:
    """A skip for a step only a simulated cluster with a movable clock or fault injection can run."""
    return TargetSkip(VIRTUAL_TIME + what)


@dataclass(frozen=True)
class RegistryAccess:
    """Where the harness pushes modules, and the address the cluster pulls them from.

    ``push`` and ``pull`` are ``HOST[:PORT][/PATH]``; they differ when the cluster reaches the
    registry under another name (an in-cluster service, a mirror). ``credentials`` are the ones
    the harness pushes with; they are kept out of every repr.
    """

    push: str
    pull: str
    scheme: str = "http"
    credentials: Credentials | None = field(default=None, repr=False)

    @property
    def push_host(self) -> str:
        """``HOST[:PORT]`` of :attr:`push` (what the publisher connects to)."""
        return self.push.split("/", 1)[0]

    def push_repo(self, repo: str) -> str:
        """The repository path of ``repo`` on the push side (the push address's path comes first)."""
        prefix = self.push.split("/", 1)[1] if "/" in self.push else ""
        return "/".join(p.strip("/") for p in (prefix, repo) if p.strip("/"))


@dataclass
class ScenarioOptions:
    """What a scenario decides before its first use of the cluster (set by its first steps)."""

    start: datetime | None = None
    credentials: Credentials | None = field(default=None, repr=False)
    deckhouse_version: str | None = None
    """Canonical ``vX.Y.Z`` the cluster runs; None: the page's era (:mod:`harness.eras`)."""
    kubernetes_version: str | None = None
    edition: str | None = None
    bundle: str | None = None
    embedded_modules: frozenset[str] = frozenset()
    """Modules the Deckhouse build ships embedded (``ClusterSettings.embedded_modules``)."""


class TimeControl(Protocol):
    """Moving the cluster's clock (a simulator power)."""

    def advance(self, delta: timedelta) -> None: ...
    def set(self, when: datetime) -> None: ...


class FaultControl(Protocol):
    """Faults inside what DKP talks to (a simulator power)."""

    def registry_down(self) -> None: ...
    def registry_error(self, path_regex: str, status: int) -> None: ...
    def registry_back(self) -> None: ...
    def api_error_once(self, verb: str, resource: Resource, error: ApiError) -> None: ...


class VersionControl(Protocol):
    """Changing the Deckhouse and Kubernetes versions the cluster runs (a simulator power)."""

    def set_versions(self, *, deckhouse: str | None = None, kubernetes: str | None = None) -> None: ...


class ModuleCli(Protocol):
    """``deckhouse-controller module enable|disable NAME`` as run inside the Deckhouse pod."""

    def set_enabled(self, name: str, enabled: bool) -> None: ...


class Target(abc.ABC):
    """One scenario's view of a cluster; see the module docstring.

    ``shared`` is true for a cluster other people use: objects and registry repositories are then
    named per scenario (:attr:`names`), everything the scenario made is deleted at the end, and
    steps that would change cluster-wide singletons skip.
    """

    kind: str
    shared: bool
    time_mode: str
    client: KubeClient
    registry: RegistryAccess
    names: Naming
    time: TimeControl | None = None
    faults: FaultControl | None = None
    versions: VersionControl | None = None
    module_cli: ModuleCli | None = None

    @property
    @abc.abstractmethod
    def kubeconfig(self) -> Path:
        """A kubeconfig file kubectl can use to reach the cluster."""

    @abc.abstractmethod
    def now(self) -> datetime:
        """The cluster's now (what it stamps objects with)."""

    @abc.abstractmethod
    def settle(self) -> None:
        """Let the controllers catch up with the writes made so far."""

    @abc.abstractmethod
    def wait(self, span: timedelta) -> None:
        """Let ``span`` of the scenario's time pass (virtual on the simulator, real elsewhere)."""

    @abc.abstractmethod
    def check(self, attempt: Callable[[], T]) -> T:
        """Run a check: once where the cluster is settled, else until it holds or its deadline."""

    @abc.abstractmethod
    def subscribe(self, handler: WatchHandler, kinds: tuple[Resource, ...]) -> Unsubscribe:
        """Deliver every change of objects of ``kinds`` to ``handler`` (for the history)."""

    @abc.abstractmethod
    def describe(self) -> dict[str, str]:
        """What the report names the target by (see ``harness.report.run_target``)."""

    @property
    def kube_context(self) -> str | None:
        """The kubeconfig context kubectl must use (``None``: the file's current context)."""
        return None

    def publisher(self, repo: str) -> Publisher:
        """A publisher for repository ``repo`` (a path below the push address)."""
        from harness.registry.publisher import Publisher

        return Publisher(
            self.registry.push_host, repo, auth=self.registry.credentials, scheme=self.registry.scheme
        )

    def published(self, repo: str, module: str) -> None:
        """Remember that ``module`` was pushed under ``repo`` (a shared target deletes it at the end)."""
        return None

    def before_registry_change(self) -> None:
        """Let DKP take in the scenario's writes before the registry changes under it (a real
        cluster: :mod:`harness.target.catch_up`; the simulator is settled after every step)."""
        return None

    def same_time(self, expected: Any, actual: Any) -> bool | None:
        """Whether a timestamp in a check matches; ``None`` when they are not both timestamps."""
        return None

    def time_note(self) -> str:
        """A line for failure messages saying how timestamps were compared ("" when literally)."""
        return ""

    def before_write(self) -> None:
        """Called before every write a step makes (a real target anchors its time there)."""
        return None

    def close(self) -> None:
        """Undo what the scenario did and release everything (always called, pass or fail)."""
        return None
