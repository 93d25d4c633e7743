"""The release controller's decisions, as pure functions from a snapshot to a plan.

DKP's ``d8-module-release-controller`` (docs/dkp-behaviour.md §5.3, §5.4) takes a
Pending ModuleRelease through its checks in a fixed order:

1. a ModulePullOverride for the module exists → wait;
2. the update policy: the labelled ModuleUpdatePolicy (missing → "not found"; ``Ignore`` →
   "update disabled", checked every 60 s), else the policy the Module resolves to, whose name is
   then written as the label (no policy → "Update policy not set");
3. in ``Manual`` mode, mirror the approval annotation into ``status.approved``;
4. the task calculator (Process / Skip / Await) over every release of the module;
5. a forced release deploys now; 6. Skip → ``Skipped``; Await → wait;
7. the Module must be Ready unless this is the only release or a patch;
8. the release requirements; 9. the deploy-time checks (canary, window, approval, apply-now);

and deploys when all pass. :func:`decide_pending` is that order, with no I/O: it gets a
:class:`PendingSnapshot` and returns a :class:`Plan`, the ordered writes to make and when to look
again. The controller (``harness.dkp.controllers.release``) gathers the snapshot and applies the
plan; ``tests/dkp/rules/test_dkp_release_decision.py`` checks the order as a truth table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from harness import eras
from harness.api import annotations as ann
from harness.api import finalizers as fin
from harness.api import labels as lbl
from harness.api.conditions import ConditionType
from harness.api.phases import OUTDATED_PHASES, ModulePhase, ReleasePhase
from harness.api.views import ModuleReleaseView
from harness.dkp.rules import messages
from harness.dkp.rules.deploytime import check_deploy_time
from harness.dkp.rules.policy import UpdateMode, UpdatePolicy
from harness.dkp.rules.recheck import CHECK_INTERVAL, IGNORE_INTERVAL, timed_wait
from harness.dkp.rules.taskcalc import (
    ReleaseAlreadyDeployedError,
    ReleaseView,
    Task,
    TaskKind,
    calculate_task,
)

__all__ = [
    "Deploy",
    "Done",
    "Log",
    "Next",
    "Park",
    "PatchMeta",
    "PatchStatus",
    "PendingSnapshot",
    "Plan",
    "Requeue",
    "SetModuleCondition",
    "SetStatus",
    "decide_entry",
    "decide_pending",
    "deployed_annotations",
    "validations_blocked",
]

LOGGER = "d8-module-release-controller"


# -- the plan: writes, in order, then when to look again -----------------------------------------


@dataclass(frozen=True)
class SetStatus:
    """``updateReleaseStatus``: phase and message (``transitionTime`` moves with the phase)."""

    phase: ReleasePhase
    message: str = ""


@dataclass(frozen=True)
class PatchStatus:
    """Other status fields, written as they are (``status.approved``)."""

    fields: Mapping[str, Any]


@dataclass(frozen=True)
class PatchMeta:
    """Labels/annotations to set (None removes), finalizers to own (None: leave them);
    skipped when nothing would change."""

    labels: Mapping[str, str | None] = field(default_factory=dict)
    annotations: Mapping[str, str | None] = field(default_factory=dict)
    finalizers: tuple[str, ...] | None = None


@dataclass(frozen=True)
class SetModuleCondition:
    """The Module's ``LastReleaseDeployed`` condition."""

    status: str
    reason: str = ""
    message: str = ""


@dataclass(frozen=True)
class Log:
    level: str
    msg: str
    fields: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Deploy:
    """Pull the image and install it (the applier's I/O; its failures have their own plans)."""

    task: Task


Action = SetStatus | PatchStatus | PatchMeta | SetModuleCondition | Log | Deploy


@dataclass(frozen=True)
class Park:
    """Wait: DKP checks again every ``interval``; ``wait`` is a timed check (window, canary)."""

    interval: timedelta = CHECK_INTERVAL
    wait: timedelta | None = None


@dataclass(frozen=True)
class Requeue:
    after: timedelta


@dataclass(frozen=True)
class Done:
    """Nothing to wait for: only a change of the release itself brings it back."""


Next = Park | Requeue | Done


@dataclass(frozen=True)
class Plan:
    actions: tuple[Action, ...] = ()
    then: Next = Done()

    def __add__(self, other: Plan) -> Plan:
        return Plan(self.actions + other.actions, other.then)


# -- entry ----------------------------------------------------------------------------------------


