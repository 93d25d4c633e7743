"""The override controller (``d8-module-override-controller``): ModulePullOverride → a dev module image.

docs/dkp-behaviour.md §8, read from upstream ``module-controllers/override/controller.go`` (049a95cf…). A
ModulePullOverride named like a module makes Deckhouse run ``R/<module>:<spec.imageTag>`` from the
Module's active source instead of its releases. The controller checks, in DKP's order, that the
Module exists, is not embedded, is enabled and has an active source (each failure is a status
message and a look again in 1 minute), marks the Module ``IsOverridden``, adds its finalizer,
finds the source, and compares the tag's digest with ``status.imageDigest``: equal means
``Ready``; different means pull, validate the ModuleConfig settings, install and "restart
Deckhouse". Every ``spec.scanInterval`` (15 s by default) it looks again, so a re-pushed tag is
picked up.

Installing here means replacing the module's :class:`InstalledModules` record (DKP unpacks the image
to ``<downloaded>/<module>/dev``); the record's version is the image tag, because on restart DKP
sets ``Module.properties.version`` to ``spec.imageTag`` (upstream ``restoreAbsentModulesFromOverrides``).
The release version that was installed is remembered, the stand-in for its directory that stays on
disk, so deleting the override can bring it back (see docs/dkp-simulator.md "ModulePullOverride").
While an override exists the source controller marks the module ``overridden`` and creates no
releases, and the release controller leaves its Pending releases alone (both check for the object).
"""

from __future__ import annotations

import dataclasses
import threading
from datetime import timedelta
from typing import Any, Protocol, cast

from harness import eras
from harness.api import annotations as ann
from harness.api import finalizers as fin
from harness.api import kinds, sources
from harness.api.phases import ConditionStatus
from harness.clock import parse_duration
from harness.dkp.controllers import documentation
from harness.dkp.controllers import install as deploy
from harness.dkp.controllers import module_status as modulestatus
from harness.dkp.controllers.base import ControllerBase, ControllerContext
from harness.dkp.controllers.editions import bundle_enabled
from harness.dkp.controllers.installed import InstalledModule
from harness.dkp.controllers.package_mirror import mirror_package
from harness.dkp.images.reader import RegistryReader, open_source_reader
from harness.dkp.rules import conditions, messages
from harness.dkp.runtime import predicates
from harness.dkp.runtime.errors import ReconcileError
from harness.dkp.runtime.reconcile import Request, Result, Watch
from harness.kube.client import PatchType
from harness.kube.errors import NotFound
from harness.kube.objects import Obj, deep_get, name_of
from harness.kube.timestamps import stamp
from harness.registry.errors import RegistryError

__all__ = ["FINALIZER", "OverrideController"]

LOGGER = "d8-module-override-controller"
FINALIZER = fin.PULL_OVERRIDE
EMBEDDED_SOURCE = sources.EMBEDDED
DEFAULT_SCAN_INTERVAL = timedelta(seconds=15)  # the CRD default of spec.scanInterval
PROBLEM_REQUEUE = timedelta(minutes=1)  # defaultRequeueAfter
FINALIZER_REQUEUE = timedelta(seconds=1)
"""Upstream looks again 500 ms after adding the finalizer; 1 s here so the install lands in a later
second than the ``IsOverridden`` write, and its forced Module write (see ``_touch_module``) is
never a no-op that would leave the install simulation asleep."""


class _DigestReader(Protocol):
    def digest(self, path: str, tag: str) -> str: ...


class _Problem(Exception):
    """A state DKP reports in ``status.message`` and looks at again after ``requeue``."""

    def __init__(
        self, message: str, requeue: timedelta, *, clear_digest: bool = False, always: bool = False
    ) -> None:
        super().__init__(message)
        self.message = message
        self.requeue = requeue
        self.clear_digest = clear_digest
        self.always = always
        """Written at every look, not only when it changes (a download error: see ``_write_status``)."""


