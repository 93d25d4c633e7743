"""The release controller's era-dependent rules as truth tables, run for both eras.

Every row is checked against the page's era (``eras.DEFAULT_VERSION``, v1.67) and today's
(``eras.LATEST``); the expected value says what each era does (docs/dkp-eras.md).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from harness import eras
from harness.api import annotations as ann
from harness.api import finalizers as fin
from harness.api import labels as lbl
from harness.api.conditions import Reason
from harness.api.phases import ModulePhase, ReleasePhase
from harness.api.views import ModuleReleaseView
from harness.dkp.rules import messages
from harness.dkp.rules.policy import UpdateMode, UpdatePolicy
from harness.dkp.rules.release import (
    Park,
    PatchMeta,
    PendingSnapshot,
    Requeue,
    SetModuleCondition,
    SetStatus,
    decide_entry,
    decide_pending,
    deployed_annotations,
    validations_blocked,
)
from harness.dkp.rules.requirements import NotMetReason, pending_message
from harness.dkp.rules.windows import UpdateWindow

NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)  # a Wednesday
OLD, NEW = eras.behaviours_for(eras.DEFAULT_VERSION), eras.behaviours_for(eras.LATEST)
BOTH = pytest.mark.parametrize("era", [OLD, NEW], ids=[str(eras.DEFAULT_VERSION), str(eras.LATEST)])


def release(version: str = "1.1.0", phase: str = ReleasePhase.PENDING, **kw: object) -> ModuleReleaseView:
    labels = {lbl.MODULE: "echo", lbl.UPDATE_POLICY: "p"}
    return ModuleReleaseView(
        name=f"echo-v{version}", module="echo", version=version, phase=phase, labels=labels, **kw
    )  # type: ignore[arg-type]


def held(policy: UpdatePolicy, era: frozenset[eras.Behaviour], **kw: object) -> PendingSnapshot:
    r = release(**kw)
    deployed = release("1.0.0", ReleasePhase.DEPLOYED)
    return PendingSnapshot(
        release=r,
        siblings=(deployed, r),
        now=NOW,
        labelled_policy=policy,
        module_phase=ModulePhase.READY,
        behaviours=era,
    )


SATURDAY = UpdateWindow(start=time(8, 0), end=time(10, 0), days=frozenset({5}))
HOLDS = [
    pytest.param(UpdatePolicy("p", UpdateMode.MANUAL, "stable"), {}, id="manual-approval"),
    pytest.param(UpdatePolicy("p", UpdateMode.AUTO, "stable", (SATURDAY,)), {}, id="update-window"),
    pytest.param(
        UpdatePolicy("p", UpdateMode.AUTO, "stable"),
        {"apply_after": NOW + timedelta(hours=1)},
        id="canary-apply-after",
    ),
]


@BOTH
@pytest.mark.parametrize(("policy", "extra"), HOLDS)
def test_a_release_held_by_the_deploy_time_check_is_notified_in_every_era(era, policy, extra):
    plan = decide_pending(held(policy, era, approved=False, **extra))
    assert plan.actions[0] == PatchMeta(annotations={ann.IS_UPDATING: "false", ann.NOTIFIED: "true"})
    assert plan.actions[-1].reason == Reason.RELEASE_DEPLOY_TIME  # type: ignore[union-attr]


@BOTH
def test_a_release_held_before_the_deploy_time_check_gets_no_notified_write(era):
    snap = held(UpdatePolicy("p", UpdateMode.MANUAL, "stable"), era)
    snap = PendingSnapshot(**{**snap.__dict__, "unmet_requirements": "requirements are not satisfied: x"})
    plan = decide_pending(snap)
    assert not any(isinstance(a, PatchMeta) and ann.NOTIFIED in a.annotations for a in plan.actions)


@pytest.mark.parametrize(
    ("era", "notified"), [(OLD, "false"), (NEW, "true")], ids=[str(eras.DEFAULT_VERSION), str(eras.LATEST)]
)
def test_deploying_resets_notified_before_v1_75_and_marks_it_after(era, notified):
    written = deployed_annotations(era)
    assert written[ann.NOTIFIED] == notified
    assert written[ann.IS_UPDATING] == "true"
    assert written[ann.APPLY_NOW] is None


@pytest.mark.parametrize(
    ("era", "phase", "finalizers", "expected", "go_on"),
    [
        (OLD, "", (), (SetStatus(ReleasePhase.PENDING),), False),
        (NEW, "", (), (PatchMeta(finalizers=(fin.METRICS_REGISTERED,)),), False),
        (NEW, "", (fin.METRICS_REGISTERED,), (SetStatus(ReleasePhase.PENDING),), False),
        (
            NEW,
            ReleasePhase.DEPLOYED,
            (fin.EXIST_ON_FS,),
            (PatchMeta(finalizers=(fin.EXIST_ON_FS, fin.METRICS_REGISTERED)),),
            False,
        ),
        (OLD, ReleasePhase.DEPLOYED, (fin.EXIST_ON_FS,), (), True),
        (NEW, ReleasePhase.PENDING, (fin.METRICS_REGISTERED,), (), True),
    ],
    ids=[
        "old-new",
        "latest-new",
        "latest-registered",
        "latest-deployed-unregistered",
        "old-deployed",
        "latest-pending",
    ],
)
def test_the_metrics_finalizer_is_the_first_step_from_v1_75(era, phase, finalizers, expected, go_on):
    plan, goes_on = decide_entry(release(phase=phase, finalizers=finalizers), era)
    assert plan.actions == expected
    assert goes_on is go_on
    if expected and isinstance(expected[0], PatchMeta):
        assert plan.then == Requeue(timedelta(0))


REASON = NotMetReason(
    "kubernetes",
    "requirements are not satisfied: current kubernetes version is not suitable: "
    "1.30.0 is less than or equal to 1.30.0",
)


@pytest.mark.parametrize(
    ("era", "prefix"),
    [(OLD, ""), (NEW, "check module release requirements: validate release: ")],
    ids=[str(eras.DEFAULT_VERSION), str(eras.LATEST)],
)
def test_requirements_messages_gain_the_checker_prefix_from_v1_75(era, prefix):
    assert pending_message([REASON], era) == prefix + REASON.message
    assert pending_message([], era) == ""


def test_a_failed_validation_keeps_the_release_pending_with_its_reason():
    failure = "10_edition.sql: d8sql: validation failed [EDITION]: the module requires EE"
    plan = validations_blocked("1.0.0", failure)
    assert plan.actions == (
        SetStatus(ReleasePhase.PENDING, f"validations failed: {failure}"),
        SetModuleCondition(
            "False",
            "ReleaseValidationsCheck",
            "ModuleRelease could not be applied, release validations failed: "
            "see details in the module release v1.0.0",
        ),
    )
    assert plan.then == Park()
    assert messages.CONDITION_VALIDATIONS[0] == Reason.RELEASE_VALIDATIONS
