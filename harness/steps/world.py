"""Per-scenario state shared by the steps: the target, the history, kubectl, remembered output.

One :class:`World` per scenario, built by the ``world`` fixture around the scenario's own
:class:`~harness.target.base.Target`: a simulated cluster of its own, or its share of a real
cluster reached through a kubeconfig. Steps are thin: they parse their text, call the target
through the world, and record what a reader of the report needs through :attr:`World.evidence`.
They never see the simulator (an import-linter contract keeps them off it); what only a
simulator can do (move the clock, inject faults) is a capability the target may lack, and the
step then skips the scenario with the reason (:meth:`World.require`).

Names: a scenario writes ``module-one``; on a shared cluster the object is ``module-one-<token>``
(:mod:`harness.target.naming`). The world translates every name and every expected text the
scenario wrote (:meth:`World.expect`) before it reaches the cluster or is compared with it, so
the steps read as on the simulator, and the report names the same claims.

Errors: a step that finds the cluster not as the scenario expects raises an ``AssertionError``
(the report: not met); a step that cannot be carried out as written raises
:class:`~harness.steps.errors.ScenarioError` (the report: could not check). The rule is in
:mod:`harness.steps.errors`.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import pytest
import yaml

from harness.api import kinds
from harness.kube.client import KubeClient
from harness.kube.errors import ApiError, NotFound
from harness.kube.objects import Obj, deep_get
from harness.kube.resources import Resource
from harness.registry.credentials import encode_docker_cfg
from harness.steps.documents import OBJECT, DocumentError, Origin, parse_documents
from harness.steps.errors import ScenarioError
from harness.steps.history import TRACKED_KINDS, History
from harness.steps.kubectl import Kubectl, KubectlResult
from harness.steps.step_place import StepPlace
from harness.target.base import ScenarioOptions, Target, TargetSkip
from harness.target.naming import Naming

if TYPE_CHECKING:  # the publisher module brings httpx (~0.1 s); the pytest controller never publishes
    from harness.registry.publisher import Publisher

__all__ = [
    "ClusterOptions",
    "EvidenceSink",
    "NullEvidence",
    "ScenarioError",
    "World",
    "WorldError",
    "check_kind",
]

T = TypeVar("T")

GROUP = kinds.GROUP
DEFAULT_REPO = "deckhouse/modules"
KINDS: dict[str, tuple[str, str]] = {kind: (r.api_version, r.plural) for kind, r in kinds.BY_KIND.items()}

ClusterOptions = ScenarioOptions  # the name steps used before the target seam


class WorldError(AssertionError):
    """The object a When step acts on is not in the cluster: an expectation about DKP, not met.

    ``When I delete the ModuleSource "example"`` or ``When I annotate the ModuleRelease …``
    expects the object to exist, whether the scenario made it or DKP should have; that it does
    not is a finding about the cluster, so this stays an ``AssertionError`` (the report: not
    met). Where the step runs as a check (an annotation or a patch of a release DKP makes at its
    next scan), a real cluster's eventually-check retries it until the object is there. A
    mistake in the scenario's own text (an unknown kind, a file that is not there, a step in the
    wrong place) is a :class:`~harness.steps.errors.ScenarioError` instead. Until that split
    every step error was a ``WorldError``; the name stays for code that imports it.
    """


class EvidenceSink(Protocol):
    """The part of the report's per-scenario evidence recorder the steps use."""

    def timeline(self, at: datetime, kind: str, name: str, field: str, old: object, new: object) -> None: ...
    def kubectl(
        self, command: str, output: str, expected: str | None = None, *, row: str | None = None
    ) -> None: ...
    def diff(self, field_path: str, expected: object, actual: object) -> None: ...
    def objects_yaml(self, name: str, yaml_text: str) -> None: ...
    def note(self, text: str) -> None: ...


