"""The release controller's Pending pipeline as a truth table: snapshot in, plan out, no I/O.

Each row sets the inputs of one check and expects the plan DKP's order gives (docs/dkp-behaviour.md,
"Release controller"): a pull override stops everything before the policy is looked at, a missing
policy before approval, approval is mirrored before the task calculator runs, the calculator
before force, readiness before requirements, requirements before the deploy-time checks.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from harness.api import annotations as ann
from harness.api import labels as lbl
from harness.api.phases import ModulePhase, ReleasePhase
from harness.api.views import ModuleReleaseView, Requirements
from harness.dkp.rules import messages
from harness.dkp.rules.deploytime import DelayReason, format_delay_message
from harness.dkp.rules.policy import UpdateMode, UpdatePolicy
from harness.dkp.rules.recheck import CHECK_INTERVAL, IGNORE_INTERVAL
from harness.dkp.rules.release import (
    Deploy,
    Done,
    Log,
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
)
from harness.dkp.rules.taskcalc import TaskKind
from harness.dkp.rules.windows import UpdateWindow

NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)  # a Wednesday
AUTO = UpdatePolicy("auto", UpdateMode.AUTO, "stable")
MANUAL = UpdatePolicy("manual", UpdateMode.MANUAL, "stable")
IGNORE = UpdatePolicy("off", UpdateMode.IGNORE, "stable")
PENDING = ReleasePhase.PENDING


def release(version="1.1.0", phase=PENDING, **kw) -> ModuleReleaseView:
    labels = {lbl.MODULE: "echo", lbl.UPDATE_POLICY: "auto", **kw.pop("labels", {})}
    return ModuleReleaseView(
        name=f"echo-v{version}", module="echo", version=version, phase=phase, labels=labels, **kw
    )


DEPLOYED = release("1.0.0", ReleasePhase.DEPLOYED)


def snap(r: ModuleReleaseView | None = None, *, siblings=None, **kw) -> PendingSnapshot:
    r = r or release()
    kw.setdefault("labelled_policy", AUTO)
    kw.setdefault("module_phase", ModulePhase.READY)
    return PendingSnapshot(
        release=r, siblings=tuple(siblings if siblings is not None else (DEPLOYED, r)), now=NOW, **kw
    )


def kinds_of(plan: Plan) -> list[str]:
    return [type(a).__name__ for a in plan.actions]


# -- the order of checks: each row is the first check that stops the release -------------------

ORDER = [
    pytest.param(
        {"override_exists": True, "labelled_policy": None}, [], Park(), id="1-override-before-policy"
    ),
    pytest.param(
        {"labelled_policy": None},
        [SetStatus(PENDING, messages.update_policy_not_found("auto"))],
        Park(),
        id="2-labelled-policy-missing",
    ),
    pytest.param(
        {"labelled_policy": IGNORE, "module_phase": ""},
        [SetStatus(PENDING, messages.MR_UPDATE_DISABLED_BY_IGNORE)],
        Park(IGNORE_INTERVAL),
        id="2-ignore-checked-every-60s",
    ),
    pytest.param(
        {"module_phase": ModulePhase.INSTALLING},
        [
            SetStatus(PENDING, messages.awaiting_module_ready("1.0.0")),
            SetModuleCondition(
                "False",
                messages.CONDITION_NOT_READY[0],
                messages.last_release_deployed_false(messages.CONDITION_NOT_READY[1], "1.1.0"),
            ),
        ],
        Park(),
        id="7-module-not-ready",
    ),
    pytest.param(
        {"module_phase": ModulePhase.INSTALLING, "unmet_requirements": "requirements are not met"},
        [SetStatus(PENDING, messages.awaiting_module_ready("1.0.0"))],
        Park(),
        id="7-readiness-before-requirements",
    ),
    pytest.param(
        {"unmet_requirements": "requirements are not met"},
        [SetStatus(PENDING, "requirements are not met")],
        Park(),
        id="8-requirements",
    ),
]


@pytest.mark.parametrize(("inputs", "first_actions", "then"), ORDER)
def test_the_first_failing_check_decides(inputs, first_actions, then):
    plan = decide_pending(snap(**inputs))
    assert list(plan.actions[: len(first_actions)]) == first_actions
    assert plan.then == then
    assert not any(isinstance(a, Deploy) for a in plan.actions)


def test_all_checks_pass_deploys_with_the_task():
    plan = decide_pending(snap())
    assert len(plan.actions) == 1 and isinstance(plan.actions[0], Deploy)
    assert plan.actions[0].task.kind is TaskKind.PROCESS


def test_a_forced_release_deploys_before_readiness_requirements_and_windows():
    forced = release(annotations={ann.FORCE: "true"})
    plan = decide_pending(snap(forced, module_phase="", unmet_requirements="not met"))
    assert kinds_of(plan) == ["Deploy"]


def test_a_forced_release_still_waits_for_a_pull_override():
    forced = release(annotations={ann.FORCE: "true"})
    assert decide_pending(snap(forced, override_exists=True)) == Plan((), Park())


# -- policy resolution ------------------------------------------------------------------------


def test_an_unlabelled_release_gets_the_resolved_policy_label_and_loses_its_old_message():
    r = release(labels={lbl.UPDATE_POLICY: ""}, message="Update policy not set. Create ...")
    r = replace(r, labels={lbl.MODULE: "echo"})
    plan = decide_pending(snap(r, labelled_policy=None, resolved_policy=AUTO))
    assert plan.actions[:2] == (PatchMeta(labels={lbl.UPDATE_POLICY: "auto"}), SetStatus(PENDING, ""))
    assert isinstance(plan.actions[-1], Deploy)


def test_no_policy_logs_the_error_then_says_so():
    r = replace(release(), labels={lbl.MODULE: "echo"})
    plan = decide_pending(snap(r, labelled_policy=None, resolved_policy=None, resolve_error="bad mode"))
    assert plan.actions == (
        Log("error", "resolve update policy", {"module": "echo", "error": "bad mode"}),
        SetStatus(PENDING, messages.MR_UPDATE_POLICY_NOT_SET),
    )
    assert plan.then == Park()


# -- Manual mode: the approval mirror comes before the calculator -------------------------------


@pytest.mark.parametrize(
    ("annotation", "mirrored", "writes"),
    [
        ({}, None, [PatchStatus({"approved": False})]),
        ({}, False, []),
        ({ann.APPROVED: "true"}, False, [PatchStatus({"approved": True})]),
        ({ann.APPROVED: "True"}, True, []),
        ({ann.APPROVED: "yes"}, None, [PatchStatus({"approved": False})]),
    ],
)
def test_manual_mode_mirrors_the_annotation_into_status(annotation, mirrored, writes):
    r = release(labels={lbl.UPDATE_POLICY: "manual"}, annotations=annotation, approved=mirrored)
    plan = decide_pending(snap(r, labelled_policy=MANUAL))
    assert [a for a in plan.actions if isinstance(a, PatchStatus)] == writes
    if writes:
        assert plan.actions[0] == writes[0]  # before anything the calculator decides


def test_manual_mode_without_approval_waits_with_the_approval_message():
    r = release(labels={lbl.UPDATE_POLICY: "manual"}, approved=False)
    plan = decide_pending(snap(r, labelled_policy=MANUAL))
    assert plan.actions[0] == PatchMeta(annotations={ann.IS_UPDATING: "false", ann.NOTIFIED: "true"})
    assert plan.actions[1] == SetStatus(PENDING, format_delay_message(DelayReason.MANUAL_APPROVAL, None))
    assert plan.then == Park()


def test_manual_mode_with_approval_deploys():
    r = release(labels={lbl.UPDATE_POLICY: "manual"}, annotations={ann.APPROVED: "true"}, approved=True)
    assert kinds_of(decide_pending(snap(r, labelled_policy=MANUAL))) == ["Deploy"]


# -- the task calculator's verdicts -------------------------------------------------------------


def test_a_release_below_the_deployed_one_is_skipped_and_labelled():
    low = release("0.9.0")
    plan = decide_pending(snap(low, siblings=(low, DEPLOYED)))
    assert plan.actions == (SetStatus(ReleasePhase.SKIPPED, ""), PatchMeta(labels={lbl.STATUS: "skipped"}))
    assert plan.then == Done()


def test_a_release_equal_to_the_deployed_one_logs_and_waits():
    same = replace(release("1.0.0"), name="echo-v1.0.0-again")
    plan = decide_pending(snap(same, siblings=(same, DEPLOYED)))
    assert kinds_of(plan) == ["Log"] and plan.then == Park()


def test_a_jump_over_a_pending_minor_awaits():
    middle, top = release("1.1.0"), release("1.2.0")
    plan = decide_pending(snap(top, siblings=(DEPLOYED, middle, top)))
    assert kinds_of(plan) == ["SetStatus"] and plan.then == Park()


def test_the_only_release_skips_the_readiness_check():
    only = release("1.0.0")
    assert kinds_of(decide_pending(snap(only, siblings=(only,), module_phase=""))) == ["Deploy"]


def test_a_patch_skips_the_readiness_check():
    patch = release("1.0.1")
    assert kinds_of(decide_pending(snap(patch, siblings=(DEPLOYED, patch), module_phase=""))) == ["Deploy"]


# -- deploy-time checks and when to look again --------------------------------------------------


def test_outside_the_window_waits_until_the_first_check_after_it_opens():
    window = UpdateWindow(time(13, 0), time(14, 0))
    policy = UpdatePolicy("auto", UpdateMode.AUTO, "stable", (window,))
    plan = decide_pending(snap(labelled_policy=policy))
    assert kinds_of(plan) == ["PatchMeta", "SetStatus", "SetModuleCondition"]
    assert plan.then == Park(wait=timedelta(hours=1) + CHECK_INTERVAL)


def test_apply_now_skips_the_window():
    window = UpdateWindow(time(13, 0), time(14, 0))
    policy = UpdatePolicy("auto", UpdateMode.AUTO, "stable", (window,))
    r = release(annotations={ann.APPLY_NOW: "true"})
    assert kinds_of(decide_pending(snap(r, labelled_policy=policy))) == ["Deploy"]


def test_a_canary_delay_waits_on_the_check_grid():
    r = release(apply_after=NOW + timedelta(minutes=1))
    plan = decide_pending(snap(r))
    assert isinstance(plan.then, Park) and plan.then.wait == timedelta(minutes=1)


def test_requirements_view_knows_when_it_is_empty():
    assert Requirements().empty and not Requirements(deckhouse=">= 1.60").empty


# -- entry --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("view", "plan", "go_on"),
    [
        (release(phase=""), Plan((SetStatus(PENDING),), Requeue(timedelta(0))), False),
        (release(), Plan(), True),
        (release(phase=ReleasePhase.DEPLOYED), Plan(), True),
        (
            replace(release(phase=ReleasePhase.SUPERSEDED), labels={}),
            Plan((PatchMeta(labels={lbl.MODULE: "echo"}), PatchMeta(labels={lbl.STATUS: "superseded"}))),
            False,
        ),
        (release(phase=ReleasePhase.TERMINATING), Plan(), False),
    ],
    ids=["new-becomes-pending", "pending-goes-on", "deployed-goes-on", "outdated-labelled", "other-stops"],
)
def test_entry(view, plan, go_on):
    assert decide_entry(view) == (plan, go_on)