class OverrideController(ControllerBase):
    """Reconciles ModulePullOverrides; see the module docstring."""

    name = LOGGER
    resource = kinds.MODULE_PULL_OVERRIDE
    predicate = staticmethod(predicates.generation_or_annotations_changed)

    def __init__(self, ctx: ControllerContext) -> None:
        super().__init__(ctx)
        self.watches: tuple[Watch, ...] = ()  # upstream watches only its own kind, and polls
        self._lock = threading.Lock()
        self._dev: dict[str, InstalledModule] = {}
        """Module → the dev record this controller installed."""
        self._replaced: dict[str, InstalledModule] = {}
        """Module → the release record the dev image replaced (restored on deletion)."""

    # -- entry -------------------------------------------------------------------------------------

    def reconcile(self, request: Request) -> Result:
        try:
            mpo = self.kube.get(kinds.MODULE_PULL_OVERRIDE, request.name)
        except NotFound:
            return Result()
        if deep_get(mpo, "metadata.deletionTimestamp"):
            return self._delete(mpo)
        try:
            return self._handle(mpo)
        except _Problem as problem:
            digest = "" if problem.clear_digest else None
            self._write_status(mpo, problem.message, digest=digest, always=problem.always)
            return Result(requeue_after=problem.requeue)

    def _scan_interval(self, mpo: Obj) -> timedelta:
        text = deep_get(mpo, "spec.scanInterval")
        if not text:
            return DEFAULT_SCAN_INTERVAL
        try:
            interval = parse_duration(str(text))
        except ValueError:
            self.log.warning(LOGGER, "invalid scanInterval, using 15s", name=name_of(mpo))
            return DEFAULT_SCAN_INTERVAL
        return interval if interval > timedelta(0) else DEFAULT_SCAN_INTERVAL

    # -- create/update -----------------------------------------------------------------------------

    def _handle(self, mpo: Obj) -> Result:
        name = name_of(mpo)
        module = self._checked_module(name)
        self._mark_overridden(module)
        if FINALIZER not in (deep_get(mpo, "metadata.finalizers") or []):
            finalizers = [*(deep_get(mpo, "metadata.finalizers") or []), FINALIZER]
            self.kube.patch(kinds.MODULE_PULL_OVERRIDE, name, {"metadata": {"finalizers": finalizers}})
            return Result(requeue_after=FINALIZER_REQUEUE)
        source = self._source(str(deep_get(module, "properties.source")))
        interval = self._scan_interval(mpo)
        image = self._pull_if_changed(mpo, source, interval)
        tag, source_name = str(deep_get(mpo, "spec.imageTag", "")), name_of(source)
        if image is None:
            self._write_status(mpo, messages.MPO_READY)
            mirror_package(self.kube, self.settings, name, tag, source_name, dev=True)
            return Result(requeue_after=interval)
        record = self._validated_record(mpo, source, image.files)
        self._install(name, record)
        self._write_status(mpo, messages.MPO_READY, digest=image.digest, weight=self._status_weight(record))
        self.log.info(LOGGER, "restart Deckhouse because ModulePullOverride image was updated", name=name)
        mirror_package(self.kube, self.settings, name, tag, source_name, dev=True)
        self._drop_renew(mpo)
        documentation.ensure_for_override(self.kube, mpo, source_name, image.digest, self.settings.behaviours)
        return Result(requeue_after=interval)

    def _status_weight(self, record: InstalledModule) -> int | None:
        """``status.weight`` of a deploy: the image's weight up to v1.74; from v1.75
        (``Behaviour.DOCUMENTATION_MOUNT_PATH``, chosen: upstream ``override/controller.go`` at
        6e01cad3, which mounts the documentation at ``/modules/<module>``, no longer sets it, the
        revision with the ``/<module>/dev`` path did) none (golden
        ``overrides/renew-forces-redeploy`` at 4af5c423)."""
        if eras.Behaviour.DOCUMENTATION_MOUNT_PATH in self.settings.behaviours:
            return None
        return record.weight

    def _drop_renew(self, mpo: Obj) -> None:
        """After a deploy the ``renew`` annotation is removed, whatever its value (upstream deletes
        it whenever present); asking again means setting it again."""
        if ann.RENEW in (deep_get(mpo, "metadata.annotations") or {}):
            patch = {"metadata": {"annotations": {ann.RENEW: None}}}
            self.kube.patch(kinds.MODULE_PULL_OVERRIDE, name_of(mpo), patch)

    def _checked_module(self, name: str) -> Obj:
        """§8 preconditions in DKP's order; each failure is a message and a look again in 1 min."""
        try:
            module = self.kube.get(kinds.MODULE, name)
        except NotFound:
            raise _Problem(messages.MPO_MODULE_NOT_FOUND, PROBLEM_REQUEUE) from None
        source = str(deep_get(module, "properties.source", "") or "")
        if source == EMBEDDED_SOURCE:
            raise _Problem(messages.MPO_EMBEDDED, PROBLEM_REQUEUE)
        if not self._enabled(module):
            raise _Problem(messages.MPO_DISABLED, PROBLEM_REQUEUE, clear_digest=True)
        if not source:
            raise _Problem(messages.MPO_NO_ACTIVE_SOURCE, PROBLEM_REQUEUE)
        return module

    def _enabled(self, module: Obj) -> bool:
        """Enabled by its ModuleConfig; without one (the condition absent or Unknown) by the
        bundle default, which enables a downloaded module from Deckhouse v1.75 only (upstream
        ``handleModuleOverride``: ``IsEnabledByBundle``; earlier, no bundle enables one)."""
        found = modulestatus.condition(module, messages.CONDITION_ENABLED_BY_MODULE_CONFIG)
        if found in (None, ConditionStatus.UNKNOWN):
            return bundle_enabled(module, self.settings)
        return found == ConditionStatus.TRUE

    def _source(self, source_name: str) -> Obj:
        try:
            return self.kube.get(kinds.MODULE_SOURCE, source_name)
        except NotFound:
            raise _Problem(messages.MPO_SOURCE_NOT_FOUND, PROBLEM_REQUEUE) from None

    def _pull_if_changed(self, mpo: Obj, source: Obj, interval: timedelta) -> Any:
        """The image ``R/<module>:<imageTag>`` when its digest moved, else None (up to date)."""
        name, tag = name_of(mpo), str(deep_get(mpo, "spec.imageTag", ""))
        try:
            reader: RegistryReader = open_source_reader(self.registry_factory, source)
        except RegistryError as exc:
            raise self._download_error(name, exc, interval) from None
        try:
            try:
                digest = self._digest(reader, name, tag)
            except RegistryError as exc:
                raise self._download_error(name, exc, interval) from None
            if digest == deep_get(mpo, "status.imageDigest") and not self._renew_requested(mpo):
                return None  # upstream compares the digests only (golden ``overrides/up-to-date``)
            try:
                return reader.read_image(name, tag)
            except RegistryError as exc:
                raise self._deploy_failed(mpo, f"download the module '{name}': {exc}") from None
        finally:
            reader.close()

    def _renew_requested(self, mpo: Obj) -> bool:
        """Deckhouse's main branch (``Behaviour.OVERRIDE_RENEW``, override-controller cases "renew
        forces redeploy" and ``TestIsRenewRequested`` at 3c08f0fc): exactly ``"true"`` deploys the
        tag again though its digest is unchanged; any other value asks for nothing."""
        if eras.Behaviour.OVERRIDE_RENEW not in self.settings.behaviours:
            return False
        return (deep_get(mpo, "metadata.annotations") or {}).get(ann.RENEW) == "true"

    def _deploy_failed(self, mpo: Obj, error: str) -> ReconcileError:
        """The deploy's error goes back to Reconcile, and Deckhouse is not restarted. With
        ``Behaviour.OVERRIDE_RENEW`` it is also the status message (case "renew survives a failed
        deploy"); nothing else changes, so a renew request stays armed for the next look."""
        if eras.Behaviour.OVERRIDE_RENEW in self.settings.behaviours:
            self._write_status(mpo, messages.MPO_DEPLOY_ERROR_PREFIX + error, always=True)
        return ReconcileError(error)

    @staticmethod
    def _digest(reader: RegistryReader, name: str, tag: str) -> str:
        """A manifest-only look (DKP's ``GetImageDigest``); readers without it pull the image."""
        if hasattr(reader, "digest"):
            return cast(_DigestReader, reader).digest(name, tag)
        return str(reader.read_image(name, tag).digest)

    def _download_error(self, name: str, exc: RegistryError, interval: timedelta) -> _Problem:
        self.log.error(LOGGER, "failed to download dev image tag", name=name, error=str(exc))
        return _Problem(messages.MPO_DOWNLOAD_ERROR_PREFIX + str(exc), interval, always=True)

    def _validated_record(self, mpo: Obj, source: Obj, files: Any) -> InstalledModule:
        """The image as the module it installs; settings it rejects are the message and the
        reconcile's error (upstream writes ``Validation error: …`` and returns the error)."""
        name, tag = name_of(mpo), str(deep_get(mpo, "spec.imageTag", ""))
        record = deploy.installed_module_from_files(name, tag, name_of(source), files, at=self.clock.now())
        try:
            deploy.validate_settings(name, self._settings(name), record.settings_schema)
        except deploy.SettingsInvalid as exc:
            self._write_status(mpo, messages.MPO_VALIDATION_ERROR_PREFIX + str(exc), always=True)
            raise ReconcileError(f"validation error: {exc}") from None
        return record

    def _settings(self, name: str) -> dict[str, Any]:
        try:
            config = self.kube.get(kinds.MODULE_CONFIG, name)
        except NotFound:
            return {}
        return dict(deep_get(config, "spec.settings", {}) or {})

    # -- the simulated Deckhouse -------------------------------------------------------------------

    def _install(self, name: str, record: InstalledModule) -> None:
        """Replace the running module with ``record``, remembering the release version it replaces."""
        with self._lock:
            previous = self.installed.get(name)
            if previous is not None and previous != self._dev.get(name):
                self._replaced[name] = previous
            self._dev[name] = record
            self.installed.install(record)
        self._touch_module(name, record)

    def _touch_module(self, name: str, record: InstalledModule) -> None:
        """The restart: ``properties.version`` becomes the tag, and the install simulation wakes.

        The install simulation reconciles on Module changes; the status write is forced (a new
        probe time) so it also happens when the tag, and so the properties, stay the same.
        """
        module = self.kube.get(kinds.MODULE, name)

        def mutate(obj: Obj) -> None:
            obj.setdefault("properties", {}).update(version=record.version, weight=record.weight)

        module = modulestatus.update_properties(self.kube, module, mutate)
        conditions.set_true(
            modulestatus.conditions_of(module), messages.CONDITION_IS_OVERRIDDEN, now=self.clock.now()
        )
        self.kube.update(kinds.MODULE, module, subresource="status")

    def _mark_overridden(self, module: Obj) -> None:
        now = self.clock.now()
        modulestatus.update_status(
            self.kube,
            module,
            lambda obj: conditions.set_true(
                modulestatus.conditions_of(obj), messages.CONDITION_IS_OVERRIDDEN, now=now
            ),
        )

    # -- status ------------------------------------------------------------------------------------

    def _write_status(
        self,
        mpo: Obj,
        message: str,
        *,
        digest: str | None = None,
        weight: int | None = None,
        always: bool = False,
    ) -> None:
        """Write message/imageDigest/weight when one changed; ``updatedAt`` stamps the write.

        ``always``: the errors of an attempt (``Download error``, ``Deploy error``, ``Validation
        error``) are written at every attempt, so ``updatedAt`` is the last one's time: upstream
        (``override/controller.go`` at 6e01cad3) writes them without comparing, while the messages
        of a module not ready for an override and ``Ready`` are written only when they change
        (goldens ``overrides/renew-deploy-fails``: five looks, five writes; ``module-not-found``,
        ``up-to-date``: one and none)."""
        current = mpo.get("status") or {}
        wanted: dict[str, Any] = {"message": message}
        if digest is not None:
            wanted["imageDigest"] = digest or None
        if weight is not None:
            wanted["weight"] = weight
        if not always and all(current.get(k) == v for k, v in wanted.items()):
            return
        wanted["updatedAt"] = stamp(self.clock.now())
        try:
            self.kube.patch(
                kinds.MODULE_PULL_OVERRIDE, name_of(mpo), {"status": wanted}, subresource="status"
            )
        except NotFound:
            pass

    # -- deletion ----------------------------------------------------------------------------------

    def _delete(self, mpo: Obj) -> Result:
        """Clear ``IsOverridden``, bring back the release version, then let the object go."""
        name = name_of(mpo)
        finalizers = list(deep_get(mpo, "metadata.finalizers") or [])
        if FINALIZER not in finalizers:
            return Result()
        self._restore(name, rollback=bool(deep_get(mpo, "spec.rollback")))
        try:
            module: Obj | None = self.kube.get(kinds.MODULE, name)
        except NotFound:
            module = None
        if module is not None:
            now = self.clock.now()
            modulestatus.update_status(
                self.kube,
                module,
                lambda obj: conditions.set_false(
                    modulestatus.conditions_of(obj), messages.CONDITION_IS_OVERRIDDEN, now=now
                ),
            )
        patch = [
            {
                "op": "replace",
                "path": "/metadata/finalizers",
                "value": [f for f in finalizers if f != FINALIZER],
            }
        ]
        try:
            self.kube.patch(kinds.MODULE_PULL_OVERRIDE, name, patch, patch_type=PatchType.JSON)
        except NotFound:
            pass
        self.log.info(LOGGER, "module pull override deleted", name=name)
        return Result()

    def _restore(self, name: str, *, rollback: bool) -> None:
        """The release version runs again after the restart; with none, ``rollback`` drops the dev copy."""
        with self._lock:
            ours = self._dev.pop(name, None)
            replaced = self._replaced.pop(name, None)
            if ours is None or self.installed.get(name) != ours:
                return  # something else (a release deploy) already replaced the dev image
            if replaced is not None:
                self.installed.install(dataclasses.replace(replaced, installed_at=self.clock.now()))
            elif rollback:
                self.installed.remove(name)
        if replaced is not None:
            self._restore_properties(name, replaced)

    def _restore_properties(self, name: str, record: InstalledModule) -> None:
        try:
            module = self.kube.get(kinds.MODULE, name)
        except NotFound:
            return

        def mutate(obj: Obj) -> None:
            obj.setdefault("properties", {}).update(version=record.version, weight=record.weight)

        modulestatus.update_properties(self.kube, module, mutate)