class NullEvidence:
    """Evidence recorder used when the report plugin is not loaded: records nothing."""

    def timeline(self, at: datetime, kind: str, name: str, field: str, old: object, new: object) -> None:
        return None

    def kubectl(
        self, command: str, output: str, expected: str | None = None, *, row: str | None = None
    ) -> None:
        return None

    def diff(self, field_path: str, expected: object, actual: object) -> None:
        return None

    def objects_yaml(self, name: str, yaml_text: str) -> None:
        return None

    def note(self, text: str) -> None:
        return None


class _Buffered:
    """Evidence of one attempt of a check; only the attempt that decides is passed on."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def __getattr__(self, method: str) -> Callable[..., None]:
        if method not in ("timeline", "kubectl", "diff", "objects_yaml", "note"):
            raise AttributeError(method)
        return lambda *args, **kwargs: self.calls.append((method, args, kwargs))

    def replay(self, sink: EvidenceSink) -> None:
        for method, args, kwargs in self.calls:
            getattr(sink, method)(*args, **kwargs)


TargetFactory = Callable[[ScenarioOptions], Target]


@dataclass
class World:
    """Everything one scenario's steps share.

    The target starts on first use, so that steps which shape it (a registry that demands
    credentials, the instant the scenario starts at) can come first and cost nothing extra.
    """

    factory: TargetFactory
    evidence: EvidenceSink
    cache_dir: Path
    options: ScenarioOptions = field(default_factory=ScenarioOptions)
    last: KubectlResult | None = None
    refusal: str | None = None
    remembered: dict[str, str] = field(default_factory=dict)
    named: dict[str, str] = field(default_factory=dict)
    """Placeholders a step defined (``${DIGEST}``: a registry digest), beside ``${REGISTRY}``."""
    kubectl_binary: str | None = None
    retrying: bool = False
    """True while a check runs again (a real target's eventually-check): kubectl reads re-run."""
    step: StepPlace | None = None
    """The step running now (set by the step plugin): where its text and docstring are written."""
    _target: Target | None = None
    _history: History | None = None
    _publishers: dict[str, Publisher] = field(default_factory=dict)
    _schemas: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    _unsubscribe: Callable[[], None] | None = None

    @property
    def started(self) -> bool:
        return self._target is not None

    @property
    def target(self) -> Target:
        if self._target is None:
            try:
                target = self.factory(self.options)
            except TargetSkip as exc:
                pytest.skip(exc.reason)
            self._target = target
            target.names.repo(DEFAULT_REPO)  # a ModuleSource may name it before anything is published
            self._history = History(now=target.now)
            kinds = tuple(target.client.resolve(*_api_kind(kind)) for kind in TRACKED_KINDS)
            self._unsubscribe = target.subscribe(self._history.record, kinds)
        return self._target

    @property
    def names(self) -> Naming:
        return self.target.names

    @property
    def history(self) -> History:
        _ = self.target
        assert self._history is not None
        return self._history

    def require_not_started(self, what: str) -> None:
        if self.started:
            raise ScenarioError(f"{what} must come before any step that uses the cluster: move it to the top")

    def require(self, capability: T | None, reason: str) -> T:
        """The target's capability, or skip the scenario with ``reason`` (a :class:`TargetSkip`)."""
        if capability is None:
            pytest.skip(reason)
        return capability

    def skip(self, reason: str) -> None:
        pytest.skip(reason)

    def publisher(self, repo: str) -> Publisher:
        """A publisher for the scenario's repository ``repo`` (per scenario on a shared cluster).

        Every registry step asks for it right before changing the registry, so a real cluster is
        first given the moment to take in the scenario's writes (``Target.before_registry_change``).
        """
        self.target.before_registry_change()
        key = self.names.repo(repo)
        if key not in self._publishers:
            self._publishers[key] = self.target.publisher(self.target.registry.push_repo(key))
        return self._publishers[key]

    def published(self, repo: str, module: str) -> None:
        self.target.published(self.target.registry.push_repo(self.names.repo(repo)), module)

    def close(self) -> None:
        """Stop everything the scenario started and undo what it made (always called, pass or fail)."""
        for publisher in self._publishers.values():
            publisher.close()
        if self._unsubscribe is not None:
            self._unsubscribe()
        if self._target is not None:
            self._target.close()

    # -- time ---------------------------------------------------------------------------------
    def now(self) -> datetime:
        """The cluster's now: steps never read ``datetime.now()``."""
        return self.target.now()

    def settle(self) -> None:
        """Let the controllers catch up (runs them on the simulator; a no-op on a real cluster)."""
        self.target.settle()

    def wait(self, span: timedelta) -> None:
        try:
            self.target.wait(span)
        except TargetSkip as exc:
            pytest.skip(exc.reason)

    # -- checks ---------------------------------------------------------------------------------
    def check(self, attempt: Callable[[], T]) -> T:
        """Run a Then step: once on a settled cluster, until it holds (or its deadline) on a real one.

        Only the evidence of the deciding attempt reaches the report.
        """
        real = self.evidence
        attempts = 0
        last = _Buffered()

        def once() -> T:
            nonlocal attempts, last
            last = _Buffered()
            self.evidence = last
            self.retrying = attempts > 0
            attempts += 1
            try:
                return attempt()
            finally:
                self.evidence = real
                self.retrying = False

        try:
            return self.target.check(once)
        finally:
            last.replay(real)

    def expect(self, text: str) -> str:
        """Scenario text (an expected value, a command) with the cluster's names in it."""
        return self.names.out(text) if self.started else text

    # -- objects --------------------------------------------------------------------------------
    @property
    def client(self) -> KubeClient:
        return self.target.client

    def resource(self, kind: str) -> Resource:
        return resource_for(self.client, kind)

    def name(self, name: str) -> str:
        """The cluster name of the object the scenario calls ``name``."""
        return self.names.name(name)

    def get(self, kind: str, name: str) -> Obj:
        return self.client.get(self.resource(kind), self.name(name))

    def schema_of(self, kind: str) -> dict[str, Any] | None:
        """The ``openAPIV3Schema`` of ``kind``'s served version, from its CustomResourceDefinition
        as the cluster serves it; ``None`` for a kind without one, or a cluster that will not say."""
        if kind not in self._schemas:
            self._schemas[kind] = self._read_schema(kind)
        return self._schemas[kind]

    def _read_schema(self, kind: str) -> dict[str, Any] | None:
        resource = self.resource(kind)
        if not resource.group or "." not in resource.group:
            return None  # a built-in kind: no CRD
        try:
            definitions = self.client.resolve("apiextensions.k8s.io/v1", "CustomResourceDefinition")
            crd = self.client.get(definitions, f"{resource.plural}.{resource.group}")
        except ApiError:
            return None
        for version in deep_get(crd, "spec.versions") or []:
            if isinstance(version, dict) and version.get("name") == resource.version:
                schema = deep_get(version, "schema.openAPIV3Schema")
                return schema if isinstance(schema, dict) else None
        return None

    def find(self, kind: str, name: str) -> Obj | None:
        try:
            return self.get(kind, name)
        except NotFound:
            return None

    def list_objects(self, kind: str, label_selector: str | None = None) -> list[Obj]:
        return self.client.list(self.resource(kind), label_selector=label_selector)

    def releases_of(self, module: str) -> list[Obj]:
        """ModuleReleases of ``module`` by ``spec.moduleName`` (what DKP itself goes by), by name."""
        wanted = self.name(module)
        found = [
            r
            for r in self.list_objects(kinds.MODULE_RELEASE.kind)
            if r.get("spec", {}).get("moduleName") == wanted
        ]
        return sorted(found, key=lambda r: str(r["metadata"]["name"]))

    def dump(self, kind: str, name: str) -> None:
        """Put the object's current YAML into the evidence (used right before failing)."""
        obj = self.find(kind, name)
        text = evidence_yaml(obj) if obj is not None else "(absent)\n"
        self.evidence.objects_yaml(f"{kind}/{self.name(name)}", text)

    def placeholders(self) -> dict[str, str]:
        """``${REGISTRY}`` (the address the cluster pulls from), with credentials ``${DOCKER_CFG}``,
        and the placeholders steps named (``${DIGEST}``)."""
        pull = self.target.registry.pull
        values = {"REGISTRY": pull, **self.named}
        credentials = self.options.credentials
        if credentials is not None:
            values["DOCKER_CFG"] = encode_docker_cfg(pull.split("/", 1)[0], credentials)
        return values

    def documents(
        self, text: str, origin: Origin | None = None, *, expected: str = OBJECT
    ) -> list[dict[str, Any]]:
        """The YAML documents of a step, with placeholders filled and the cluster's names in them.

        The objects' own names are registered first, so a document may refer to an object
        defined further down the same docstring. A mistake in the YAML names ``origin`` and the
        line in it; by default, when ``text`` is the running step's docstring, the feature file's
        own line (found only then: a passing step reads no file).
        """
        values = self.placeholders()
        try:
            return self._parse(text, values, origin, expected)
        except DocumentError:
            located = None if origin is not None else self._docstring_origin(text)
            if located is None:
                raise
            return self._parse(text, values, located, expected)  # fails again, naming the feature file's line

    def one_document(self, text: str, expected: str) -> dict[str, Any]:
        """The one YAML document of a step that takes one (a patch, the fields to check): a
        second document after a ``---`` line would otherwise be dropped without a word."""
        documents = self.documents(text, expected=expected)
        if len(documents) != 1:
            raise ScenarioError(
                f"the step's docstring holds {len(documents)} YAML documents (separated by --- lines); "
                f"this step takes one, {expected}: merge them into one, or write one step for each"
            )
        return documents[0]

    def _parse(
        self, text: str, values: dict[str, str], origin: Origin | None, expected: str
    ) -> list[dict[str, Any]]:
        if self.names.active:
            for document in parse_documents(text, values, origin, expected=expected):
                self.names.name(str(document.get("metadata", {}).get("name", "")))
        return parse_documents(self.names.out(text), values, origin, expected=expected)

    def _docstring_origin(self, text: str) -> Origin | None:
        step = self.step
        return step.docstring_origin() if step is not None and step.docstring == text else None

    # -- kubectl --------------------------------------------------------------------------------
    def kubectl(self) -> Kubectl:
        if self.kubectl_binary is None:
            # Only `I run` sets the binary, and only after it ran do the compare steps call this.
            raise RuntimeError("kubectl is not available in this world: no `I run` step found it")
        target = self.target
        return Kubectl(self.kubectl_binary, target.kubeconfig, self.cache_dir, context=target.kube_context)


def evidence_yaml(obj: Obj) -> str:
    """An object's YAML as the report shows it: as ``kubectl get -o yaml`` does, without
    ``metadata.managedFields``, which would put some twenty lines of field bookkeeping before
    the spec and status a reader came to compare."""
    meta = {k: v for k, v in (obj.get("metadata") or {}).items() if k != "managedFields"}
    shown = {**obj, "metadata": meta} if "metadata" in obj else obj
    return yaml.safe_dump(shown, sort_keys=False)


@functools.cache
def _split(kind: str) -> tuple[str, str]:
    if kind not in KINDS:
        near = difflib.get_close_matches(kind, list(KINDS), n=1)
        hint = f"did you mean {near[0]!r}? " if near else ""
        raise ScenarioError(f"unknown kind {kind!r}: {hint}use one of {', '.join(KINDS)}")
    return KINDS[kind]


def _api_kind(kind: str) -> tuple[str, str]:
    return _split(kind)[0], kind


def check_kind(kind: str) -> None:
    """Raise the scenario's error for a kind no step knows (the lint asks before any run)."""
    _split(kind)


def resource_for(client: KubeClient, kind: str) -> Resource:
    """The served resource of a DKP kind, asking the cluster (it knows the served version)."""
    api_version, _ = _split(kind)
    return client.resolve(api_version, kind)