def decide_entry(
    release: ModuleReleaseView, behaviours: frozenset[eras.Behaviour] = frozenset()
) -> tuple[Plan, bool]:
    """The first steps for every release; the flag: go on by phase (Pending or Deployed handling)."""
    if eras.Behaviour.METRICS_FINALIZER in behaviours and fin.METRICS_REGISTERED not in release.finalizers:
        return register_metrics(release), False
    if not release.phase:  # a new release becomes Pending, looked at again at once
        return Plan((SetStatus(ReleasePhase.PENDING),), Requeue(timedelta(0))), False
    fix: tuple[Action, ...] = ()
    if release.labels.get(lbl.MODULE) != release.module:
        fix = (PatchMeta(labels={lbl.MODULE: release.module}),)
    if release.phase in OUTDATED_PHASES:
        return Plan((*fix, PatchMeta(labels={lbl.STATUS: release.phase.lower()}))), False
    return Plan(fix), release.phase in (ReleasePhase.DEPLOYED, ReleasePhase.PENDING)


def register_metrics(release: ModuleReleaseView) -> Plan:
    """Deckhouse v1.75 and later (``Behaviour.METRICS_FINALIZER``): the release controller's first
    step adds finalizer ``modules.deckhouse.io/metrics-registered`` and looks again at once
    (upstream ``deckhouse-controller/pkg/controller/module-controllers/release/controller.go``;
    docs/dkp-eras.md). Earlier versions have no such finalizer."""
    return Plan((PatchMeta(finalizers=(*release.finalizers, fin.METRICS_REGISTERED)),), Requeue(timedelta(0)))


def deployed_annotations(behaviours: frozenset[eras.Behaviour]) -> dict[str, str | None]:
    """The annotations ``runReleaseDeploy`` writes on the release it deploys.

    ``notified`` is reset to ``"false"`` before Deckhouse v1.75 and set to ``"true"`` from v1.75
    (``Behaviour.DEPLOY_MARKS_NOTIFIED``; upstream PR #19176 "do not reset notified annotation in
    runReleaseDeploy", ``…/module-controllers/release/controller.go``; docs/dkp-eras.md).
    """
    notified = "true" if eras.Behaviour.DEPLOY_MARKS_NOTIFIED in behaviours else "false"
    return {
        ann.IS_UPDATING: "true",
        ann.NOTIFIED: notified,
        ann.APPLY_NOW: None,
        ann.FORCE: None,
        ann.FORCE_LEGACY: None,
        ann.REINSTALL: None,
    }


def validations_blocked(version: str, failure: str) -> Plan:
    """A failed release validation: Pending ``validations failed: <file>: <error>``, Module
    ``LastReleaseDeployed=False`` reason ``ReleaseValidationsCheck``, looked at again in 15 s.

    Deckhouse v1.78 and later (``Behaviour.RELEASE_VALIDATIONS``); upstream
    ``…/module-controllers/release/release_gates.go`` (docs/dkp-eras.md). The failure text comes
    from :func:`harness.dkp.rules.validations.first_failure`.
    """
    note = messages.last_release_deployed_false(messages.CONDITION_VALIDATIONS[1], version)
    return Plan(
        (
            SetStatus(ReleasePhase.PENDING, messages.validations_failed(failure)),
            SetModuleCondition("False", messages.CONDITION_VALIDATIONS[0], note),
        ),
        Park(),
    )


# -- Pending --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PendingSnapshot:
    """Everything the Pending pipeline reads, gathered before it runs."""

    release: ModuleReleaseView
    siblings: tuple[ModuleReleaseView, ...]
    """Every release of the module, all sources, the release itself included."""
    now: datetime
    override_exists: bool = False
    labelled_policy: UpdatePolicy | None = None
    """The ModuleUpdatePolicy named by the release's label (None: absent or no label)."""
    resolved_policy: UpdatePolicy | None = None
    """The policy the Module resolves to (used when the release has no policy label)."""
    resolve_error: str = ""
    module_phase: str = ""
    unmet_requirements: str = ""
    """The Pending text for unmet requirements, ``""`` when all are met."""
    behaviours: frozenset[eras.Behaviour] = frozenset()
    """The era-dependent rules of the cluster (``ClusterSettings.behaviours``)."""


def _view(release: ModuleReleaseView) -> ReleaseView:
    return ReleaseView.of(
        release.name,
        release.version,
        release.phase,
        release.message,
        force=release.forced,
        update_versions=release.update_versions,
    )


def _block(release: ModuleReleaseView, text: str, condition: tuple[str, str], wait: Next = Park()) -> Plan:
    """Stay Pending with ``text``; LastReleaseDeployed False pointing at this release."""
    note = messages.last_release_deployed_false(condition[1], release.version)
    return Plan(
        (SetStatus(ReleasePhase.PENDING, text), SetModuleCondition("False", condition[0], note)), wait
    )


