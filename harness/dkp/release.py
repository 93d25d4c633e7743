"""The release controller (``d8-module-release-controller``): Pending → Deployed, and after.

dkp-behaviour §5.3 to §5.10 and §6. A new release becomes Pending; a Pending release goes through
the pipeline of §5.4 in its exact order (pull override, policy, approval mirror, task calculator,
force, skip/await, module readiness, requirements, deploy-time checks) and is deployed when all
pass (§5.8); a Deployed release keeps its bookkeeping and prunes outdated releases. The rules are
the pure modules (``taskcalc``, ``requirements``, ``deploytime``); this module reads and writes.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from harness.dkp import conditions as conds
from harness.dkp import deploy, kinds, messages, modulestatus, policy, policy_lookup, predicates
from harness.dkp.context import ControllerBase, ControllerContext
from harness.dkp.deploytime import check_deploy_time, is_approved, parse_go_bool
from harness.dkp.parking import Parked, Parking, fingerprint
from harness.dkp.reconcile import Request, Result, Watch
from harness.dkp.requirements import ReleaseRequirements, check_release_requirements, pending_message
from harness.dkp.source_registry import open_source_reader
from harness.dkp.taskcalc import ReleaseAlreadyDeployedError, ReleaseView, Task, TaskKind, calculate_task
from harness.dkp.versions import parse_version
from harness.kube.client import WatchEvent
from harness.kube.errors import NotFound
from harness.kube.objects import Obj, annotations_of, deep_get, labels_of, name_of
from harness.registry.errors import RegistryError

__all__ = ["ReleaseController"]

LOGGER = "d8-module-release-controller"
CHECK_INTERVAL = timedelta(seconds=15)  # defaultCheckInterval (§5.3)
IGNORE_INTERVAL = timedelta(seconds=60)  # §5.4 step 2
KEEP_OUTDATED = 3  # §5.8: outdated releases kept per source+module
OUTDATED_PHASES = ("Superseded", "Suspended", "Skipped")
_NOW = timedelta(0)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(text: Any) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(str(text).replace("Z", "+00:00"))


def _is_forced(release: Obj) -> bool:
    ann = annotations_of(release)
    return (kinds.ANN_FORCE in ann and parse_go_bool(ann[kinds.ANN_FORCE]) is True) or (
        parse_go_bool(ann.get(kinds.ANN_FORCE_LEGACY, "")) is True
    )


def _on_check_grid(now: datetime, instant: datetime) -> timedelta:
    """The first 15 s check strictly after ``instant``, counted from ``now`` (§5.3 interval)."""
    steps = (instant - now) // CHECK_INTERVAL + 1
    return CHECK_INTERVAL * max(steps, 1)


def _timed_wait(found: policy.UpdatePolicy, release: Obj, now: datetime) -> timedelta:
    """When a release waiting on time (window, canary) should be looked at again.

    DKP re-checks every 15 s; nothing it shows can change before the next window opens, the
    canary time passes (a window is open only strictly after its ``from``) or the UTC date changes
    (the "until" time is searched from the day after the check, §6.3), so the simulator jumps
    straight to the first 15 s check after that instant. The checks stay on the same 15 s grid,
    so the deploy happens at the very reconcile DKP's polling would deploy at. An edit of the
    policy (a MUP, or the ``deckhouse`` ModuleConfig for the embedded one) makes such a release
    be looked at on its next check instead (see ``parking.py``).
    """
    instants = [
        start
        for window in found.windows
        for day in range(8)
        for start in [window.bounds_on(now + timedelta(days=day))[0]]
        if start >= now and window.allows_day(start)
    ]
    apply_after = _parse_time(deep_get(release, "spec.applyAfter"))
    if apply_after is not None and apply_after > now:
        instants.append(apply_after - CHECK_INTERVAL + timedelta(microseconds=1))
    if found.windows:
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        instants.append(midnight - timedelta(microseconds=1))  # a check at 00:00:00 sees the new day
    if not instants:
        return CHECK_INTERVAL
    return _on_check_grid(now, min(instants))


def _view(release: Obj) -> ReleaseView:
    spans = [
        (str(v.get("from", "")), str(v.get("to", "")))
        for v in deep_get(release, "spec.update.versions") or []
    ]
    return ReleaseView.of(
        name_of(release),
        str(deep_get(release, "spec.version", "0.0.0")),
        str(deep_get(release, "status.phase", "") or ""),
        str(deep_get(release, "status.message", "") or ""),
        force=_is_forced(release),
        update_versions=spans,
    )


class ReleaseController(ControllerBase):
    """Reconciles ModuleReleases; see the module docstring."""

    name = LOGGER
    resource = kinds.MODULE_RELEASE
    predicate = staticmethod(predicates.generation_or_annotations_changed)

    def __init__(self, ctx: ControllerContext) -> None:
        super().__init__(ctx)
        self.parking = Parking()
        """Waiting releases looked at only when something they depend on changes (parking.py)."""
        # Everything a waiting release's outcome reads besides itself, time and the registry.
        self.watches: tuple[Watch, ...] = tuple(
            Watch(resource, map=self._poke)
            for resource in (
                kinds.MODULE,
                kinds.MODULE_UPDATE_POLICY,
                kinds.MODULE_CONFIG,
                kinds.MODULE_PULL_OVERRIDE,
                kinds.MODULE_RELEASE,
            )
        )

    def _poke(self, event: WatchEvent) -> list[Request]:
        """Any change of a dependency: parked releases get looked at on their next check.

        A parked release's own changes count too: DKP's filter ignores e.g. a new label, but its
        next 15 s check reads it. (Its own writes happen while it is not parked.)
        """
        return [Request(name) for name in self.parking.poke()]

    # -- entry (§5.3) ----------------------------------------------------------------------------

    def reconcile(self, request: Request) -> Result:
        try:
            release = self.kube.get(kinds.MODULE_RELEASE, request.name)
        except NotFound:
            self.parking.unpark(request.name)
            return Result()
        parked = self.parking.get(request.name)
        if parked is not None and parked.fingerprint == fingerprint(release):
            later = self._while_parked(parked)
            if later is not None:
                return later
        self.parking.unpark(request.name)
        if deep_get(release, "metadata.deletionTimestamp"):
            return self._delete(release)
        phase = deep_get(release, "status.phase") or ""
        if not phase:  # §5.3 step 3
            self._set_status(release, "Pending", "")
            return Result(requeue_after=_NOW)
        module = str(deep_get(release, "spec.moduleName", ""))
        if labels_of(release).get(kinds.LABEL_MODULE) != module:  # step 4
            release = self._patch_meta(release, labels={kinds.LABEL_MODULE: module})
        if phase in OUTDATED_PHASES:  # step 5
            self._patch_meta(release, labels={kinds.LABEL_STATUS: phase.lower()})
            return Result()
        if phase == "Deployed":
            return self._handle_deployed(release)
        if phase == "Pending":
            return self._handle_pending(release)
        return Result()

    # -- parking (see parking.py) ----------------------------------------------------------------

    def _while_parked(self, parked: Parked) -> Result | None:
        """The answer for a parked release woken by no change of its own; None: look now."""
        now = self.clock.now()
        if parked.poked:
            check = parked.next_check(now)
        elif parked.deadline is not None and parked.deadline > now:
            check = parked.deadline  # e.g. woken by its own write at the parking instant
        elif parked.deadline is None:
            return Result()
        else:
            check = now
        return Result(requeue_after=check - now) if check > now else None

    def _park(
        self, release: Obj, *, interval: timedelta = CHECK_INTERVAL, wait: timedelta | None = None
    ) -> Result:
        """Wait for a watched change (or ``wait``, a timed check on the grid) instead of polling."""
        try:
            latest = self.kube.get(kinds.MODULE_RELEASE, name_of(release))
        except NotFound:
            return Result()
        now = self.clock.now()
        deadline = now + wait if wait is not None else None
        self.parking.park(name_of(release), Parked(now, interval, fingerprint(latest), deadline))
        return Result(requeue_after=wait)

    # -- writes ----------------------------------------------------------------------------------

    def _set_status(self, release: Obj, phase: str, message: str, **extra: Any) -> Obj:
        """``updateReleaseStatus``: ``transitionTime`` moves only when the phase changes (§5.4)."""
        status: dict[str, Any] = {"phase": phase, "message": message, **extra}
        if deep_get(release, "status.phase") != phase:
            status["transitionTime"] = _stamp(self.clock.now())
        current = release.get("status") or {}
        if all(current.get(k) == v for k, v in status.items()):
            return release
        return self.kube.patch(
            kinds.MODULE_RELEASE, name_of(release), {"status": status}, subresource="status"
        )

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
        current_labels, current_ann = labels_of(release), annotations_of(release)
        if labels and any(current_labels.get(k) != v for k, v in labels.items()):
            meta["labels"] = labels
        if annotations and any(current_ann.get(k) != v for k, v in annotations.items()):
            meta["annotations"] = annotations
        if finalizers is not None and finalizers != list(deep_get(release, "metadata.finalizers") or []):
            meta["finalizers"] = finalizers
        if not meta:
            return release
        return self.kube.patch(kinds.MODULE_RELEASE, name_of(release), {"metadata": meta})

    def _module(self, name: str) -> Obj | None:
        try:
            return self.kube.get(kinds.MODULE, name)
        except NotFound:
            return None

    def _set_module_condition(self, module_name: str, status: str, reason: str = "", text: str = "") -> None:
        module = self._module(module_name)
        if module is None:
            return
        now = self.clock.now()

        def mutate(obj: Obj) -> None:
            conds.set_condition(
                modulestatus.conditions_of(obj),
                messages.CONDITION_LAST_RELEASE_DEPLOYED,
                status,
                now=now,
                reason=reason,
                message=text,
            )

        modulestatus.update_status(self.kube, module, mutate)

    def _block(
        self, release: Obj, message: str, condition: tuple[str, str], wait: timedelta | None = None
    ) -> Result:
        """Stay Pending with ``message``; LastReleaseDeployed False pointing at this release."""
        self._set_status(release, "Pending", message)
        version = str(deep_get(release, "spec.version", ""))
        text = messages.last_release_deployed_false(condition[1], version)
        self._set_module_condition(str(deep_get(release, "spec.moduleName")), "False", condition[0], text)
        return self._park(release, wait=wait)

    # -- Pending (§5.4) --------------------------------------------------------------------------

    def _handle_pending(self, release: Obj) -> Result:
        module_name = str(deep_get(release, "spec.moduleName"))
        if self._exists(kinds.MODULE_PULL_OVERRIDE, module_name):  # step 1
            return self._park(release)
        resolved = self._policy(release, module_name)  # step 2
        if isinstance(resolved, Result):
            return resolved
        release, found = resolved
        if found.mode is policy.UpdateMode.MANUAL:  # step 3
            approved = is_approved(annotations_of(release))
            if deep_get(release, "status.approved") != approved:
                release = self.kube.patch(
                    kinds.MODULE_RELEASE,
                    name_of(release),
                    {"status": {"approved": approved}},
                    subresource="status",
                )
        releases = [
            r for r in self.kube.list(kinds.MODULE_RELEASE) if deep_get(r, "spec.moduleName") == module_name
        ]
        try:
            task = calculate_task(
                _view(release), [_view(r) for r in releases], release_channel=found.release_channel
            )
        except ReleaseAlreadyDeployedError as exc:
            self.log.error(LOGGER, "calculate task", release=name_of(release), error=str(exc))
            return self._park(release)
        if _is_forced(release):  # step 5
            return self._deploy(release, task)
        if task.kind is TaskKind.SKIP:  # step 6
            self._set_status(release, "Skipped", task.message)
            self._patch_meta(release, labels={kinds.LABEL_STATUS: "skipped"})
            return Result()
        if task.kind is TaskKind.AWAIT:
            self._set_status(release, "Pending", task.message)
            return self._park(release)
        return self._checks_then_deploy(release, task, found)

    def _checks_then_deploy(self, release: Obj, task: Task, found: policy.UpdatePolicy) -> Result:
        module_name = str(deep_get(release, "spec.moduleName"))
        module = self._module(module_name)
        if (
            not task.is_single and not task.is_patch and modulestatus.phase_of(module or {}) != "Ready"
        ):  # step 7
            text = (
                messages.awaiting_module_ready(str(task.deployed.version))
                if task.deployed
                else messages.AWAITING_MODULE_READY
            )
            return self._block(release, text, messages.CONDITION_NOT_READY)
        unmet = self._requirements(release, module_name)  # step 8
        if unmet:
            return self._block(release, unmet, messages.CONDITION_REQUIREMENTS)
        now = self.clock.now()
        annotations = annotations_of(release)
        decision = check_deploy_time(  # step 9
            now=now,
            mode=found.mode,
            windows=found.windows,
            is_patch=task.is_patch,
            apply_now=parse_go_bool(annotations.get(kinds.ANN_APPLY_NOW, "")) is True,
            approved=is_approved(annotations),
            apply_after=_parse_time(deep_get(release, "spec.applyAfter")),
        )
        if not decision.deploy:
            waiting: dict[str, str | None] = {kinds.ANN_IS_UPDATING: "false", kinds.ANN_NOTIFIED: "false"}
            release = self._patch_meta(release, annotations=waiting)
            wait = _timed_wait(found, release, now) if decision.apply_time is not None else None
            return self._block(release, decision.message, messages.CONDITION_DEPLOY_TIME, wait)
        return self._deploy(release, task)

    def _policy(self, release: Obj, module_name: str) -> tuple[Obj, policy.UpdatePolicy] | Result:
        """§5.4 step 2: the labelled MUP (or its absence/Ignore), else resolve and label."""
        label = labels_of(release).get(kinds.LABEL_UPDATE_POLICY)
        if label:
            found = policy_lookup.get_named(self.kube, label)
            if found is None:
                self._set_status(release, "Pending", messages.update_policy_not_found(label))
                return self._park(release)
            if found.mode is policy.UpdateMode.IGNORE:
                self._set_status(release, "Pending", messages.MR_UPDATE_DISABLED_BY_IGNORE)
                return self._park(release, interval=IGNORE_INTERVAL)
            return release, found
        try:
            found = policy_lookup.resolve_for_module(self.kube, self._module(module_name))
        except ValueError as exc:
            self.log.error(LOGGER, "resolve update policy", module=module_name, error=str(exc))
            self._set_status(release, "Pending", messages.MR_UPDATE_POLICY_NOT_SET)
            return self._park(release)
        release = self._patch_meta(release, labels={kinds.LABEL_UPDATE_POLICY: found.name})
        if deep_get(release, "status.message"):
            release = self._set_status(release, "Pending", "")
        return release, found

    def _requirements(self, release: Obj, module_name: str) -> str:
        """§5.6: the Pending message for unmet requirements, ``""`` when all are met."""
        raw = deep_get(release, "spec.requirements") or {}
        wanted = ReleaseRequirements(
            deckhouse=str(raw.get("deckhouse") or ""),
            kubernetes=str(raw.get("kubernetes") or ""),
            modules=dict(raw.get("modules") or {}),
        )
        if wanted == ReleaseRequirements():
            return ""
        versions = {
            name_of(m): str(deep_get(m, "properties.version", "") or "") for m in self.kube.list(kinds.MODULE)
        }
        reasons = check_release_requirements(
            wanted,
            module_name=module_name,
            deckhouse_version=self.settings.deckhouse_version,
            kubernetes_version=self.settings.kubernetes_version,
            module_versions=versions,
        )
        return pending_message(reasons)

    # -- deploy (§5.8) ---------------------------------------------------------------------------

    def _deploy(self, release: Obj, task: Task) -> Result:
        module_name = str(deep_get(release, "spec.moduleName"))
        version = f"v{deep_get(release, 'spec.version')}"
        try:
            files = self._pull(release, module_name, version)
        except (RegistryError, NotFound) as exc:
            self.log.error(LOGGER, "download module", module=module_name, version=version, error=str(exc))
            self._set_status(release, "Pending", str(exc))
            return Result(requeue_after=CHECK_INTERVAL)
        source = labels_of(release).get(kinds.LABEL_SOURCE, "")
        record = deploy.installed_module_from_files(module_name, version, source, files, at=self.clock.now())
        try:
            deploy.validate_settings(module_name, self._settings(module_name), record.settings_schema)
        except deploy.SettingsInvalid as exc:
            return self._validation_failed(release, exc)
        # Module properties (version, weight, requirements) follow once the module manager loads
        # the module: the install simulation writes them at Installing, as the page's tables show.
        self.installed.install(record)
        for previous in self._deployed_releases(module_name, exclude=name_of(release)):
            self._set_status(previous, "Superseded", "")
            self._patch_meta(previous, labels={kinds.LABEL_STATUS: "superseded"})
        self._mark_deployed(release)
        self.log.info(LOGGER, "module release deployed", module=module_name, version=version)
        return Result(requeue_after=CHECK_INTERVAL)

    def _pull(self, release: Obj, module_name: str, version: str) -> dict[str, bytes]:
        source = self.kube.get(kinds.MODULE_SOURCE, labels_of(release).get(kinds.LABEL_SOURCE, ""))
        reader = open_source_reader(self.registry_factory, source)
        try:
            return dict(reader.read_image(module_name, version).files)
        finally:
            reader.close()

    def _settings(self, module_name: str) -> dict[str, Any]:
        try:
            config = self.kube.get(kinds.MODULE_CONFIG, module_name)
        except NotFound:
            return {}
        return dict(deep_get(config, "spec.settings", {}) or {})

    def _validation_failed(self, release: Obj, exc: deploy.SettingsInvalid) -> Result:
        """§5.8 step 1: missing/forbidden fields keep it Pending, anything else suspends it."""
        if exc.initial:
            text = messages.MR_INITIAL_CONFIG_VALIDATION_PREFIX + str(exc)
            return self._block(release, text, messages.CONDITION_CONFIG_VALIDATION)
        self._set_status(release, "Suspended", messages.MR_VALIDATION_FAILED_PREFIX + str(exc))
        self._patch_meta(release, labels={kinds.LABEL_STATUS: "suspended"})
        return Result()

    def _deployed_releases(self, module_name: str, *, exclude: str) -> list[Obj]:
        return [
            r
            for r in self.kube.list(kinds.MODULE_RELEASE)
            if deep_get(r, "spec.moduleName") == module_name
            and deep_get(r, "status.phase") == "Deployed"
            and name_of(r) != exclude
        ]

    def _mark_deployed(self, release: Obj) -> None:
        """§5.8 step 4; ``transitionTime`` is deliberately left as it was (see docs/dkp-simulator.md)."""
        finalizers = list(deep_get(release, "metadata.finalizers") or [])
        if kinds.FIN_EXIST_ON_FS not in finalizers:
            finalizers.append(kinds.FIN_EXIST_ON_FS)
        release = self._patch_meta(
            release,
            labels={kinds.LABEL_STATUS: "deployed"},
            annotations={
                kinds.ANN_IS_UPDATING: "true",
                kinds.ANN_NOTIFIED: "false",
                kinds.ANN_APPLY_NOW: None,
                kinds.ANN_FORCE: None,
                kinds.ANN_FORCE_LEGACY: None,
                kinds.ANN_REINSTALL: None,
            },
            finalizers=finalizers,
        )
        status = {"phase": "Deployed", "message": ""}
        self.kube.patch(kinds.MODULE_RELEASE, name_of(release), {"status": status}, subresource="status")

    # -- Deployed (§5.8 "Deployed handling") -----------------------------------------------------

    def _handle_deployed(self, release: Obj) -> Result:
        module_name = str(deep_get(release, "spec.moduleName"))
        annotations = annotations_of(release)
        if parse_go_bool(annotations.get(kinds.ANN_REINSTALL, "")) is True:
            return self._deploy(release, Task(TaskKind.PROCESS))
        updates: dict[str, str | None] = {}
        module = self._module(module_name)
        updating = annotations.get(kinds.ANN_IS_UPDATING) == "true"
        if updating and modulestatus.phase_of(module or {}) == "Ready":
            updates[kinds.ANN_IS_UPDATING] = "false"
            updating = False
        if kinds.ANN_REGISTRY_SPEC_CHANGED in annotations:
            updates[kinds.ANN_REGISTRY_SPEC_CHANGED] = None
        finalizers = list(deep_get(release, "metadata.finalizers") or [])
        if kinds.FIN_EXIST_ON_FS not in finalizers:
            finalizers.append(kinds.FIN_EXIST_ON_FS)
        release = self._patch_meta(
            release,
            labels={kinds.LABEL_STATUS: "deployed"},
            annotations=updates or None,
            finalizers=finalizers,
        )
        source_name = labels_of(release).get(kinds.LABEL_SOURCE, "")
        self._add_source_finalizer(source_name)
        if not self._lower_pending_exists(release, source_name, module_name):
            self._set_module_condition(module_name, "True")
        if not self._exists(kinds.MODULE_PULL_OVERRIDE, module_name):
            self._delete_outdated(source_name, module_name)
        # DKP looks again every 15 s while the install runs; the Module's changes stand in for that.
        return self._park(release) if updating else Result()

    def _add_source_finalizer(self, source_name: str) -> None:
        try:
            source = self.kube.get(kinds.MODULE_SOURCE, source_name)
        except NotFound:
            return
        finalizers = list(deep_get(source, "metadata.finalizers") or [])
        if kinds.FIN_RELEASE_EXISTS in finalizers or deep_get(source, "metadata.deletionTimestamp"):
            return
        patch = {"metadata": {"finalizers": [*finalizers, kinds.FIN_RELEASE_EXISTS]}}
        self.kube.patch(kinds.MODULE_SOURCE, source_name, patch)

    def _same_source_module(self, source_name: str, module_name: str) -> list[Obj]:
        selector = f"{kinds.LABEL_SOURCE}={source_name},{kinds.LABEL_MODULE}={module_name}"
        return self.kube.list(kinds.MODULE_RELEASE, label_selector=selector)

    def _lower_pending_exists(self, release: Obj, source_name: str, module_name: str) -> bool:
        mine = parse_version(str(deep_get(release, "spec.version")))
        return any(
            deep_get(r, "status.phase") == "Pending"
            and parse_version(str(deep_get(r, "spec.version"))) < mine
            for r in self._same_source_module(source_name, module_name)
        )

    def _delete_outdated(self, source_name: str, module_name: str) -> None:
        """Keep the 3 highest Superseded/Suspended/Skipped releases per source+module (§5.8)."""
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

    # -- deletion (§5.3 step 2) ------------------------------------------------------------------

    def _delete(self, release: Obj) -> Result:
        if deep_get(release, "status.phase") != "Terminating":
            release = self._set_status(release, "Terminating", "")
        if labels_of(release).get(kinds.LABEL_STATUS) == "deployed":
            module_name = str(deep_get(release, "spec.moduleName"))
            installed = self.installed.get(module_name)
            if installed is not None and installed.version == f"v{deep_get(release, 'spec.version')}":
                self.installed.remove(module_name)
                self.log.info(LOGGER, "a module release was removed", module=module_name)
        finalizers = [f for f in deep_get(release, "metadata.finalizers") or [] if f != kinds.FIN_EXIST_ON_FS]
        try:
            self._patch_meta(release, finalizers=finalizers)
        except NotFound:
            pass
        return Result()

    def _exists(self, resource: Any, name: str) -> bool:
        try:
            self.kube.get(resource, name)
        except NotFound:
            return False
        return True
