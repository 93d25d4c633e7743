from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from harness.dkp.rules.deploytime import (
    DelayReason,
    check_deploy_time,
    format_delay_message,
    is_approved,
    parse_go_bool,
)
from harness.dkp.rules.policy import UpdateMode
from harness.dkp.rules.windows import parse_windows

NOW = datetime(2019, 10, 17, 15, 33, tzinfo=UTC)  # Thursday, the upstream test clock
CLOSED = parse_windows([{"from": "10:00", "to": "11:00"}])  # next: 18 Oct 19 10:00 UTC
OPEN = parse_windows([{"from": "15:00", "to": "16:00"}])
AUTO, PATCH, MANUAL = UpdateMode.AUTO, UpdateMode.AUTO_PATCH, UpdateMode.MANUAL

WINDOW_MSG = "Release is waiting for the update window until 18 Oct 19 10:00 UTC"
APPROVAL_MSG = "Release is waiting for the 'modules.deckhouse.io/approved: \"true\"' annotation"
DEPLOY = ""


def decide(mode, *, patch, windows=(), approved=False, apply_now=False, apply_after=None, full_year=False):
    return check_deploy_time(
        now=NOW,
        mode=mode,
        windows=windows,
        is_patch=patch,
        apply_now=apply_now,
        approved=approved,
        apply_after=apply_after,
        full_year=full_year,
    )


# mode, patch or minor, window open or closed, approved: the §5.7 table, one row per combination.
@pytest.mark.parametrize(
    ("mode", "patch", "windows", "approved", "message"),
    [
        pytest.param(AUTO, True, OPEN, False, DEPLOY, id="auto-patch-in-window-deploys"),
        pytest.param(AUTO, True, CLOSED, False, WINDOW_MSG, id="auto-patch-out-of-window-waits-for-window"),
        pytest.param(AUTO, False, OPEN, False, DEPLOY, id="auto-minor-in-window-deploys"),
        pytest.param(AUTO, False, CLOSED, False, WINDOW_MSG, id="auto-minor-out-of-window-waits-for-window"),
        pytest.param(AUTO, False, CLOSED, True, WINDOW_MSG, id="auto-approval-does-not-open-the-window"),
        pytest.param(PATCH, True, OPEN, False, DEPLOY, id="autopatch-patch-in-window-deploys-unapproved"),
        pytest.param(PATCH, True, CLOSED, False, WINDOW_MSG, id="autopatch-patch-respects-window"),
        pytest.param(PATCH, False, OPEN, False, APPROVAL_MSG, id="autopatch-minor-needs-approval"),
        pytest.param(
            PATCH, False, CLOSED, False, APPROVAL_MSG, id="autopatch-minor-ignores-window-asks-approval"
        ),
        pytest.param(PATCH, False, CLOSED, True, DEPLOY, id="autopatch-approved-minor-ignores-window"),
        pytest.param(MANUAL, True, OPEN, False, APPROVAL_MSG, id="manual-patch-needs-approval"),
        pytest.param(MANUAL, True, CLOSED, True, DEPLOY, id="manual-approved-patch-ignores-window"),
        pytest.param(MANUAL, False, CLOSED, False, APPROVAL_MSG, id="manual-minor-needs-approval"),
        pytest.param(MANUAL, False, CLOSED, True, DEPLOY, id="manual-approved-minor-ignores-window"),
        pytest.param(AUTO, True, (), False, DEPLOY, id="no-windows-always-open"),
    ],
)
def test_update_mode_window_and_approval(mode, patch, windows, approved, message):
    decision = decide(mode, patch=patch, windows=windows, approved=approved)
    assert decision.deploy is (message == DEPLOY)
    assert decision.message == message


@pytest.mark.parametrize("mode", [AUTO, PATCH, MANUAL])
@pytest.mark.parametrize("patch", [True, False], ids=["patch", "minor"])
def test_apply_now_skips_every_deploy_time_check(mode, patch):
    decision = decide(
        mode, patch=patch, windows=CLOSED, approved=False, apply_now=True, apply_after=NOW + timedelta(days=1)
    )
    assert decision.deploy and decision.message == ""


CANARY = datetime(2019, 10, 17, 18, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("mode", "patch", "windows", "approved", "message"),
    [
        pytest.param(
            AUTO,
            True,
            (),
            False,
            "Release is postponed until 17 Oct 19 18:00 UTC",
            id="canary-postpones-a-patch",
        ),
        pytest.param(
            AUTO,
            False,
            (),
            False,
            "Release is postponed until 17 Oct 19 18:00 UTC",
            id="canary-postpones-a-minor",
        ),
        pytest.param(
            MANUAL,
            True,
            (),
            True,
            "Release is postponed until 17 Oct 19 18:00 UTC",
            id="manual-patch-keeps-canary",
        ),
        pytest.param(MANUAL, False, (), True, DEPLOY, id="manual-minor-skips-canary"),
        pytest.param(
            AUTO,
            True,
            parse_windows([{"from": "17:00", "to": "19:00"}]),
            False,
            "Release is postponed until 17 Oct 19 18:00 UTC",
            id="canary-time-inside-a-window-only-postpones",
        ),
        pytest.param(
            AUTO,
            True,
            CLOSED,
            False,
            "Release is postponed, waiting for the update window until 18 Oct 19 10:00 UTC",
            id="canary-and-window-are-joined",
        ),
        pytest.param(PATCH, False, (), False, APPROVAL_MSG, id="approval-replaces-the-canary-reason"),
    ],
)
def test_canary_apply_after(mode, patch, windows, approved, message):
    decision = decide(mode, patch=patch, windows=windows, approved=approved, apply_after=CANARY)
    assert decision.message == message
    assert decision.deploy is (message == DEPLOY)


