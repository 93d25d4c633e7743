"""The install simulation: what Deckhouse's module manager reports about an installed module.

In DKP, after the release controller unpacks a module and restarts Deckhouse, addon-operator
runs the module's hooks and Helm, and the config controller mirrors its state into the Module
(``refreshModuleStatus``, docs/dkp-behaviour.md §3.3). Here that is a pure function of virtual time since
the deploy recorded in :class:`InstalledModules`:

=====================================  =========================================================
``t < installed_at + download``         unchanged (the source controller has set ``Downloading``)
``t < … + download + install``          ``Installing`` (coming from ``Downloading``), else
                                        ``Reconciling`` (an update of a running module); the
                                        properties of the installed version appear
``t ≥ … + download + install``          ``Ready`` (EnabledByModuleManager and IsReady True), or
                                        ``Error`` with ``HookError`` / ``ModuleError``
module switched off after loading      ``Downloaded`` with the kube_config extender's reason
=====================================  =========================================================

From Deckhouse v1.75 (``Behaviour.EDITION_AVAILABILITY`` / ``Behaviour.ENABLED_BY_BUNDLE``,
docs/dkp-eras.md) the edition extenders take part, judged from ``properties.accessibility``: a
module the cluster's edition does not offer is ``Unavailable`` and never runs, even with a
ModuleConfig; one the bundle enables runs without a ModuleConfig (unless a ModuleConfig turns it
off); one available but not bundled is switched off by ``EditionEnabled`` when nobody enables it.

It is level-based: every reconcile recomputes the state from the record and the clock and asks
for a requeue at the next boundary, so no timer of its own exists outside the manager.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from harness.api import kinds, sources
from harness.api import labels as lbl
from harness.api.phases import ConditionStatus, ModulePhase
from harness.dkp.controllers.base import ControllerBase, ControllerContext
from harness.dkp.controllers.editions import bundle_enabled, module_verdict
from harness.dkp.controllers.installed import InstalledModule
from harness.dkp.controllers.module_status import (
    condition,
    conditions_of,
    phase_of,
    update_properties,
    update_status,
)
from harness.dkp.rules import conditions, messages
from harness.dkp.rules.accessibility import Verdict
from harness.dkp.runtime.reconcile import Request, Result, Watch
from harness.kube.client import WatchEvent
from harness.kube.errors import NotFound
from harness.kube.objects import Obj, deep_get, labels_of, name_of

__all__ = ["LifecycleController", "hooks_state"]

LOGGER = "d8-module-lifecycle"
_KEEP_PHASE_WHEN_OFF = frozenset({ModulePhase.AVAILABLE, ModulePhase.UNAVAILABLE})


def hooks_state(record: InstalledModule) -> str:
    """addon-operator's hook summary: ``<version>/<hook>: ok|<error>``, sorted, one per line."""
    lines = [f"{record.version}/{hook}: {record.hook_errors.get(hook) or 'ok'}" for hook in record.hooks]
    return "\n".join(sorted(lines))


def _first_hook_error(record: InstalledModule) -> str:
    failing = sorted(h for h in record.hooks if record.hook_errors.get(h))
    return record.hook_errors[failing[0]] if failing else ""


def _module_of_release(event: WatchEvent) -> list[Request]:
    name = labels_of(event.object).get(lbl.MODULE) or deep_get(event.object, "spec.moduleName")
    return [Request(str(name))] if name else []


def _same_name(event: WatchEvent) -> list[Request]:
    return [Request(name_of(event.object))]


