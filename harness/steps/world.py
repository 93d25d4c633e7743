"""Per-scenario state shared by the steps: the cluster, the history, kubectl, remembered output.

One :class:`World` per scenario, built by the ``world`` fixture around the scenario's own
simulated cluster, so scenarios never see each other's objects, clocks or registries and can run
in any order or in parallel. Steps are thin: they parse their text, call the cluster through the
world, and record what a reader of the report needs through :attr:`World.evidence`.

Objects are written through the cluster's in-process client (the same ``KubeClient`` protocol an
HTTP client implements): it is what keeps a scenario well under its overhead budget, and it is the
same storage, validation and watch path the HTTP server wraps. Output a claim is *about* comes
from the real kubectl instead (:mod:`harness.steps.kubectl`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

import yaml

from harness.api import kinds
from harness.cluster import SimulatedCluster
from harness.kube.client import KubeClient
from harness.kube.errors import NotFound
from harness.kube.objects import Obj
from harness.kube.resources import Resource
from harness.registry.credentials import Credentials
from harness.registry.publisher import Publisher
from harness.steps.history import History
from harness.steps.kubectl import Kubectl, KubectlResult

__all__ = ["ClusterOptions", "EvidenceSink", "NullEvidence", "World", "WorldError"]

KINDS: dict[str, tuple[str, str]] = {kind: (r.api_version, r.plural) for kind, r in kinds.BY_KIND.items()}


class WorldError(AssertionError):
    """A step could not do what the scenario asked; the message says why and what to write."""


class EvidenceSink(Protocol):
    """The part of the report's per-scenario evidence recorder the steps use."""

    def timeline(self, at: datetime, kind: str, name: str, field: str, old: object, new: object) -> None: ...
    def kubectl(self, command: str, output: str, expected: str | None = None) -> None: ...
    def diff(self, field_path: str, expected: object, actual: object) -> None: ...
    def objects_yaml(self, name: str, yaml_text: str) -> None: ...
    def note(self, text: str) -> None: ...


class NullEvidence:
    """Evidence recorder used when the report plugin is not loaded: records nothing."""

    def timeline(self, at: datetime, kind: str, name: str, field: str, old: object, new: object) -> None:
        return None

    def kubectl(self, command: str, output: str, expected: str | None = None) -> None:
        return None

    def diff(self, field_path: str, expected: object, actual: object) -> None:
        return None

    def objects_yaml(self, name: str, yaml_text: str) -> None:
        return None

    def note(self, text: str) -> None:
        return None


@dataclass
class ClusterOptions:
    """What must be decided before the cluster starts (set by the first steps of a scenario)."""

    start: datetime | None = None
    credentials: Credentials | None = None
    deckhouse_version: str | None = None
    """Canonical ``vX.Y.Z`` the cluster runs; None: the page's era (harness.eras)."""
    edition: str | None = None
    bundle: str | None = None


ClusterFactory = Callable[[ClusterOptions], SimulatedCluster]


@dataclass
class World:
    """Everything one scenario's steps share.

    The cluster starts on first use, so that steps which shape it (a registry that demands
    credentials, the instant the scenario starts at) can come first and cost nothing extra.
    """

    factory: ClusterFactory
    evidence: EvidenceSink
    cache_dir: Path
    options: ClusterOptions = field(default_factory=ClusterOptions)
    last: KubectlResult | None = None
    refusal: str | None = None
    remembered: dict[str, str] = field(default_factory=dict)
    kubectl_binary: str | None = None
    _cluster: SimulatedCluster | None = None
    _history: History | None = None
    _publishers: dict[str, Publisher] = field(default_factory=dict)
    _unsubscribe: Callable[[], None] | None = None

    @property
    def started(self) -> bool:
        return self._cluster is not None

    @property
    def cluster(self) -> SimulatedCluster:
        if self._cluster is None:
            cluster = self.factory(self.options)
            self._history = History(now=cluster.control.now)
            self._unsubscribe = cluster.client.subscribe(self._history.record)
            self._cluster = cluster
        return self._cluster

    @property
    def history(self) -> History:
        _ = self.cluster
        assert self._history is not None
        return self._history

    def require_not_started(self, what: str) -> None:
        if self.started:
            raise WorldError(f"{what} must come before any step that uses the cluster: move it to the top")

    def publisher(self, repo: str) -> Publisher:
        """A publisher for ``repo`` on the scenario's registry, with its credentials if it has any."""
        key = repo.strip("/")
        if key not in self._publishers:
            address = self.cluster.publisher.registry
            self._publishers[key] = Publisher(address, key, auth=self.options.credentials)
        return self._publishers[key]

    def close(self) -> None:
        """Stop everything the scenario started (always called, pass or fail)."""
        for publisher in self._publishers.values():
            publisher.close()
        if self._unsubscribe is not None:
            self._unsubscribe()
        if self._cluster is not None:
            self._cluster.stop()

    # -- time ---------------------------------------------------------------------------------
    def now(self) -> datetime:
        """Virtual now: steps read the cluster's clock, never ``datetime.now()``."""
        moment: datetime = self.cluster.control.now()
        return moment

    def settle(self) -> None:
        """Run the controllers until nothing is left to do at the current virtual instant."""
        self.cluster.control.settle()

    # -- objects --------------------------------------------------------------------------------
    @property
    def client(self) -> KubeClient:
        return self.cluster.client

    def resource(self, kind: str) -> Resource:
        return resource_for(self.client, kind)

    def get(self, kind: str, name: str) -> Obj:
        return self.client.get(self.resource(kind), name)

    def find(self, kind: str, name: str) -> Obj | None:
        try:
            return self.get(kind, name)
        except NotFound:
            return None

    def list_objects(self, kind: str, label_selector: str | None = None) -> list[Obj]:
        return self.client.list(self.resource(kind), label_selector=label_selector)

    def releases_of(self, module: str) -> list[Obj]:
        """ModuleReleases of ``module`` by ``spec.moduleName`` (what DKP itself goes by), by name."""
        found = [
            r
            for r in self.list_objects(kinds.MODULE_RELEASE.kind)
            if r.get("spec", {}).get("moduleName") == module
        ]
        return sorted(found, key=lambda r: str(r["metadata"]["name"]))

    def dump(self, kind: str, name: str) -> None:
        """Put the object's current YAML into the evidence (used right before failing)."""
        obj = self.find(kind, name)
        text = yaml.safe_dump(obj, sort_keys=False) if obj is not None else "(absent)\n"
        self.evidence.objects_yaml(f"{kind}/{name}", text)

    # -- kubectl --------------------------------------------------------------------------------
    def kubectl(self) -> Kubectl:
        if self.kubectl_binary is None:
            raise WorldError("kubectl is not available in this world")
        return Kubectl(self.kubectl_binary, self.cluster.kubeconfig, self.cache_dir)


@functools.cache
def _split(kind: str) -> tuple[str, str]:
    if kind not in KINDS:
        raise WorldError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    return KINDS[kind]


def resource_for(client: KubeClient, kind: str) -> Resource:
    """The served resource of a DKP kind, asking the cluster (it knows the served version)."""
    api_version, _ = _split(kind)
    return client.resolve(api_version, kind)
