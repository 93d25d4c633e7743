"""The source controller (``d8-module-source-controller``): ModuleSource → Modules and releases.

docs/dkp-behaviour.md §2. On creation, on a change of the registry settings and every scan interval it
lists the modules of ``spec.registry.repo`` (the tags of ``R``), makes sure a Module object offers
each of them (§3.1), reads each module's release channel and, for modules enabled from this
source, creates the ModuleReleases the release controller will deploy (§5.2).

Plan, then act, like the release controller: :meth:`SourceController.reconcile` gathers a
snapshot of everything a decision reads (the ModuleSource, the registry listing and channel
images through the :class:`~harness.dkp.images.reader.RegistryReader` seam, the Modules, update
policies, overrides, releases and ModuleConfigs concerned), the pure functions of
``harness.dkp.rules.source`` decide, and :meth:`~SourceController._apply` writes the plan in order.
Ensuring releases reads the registry again (intermediate versions), so it stays I/O here; its
failure becomes the module's status error through ``rules.source.release_failed``. Errors that
DKP shows to users land in ``status``; errors of the cluster API propagate to the manager (retry).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from harness.api import annotations as ann
from harness.api import finalizers as fin
from harness.api import kinds
from harness.api import labels as lbl
from harness.api.phases import ConditionStatus, ModulePhase, ReleasePhase
from harness.dkp.controllers import update_policy as policy_lookup
from harness.dkp.controllers.base import ControllerBase, ControllerContext
from harness.dkp.controllers.release_creation import (
    MetadataError,
    ReleaseContext,
    ReleaseMeta,
    chain_to_target_complete,
    ensure_releases,
    read_release_meta,
    release_checksum,
)
from harness.dkp.images.reader import RegistryReader, open_source_reader
from harness.dkp.rules import conditions, messages, policy
from harness.dkp.rules import source as rules
from harness.dkp.rules.registry_checksum import registry_spec_checksum as checksum_of_registry
from harness.dkp.rules.source_ensure import EMBEDDED_SOURCE
from harness.dkp.runtime import predicates
from harness.dkp.runtime.reconcile import Request, Result, Watch
from harness.eras import Behaviour
from harness.kube.client import EventType, PatchType, WatchEvent
from harness.kube.errors import NotFound
from harness.kube.objects import Obj, annotations_of, deep_get, name_of
from harness.kube.timestamps import stamp
from harness.registry.errors import RegistryError

__all__ = ["SourceController", "module_state", "registry_spec_checksum", "stored_checksum"]

LOGGER = rules.LOGGER


def registry_spec_checksum(source: Obj, behaviours: frozenset[Behaviour] = frozenset()) -> str:
    """The checksum DKP keeps of ``spec.registry`` (§2 step 2), for the era's Go type
    (``harness.dkp.rules.registry_checksum``)."""
    registry = deep_get(source, "spec.registry", {}) or {}
    return checksum_of_registry(registry if isinstance(registry, Mapping) else {}, behaviours)


def stored_checksum(source: Obj) -> str | None:
    """The checksum annotation as upstream reads it: ``None`` for a source without any annotation
    (``len(Annotations) == 0``: never scanned, the checksum is only recorded), else the value or
    ``""``, so a source that lost it but kept another annotation is taken for a changed registry."""
    found = annotations_of(source)
    if not found:
        return None
    return str(found.get(ann.REGISTRY_SPEC_CHECKSUM, "") or "")


def _condition(module: Obj, type_: str) -> str | None:
    return conditions.status_of(deep_get(module, "status.conditions", []) or [], type_)


def module_state(module: Obj) -> rules.ModuleState:
    """What the source decisions read of a Module object."""
    accessibility = deep_get(module, "properties.accessibility")
    return rules.ModuleState(
        name=name_of(module),
        source=str(deep_get(module, "properties.source", "") or ""),
        available_sources=tuple(str(s) for s in deep_get(module, "properties.availableSources", []) or []),
        release_channel=deep_get(module, "properties.releaseChannel"),
        accessibility=accessibility if isinstance(accessibility, Mapping) else None,
        phase=str(deep_get(module, "status.phase", "") or ""),
        enabled_by_config=_condition(module, messages.CONDITION_ENABLED_BY_MODULE_CONFIG),
        enabled_by_manager=_condition(module, messages.CONDITION_ENABLED_BY_MODULE_MANAGER),
    )


class _ModuleWatch:
    """Maps Module updates to the source named in ``properties.source`` (§2 watch rules).

    The manager hands over only the new object, so the last seen trigger fields are remembered
    here; only an update that changes one of them wakes the source.
    """

    def __init__(self) -> None:
        self._seen: dict[str, tuple[str, str, str | None]] = {}

    def __call__(self, event: WatchEvent) -> Iterable[Request]:
        module = event.object
        name = name_of(module)
        if event.type == EventType.DELETED:
            self._seen.pop(name, None)
            return []
        now = (
            str(deep_get(module, "properties.source", "") or ""),
            str(deep_get(module, "properties.updatePolicy", "") or ""),
            _condition(module, messages.CONDITION_ENABLED_BY_MODULE_CONFIG),
        )
        before = self._seen.get(name)
        self._seen[name] = now
        if event.type != EventType.MODIFIED or before is None or not now[0]:
            return []
        became_enabled = now[2] == ConditionStatus.TRUE and before[2] != ConditionStatus.TRUE
        if now[0] != before[0] or now[1] != before[1] or became_enabled:
            return [Request(now[0])]
        return []


class SourceController(ControllerBase):
    """Reconciles ModuleSources; see the module docstring."""

    name = LOGGER
    resource = kinds.MODULE_SOURCE
    predicate = staticmethod(predicates.generation_changed)

    def __init__(self, ctx: ControllerContext) -> None:
        super().__init__(ctx)
        self.watches: tuple[Watch, ...] = (
            Watch(kinds.MODULE, map=_ModuleWatch(), types=frozenset({"ADDED", "MODIFIED", "DELETED"})),
        )
        self._settings = rules.SourceSettings(
            scan_interval=self.settings.scan_interval,
            behaviours=self.settings.behaviours,
            edition=self.settings.edition,
            bundle=self.settings.bundle,
        )

    # -- entry -----------------------------------------------------------------------------------

    def reconcile(self, request: Request) -> Result:
        try:
            source = self.kube.get(kinds.MODULE_SOURCE, request.name)
        except NotFound:
            return Result()
        if deep_get(source, "metadata.deletionTimestamp"):
            plan = rules.decide_delete(self._deletion_snapshot(source))
            self._apply(source, plan.actions)
            return Result(requeue_after=plan.requeue_after)
        return self._sync(source)

    def _sync(self, source: Obj) -> Result:
        try:
            reader = open_source_reader(self.registry_factory, source)
        except RegistryError as exc:  # §2 step 1: bad auth config, no requeue
            plan = rules.decide_sync(self._base_snapshot(source, auth_error=str(exc)))
            self._apply(source, plan.actions)
            return Result(requeue_after=plan.requeue_after)
        try:
            metas: dict[str, ReleaseMeta] = {}
            plan = rules.decide_sync(self._snapshot(source, reader, metas))
            if not plan.scan:
                self._apply(source, plan.actions)
                return Result(requeue_after=plan.requeue_after)
            return self._apply_scan(source, reader, plan, metas)
        finally:
            reader.close()

    # -- the snapshot ----------------------------------------------------------------------------

    def _base_snapshot(self, source: Obj, **fields: Any) -> rules.SourceSnapshot:
        return rules.SourceSnapshot(
            name=name_of(source),
            now=self.clock.now(),
            settings=self._settings,
            checksum=registry_spec_checksum(source, self._settings.behaviours),
            stored_checksum=stored_checksum(source),
            status=dict(source.get("status") or {}),
            scan_interval=str(deep_get(source, "spec.scanInterval", "") or ""),
            **fields,
        )

    def _snapshot(
        self, source: Obj, reader: RegistryReader, metas: dict[str, ReleaseMeta]
    ) -> rules.SourceSnapshot:
        """What one sync reads, gathered in the order the decision needs it (``metas``: filled
        with the channel images read, for ensuring releases)."""
        base = self._base_snapshot(source)
        if base.stored_checksum != base.checksum:
            if base.stored_checksum is None:
                return base
            return rules.SourceSnapshot(
                **{**base.__dict__, "deployed_releases": self._deployed_of(base.name)}
            )
        try:
            tags = tuple(reader.list_tags())
        except RegistryError as exc:  # §2 step 3
            return replace(base, listing_error=str(exc))
        previous = [str(m.get("name")) for m in base.status.get("modules") or [] if isinstance(m, Mapping)]
        listed = set(tags[: rules.MAX_MODULES])
        gone = tuple(self._module_or_name(n) for n in sorted(set(previous) - listed))
        modules = self._listed_modules(base.name, reader, rules.scanned_names(tags), metas)
        return replace(base, tags=tags, gone=gone, modules=modules)

    def _deployed_of(self, source_name: str) -> tuple[str, ...]:
        selector = f"{lbl.SOURCE}={source_name}"
        found = self.kube.list(kinds.MODULE_RELEASE, label_selector=selector)
        return tuple(name_of(r) for r in found if deep_get(r, "status.phase") == ReleasePhase.DEPLOYED)

    def _module_or_name(self, name: str) -> rules.ModuleState | str:
        try:
            return module_state(self.kube.get(kinds.MODULE, name))
        except NotFound:
            return name

    def _listed_modules(
        self, source_name: str, reader: RegistryReader, names: list[str], metas: dict[str, ReleaseMeta]
    ) -> tuple[rules.ListedModule, ...]:
        """Per listed module: its Module, resolved policy, override, channel image and releases."""
        if not names:
            return ()
        get = policy_lookup.getter(self.kube)
        try:
            overrides = {name_of(o) for o in self.kube.list(kinds.MODULE_PULL_OVERRIDE)}
        except NotFound:  # the ModulePullOverride kind is not served
            overrides = set()
        objects = {name_of(m): m for m in self.kube.list(kinds.MODULE)}
        embedded = policy.embedded_policy(
            policy_lookup.deckhouse_settings(get),
            default_mode=policy.embedded_default_mode(self.settings.behaviours),
        )
        checksums = self._release_checksums()
        found = []
        for name in names:
            obj = objects.get(name)
            policy_name = str(deep_get(obj or {}, "properties.updatePolicy", "") or "")
            named = policy_lookup.get_named(get, policy_name) if policy_name else None
            resolved = named if named is not None else embedded
            listed = rules.ListedModule(
                name=name,
                policy_name=resolved.name,
                channel=resolved.release_channel,
                module=module_state(obj) if obj is not None else None,
                overridden=name in overrides,
            )
            if not listed.overridden:
                listed = self._with_channel_image(reader, listed, metas, checksums)
            found.append(listed)
        return tuple(found)

    def _with_channel_image(
        self,
        reader: RegistryReader,
        listed: rules.ListedModule,
        metas: dict[str, ReleaseMeta],
        checksums: set[tuple[str, str]],
    ) -> rules.ListedModule:
        try:
            meta = read_release_meta(reader, listed.name, policy.channel_tag(listed.channel))
        except (RegistryError, MetadataError) as exc:
            return replace(
                listed, fetch_error=str(exc), fetch_error_is_metadata=isinstance(exc, MetadataError)
            )
        metas[listed.name] = meta
        accessibility = meta.definition.get("accessibility")
        image = rules.ChannelImage(
            meta.version, meta.checksum, accessibility if isinstance(accessibility, Mapping) else None
        )
        config_source = ""
        if listed.module is not None and listed.module.source == EMBEDDED_SOURCE:
            config = policy_lookup.getter(self.kube)(kinds.MODULE_CONFIG, listed.name)
            config_source = str(deep_get(config or {}, "spec.source", "") or "")
        exists = (listed.name, release_checksum(meta.checksum)) in checksums
        complete = not exists or chain_to_target_complete(
            self.kube, listed.name, meta.version, self._settings.behaviours
        )
        return replace(
            listed, image=image, release_exists=exists, config_source=config_source, chain_complete=complete
        )

    def _release_checksums(self) -> set[tuple[str, str]]:
        """(module, ``release-checksum`` label) of every ModuleRelease: one list per scan."""
        found = set()
        for release in self.kube.list(kinds.MODULE_RELEASE):
            labels = deep_get(release, "metadata.labels", {}) or {}
            if lbl.MODULE in labels and lbl.RELEASE_CHECKSUM in labels:
                found.add((str(labels[lbl.MODULE]), str(labels[lbl.RELEASE_CHECKSUM])))
        return found

    def _deletion_snapshot(self, source: Obj) -> rules.DeletionSnapshot:
        """What §2.3 reads: the finalizers, the force annotation, Deployed releases, listed Modules."""
        name = name_of(source)
        finalizers = tuple(deep_get(source, "metadata.finalizers", []) or [])
        deployed = False
        if fin.RELEASE_EXISTS in finalizers:
            selector = f"{lbl.SOURCE}={name},{lbl.STATUS}=deployed"
            deployed = bool(self.kube.list(kinds.MODULE_RELEASE, label_selector=selector))
        listed: tuple[rules.ModuleState | str, ...] = ()
        if fin.MODULE_EXISTS in finalizers:
            entries = deep_get(source, "status.modules", []) or []
            listed = tuple(self._module_or_name(str(e.get("name"))) for e in entries)
        return rules.DeletionSnapshot(
            name=name,
            phase=str(deep_get(source, "status.phase", "") or ""),
            finalizers=finalizers,
            force=annotations_of(source).get(ann.FORCE_DELETE) == "true",
            has_deployed_releases=deployed,
            listed=listed,
        )

    # -- the applier -----------------------------------------------------------------------------

    def _apply_scan(
        self, source: Obj, reader: RegistryReader, plan: rules.SyncPlan, metas: Mapping[str, ReleaseMeta]
    ) -> Result:
        """Write the scan's plan, then its status and the ``module-exists`` finalizer."""
        entries = {str(e["name"]): e for e in plan.entries}
        for action in plan.actions:
            if isinstance(action, rules.EnsureReleases):
                failed = self._ensure_releases(source, reader, action, metas[action.module])
                if failed is not None:
                    entries[action.module] = failed
            else:
                self._apply(source, (action,))
        behaviours = self._settings.behaviours
        status, had_errors = rules.scan_status(list(entries.values()), self.clock.now(), behaviours)
        name = name_of(source)
        current = self.kube.get(kinds.MODULE_SOURCE, name)
        before = dict(current.get("status") or {})
        after = {k: v for k, v in {**before, **status}.items() if v is not None}
        heartbeat = rules.heartbeat_only(before, after)
        if heartbeat:
            self._write_sync_time(name)
        else:
            current["status"] = after
            self.kube.update(kinds.MODULE_SOURCE, current, subresource="status")
        self._apply(source, (rules.AddFinalizer(fin.MODULE_EXISTS),))
        self.log.info(LOGGER, "module source reconciled", source=name, modules=len(entries))
        # A clean scan that changed nothing but syncTime repeats itself until the registry or an
        # object it read changes: the manager may replay it, writing each scan's syncTime (the
        # heartbeat) and its log line at the scan's own instant.
        idle = heartbeat and not had_errors
        beat = (lambda: self._write_sync_time(name)) if idle else None
        return Result(requeue_after=plan.requeue_after, idle=idle, heartbeat=beat)

    def _write_sync_time(self, name: str) -> None:
        """The status write of a scan that found nothing new (the heartbeat): this instant's
        ``syncTime``, the rest as it was. A merge patch leaves the same object, managed fields
        included, as the update of the whole status a scan with news makes, and costs less; the
        manager replays exactly this write for a scan it skips."""
        patch = {"status": {"syncTime": stamp(self.clock.now())}}
        self.kube.patch(kinds.MODULE_SOURCE, name, patch, subresource="status")

    def _ensure_releases(
        self, source: Obj, reader: RegistryReader, action: rules.EnsureReleases, meta: ReleaseMeta
    ) -> dict[str, Any] | None:
        """Ensure the releases; on failure, the module's status entry (§2.1 step 8)."""
        behaviours = self._settings.behaviours
        context = ReleaseContext(
            self.kube, reader, source, action.module, action.policy_name, action.channel, behaviours
        )
        try:
            ensure_releases(context, meta)
        except (RegistryError, MetadataError, ValueError) as exc:
            return rules.release_failed(action.entry, action.version, str(exc), self._settings.behaviours)
        return None

    def _apply(self, source: Obj, actions: Iterable[rules.Action]) -> None:
        name = name_of(source)
        for action in actions:
            if isinstance(action, rules.Log):
                getattr(self.log, action.level)(LOGGER, action.msg, **action.fields)
            elif isinstance(action, rules.PatchSource):
                self._patch_source(name, action)
            elif isinstance(action, rules.MarkRegistryChanged):
                patch = {"metadata": {"annotations": {ann.REGISTRY_SPEC_CHANGED: action.at}}}
                self.kube.patch(kinds.MODULE_RELEASE, action.release, patch)
            elif isinstance(action, rules.CreateModule):
                self.kube.create(kinds.MODULE, _new_module(action))
            elif isinstance(action, rules.UpdateModule):
                module = self.kube.get(kinds.MODULE, action.name)
                module.setdefault("properties", {}).update(action.properties)
                self.kube.update(kinds.MODULE, module)
            elif isinstance(action, rules.InitModuleStatus):
                self._init_module_status(action.name)
            elif isinstance(action, rules.StartDownload):
                self._start_download(action.name)
            elif isinstance(action, rules.DeleteModule):
                self.kube.delete(kinds.MODULE, action.name)
            elif isinstance(action, rules.AddFinalizer):
                self._add_finalizer(name, action.finalizer)
            elif isinstance(action, rules.SetFinalizers):
                self._set_finalizers(name, list(action.finalizers))
            else:  # pragma: no cover - EnsureReleases is applied by _apply_scan
                raise TypeError(f"the source applier cannot apply {action!r}")

    def _patch_source(self, name: str, action: rules.PatchSource) -> None:
        if not action.status:
            self.kube.patch(kinds.MODULE_SOURCE, name, dict(action.patch))
            return
        try:
            self.kube.patch(kinds.MODULE_SOURCE, name, dict(action.patch), subresource="status")
        except NotFound:
            pass

    def _init_module_status(self, name: str) -> None:
        module = self.kube.get(kinds.MODULE, name)
        now = self.clock.now()
        status = module.setdefault("status", {})
        status["phase"] = ModulePhase.AVAILABLE.value
        conds = status.setdefault("conditions", [])
        conditions.set_not_managed(
            conds, now=now, reason=messages.REASON_NOT_INSTALLED, message=messages.MSG_NOT_INSTALLED
        )
        self.kube.update(kinds.MODULE, module, subresource="status")

    def _start_download(self, name: str) -> None:
        module = self.kube.get(kinds.MODULE, name)
        status = module.setdefault("status", {})
        status["phase"] = ModulePhase.DOWNLOADING.value
        conds = status.setdefault("conditions", [])
        conditions.set_false(
            conds,
            messages.CONDITION_IS_READY,
            now=self.clock.now(),
            reason=messages.REASON_DOWNLOADING,
            message=messages.MSG_DOWNLOADING,
        )
        self.kube.update(kinds.MODULE, module, subresource="status")

    def _set_finalizers(self, name: str, finalizers: list[str]) -> None:
        patch = [{"op": "replace", "path": "/metadata/finalizers", "value": finalizers}]
        try:
            self.kube.patch(kinds.MODULE_SOURCE, name, patch, patch_type=PatchType.JSON)
        except NotFound:
            pass

    def _add_finalizer(self, name: str, finalizer: str) -> None:
        current = self.kube.get(kinds.MODULE_SOURCE, name)
        finalizers = list(deep_get(current, "metadata.finalizers", []) or [])
        if finalizer not in finalizers:
            self.kube.patch(kinds.MODULE_SOURCE, name, {"metadata": {"finalizers": [*finalizers, finalizer]}})


def _new_module(action: rules.CreateModule) -> Obj:
    return {
        "apiVersion": kinds.MODULE.api_version,
        "kind": kinds.MODULE.kind,
        "metadata": {"name": action.name},
        "properties": dict(action.properties),
    }
