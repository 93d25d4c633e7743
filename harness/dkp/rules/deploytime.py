"""Deploy-time checks: a release the calculator let through may still have to wait.

docs/dkp-behaviour.md §5.7, re-read from ``releaseupdater/deploy_time_checker.go`` (09590db5) and
``deploy_delay_reason.go`` (5a754525, the RFC822 revision the goldens match). Which checks apply
depends on the update mode and on whether the task calculator called the release a patch:

=====================  ===========================  ====================================
check                  patch release                minor / major release
=====================  ===========================  ====================================
apply-now annotation   skips every check            skips every check
canary (applyAfter)    always                       unless mode is Manual
update window          unless mode is Manual        only in mode Auto
manual approval        only in mode Manual          unless mode is Auto
=====================  ===========================  ====================================

Approval *replaces* whatever was found before it (upstream sets the reason, it does not add it,
and sets the apply time to now), so a release that lacks approval only ever says it waits for the
annotation. The message formatter still knows every combination, because the format is shared.
Notifications are out of scope: the simulator has no notification webhook, so
"postponed by notification" never arises here.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from harness.api.annotations import is_approved, parse_go_bool
from harness.dkp.rules import messages
from harness.dkp.rules.policy import UpdateMode
from harness.dkp.rules.windows import (
    UpdateWindow,
    format_full_year,
    format_rfc822,
    is_allowed,
    next_allowed_time,
)

__all__ = [
    "DelayReason",
    "DeployDecision",
    "check_deploy_time",
    "format_delay_message",
    "is_approved",
    "parse_go_bool",
]


class DelayReason(enum.Flag):
    """Why a release waits; the message lists them in this order."""

    NONE = 0
    COOLDOWN = enum.auto()
    CANARY = enum.auto()
    NOTIFICATION = enum.auto()
    OUT_OF_WINDOW = enum.auto()
    MANUAL_APPROVAL = enum.auto()


_REASON_TEXT = (
    (DelayReason.COOLDOWN, messages.DELAY_IN_COOLDOWN),
    (DelayReason.CANARY, messages.DELAY_POSTPONED),
    (DelayReason.NOTIFICATION, messages.DELAY_BY_NOTIFICATION),
    (DelayReason.OUT_OF_WINDOW, messages.DELAY_OUT_OF_WINDOW),
)


@dataclass(frozen=True)
class DeployDecision:
    """``deploy`` True means go ahead now; otherwise ``message`` is the Pending status text."""

    deploy: bool
    reason: DelayReason = DelayReason.NONE
    message: str = ""
    apply_time: datetime | None = None


def check_deploy_time(
    *,
    now: datetime,
    mode: UpdateMode,
    windows: Sequence[UpdateWindow],
    is_patch: bool,
    apply_now: bool,
    approved: bool,
    apply_after: datetime | None = None,
    full_year: bool = False,
) -> DeployDecision:
    """§5.7: deploy now, or the reason and exact message why the release stays Pending.

    ``full_year``: the message prints its time with a four-digit year (Deckhouse v1.76 and
    later, ``Behaviour.DELAY_TIME_FULL_YEAR``), else as ``time.RFC822``.
    """
    if apply_now:
        return DeployDecision(deploy=True)
    reason, apply_time = DelayReason.NONE, now
    canary_applies = is_patch or mode is not UpdateMode.MANUAL
    if canary_applies and apply_after is not None and now < apply_after:
        reason, apply_time = DelayReason.CANARY, apply_after
    window_applies = mode is not UpdateMode.MANUAL if is_patch else mode is UpdateMode.AUTO
    if window_applies and not is_allowed(windows, apply_time):
        reason, apply_time = reason | DelayReason.OUT_OF_WINDOW, next_allowed_time(windows, apply_time)
    approval_applies = mode is UpdateMode.MANUAL if is_patch else mode is not UpdateMode.AUTO
    if approval_applies and not approved:
        reason, apply_time = DelayReason.MANUAL_APPROVAL, now  # replaces, as upstream does
    if reason is DelayReason.NONE:
        return DeployDecision(deploy=True)
    shown_time = None if apply_time == now else apply_time  # "when the time is now, no until"
    message = format_delay_message(reason, shown_time, full_year=full_year)
    return DeployDecision(False, reason, message, shown_time)


def format_delay_message(
    reason: DelayReason,
    apply_time: datetime | None,
    approval_annotation: str = messages.APPROVAL_ANNOTATION,
    *,
    full_year: bool = False,
) -> str:
    """``Release is <reasons joined by ", ">[. After approval ...][ until <time>]``.

    The time is ``time.RFC822`` (``18 Oct 19 10:00 UTC``), or with ``full_year`` Go's
    ``02 Jan 2006 15:04 MST`` (``18 Oct 2019 10:00 UTC``): two revisions of upstream
    ``deckhouse-controller/pkg/releaseupdater/deploy_delay_reason.go`` (docs/dkp-eras.md).
    """
    parts = [text for flag, text in _REASON_TEXT if flag in reason]
    if DelayReason.MANUAL_APPROVAL in reason:
        parts.append(messages.waiting_for_approval(approval_annotation))
    if not parts:
        raise ValueError("a delay message needs at least one reason; DelayReason.NONE means deploy now")
    text = messages.DELAY_PREFIX + ", ".join(parts)
    if apply_time is None:
        return text
    if DelayReason.MANUAL_APPROVAL in reason:
        text += messages.DELAY_AFTER_APPROVAL
    shown = format_full_year(apply_time) if full_year else format_rfc822(apply_time)
    return f"{text} until {shown}"