class LifecycleController(ControllerBase):
    """Moves enabled, installed Modules through Installing to Ready or Error; see the module docstring."""

    name = LOGGER
    resource = kinds.MODULE

    def __init__(self, ctx: ControllerContext) -> None:
        super().__init__(ctx)
        # A deploy writes InstalledModules and touches the release; an MC flip changes enablement.
        self.watches: tuple[Watch, ...] = (
            Watch(kinds.MODULE_RELEASE, map=_module_of_release),
            Watch(kinds.MODULE_CONFIG, map=_same_name),
        )

    def reconcile(self, request: Request) -> Result:
        try:
            module = self.kube.get(kinds.MODULE, request.name)
        except NotFound:
            return Result()
        if deep_get(module, "metadata.deletionTimestamp"):
            return Result()
        judged = self._verdict(module)
        if judged is Verdict.UNAVAILABLE:
            self._unavailable(module)
            return Result()
        record = self.installed.get(request.name)
        if record is None:
            return Result()  # not downloaded: phases belong to the source and config controllers
        if not self._enabled(module, judged):
            if self._loaded(module, record):
                self._switched_off(module, judged)
            return Result()
        return self._installing(module, record)

    def _verdict(self, module: Obj) -> Verdict:
        """The edition extenders' answer; ``NOT_JUDGED`` before Deckhouse v1.75."""
        return module_verdict(module, self.settings)

    def _enabled(self, module: Obj, judged: Verdict) -> bool:
        """Enabled by its ModuleConfig, or (Deckhouse v1.75 and later, ``Behaviour.ENABLED_BY_BUNDLE``)
        by the cluster's bundle when no ModuleConfig turned it off."""
        by_config = condition(module, messages.CONDITION_ENABLED_BY_MODULE_CONFIG)
        if by_config == ConditionStatus.TRUE:
            return True
        return bundle_enabled(module, self.settings) and not self._config_disables(module)

    def _config(self, module: Obj) -> Obj | None:
        try:
            return self.kube.get(kinds.MODULE_CONFIG, name_of(module))
        except NotFound:
            return None

    def _config_exists(self, module: Obj) -> bool:
        return self._config(module) is not None

    def _config_disables(self, module: Obj) -> bool:
        """A ModuleConfig exists and says ``enabled: false``."""
        config = self._config(module)
        return config is not None and deep_get(config, "spec.enabled") is False

    def _unavailable(self, module: Obj) -> None:
        """``EditionAvailable`` turned the module off: phase ``Unavailable``, not ready, never run."""
        now = self.clock.now()
        text = messages.unavailable_in_edition(self.settings.edition)
        reason = messages.REASON_EDITION_AVAILABLE

        def mutate(m: Obj) -> None:
            m.setdefault("status", {})["phase"] = ModulePhase.UNAVAILABLE.value
            conds = conditions_of(m)
            manager = messages.CONDITION_ENABLED_BY_MODULE_MANAGER
            conditions.set_false(conds, manager, now=now, reason=reason, message=text)
            conditions.set_false(conds, messages.CONDITION_IS_READY, now=now, reason=reason, message=text)

        update_status(self.kube, module, mutate)

    def _loaded(self, module: Obj, record: InstalledModule) -> bool:
        """Whether the module manager ever picked the module up, so that it can turn it off.

        A module back in ``Available``/``Unavailable`` (the config controller's ``disableModule``
        of a Downloading or Conflict module, §4.3 step 4) or switched off before its download
        finished was never loaded: the extender's verdict is not written over its ``NotInstalled``.
        """
        if phase_of(module) in _KEEP_PHASE_WHEN_OFF:
            return False
        return self.clock.now() >= record.installed_at + self.settings.download_duration

    # -- enabled -----------------------------------------------------------------------------------

    def _installing(self, module: Obj, record: InstalledModule) -> Result:
        now = self.clock.now()
        started = record.installed_at + self.settings.download_duration
        finished = started + self.settings.install_duration
        if now < started:
            return Result(requeue_after=started - now)
        module = update_properties(self.kube, module, lambda m: _apply_record(m, record))
        if now < finished:
            update_status(self.kube, module, lambda m: _starting(m, now))
            return Result(requeue_after=finished - now)
        update_status(self.kube, module, lambda m: _finished(m, record, now))
        return Result()

    # -- disabled ----------------------------------------------------------------------------------

    def _switched_off(self, module: Obj, judged: Verdict = Verdict.NOT_JUDGED) -> None:
        """§3.3 'enabled module manager says disabled': kube_config extender, or static when no MC;
        from Deckhouse v1.75 the EditionEnabled extender when no ModuleConfig enables an available,
        unbundled module."""
        if judged is Verdict.NOT_IN_BUNDLE and not self._config_exists(module):
            reason = messages.REASON_EDITION_ENABLED
            message = messages.disabled_in_edition(self.settings.edition)
        elif condition(module, messages.CONDITION_ENABLED_BY_MODULE_CONFIG) == ConditionStatus.FALSE:
            reason, message = messages.REASON_MODULE_CONFIG, messages.MSG_MODULE_CONFIG
        else:
            reason, message = messages.REASON_DISABLED, messages.MSG_DISABLED
        now = self.clock.now()

        def mutate(m: Obj) -> None:
            status = m.setdefault("status", {})
            status["hooksState"] = ""
            if phase_of(m) not in _KEEP_PHASE_WHEN_OFF:
                status["phase"] = "Downloaded"
            conds = conditions_of(m)
            conditions.set_false(
                conds, messages.CONDITION_ENABLED_BY_MODULE_MANAGER, now=now, reason=reason, message=message
            )
            conditions.set_false(conds, messages.CONDITION_IS_READY, now=now, reason=reason, message=message)

        update_status(self.kube, module, mutate)


