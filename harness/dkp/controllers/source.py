"""The source controller (``d8-module-source-controller``): ModuleSource → Modules and releases.

docs/dkp-behaviour.md §2. On creation, on a change of the registry settings and every scan interval it
lists the modules of ``spec.registry.repo`` (the tags of ``R``), makes sure a Module object offers
each of them (§3.1), reads each module's release channel and, for modules enabled from this
source, creates the ModuleReleases the release controller will deploy (§5.2). Errors that DKP
shows to users land in ``status``; errors of the cluster API propagate to the manager (retry).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from harness.api import annotations as ann
from harness.api import finalizers as fin
from harness.api import kinds
from harness.api import labels as lbl
from harness.api.phases import ConditionStatus, ModulePhase, ReleasePhase, SourcePhase
from harness.api.times import stamp
from harness.clock import parse_duration
from harness.dkp.controllers import update_policy as policy_lookup
from harness.dkp.controllers.base import ControllerBase, ControllerContext
from harness.dkp.controllers.release_creation import (
    MetadataError,
    ReleaseContext,
    ReleaseMeta,
    ensure_releases,
    read_release_meta,
    release_checksum,
)
from harness.dkp.images.reader import RegistryReader, open_source_reader
from harness.dkp.rules import conditions, messages, policy
from harness.dkp.runtime import predicates
from harness.dkp.runtime.reconcile import Request, Result, Watch
from harness.kube.client import EventType, KubeClient, PatchType, WatchEvent
from harness.kube.errors import NotFound
from harness.kube.objects import Obj, annotations_of, deep_get, name_of
from harness.registry.errors import RegistryError

__all__ = ["SourceController", "registry_spec_checksum"]

LOGGER = "d8-module-source-controller"
MAX_MODULES = 1500  # maxModulesLimit (§1)
_RFC1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_DELETION_RETRY = timedelta(seconds=5)  # §2.3 step 2


def registry_spec_checksum(source: Obj) -> str:
    """md5 hex of the JSON of ``spec.registry`` (§2 step 2); keys sorted for a stable value."""
    registry = deep_get(source, "spec.registry", {}) or {}
    text = json.dumps(registry, sort_keys=True, separators=(",", ":"))
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _is_allowed_module_name(name: str) -> bool:
    """§1: ``modules``, names over 64 chars and non RFC-1123 subdomains are skipped."""
    return name != "modules" and len(name) <= 64 and bool(_RFC1123_SUBDOMAIN.match(name))


def _condition(module: Obj, type_: str) -> str | None:
    return conditions.status_of(deep_get(module, "status.conditions", []) or [], type_)


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


@dataclass
class _ScanView:
    kube: KubeClient
    modules: dict[str, Obj]
    overrides: set[str]
    embedded: policy.UpdatePolicy

    def policy_for(self, module: Obj | None) -> policy.UpdatePolicy:
        """§6.4 with the embedded policy read once per scan."""
        name = str(deep_get(module or {}, "properties.updatePolicy", "") or "")
        named = policy_lookup.get_named(policy_lookup.getter(self.kube), name) if name else None
        return named if named is not None else self.embedded


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

    # -- entry -----------------------------------------------------------------------------------

    def reconcile(self, request: Request) -> Result:
        try:
            source = self.kube.get(kinds.MODULE_SOURCE, request.name)
        except NotFound:
            return Result()
        if deep_get(source, "metadata.deletionTimestamp"):
            return self._delete(source)
        return self._sync(source)

    def _scan_interval(self, source: Obj) -> timedelta:
        """[E3] ``spec.scanInterval`` when set, else the cluster's default (3 min)."""
        text = deep_get(source, "spec.scanInterval")
        if text:
            try:
                return parse_duration(str(text))
            except ValueError:
                self.log.warning(LOGGER, "invalid scanInterval, using the default", source=name_of(source))
        return self.settings.scan_interval

    def _reader(self, source: Obj) -> RegistryReader:
        return open_source_reader(self.registry_factory, source)

    # -- sync (§2 steps 1-6) ---------------------------------------------------------------------

    def _sync(self, source: Obj) -> Result:
        name = name_of(source)
        try:
            reader = self._reader(source)
        except RegistryError as exc:  # §2 step 1: bad auth config, no requeue
            self._patch_status(
                name, {"message": messages.READ_AUTH_CONFIG_PREFIX + str(exc), **self._sync_time()}
            )
            self.log.error(LOGGER, "failed to build the registry client", source=name, error=str(exc))
            return Result()
        try:
            if self._checksum_changed(source):
                return Result(requeue_after=timedelta(0))
            return self._scan(source, reader)
        finally:
            reader.close()

    def _sync_time(self) -> dict[str, str]:
        return {"syncTime": stamp(self.clock.now())}

    def _checksum_changed(self, source: Obj) -> bool:
        """§2 step 2: store the registry-spec checksum; on a change mark Deployed releases."""
        checksum = registry_spec_checksum(source)
        annotations = annotations_of(source)
        stored = annotations.get(ann.REGISTRY_SPEC_CHECKSUM)
        if stored == checksum:
            return False
        if stored is not None:
            self._mark_registry_changed(name_of(source))
        self.kube.patch(
            kinds.MODULE_SOURCE,
            name_of(source),
            {"metadata": {"annotations": {ann.REGISTRY_SPEC_CHECKSUM: checksum}}},
        )
        return True

    def _mark_registry_changed(self, source_name: str) -> None:
        stamp_now = stamp(self.clock.now())
        selector = f"{lbl.SOURCE}={source_name}"
        for release in self.kube.list(kinds.MODULE_RELEASE, label_selector=selector):
            if deep_get(release, "status.phase") != ReleasePhase.DEPLOYED:
                continue
            patch = {"metadata": {"annotations": {ann.REGISTRY_SPEC_CHANGED: stamp_now}}}
            self.kube.patch(kinds.MODULE_RELEASE, name_of(release), patch)

    def _scan(self, source: Obj, reader: RegistryReader) -> Result:
        name = name_of(source)
        interval = self._scan_interval(source)
        try:
            tags = reader.list_tags()
        except RegistryError as exc:  # §2 step 3
            self.log.error(LOGGER, "failed to list tags for the module source", source=name, error=str(exc))
            self._patch_status(name, {"message": str(exc), **self._sync_time()})
            return Result(requeue_after=interval)
        listed = tags[:MAX_MODULES]
        previous = {m.get("name"): m for m in deep_get(source, "status.modules", []) or []}
        for gone in sorted(set(previous) - set(listed)):
            self._clean_source_in_module(name, str(gone))
        entries, had_errors = [], False
        scan = self._scan_view()
        for module_name in sorted(listed):
            if not _is_allowed_module_name(module_name):
                self.log.warning(LOGGER, messages.SOURCE_FORBIDDEN_MODULE_NAME, name=module_name)
                continue
            entry = self._process_module(
                source, reader, scan, module_name, dict(previous.get(module_name) or {})
            )
            had_errors = had_errors or bool(entry.get("pullError"))
            entries.append(entry)
        heartbeat_only = self._write_scan_status(name, entries, had_errors)
        self._add_finalizer(source, fin.MODULE_EXISTS)
        self.log.info(LOGGER, "module source reconciled", source=name, modules=len(entries))
        # A clean scan that changed nothing but syncTime repeats itself until the registry or a
        # watched object changes: the manager may skip the identical scans in between.
        return Result(requeue_after=interval, idle=heartbeat_only and not had_errors)

    def _write_scan_status(self, name: str, entries: list[dict[str, Any]], had_errors: bool) -> bool:
        """Status at the end of a scan (§2 "Status written"); the whole list is replaced.

        Returns whether only ``syncTime`` changed (the scan found nothing new).
        """
        status = {
            "phase": SourcePhase.ACTIVE.value,
            "modules": entries,
            "modulesCount": len(entries),
            "message": messages.SOURCE_SOME_ERRORS if had_errors else "",
            **self._sync_time(),
        }
        source = self.kube.get(kinds.MODULE_SOURCE, name)
        before = dict(source.get("status") or {})
        source["status"] = {**before, **status}
        self.kube.update(kinds.MODULE_SOURCE, source, subresource="status")
        before.pop("syncTime", None)
        after = dict(source["status"])
        after.pop("syncTime", None)
        return before == after

    # -- one module (§2.1) -----------------------------------------------------------------------

    def _process_module(
        self, source: Obj, reader: RegistryReader, scan: _ScanView, module_name: str, entry: dict[str, Any]
    ) -> Obj:
        source_name = name_of(source)
        entry = {"name": module_name, **{k: v for k, v in entry.items() if k in ("version", "checksum")}}
        module = scan.modules.get(module_name)
        resolved = scan.policy_for(module)
        if resolved.name:
            entry["policy"] = resolved.name
        module = self._ensure_module(source_name, module_name, module, resolved.release_channel)
        if module_name in scan.overrides:
            entry["overridden"] = True
            return entry
        try:
            meta = read_release_meta(reader, module_name, policy.channel_tag(resolved.release_channel))
        except (RegistryError, MetadataError) as exc:
            return self._record_fetch_error(source_name, module, entry, exc)
        if self._need_to_ensure_release(source_name, module, entry, meta):
            try:
                self._start_download(module)
                context = ReleaseContext(
                    self.kube, reader, source, module_name, resolved.name, resolved.release_channel
                )
                ensure_releases(context, meta)
            except (RegistryError, MetadataError, ValueError) as exc:
                entry.pop("checksum", None)  # forces a fresh fetch at the next scan (§2.1 step 8)
                entry["pullError"] = str(exc)
                entry["version"] = meta.version
                return entry
        entry["checksum"], entry["version"] = meta.checksum, meta.version
        return entry

    def _record_fetch_error(
        self, source_name: str, module: Obj, entry: dict[str, Any], exc: Exception
    ) -> Obj:
        """§2.1 step 5: the error is shown only for modules enabled from this source."""
        enabled = _condition(module, messages.CONDITION_ENABLED_BY_MODULE_CONFIG) == ConditionStatus.TRUE
        if enabled and deep_get(module, "properties.source") == source_name:
            text = str(exc)
            entry["pullError"] = (
                text if isinstance(exc, MetadataError) else messages.FETCH_IMAGE_ERROR_PREFIX + text
            )
            self.log.warning(LOGGER, "failed to download module", name=name_of(module))
        entry["version"] = messages.SOURCE_MODULE_VERSION_UNKNOWN
        return entry

    def _need_to_ensure_release(
        self, source_name: str, module: Obj, entry: dict[str, Any], meta: ReleaseMeta
    ) -> bool:
        """[E2] needToEnsureRelease: enabled from this source, and the channel moved or has no release."""
        if deep_get(module, "properties.source") != source_name:
            return False
        if _condition(module, messages.CONDITION_ENABLED_BY_MODULE_CONFIG) != ConditionStatus.TRUE:
            return False
        if entry.get("checksum") != meta.checksum:
            return True
        checksum = release_checksum(meta.checksum)
        selector = f"{lbl.MODULE}={name_of(module)},{lbl.RELEASE_CHECKSUM}={checksum}"
        return not self.kube.list(kinds.MODULE_RELEASE, label_selector=selector)

    def _start_download(self, module: Obj) -> None:
        """§2.1 step 8: Available/Conflict → Downloading (IsReady False Downloading/downloading)."""
        current = self.kube.get(kinds.MODULE, name_of(module))
        if deep_get(current, "status.phase") not in (ModulePhase.AVAILABLE, ModulePhase.CONFLICT):
            return
        status = current.setdefault("status", {})
        status["phase"] = ModulePhase.DOWNLOADING.value
        conds = status.setdefault("conditions", [])
        conditions.set_false(
            conds,
            messages.CONDITION_IS_READY,
            now=self.clock.now(),
            reason=messages.REASON_DOWNLOADING,
            message=messages.MSG_DOWNLOADING,
        )
        self.kube.update(kinds.MODULE, current, subresource="status")

    # -- Module objects (§3.1, §2.2) -------------------------------------------------------------

    def _scan_view(self) -> _ScanView:
        """One read of the cluster state every module of a scan needs (Modules, overrides, policy)."""
        try:
            overrides = {name_of(o) for o in self.kube.list(kinds.MODULE_PULL_OVERRIDE)}
        except NotFound:  # the ModulePullOverride kind is not served
            overrides = set()
        return _ScanView(
            kube=self.kube,
            modules={name_of(m): m for m in self.kube.list(kinds.MODULE)},
            overrides=overrides,
            embedded=policy.embedded_policy(
                policy_lookup.deckhouse_settings(policy_lookup.getter(self.kube))
            ),
        )

    def _ensure_module(self, source_name: str, module_name: str, module: Obj | None, channel: str) -> Obj:
        """Create the Module or add this source to it; set the release channel (§3.1)."""
        if module is None:
            module = self.kube.create(
                kinds.MODULE,
                {
                    "apiVersion": kinds.MODULE.api_version,
                    "kind": kinds.MODULE.kind,
                    "metadata": {"name": module_name},
                    "properties": {"availableSources": [source_name], "releaseChannel": channel},
                },
            )
            self.log.info(LOGGER, "module created", name=module_name, source=source_name)
        props = module.setdefault("properties", {})
        sources = list(props.get("availableSources") or [])
        if source_name not in sources or props.get("releaseChannel") != channel:
            props["availableSources"] = sources if source_name in sources else [*sources, source_name]
            props["releaseChannel"] = channel
            module = self.kube.update(kinds.MODULE, module)
        if not deep_get(module, "status.phase"):
            module = self._init_module_status(module)
        return module

    def _init_module_status(self, module: Obj) -> Obj:
        now = self.clock.now()
        status = module.setdefault("status", {})
        status["phase"] = ModulePhase.AVAILABLE.value
        conds = status.setdefault("conditions", [])
        conditions.set_false(conds, messages.CONDITION_ENABLED_BY_MODULE_MANAGER, now=now)
        conditions.set_false(
            conds,
            messages.CONDITION_IS_READY,
            now=now,
            reason=messages.REASON_NOT_INSTALLED,
            message=messages.MSG_NOT_INSTALLED,
        )
        return self.kube.update(kinds.MODULE, module, subresource="status")

    def _clean_source_in_module(self, source_name: str, module_name: str) -> None:
        """§2.2: drop this source from the Module, deleting the Module when nothing keeps it."""
        try:
            module = self.kube.get(kinds.MODULE, module_name)
        except NotFound:
            return
        sources = list(deep_get(module, "properties.availableSources", []) or [])
        enabled = _condition(module, messages.CONDITION_ENABLED_BY_MODULE_MANAGER) == ConditionStatus.TRUE
        if len(sources) > 1:
            if source_name in sources:
                module["properties"]["availableSources"] = [s for s in sources if s != source_name]
                self.kube.update(kinds.MODULE, module)
            return
        if sources and sources != [source_name]:
            return
        if not enabled:
            self.kube.delete(kinds.MODULE, module_name)
            self.log.info(LOGGER, "module deleted: no source offers it", name=module_name)
        elif sources:
            module["properties"]["availableSources"] = []
            self.kube.update(kinds.MODULE, module)

    # -- deletion (§2.3) -------------------------------------------------------------------------

    def _delete(self, source: Obj) -> Result:
        name = name_of(source)
        if deep_get(source, "status.phase") != SourcePhase.TERMINATING:
            self._patch_status(name, {"phase": SourcePhase.TERMINATING.value})
        force = annotations_of(source).get(ann.FORCE_DELETE) == "true"
        finalizers = list(deep_get(source, "metadata.finalizers", []) or [])
        if fin.RELEASE_EXISTS in finalizers:
            if not force and self._has_deployed_releases(name):
                self._patch_status(name, {"message": messages.SOURCE_HAS_DEPLOYED_RELEASES})
                return Result(requeue_after=_DELETION_RETRY)
            finalizers.remove(fin.RELEASE_EXISTS)
            self._set_finalizers(name, finalizers)
        if fin.MODULE_EXISTS in finalizers:
            if not force:
                for entry in deep_get(source, "status.modules", []) or []:
                    self._clean_source_in_module(name, str(entry.get("name")))
            finalizers.remove(fin.MODULE_EXISTS)
            self._set_finalizers(name, finalizers)
        return Result()

    def _has_deployed_releases(self, source_name: str) -> bool:
        selector = f"{lbl.SOURCE}={source_name},{lbl.STATUS}=deployed"
        return bool(self.kube.list(kinds.MODULE_RELEASE, label_selector=selector))

    def _set_finalizers(self, name: str, finalizers: list[str]) -> None:
        patch = [{"op": "replace", "path": "/metadata/finalizers", "value": finalizers}]
        try:
            self.kube.patch(kinds.MODULE_SOURCE, name, patch, patch_type=PatchType.JSON)
        except NotFound:
            pass

    def _add_finalizer(self, source: Obj, finalizer: str) -> None:
        current = self.kube.get(kinds.MODULE_SOURCE, name_of(source))
        finalizers = list(deep_get(current, "metadata.finalizers", []) or [])
        if finalizer not in finalizers:
            patch = {"metadata": {"finalizers": [*finalizers, finalizer]}}
            self.kube.patch(kinds.MODULE_SOURCE, name_of(source), patch)

    def _patch_status(self, name: str, status: dict[str, Any]) -> None:
        try:
            self.kube.patch(kinds.MODULE_SOURCE, name, {"status": status}, subresource="status")
        except NotFound:
            pass
