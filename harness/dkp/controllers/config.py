"""The config controller (``d8-module-config-controller``): ModuleConfig → Module (docs/dkp-behaviour.md §4).

A ModuleConfig named like a module switches it on or off, picks its source and binds its update
policy. The controller writes what DKP writes: the MC's ``status`` (schema version, validation
error, unknown module), its ``module-registered`` finalizer, and on the Module the
``EnabledByModuleConfig`` condition, ``properties.source`` / ``properties.updatePolicy``, the
Conflict phase, and on disable the ``disableModule`` status. Pending releases of a module that is
switched off are deleted. The install simulation (``lifecycle``) takes over from there.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from harness import eras
from harness.api import annotations as ann
from harness.api import finalizers as fin
from harness.api import kinds, sources
from harness.api import labels as lbl
from harness.api.phases import ConditionStatus, ModulePhase, ReleasePhase
from harness.dkp.controllers import documentation
from harness.dkp.controllers.base import ControllerBase, ControllerContext
from harness.dkp.controllers.editions import bundle_enabled
from harness.dkp.controllers.module_status import (
    condition,
    conditions_of,
    phase_of,
    update_properties,
    update_status,
)
from harness.dkp.rules import conditions, messages
from harness.dkp.rules.configvalues import config_status
from harness.dkp.runtime import predicates
from harness.dkp.runtime.reconcile import Request, Result, Watch
from harness.kube.client import EventType, WatchEvent
from harness.kube.errors import NotFound
from harness.kube.objects import Obj, annotations_of, deep_get, name_of

__all__ = ["ConfigController"]

LOGGER = "d8-module-config-controller"
UNKNOWN_MODULE_REQUEUE = timedelta(minutes=3)  # §4.2 moduleNotFoundInterval
SYSTEM_CONFIGS = frozenset({"deckhouse", "global"})
EMBEDDED_SOURCE = sources.EMBEDDED
OLD_FINALIZER = fin.MODULE_CONFIG_LEGACY  # removed by the controller
_NOT_INSTALLED_PHASES = frozenset(
    {ModulePhase.CONFLICT, ModulePhase.DOWNLOADING, ModulePhase.DOWNLOADING_ERROR}
)


class _ModuleEvents:
    """Which Module events wake the ModuleConfig of the same name.

    §4.3: every *create*. Besides, DKP refreshes a ModuleConfig's status on the module manager's
    events, so a config written before its module was downloaded is validated once the module is
    installed: here, when ``properties.version`` (the installed version) changes. The manager hands
    over only the new object, so the last seen version is remembered per Module.
    """

    def __init__(self) -> None:
        self._versions: dict[str, str] = {}
        self._lock = threading.Lock()  # mappers run on the writer's thread

    def __call__(self, event: WatchEvent) -> list[Request]:
        name = name_of(event.object)
        # The accessibility (Deckhouse v1.75 and later) decides whether a bundle enables it.
        version = f"{deep_get(event.object, 'properties.version', '') or ''}|"
        version += repr(deep_get(event.object, "properties.accessibility"))
        with self._lock:
            if event.type == EventType.DELETED:
                self._versions.pop(name, None)
                return []
            before = self._versions.get(name)
            self._versions[name] = version
        if event.type == EventType.ADDED or (before is not None and before != version):
            return [Request(name)]
        return []


class ConfigController(ControllerBase):
    """Reconciles ModuleConfigs; see the module docstring."""

    name = LOGGER
    resource = kinds.MODULE_CONFIG
    predicate = staticmethod(predicates.generation_or_annotations_changed)  # §4.3 event filter

    def __init__(self, ctx: ControllerContext) -> None:
        super().__init__(ctx)
        self.watches: tuple[Watch, ...] = (
            Watch(kinds.MODULE, map=_ModuleEvents(), types=frozenset({"ADDED", "MODIFIED", "DELETED"})),
        )

    def reconcile(self, request: Request) -> Result:
        try:
            config = self.kube.get(kinds.MODULE_CONFIG, request.name)
        except NotFound:
            self._no_config(request.name)
            return Result()
        if deep_get(config, "metadata.deletionTimestamp"):
            return self._delete(config)
        return self._handle(config)

    # -- no ModuleConfig ----------------------------------------------------------------------------

    def _no_config(self, name: str) -> None:
        """A module nobody configured is disabled by the kube_config extender: say so once.

        Inferred from the page, which shows a freshly discovered module with
        ``EnabledByModuleConfig`` False ``Disabled``/``disabled`` (docs/dkp-behaviour.md does not name
        the writer). Only a Module without the condition gets it: one whose ModuleConfig was
        deleted keeps the ``Unknown`` that §4.3 deletion wrote.
        """
        try:
            module = self.kube.get(kinds.MODULE, name)
        except NotFound:
            return
        if bundle_enabled(module, self.settings):
            self._no_opinion(module)
            return
        if condition(module, messages.CONDITION_ENABLED_BY_MODULE_CONFIG) is not None:
            return
        now = self.clock.now()

        def mutate(m: Obj) -> None:
            conds = conditions_of(m)
            conditions.set_false(
                conds,
                messages.CONDITION_ENABLED_BY_MODULE_CONFIG,
                now=now,
                reason=messages.REASON_DISABLED,
                message=messages.MSG_DISABLED,
            )
            conds.insert(0, conds.pop())  # the page lists it first, as DKP's module manager writes it

        update_status(self.kube, module, mutate)

    def _no_opinion(self, module: Obj) -> None:
        """Deckhouse v1.75 and later: a module its bundle enables is not "disabled" for want of a
        ModuleConfig, so the ``Disabled`` verdict written before its accessibility was known is
        withdrawn (absent means "no ModuleConfig", as the source controller reads it)."""
        current = deep_get(module, "status.conditions", []) or []
        found = conditions.find(current, messages.CONDITION_ENABLED_BY_MODULE_CONFIG)
        if found is None or found.get("reason") != messages.REASON_DISABLED:
            return

        def mutate(m: Obj) -> None:
            conds = conditions_of(m)
            conds[:] = [c for c in conds if c.get("type") != messages.CONDITION_ENABLED_BY_MODULE_CONFIG]

        update_status(self.kube, module, mutate)

    # -- live ModuleConfig -------------------------------------------------------------------------

    def _handle(self, config: Obj) -> Result:
        name = name_of(config)
        config = self._drop_finalizer(config, OLD_FINALIZER)
        if name in SYSTEM_CONFIGS:
            self._refresh_status(config, unknown=False)
            return Result()  # `deckhouse` carries the embedded update policy; nothing to enable
        try:
            module = self.kube.get(kinds.MODULE, name)
        except NotFound:
            self._refresh_status(config, unknown=True)  # §4.3 step 2
            self.log.warning(LOGGER, "module not found", name=name)
            # Repeats identically until a Module of that name appears (a watched create).
            return Result(requeue_after=UNKNOWN_MODULE_REQUEUE, idle=True)
        config = self._refresh_status(config, unknown=False)
        config = self._add_finalizer(config)  # §4.3 step 3
        if deep_get(config, "spec.enabled") is not True:
            self._disable(config, module)
            return Result()
        self._enable(config, module)
        return Result()

    def _refresh_status(self, config: Obj, *, unknown: bool) -> Obj:
        """§4.2: ``status.version`` / ``status.message`` from the installed module's schema."""
        record = self.installed.get(name_of(config))
        schema = record.settings_schema if record is not None else None
        wanted = config_status(name_of(config), config.get("spec") or {}, schema)
        message = messages.MC_UNKNOWN_MODULE if unknown else wanted.message
        status = config.get("status") or {}
        if status.get("version") == wanted.version and status.get("message") == message:
            return config
        config = {**config, "status": {**status, "version": wanted.version, "message": message}}
        return self.kube.update(kinds.MODULE_CONFIG, config, subresource="status")

    def _enable(self, config: Obj, module: Obj) -> None:
        """§4.3 steps 5-8."""
        now = self.clock.now()
        if condition(module, messages.CONDITION_ENABLED_BY_MODULE_CONFIG) != ConditionStatus.TRUE:
            module = update_status(
                self.kube,
                module,
                lambda m: conditions.set_true(
                    conditions_of(m), messages.CONDITION_ENABLED_BY_MODULE_CONFIG, now=now
                ),
            )
            self.log.info(LOGGER, "module enabled by module config", name=name_of(module))
        if self._documentation_follows_config:
            # restore what a disable removed
            documentation.ensure_for_deployed(self.kube, module, self.settings.behaviours)
        if deep_get(module, "properties.source") == EMBEDDED_SOURCE:
            return
        policy = str(deep_get(config, "spec.updatePolicy", "") or "")
        wanted_source = str(deep_get(config, "spec.source", "") or "")
        if wanted_source and deep_get(module, "properties.source") != wanted_source:
            module = self._change_source(module, wanted_source, policy)  # step 6
        if not deep_get(module, "properties.source"):
            available = list(deep_get(module, "properties.availableSources", []) or [])
            if len(available) == 1:
                module = self._change_source(module, available[0], policy)  # step 7
            elif len(available) > 1:
                module = self._set_conflict(module)  # §3.4
        update_properties(self.kube, module, lambda m: _set_property(m, "updatePolicy", policy))  # step 8

    def _change_source(self, module: Obj, source: str, policy: str) -> Obj:
        self.log.info(LOGGER, "set new source to the module", module=name_of(module), moduleSource=source)

        def mutate(m: Obj) -> None:
            _set_property(m, "source", source)
            _set_property(m, "updatePolicy", policy)

        return update_properties(self.kube, module, mutate)

    def _set_conflict(self, module: Obj) -> Obj:
        now = self.clock.now()
        self.log.warning(LOGGER, "module at conflict: several available sources", module=name_of(module))

        def mutate(m: Obj) -> None:
            m.setdefault("status", {})["phase"] = ModulePhase.CONFLICT.value
            conds = conditions_of(m)
            conditions.set_not_managed(
                conds, now=now, reason=messages.REASON_CONFLICT, message=messages.MSG_CONFLICT
            )

        return update_status(self.kube, module, mutate)

    def _disable(self, config: Obj, module: Obj) -> None:
        """§4.3 step 4: drop Pending releases (only if it was enabled), ``disableModule``."""
        if condition(module, messages.CONDITION_ENABLED_BY_MODULE_CONFIG) == ConditionStatus.TRUE:
            self._delete_pending_releases(name_of(module))
        if self._documentation_follows_config:
            # A disable in the config beats a bundle that would enable the module: it stops.
            documentation.delete_documentation(self.kube, name_of(module))
        self._disable_module(module)
        self._drop_annotation(config, ann.ALLOW_DISABLING)

    def _delete_pending_releases(self, module: str) -> None:
        releases = self.kube.list(kinds.MODULE_RELEASE, label_selector=f"{lbl.MODULE}={module}")
        for release in releases:
            if deep_get(release, "status.phase") == ReleasePhase.PENDING:
                try:
                    self.kube.delete(kinds.MODULE_RELEASE, name_of(release))
                except NotFound:
                    continue
                self.log.info(
                    LOGGER, "deleted pending release of a disabled module", release=name_of(release)
                )

    def _disable_module(self, module: Obj) -> Obj:
        """§3.3 ``disableModule``: a no-op when EnabledByModuleConfig is already False."""
        if condition(module, messages.CONDITION_ENABLED_BY_MODULE_CONFIG) == ConditionStatus.FALSE:
            return module
        now = self.clock.now()

        def mutate(m: Obj) -> None:
            conds = conditions_of(m)
            if phase_of(m) in _NOT_INSTALLED_PHASES:
                m["status"]["phase"] = ModulePhase.AVAILABLE.value
                conditions.set_not_managed(
                    conds, now=now, reason=messages.REASON_NOT_INSTALLED, message=messages.MSG_NOT_INSTALLED
                )
            elif not bundle_enabled(m, self.settings):  # before v1.75 no external module is bundled
                conditions.set_false(
                    conds,
                    messages.CONDITION_IS_READY,
                    now=now,
                    reason=messages.REASON_DISABLED,
                    message=messages.MSG_DISABLED,
                )
            conditions.set_false(conds, messages.CONDITION_ENABLED_BY_MODULE_CONFIG, now=now)
            conditions.set_unknown(conds, messages.CONDITION_LAST_RELEASE_DEPLOYED, now=now)

        self.log.info(LOGGER, "disable the module", name=name_of(module))
        return update_status(self.kube, module, mutate)

    # -- deletion ----------------------------------------------------------------------------------

    def _delete(self, config: Obj) -> Result:
        """§4.3 deletion: disable, forget source and policy, EnabledByModuleConfig Unknown."""
        name = name_of(config)
        try:
            module = self.kube.get(kinds.MODULE, name)
        except NotFound:
            self._release(config)
            return Result()
        if name in SYSTEM_CONFIGS:
            return Result()
        module = self._disable_module(module)
        keeps_source = bundle_enabled(module, self.settings)  # Deckhouse v1.75 and later
        if self._documentation_follows_config and not keeps_source:
            # Without a config the bundle decides: a module it enables runs on, documented.
            documentation.delete_documentation(self.kube, name)
        if deep_get(module, "properties.source") != EMBEDDED_SOURCE and not keeps_source:

            def forget(m: Obj) -> None:
                _set_property(m, "updatePolicy", "")
                _set_property(m, "source", "")

            module = update_properties(self.kube, module, forget)
        now = self.clock.now()
        update_status(
            self.kube,
            module,
            lambda m: conditions.set_unknown(
                conditions_of(m), messages.CONDITION_ENABLED_BY_MODULE_CONFIG, now=now
            ),
        )
        self._release(config)
        return Result()

    @property
    def _documentation_follows_config(self) -> bool:
        """Deckhouse v1.77 and later (PR #20434): the config drops and restores the documentation."""
        return eras.Behaviour.DOCUMENTATION_FOLLOWS_CONFIG in self.settings.behaviours

    def _release(self, config: Obj) -> None:
        """Drop the finalizer and the allow-disabling annotation in one write."""
        meta = config.get("metadata") or {}
        finalizers = [f for f in meta.get("finalizers") or [] if f != fin.MODULE_REGISTERED]
        annotations = {k: v for k, v in annotations_of(config).items() if k != ann.ALLOW_DISABLING}
        if finalizers == (meta.get("finalizers") or []) and annotations == annotations_of(config):
            return
        self.kube.update(
            kinds.MODULE_CONFIG, _with_meta(config, finalizers=finalizers, annotations=annotations)
        )

    # -- metadata helpers --------------------------------------------------------------------------

    def _add_finalizer(self, config: Obj) -> Obj:
        finalizers = list(deep_get(config, "metadata.finalizers", []) or [])
        if fin.MODULE_REGISTERED in finalizers:
            return config
        return self.kube.update(
            kinds.MODULE_CONFIG, _with_meta(config, finalizers=[*finalizers, fin.MODULE_REGISTERED])
        )

    def _drop_finalizer(self, config: Obj, finalizer: str) -> Obj:
        finalizers = list(deep_get(config, "metadata.finalizers", []) or [])
        if finalizer not in finalizers:
            return config
        return self.kube.update(
            kinds.MODULE_CONFIG, _with_meta(config, finalizers=[f for f in finalizers if f != finalizer])
        )

    def _drop_annotation(self, config: Obj, key: str) -> None:
        annotations = annotations_of(config)
        if key not in annotations:
            return
        annotations.pop(key)
        latest = self.kube.get(kinds.MODULE_CONFIG, name_of(config))
        self.kube.update(kinds.MODULE_CONFIG, _with_meta(latest, annotations=annotations))


def _set_property(module: Obj, key: str, value: Any) -> None:
    """Set ``properties.<key>``; an empty value removes it (Go's ``omitempty``)."""
    properties = module.setdefault("properties", {})
    if value:
        properties[key] = value
    else:
        properties.pop(key, None)


def _with_meta(obj: Obj, **fields: Any) -> Obj:
    return {**obj, "metadata": {**(obj.get("metadata") or {}), **fields}}