def test_a_past_apply_after_does_not_postpone():
    assert decide(AUTO, patch=True, apply_after=NOW - timedelta(minutes=1)).deploy


def test_apply_after_equal_to_now_does_not_postpone():
    assert decide(AUTO, patch=True, apply_after=NOW).deploy


def test_decision_carries_reason_and_time():
    decision = decide(AUTO, patch=True, windows=CLOSED, apply_after=CANARY)
    assert decision.reason == DelayReason.CANARY | DelayReason.OUT_OF_WINDOW
    assert decision.apply_time == datetime(2019, 10, 18, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("reason", "when", "message"),
    [
        pytest.param(
            DelayReason.OUT_OF_WINDOW, None, "Release is waiting for the update window", id="no-time-no-until"
        ),
        pytest.param(
            DelayReason.COOLDOWN, NOW, "Release is in cooldown until 17 Oct 19 15:33 UTC", id="cooldown"
        ),
        pytest.param(
            DelayReason.NOTIFICATION,
            NOW,
            "Release is postponed by notification until 17 Oct 19 15:33 UTC",
            id="notification",
        ),
        pytest.param(
            DelayReason.OUT_OF_WINDOW | DelayReason.MANUAL_APPROVAL,
            None,
            "Release is waiting for the update window, waiting for the "
            "'modules.deckhouse.io/approved: \"true\"' annotation",
            id="window-and-approval-joined",
        ),
        pytest.param(
            DelayReason.OUT_OF_WINDOW | DelayReason.MANUAL_APPROVAL,
            NOW,
            "Release is waiting for the update window, waiting for the "
            "'modules.deckhouse.io/approved: \"true\"' "
            "annotation. After approval the release will be delayed until 17 Oct 19 15:33 UTC",
            id="approval-with-time-says-delayed-after-approval",
        ),
        pytest.param(
            DelayReason.MANUAL_APPROVAL | DelayReason.CANARY | DelayReason.COOLDOWN,
            None,
            "Release is in cooldown, postponed, waiting for the "
            "'modules.deckhouse.io/approved: \"true\"' annotation",
            id="reasons-in-fixed-order",
        ),
    ],
)
def test_delay_message_shapes(reason, when, message):
    assert format_delay_message(reason, when) == message


@pytest.mark.parametrize(
    ("full_year", "until"),
    [(False, "18 Oct 19 10:00 UTC"), (True, "18 Oct 2019 10:00 UTC")],
    ids=["rfc822", "v1.76"],
)
def test_the_window_message_prints_the_year_as_the_era_does(full_year, until):
    decision = decide(AUTO, patch=True, windows=CLOSED, full_year=full_year)
    assert decision.message == f"Release is waiting for the update window until {until}"


def test_delay_message_for_deckhouse_releases_names_their_annotation():
    text = format_delay_message(DelayReason.MANUAL_APPROVAL, None, "release.deckhouse.io/approved")
    assert text == "Release is waiting for the 'release.deckhouse.io/approved: \"true\"' annotation"


def test_no_reason_has_no_message():
    with pytest.raises(ValueError, match="at least one reason"):
        format_delay_message(DelayReason.NONE, None)


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        *[pytest.param(v, True, id=f"true-{v}") for v in ("1", "t", "T", "TRUE", "true", "True")],
        *[pytest.param(v, False, id=f"false-{v}") for v in ("0", "f", "F", "FALSE", "false", "False")],
        *[pytest.param(v, None, id=f"invalid-{v or 'empty'}") for v in ("", "yes", "tRUE", " true", "on")],
    ],
)
def test_go_parse_bool(value, parsed):
    assert parse_go_bool(value) is parsed


@pytest.mark.parametrize(
    ("annotations", "approved"),
    [
        pytest.param({"modules.deckhouse.io/approved": "True"}, True, id="go-bool-true"),
        pytest.param({"modules.deckhouse.io/approved": "yes"}, False, id="unparsable-is-not-approved"),
        pytest.param(
            {"release.deckhouse.io/approved": "true"}, False, id="deckhouse-key-does-not-approve-modules"
        ),
        pytest.param({}, False, id="absent"),
    ],
)
def test_approval_annotation(annotations, approved):
    assert is_approved(annotations) is approved