def _apply_record(module: Obj, record: InstalledModule) -> None:
    """The installed version's properties (the page shows WEIGHT from ``Installing`` on)."""
    properties: dict[str, Any] = module.setdefault("properties", {})
    properties["version"] = record.version
    properties["weight"] = record.weight
    if record.source and properties.get("source") in (None, "", sources.EMBEDDED):
        properties["source"] = record.source  # a chosen source is the config controller's (§7)
    if record.requirements:
        properties["requirements"] = dict(record.requirements)


def _starting(module: Obj, now: datetime) -> None:
    """addon-operator phase ``Startup``: Installing when coming from Downloading, else Reconciling."""
    status = module.setdefault("status", {})
    conds = conditions_of(module)
    if phase_of(module) in (ModulePhase.DOWNLOADING, ModulePhase.INSTALLING):
        status["phase"] = ModulePhase.INSTALLING.value
        reason, message = messages.REASON_INSTALLING, messages.MSG_INSTALLING
    else:
        status["phase"] = ModulePhase.RECONCILING.value
        reason, message = messages.REASON_RECONCILING, messages.MSG_RECONCILING
    conditions.set_false(conds, messages.CONDITION_IS_READY, now=now, reason=reason, message=message)
    if conditions.find(conds, messages.CONDITION_IS_OVERRIDDEN) is None:
        conditions.set_false(conds, messages.CONDITION_IS_OVERRIDDEN, now=now)


def _finished(module: Obj, record: InstalledModule, now: datetime) -> None:
    """The module manager runs it: hooks' verdict decides Ready or Error."""
    status = module.setdefault("status", {})
    conds = conditions_of(module)
    conditions.set_true(conds, messages.CONDITION_ENABLED_BY_MODULE_MANAGER, now=now)
    if conditions.find(conds, messages.CONDITION_IS_OVERRIDDEN) is None:
        conditions.set_false(conds, messages.CONDITION_IS_OVERRIDDEN, now=now)
    status["hooksState"] = hooks_state(record)
    hook_error = _first_hook_error(record)
    if hook_error or record.module_error:
        status["phase"] = ModulePhase.ERROR.value
        reason = messages.REASON_HOOK_ERROR if hook_error else messages.REASON_MODULE_ERROR
        text = hook_error or record.module_error
        conditions.set_false(conds, messages.CONDITION_IS_READY, now=now, reason=reason, message=text)
        return
    status["phase"] = ModulePhase.READY.value
    conditions.set_true(conds, messages.CONDITION_IS_READY, now=now)
