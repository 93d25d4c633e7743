"""The release controller (``d8-module-release-controller``): Pending → Deployed, and after.

Plan, then act: :meth:`ReleaseController.reconcile` gathers a snapshot of everything a decision
reads (:meth:`~ReleaseController._snapshot`), the pure functions of ``harness.dkp.rules.release``
decide (phase, message, Module condition, labels and annotations, when to look again), and
:meth:`~ReleaseController._apply` writes the plan in order. Deploying (pull, settings check,
install) and the Deployed bookkeeping are the I/O left here (docs/dkp-behaviour.md §5.3
to §5.8).

A waiting release is looked at again every 15 s (60 s under an ``Ignore`` policy), as DKP polls
it, in every mode. Such a look says it is ``idle``, with the instant a timed wait ends as
``until``; with the fast-time shortcut on, the manager then skips the repeats while nothing the
look read changes (``harness.dkp.runtime.manager``). What it read is what it asked the client
(a :class:`~harness.dkp.runtime.reads.ReadRecorder`) for, plus the module index below, which it
notes itself: nothing here lists the kinds a decision depends on.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

from harness import eras
from harness.api import annotations as ann
from harness.api import finalizers as fin
from harness.api import kinds, sources
from harness.api import labels as lbl
from harness.api.phases import OUTDATED_PHASES, ModulePhase, ReleasePhase
from harness.api.views import ModuleReleaseView, ModuleView, release_source
from harness.dkp.controllers import documentation, install, update_policy
from harness.dkp.controllers import module_status as modulestatus
from harness.dkp.controllers.base import ControllerBase, ControllerContext
from harness.dkp.controllers.package_mirror import mirror_package
from harness.dkp.images.reader import open_source_reader
from harness.dkp.rules import conditions as conds
from harness.dkp.rules import messages, policy
from harness.dkp.rules.recheck import CHECK_INTERVAL
from harness.dkp.rules.release import (
    LOGGER,
    Deploy,
    Done,
    Log,
    Next,
    Park,
    PatchMeta,
    PatchStatus,
    PendingSnapshot,
    Plan,
    Requeue,
    SetModuleCondition,
    SetStatus,
    decide_entry,
    decide_pending,
    deployed_annotations,
    validations_blocked,
)
from harness.dkp.rules.release_status import status_patch
from harness.dkp.rules.requirements import ReleaseRequirements, check_release_requirements, pending_message
from harness.dkp.rules.taskcalc import Task, TaskKind
from harness.dkp.rules.validations import Platform, first_failure, validation_files
from harness.dkp.rules.versions import parse_version
from harness.dkp.runtime import predicates
from harness.dkp.runtime.errors import ReconcileError
from harness.dkp.runtime.reads import ReadRecorder
from harness.dkp.runtime.reconcile import Request, Result, Watch
from harness.kube.client import EventType, WatchEvent
from harness.kube.errors import NotFound
from harness.kube.objects import Obj, deep_get, labels_of, name_of
from harness.kube.patches import clone
from harness.kube.resources import Resource
from harness.kube.timestamps import stamp
from harness.registry.errors import RegistryError

__all__ = ["ReleaseController"]

KEEP_OUTDATED = 3  # outdated releases kept per source+module


def _content(obj: Obj) -> dict[str, Any]:
    """What a look's writes may change, without what every write changes (resourceVersion and
    the managedFields times)."""
    every_write = ("resourceVersion", "managedFields")
    meta = {k: v for k, v in (obj.get("metadata") or {}).items() if k not in every_write}
    return {**{k: v for k, v in obj.items() if k != "metadata"}, "metadata": meta}


def _is_embedded(module: Obj) -> bool:
    """Built into Deckhouse: ``properties.source: Embedded``, or, with no other source chosen, the
    mark today's Deckhouse puts on such a Module (upstream golden
    ``releases/embedded-module-source-switch``: a Module carrying only the mark is taken over)."""
    source = deep_get(module, "properties.source")
    if source == sources.EMBEDDED:
        return True
    annotations = (module.get("metadata") or {}).get("annotations") or {}
    return not source and ann.is_true(annotations, ann.EMBEDDED)


class ReleaseController(ControllerBase):
    """Reconciles ModuleReleases; see the module docstring."""

    name = LOGGER
    resource = kinds.MODULE_RELEASE
    predicate = staticmethod(predicates.generation_or_annotations_changed)

    def __init__(self, ctx: ControllerContext) -> None:
        super().__init__(ctx)
        self.watches: tuple[Watch, ...] = (Watch(kinds.MODULE_RELEASE, map=self._on_change),)
        self._index_lock = threading.Lock()
        self._by_module: dict[str, dict[str, None]] = {}
        """module name → release names (kept from watch events: no list of every release)."""
        self._written: list[tuple[dict[str, Any], dict[str, Any]]] = []
        """The release writes of the running look (patch body, options), in order."""

    def _on_change(self, event: WatchEvent) -> list[Request]:
        """Keep the module index; wakes nobody (DKP's own filter is ``predicate``)."""
        self._index(event)
        return []

    def _index(self, event: WatchEvent) -> None:
        module, name = str(deep_get(event.object, "spec.moduleName", "")), name_of(event.object)
        with self._index_lock:
            for names in self._by_module.values():
                names.pop(name, None)
            if event.type != EventType.DELETED:
                self._by_module.setdefault(module, {})[name] = None

    # -- reads ---------------------------------------------------------------------------------

    def _get(self, resource: Resource, name: str) -> Obj | None:
        try:
            return self.kube.get(resource, name)
        except NotFound:
            return None

    def _list(self, resource: Resource, label_selector: str | None = None) -> list[Obj]:
        return self.kube.list(resource, label_selector=label_selector)

    def _releases_of(self, module: str) -> list[Obj]:
        """Every release of ``module`` (all sources), in name order, as a list would give them.

        The index stands in for a list, so the read is noted as one: a new release of any module
        ends the skipping of this look's repeats.
        """
        if isinstance(self.kube, ReadRecorder):
            self.kube.note(kinds.MODULE_RELEASE)
        with self._index_lock:
            names = sorted(self._by_module.get(module, {}))
        found = (self._get(kinds.MODULE_RELEASE, n) for n in names)
        return [r for r in found if r is not None and deep_get(r, "spec.moduleName") == module]

    # -- entry -----------------------------------------------------------------------------------

    def reconcile(self, request: Request) -> Result:
        self._written = []
        release = self._get(kinds.MODULE_RELEASE, request.name)
        if release is None:
            return Result()
        before = clone(_content(release))  # what the look found, whatever it does with ``release``
        result = self._look(release)
        return self._with_cycle(request.name, before, result) if self._written else result

    def _with_cycle(self, name: str, before: dict[str, Any], result: Result) -> Result:
        """An idle look whose writes left its release as it found it (DKP clears a message and
        sets it again at every check of a release under the ``deckhouse`` ModuleConfig's policy)
        is replayed by repeating those writes (``Result.cycle``); any other look that wrote is not."""
        after = self._get(kinds.MODULE_RELEASE, name)
        if not result.idle or after is None or _content(after) != before:
            return result
        writes = [(body, dict(kwargs)) for body, kwargs in self._written]

        def repeat() -> None:
            for body, kwargs in writes:
                self.kube.patch(kinds.MODULE_RELEASE, name, clone(body), **kwargs)

        return dataclasses.replace(result, heartbeat=repeat, writes=len(writes), cycle=True)

    def _write(self, release: Obj, body: dict[str, Any], **kwargs: Any) -> Obj:
        """Patch the release, noting the write for :meth:`_with_cycle`."""
        self._written.append((clone(body), kwargs))
        return self.kube.patch(kinds.MODULE_RELEASE, name_of(release), body, **kwargs)

    def _look(self, release: Obj) -> Result:
        if deep_get(release, "metadata.deletionTimestamp"):
            return self._delete(release)
        entry, go_on = decide_entry(ModuleReleaseView.of(release), self.settings.behaviours)
        release, result = self._apply(release, entry)
        if not go_on:
            return result
        if deep_get(release, "status.phase") == ReleasePhase.DEPLOYED:
            return self._handle_deployed(release)
        plan = decide_pending(self._snapshot(release))
        return self._apply(release, plan)[1]

    # -- snapshot --------------------------------------------------------------------------------

    def _snapshot(self, release: Obj) -> PendingSnapshot:
        """Everything :func:`decide_pending` reads, read now (only what its path can need)."""
        view = ModuleReleaseView.of(release)
        module_obj = self._get(kinds.MODULE, view.module)
        labelled = resolved = None
        error = ""
        if view.update_policy:
            labelled = update_policy.get_named(self._get, view.update_policy)
        else:
            try:
                resolved = update_policy.resolve_for_module(
                    self._get, module_obj, default_mode=policy.embedded_default_mode(self.settings.behaviours)
                )
            except ValueError as exc:
                error = str(exc)
        return PendingSnapshot(
            release=view,
            siblings=tuple(ModuleReleaseView.of(r) for r in self._releases_of(view.module)),
            now=self.clock.now(),
            override_exists=self._get(kinds.MODULE_PULL_OVERRIDE, view.module) is not None,
            labelled_policy=labelled,
            resolved_policy=resolved,
            resolve_error=error,
            module_phase=ModuleView.of(module_obj).phase if module_obj is not None else "",
            unmet_requirements=self._requirements(view),
            behaviours=self.settings.behaviours,
        )

    def _requirements(self, view: ModuleReleaseView) -> str:
        """The Pending message for unmet requirements, ``""`` when all are met."""
        req = view.requirements
        if req.empty:
            return ""
        versions = {name_of(m): ModuleView.of(m).version for m in self._list(kinds.MODULE)}
        reasons = check_release_requirements(
            ReleaseRequirements(req.deckhouse, req.kubernetes, dict(req.modules)),
            module_name=view.module,
            deckhouse_version=self.settings.deckhouse_version,
            kubernetes_version=self.settings.kubernetes_version,
            module_versions=versions,
        )
        return pending_message(reasons, self.settings.behaviours)

    # -- apply -----------------------------------------------------------------------------------

    def _apply(self, release: Obj, plan: Plan) -> tuple[Obj, Result]:
        """Write ``plan`` in order; the release as last written, and when to look again."""
        for action in plan.actions:
            if isinstance(action, SetStatus):
                release = self._set_status(release, action.phase, action.message)
            elif isinstance(action, PatchStatus):
                release = self._patch_status(release, dict(action.fields))
            elif isinstance(action, PatchMeta):
                release = self._patch_meta(
                    release,
                    labels=dict(action.labels) or None,
                    annotations=dict(action.annotations) or None,
                    finalizers=list(action.finalizers) if action.finalizers is not None else None,
                )
            elif isinstance(action, SetModuleCondition):
                self._set_module_condition(str(deep_get(release, "spec.moduleName")), action)
            elif isinstance(action, Log):
                getattr(self.log, action.level)(LOGGER, action.msg, **action.fields)
            elif isinstance(action, Deploy):
                return release, self._deploy(release, action.task)
        return release, self._next(release, plan.then)

    def _next(self, release: Obj, then: Next) -> Result:
        if isinstance(then, Requeue):
            return Result(requeue_after=then.after)
        if isinstance(then, Done):
            return Result()
        return self._park(then)

    def _park(self, park: Park) -> Result:
        """Look again in ``park.interval``, as DKP polls: an idle look, whose outcome time alone
        changes only from ``park.wait`` on (``harness.dkp.rules.recheck.timed_wait``)."""
        until = self.clock.now() + park.wait if park.wait is not None else None
        return Result(requeue_after=park.interval, idle=True, until=until)

    # -- writes ----------------------------------------------------------------------------------

    def _set_status(self, release: Obj, phase: str, message: str) -> Obj:
        """``updateReleaseStatus``: ``transitionTime`` moves only when the phase changes."""
        status: dict[str, Any] = {"phase": str(phase), "message": message}
        if deep_get(release, "status.phase") != phase:
            status["transitionTime"] = stamp(self.clock.now())
        current = dict(release.get("status") or {})
        if self._omit_empty:
            current.setdefault("message", "")  # left out because empty: the same as ""
        if all(current.get(k) == v for k, v in status.items()):
            return release
        return self._patch_status(release, status)

    @property
    def _omit_empty(self) -> bool:
        """Whether this Deckhouse leaves an empty message and a zero size out (v1.78 on)."""
        return eras.Behaviour.STATUS_OMITEMPTY in self.settings.behaviours

    def _patch_status(self, release: Obj, status: dict[str, Any]) -> Obj:
        if (
            all((release.get("status") or {}).get(k) == v for k, v in status.items())
            and "phase" not in status
        ):
            return release
        typed = status_patch(release.get("status"), status, omit_empty=self._omit_empty)
        return self._write(release, {"status": typed}, subresource="status")

    def _patch_meta(
        self,
        release: Obj,
        *,
        labels: dict[str, str | None] | None = None,
        annotations: dict[str, str | None] | None = None,
        finalizers: list[str] | None = None,
    ) -> Obj:
        """Merge-patch metadata, skipping the write when nothing would change."""
        meta: dict[str, Any] = {}
        current_labels, current_ann = labels_of(release), release.get("metadata", {}).get("annotations") or {}
        if labels and any(current_labels.get(k) != v for k, v in labels.items()):
            meta["labels"] = labels
        if annotations and any(current_ann.get(k) != v for k, v in annotations.items()):
            meta["annotations"] = annotations
        if finalizers is not None and finalizers != list(deep_get(release, "metadata.finalizers") or []):
            meta["finalizers"] = finalizers
        if not meta:
            return release
        return self._write(release, {"metadata": meta})

    def _set_module_condition(self, module_name: str, change: SetModuleCondition) -> None:
        module = self._get(kinds.MODULE, module_name)
        if module is None:
            return
        now = self.clock.now()

        def mutate(obj: Obj) -> None:
            conds.set_condition(
                modulestatus.conditions_of(obj),
                messages.CONDITION_LAST_RELEASE_DEPLOYED,
                change.status,
                now=now,
                reason=change.reason,
                message=change.message,
            )

        modulestatus.update_status(self.kube, module, mutate)

    # -- deploy ----------------------------------------------------------------------------------

    def _deploy(self, release: Obj, task: Task) -> Result:
        module_name = str(deep_get(release, "spec.moduleName"))
        version = f"v{deep_get(release, 'spec.version')}"
        files = self._pull(release, module_name, version)
        failure = self._validations(files)
        if failure:
            plan = validations_blocked(str(deep_get(release, "spec.version", "")), failure)
            return self._apply(release, plan)[1]
        source = release_source(release)
        record = install.installed_module_from_files(module_name, version, source, files, at=self.clock.now())
        try:
            install.validate_settings(module_name, self._settings(module_name), record.settings_schema)
        except install.SettingsInvalid as exc:
            return self._validation_failed(release, exc)
        staged = self._embedded_copy_shipped(module_name)
        if staged:
            self.log.info(LOGGER, "module release staged, embedded copy kept", module=module_name)
        else:
            # Module properties (version, weight, requirements) follow once the module manager
            # loads the module: the install simulation writes them at Installing, as the page's
            # tables show.
            self.installed.install(record)
        for previous in self._releases_of(module_name):
            if deep_get(previous, "status.phase") != ReleasePhase.DEPLOYED or name_of(previous) == name_of(
                release
            ):
                continue
            self._set_status(previous, ReleasePhase.SUPERSEDED, "")
            self._patch_meta(previous, labels={lbl.STATUS: ReleasePhase.SUPERSEDED.label})
        self._mark_deployed(release)
        if not staged:
            self._take_over_embedded(module_name, source)
        self._mirror_package(module_name, version, source)
        self.log.info(LOGGER, "module release deployed", module=module_name, version=version)
        return Result(requeue_after=CHECK_INTERVAL)

    def _validations(self, files: dict[str, bytes]) -> str:
        """The first failing release validation, ``""`` when all hold or the era has none.

        Deckhouse v1.78 and later (``Behaviour.RELEASE_VALIDATIONS``), upstream
        ``…/module-controllers/release/release_gates.go``: run between download and install.
        """
        if eras.Behaviour.RELEASE_VALIDATIONS not in self.settings.behaviours:
            return ""
        platform = Platform(
            deckhouse_version=self.settings.deckhouse_version,
            edition=self.settings.edition,
            bundle=self.settings.bundle,
            kubernetes_version=self.settings.kubernetes_version,
        )
        return first_failure(validation_files(files), platform)

    def _embedded_copy_shipped(self, module_name: str) -> bool:
        """Deckhouse v1.76 and later (``Behaviour.EMBEDDED_TAKEOVER``): whether the deploy only
        stages the release because this Deckhouse build still ships the module embedded.

        Upstream ``deployModule`` (``…/module-controllers/release/controller.go`` at 049a95cf)
        asks its installer ``IsEmbeddedPresent`` after the settings validation: the embedded
        copy wins the module search path, so the download is staged on disk, not activated, and
        the embedded copy keeps running; the release still goes on to Deployed (superseding the
        previous one) and is mirrored into the Module's package view. Which modules a build
        ships is ``ClusterSettings.embedded_modules``. Before v1.76 there is no stage step."""
        if eras.Behaviour.EMBEDDED_TAKEOVER not in self.settings.behaviours:
            return False
        return module_name in self.settings.embedded_modules

    def _take_over_embedded(self, module_name: str, source: str) -> None:
        """Deckhouse v1.76 and later (``Behaviour.EMBEDDED_TAKEOVER``): deploying a release of an
        Embedded module whose embedded copy is no longer shipped installs it and switches
        ``properties.source`` to the release's source (upstream ``deployModule``,
        ``…/module-controllers/release/controller.go``; a copy still shipped stages the release
        instead, :meth:`_embedded_copy_shipped`; docs/dkp-eras.md)."""
        if eras.Behaviour.EMBEDDED_TAKEOVER not in self.settings.behaviours or not source:
            return
        module = self._get(kinds.MODULE, module_name)
        if module is None or not _is_embedded(module):
            return

        def switch(m: Obj) -> None:
            m.setdefault("properties", {})["source"] = source

        modulestatus.update_properties(self.kube, module, switch)

    def _mirror_package(self, module_name: str, version: str, source: str) -> None:
        """The deployed release into the Module's package view (:mod:`package_mirror`), below a
        ModulePullOverride's precedence: while one exists, its dev image is what the view shows."""
        if self._get(kinds.MODULE_PULL_OVERRIDE, module_name) is not None:
            return
        mirror_package(self.kube, self.settings, module_name, version, source, dev=False)

    def _pull(self, release: Obj, module_name: str, version: str) -> dict[str, bytes]:
        """The module image's files; a failure is the reconcile's error, and no status is written.

        Upstream ``deployModule`` returns the error up to ``Reconcile`` (``handlePendingRelease``
        wraps it as ``apply predicted release``), so the release keeps its phase and message, a
        Deployed one asked to reinstall stays Deployed, and controller-runtime retries with
        backoff.
        """
        source_name = release_source(release)
        deploy = "run release deploy: deploy module"
        try:
            source = self.kube.get(kinds.MODULE_SOURCE, source_name)
        except NotFound as exc:
            raise ReconcileError(f"{deploy}: get the '{source_name}' module source: {exc}") from None
        try:
            reader = open_source_reader(self.registry_factory, source)  # credentials read here
            try:
                return dict(reader.read_image(module_name, version).files)
            finally:
                reader.close()
        except RegistryError as exc:
            raise ReconcileError(f"{deploy}: download the '{module_name}' module: {exc}") from None

    def _settings(self, module_name: str) -> dict[str, Any]:
        config = self._get(kinds.MODULE_CONFIG, module_name)
        return dict(deep_get(config or {}, "spec.settings", {}) or {})

    def _validation_failed(self, release: Obj, exc: install.SettingsInvalid) -> Result:
        """Missing/forbidden fields keep it Pending, anything else suspends it."""
        if exc.initial:
            text = messages.MR_INITIAL_CONFIG_VALIDATION_PREFIX + str(exc)
            note = messages.last_release_deployed_false(
                messages.CONDITION_CONFIG_VALIDATION[1], str(deep_get(release, "spec.version", ""))
            )
            change = SetModuleCondition("False", messages.CONDITION_CONFIG_VALIDATION[0], note)
            return self._apply(release, Plan((SetStatus(ReleasePhase.PENDING, text), change), Park()))[1]
        suspended = ReleasePhase.SUSPENDED
        self._set_status(release, suspended, messages.MR_VALIDATION_FAILED_PREFIX + str(exc))
        self._patch_meta(release, labels={lbl.STATUS: suspended.label})
        return Result()

    def _mark_deployed(self, release: Obj) -> None:
        """``transitionTime`` is deliberately left as it was (see docs/dkp-simulator.md)."""
        finalizers = list(deep_get(release, "metadata.finalizers") or [])
        if fin.EXIST_ON_FS not in finalizers:
            finalizers.append(fin.EXIST_ON_FS)
        release = self._patch_meta(
            release,
            labels={lbl.STATUS: ReleasePhase.DEPLOYED.label},
            annotations=deployed_annotations(self.settings.behaviours),
            finalizers=finalizers,
        )
        deployed = {"phase": ReleasePhase.DEPLOYED.value, "message": ""}
        status = status_patch(release.get("status"), deployed, omit_empty=self._omit_empty)
        self.kube.patch(kinds.MODULE_RELEASE, name_of(release), {"status": status}, subresource="status")

    # -- Deployed --------------------------------------------------------------------------------

    def _handle_deployed(self, release: Obj) -> Result:
        module_name = str(deep_get(release, "spec.moduleName"))
        annotations = release.get("metadata", {}).get("annotations") or {}
        if ann.is_true(annotations, ann.REINSTALL):
            return self._deploy(release, Task(TaskKind.PROCESS))
        updates: dict[str, str | None] = {}
        module = self._get(kinds.MODULE, module_name)
        updating = annotations.get(ann.IS_UPDATING) == "true"
        if updating and modulestatus.phase_of(module or {}) == ModulePhase.READY:
            updates[ann.IS_UPDATING] = "false"
            updating = False
        if ann.REGISTRY_SPEC_CHANGED in annotations:
            updates[ann.REGISTRY_SPEC_CHANGED] = None
        finalizers = list(deep_get(release, "metadata.finalizers") or [])
        if fin.EXIST_ON_FS not in finalizers:
            finalizers.append(fin.EXIST_ON_FS)
        release = self._patch_meta(
            release,
            labels={lbl.STATUS: ReleasePhase.DEPLOYED.label},
            annotations=updates or None,
            finalizers=finalizers,
        )
        source_name = release_source(release)
        self._add_source_finalizer(source_name)
        if not self._lower_pending_exists(release, source_name, module_name):
            self._set_module_condition(module_name, SetModuleCondition("True"))
        if self._get(kinds.MODULE_PULL_OVERRIDE, module_name) is None:
            # With an override the dev image is what runs and what its controller documents.
            self._document(release, module, module_name, source_name)
            self._delete_outdated(source_name, module_name)
            # Upstream heals the package mirror on every look at a deployed release
            # (``handleDeployedRelease`` → ``EnsureModule``), not only when it deploys one.
            self._mirror_package(module_name, f"v{deep_get(release, 'spec.version')}", source_name)
        # DKP looks again every 15 s while the install runs; the Module's changes stand in for that.
        return self._park(Park()) if updating else Result()

    def _document(self, release: Obj, module: Obj | None, module_name: str, source_name: str) -> None:
        """``ModuleDocumentation/<module>`` for a deployed release (upstream
        ``handleDeployedRelease``, ``…/module-controllers/release/controller.go``).

        Every era ensures it; Deckhouse v1.77 and later (``Behaviour.DOCUMENTATION_WHEN_ENABLED``,
        PR #21447) only while the Module's ``EnabledByModuleManager`` is True, and
        (``Behaviour.DOCUMENTATION_SKIPS_EMBEDDED``, PR #21682, v1.77 and v1.76.8) not for a release
        that is only staged because the build still ships the module embedded: the module mount the object
        points at never appears for a staged release, so the documentation builder would retry
        it for ever, and one an older Deckhouse wrote is deleted instead (docs/dkp-eras.md).
        """
        behaviours = self.settings.behaviours
        if eras.Behaviour.DOCUMENTATION_WHEN_ENABLED in behaviours and (
            module is None
            or modulestatus.condition(module, messages.CONDITION_ENABLED_BY_MODULE_MANAGER) != "True"
        ):
            return
        staged = self._embedded_copy_shipped(module_name)
        if staged and eras.Behaviour.DOCUMENTATION_SKIPS_EMBEDDED in behaviours:
            documentation.delete_documentation(self.kube, module_name)
            return
        documentation.ensure_for_release(self.kube, release, module_name, source_name, behaviours)

    def _add_source_finalizer(self, source_name: str) -> None:
        source = self._get(kinds.MODULE_SOURCE, source_name)
        if source is None:
            return
        finalizers = list(deep_get(source, "metadata.finalizers") or [])
        if fin.RELEASE_EXISTS in finalizers or deep_get(source, "metadata.deletionTimestamp"):
            return
        patch = {"metadata": {"finalizers": [*finalizers, fin.RELEASE_EXISTS]}}
        self.kube.patch(kinds.MODULE_SOURCE, source_name, patch)

    def _same_source_module(self, source_name: str, module_name: str) -> list[Obj]:
        selector = f"{lbl.SOURCE}={source_name},{lbl.MODULE}={module_name}"
        return self._list(kinds.MODULE_RELEASE, label_selector=selector)

    def _lower_pending_exists(self, release: Obj, source_name: str, module_name: str) -> bool:
        mine = parse_version(str(deep_get(release, "spec.version")))
        return any(
            deep_get(r, "status.phase") == ReleasePhase.PENDING
            and parse_version(str(deep_get(r, "spec.version"))) < mine
            for r in self._same_source_module(source_name, module_name)
        )

    def _delete_outdated(self, source_name: str, module_name: str) -> None:
        """Keep the 3 highest Superseded/Suspended/Skipped releases per source+module."""
        outdated = [
            r
            for r in self._same_source_module(source_name, module_name)
            if deep_get(r, "status.phase") in OUTDATED_PHASES
        ]
        outdated.sort(key=lambda r: parse_version(str(deep_get(r, "spec.version"))), reverse=True)
        for release in outdated[KEEP_OUTDATED:]:
            try:
                self.kube.delete(kinds.MODULE_RELEASE, name_of(release))
            except NotFound:
                continue
            self.log.info(LOGGER, "outdated module release deleted", release=name_of(release))

    # -- deletion --------------------------------------------------------------------------------

    def _delete(self, release: Obj) -> Result:
        if deep_get(release, "status.phase") != ReleasePhase.TERMINATING:
            release = self._set_status(release, ReleasePhase.TERMINATING, "")
        if labels_of(release).get(lbl.STATUS) == ReleasePhase.DEPLOYED.label:
            module_name = str(deep_get(release, "spec.moduleName"))
            installed = self.installed.get(module_name)
            if installed is not None and installed.version == f"v{deep_get(release, 'spec.version')}":
                self.installed.remove(module_name)
                self.log.info(LOGGER, "a module release was removed", module=module_name)
        # The metrics finalizer (Deckhouse v1.75 and later) goes first, with the on-disk one.
        owned = (fin.EXIST_ON_FS, fin.METRICS_REGISTERED)
        finalizers = [f for f in deep_get(release, "metadata.finalizers") or [] if f not in owned]
        try:
            self._patch_meta(release, finalizers=finalizers)
        except NotFound:
            pass
        return Result()