def _policy(snap: PendingSnapshot) -> tuple[Plan, UpdatePolicy | None, ModuleReleaseView]:
    """Step 2; the policy is None when the plan ends here."""
    release = snap.release
    pending = ReleasePhase.PENDING
    if release.update_policy:
        found = snap.labelled_policy
        if found is None:
            return (
                Plan((SetStatus(pending, messages.update_policy_not_found(release.update_policy)),), Park()),
                None,
                release,
            )
        if found.mode is UpdateMode.IGNORE:
            stop = Plan((SetStatus(pending, messages.MR_UPDATE_DISABLED_BY_IGNORE),), Park(IGNORE_INTERVAL))
            return stop, None, release
        return Plan(), found, release
    if snap.resolved_policy is None:
        error = Log("error", "resolve update policy", {"module": release.module, "error": snap.resolve_error})
        return Plan((error, SetStatus(pending, messages.MR_UPDATE_POLICY_NOT_SET)), Park()), None, release
    found = snap.resolved_policy
    actions: tuple[Action, ...] = (PatchMeta(labels={lbl.UPDATE_POLICY: found.name}),)
    if release.message:
        actions += (SetStatus(pending, ""),)
        release = replace(release, message="")
    return Plan(actions), found, release


def decide_pending(snap: PendingSnapshot) -> Plan:
    """The Pending pipeline in DKP's order (see the module docstring)."""
    if snap.override_exists:  # 1
        return Plan((), Park())
    plan, found, release = _policy(snap)  # 2
    if found is None:
        return plan
    if found.mode is UpdateMode.MANUAL:  # 3
        approved = ann.is_approved(release.annotations)
        if release.approved != approved:
            plan += Plan((PatchStatus({"approved": approved}),))
            release = replace(release, approved=approved)
    siblings = [release if r.name == release.name else r for r in snap.siblings]
    try:  # 4
        task = calculate_task(
            _view(release), [_view(r) for r in siblings], release_channel=found.release_channel
        )
    except ReleaseAlreadyDeployedError as exc:
        return plan + Plan(
            (Log("error", "calculate task", {"release": release.name, "error": str(exc)}),), Park()
        )
    if release.forced:  # 5
        return plan + Plan((Deploy(task),))
    if task.kind is TaskKind.SKIP:  # 6
        skipped = ReleasePhase.SKIPPED
        return plan + Plan((SetStatus(skipped, task.message), PatchMeta(labels={lbl.STATUS: skipped.label})))
    if task.kind is TaskKind.AWAIT:
        return plan + Plan((SetStatus(ReleasePhase.PENDING, task.message),), Park())
    return plan + _checks(snap, release, task, found)


def _checks(snap: PendingSnapshot, release: ModuleReleaseView, task: Task, found: UpdatePolicy) -> Plan:
    """Steps 7 to 9, then deploy."""
    if not task.is_single and not task.is_patch and snap.module_phase != ModulePhase.READY:  # 7
        text = (
            messages.awaiting_module_ready(str(task.deployed.version))
            if task.deployed
            else messages.AWAITING_MODULE_READY
        )
        return _block(release, text, messages.CONDITION_NOT_READY)
    if snap.unmet_requirements:  # 8
        return _block(release, snap.unmet_requirements, messages.CONDITION_REQUIREMENTS)
    decision = check_deploy_time(  # 9
        now=snap.now,
        mode=found.mode,
        windows=found.windows,
        is_patch=task.is_patch,
        apply_now=ann.is_true(release.annotations, ann.APPLY_NOW),
        approved=ann.is_approved(release.annotations),
        apply_after=release.apply_after,
        full_year=eras.Behaviour.DELAY_TIME_FULL_YEAR in snap.behaviours,
    )
    if decision.deploy:
        return Plan((Deploy(task),))
    # Every era: a release held by the deploy-time check went through DKP's notification step
    # (a no-op success without a webhook), so it is marked notified "true" (upstream
    # ``DeployTimeCalculate`` / ``PreApplyReleaseCheck``; docs/dkp-eras.md, "The notified annotation").
    # "false" is only for disruption approval and a failed notification, neither simulated.
    waiting = PatchMeta(annotations={ann.IS_UPDATING: "false", ann.NOTIFIED: "true"})
    wait = (
        Park(wait=timed_wait(found.windows, release.apply_after, snap.now))
        if decision.apply_time is not None
        else Park()
    )
    return Plan((waiting,)) + _block(release, decision.message, messages.CONDITION_DEPLOY_TIME, wait)


def condition_true() -> SetModuleCondition:
    """LastReleaseDeployed True: the deployed release has no lower Pending one."""
    return SetModuleCondition("True")


CONDITION = ConditionType.LAST_RELEASE_DEPLOYED
"""The Module condition :class:`SetModuleCondition` writes."""


def siblings_of(releases: Sequence[ModuleReleaseView], module: str) -> tuple[ModuleReleaseView, ...]:
    """The releases of ``module`` among ``releases``, in the given order."""
    return tuple(r for r in releases if r.module == module)
