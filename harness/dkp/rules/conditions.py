"""Status conditions with DKP's helper semantics (docs/dkp-behaviour.md §3.3).

``set_true`` clears reason and message; all setters stamp ``lastProbeTime`` with now and change
``lastTransitionTime`` only when the status flips. Conditions keep their first-seen order, as DKP
appends new types at the end.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from harness.api.conditions import ConditionType
from harness.api.phases import ConditionStatus
from harness.kube.timestamps import stamp

__all__ = ["find", "set_condition", "set_false", "set_true", "set_unknown", "status_of"]

Conditions = list[dict[str, Any]]


def find(conditions: Conditions, type_: str) -> dict[str, Any] | None:
    return next((c for c in conditions if c.get("type") == type_), None)


def status_of(conditions: Conditions, type_: str) -> str | None:
    """``"True"``, ``"False"``, ``"Unknown"`` or ``None`` when the condition is absent."""
    found = find(conditions, type_)
    return None if found is None else str(found.get("status"))


def set_condition(
    conditions: Conditions, type_: str, status: str, *, now: datetime, reason: str = "", message: str = ""
) -> None:
    """Set one condition in place, with DKP's probe/transition time rules."""
    current = find(conditions, type_)
    at = stamp(now)
    if current is None:
        current = {"type": type_, "lastTransitionTime": at}
        conditions.append(current)
    elif current.get("status") != status:
        current["lastTransitionTime"] = at
    current["status"] = status
    current["lastProbeTime"] = at
    for key, value in (("reason", reason), ("message", message)):
        if value:
            current[key] = value
        else:
            current.pop(key, None)


def set_true(conditions: Conditions, type_: str, *, now: datetime) -> None:
    set_condition(conditions, type_, ConditionStatus.TRUE.value, now=now)


def set_false(
    conditions: Conditions, type_: str, *, now: datetime, reason: str = "", message: str = ""
) -> None:
    set_condition(conditions, type_, ConditionStatus.FALSE.value, now=now, reason=reason, message=message)


def set_unknown(
    conditions: Conditions, type_: str, *, now: datetime, reason: str = "", message: str = ""
) -> None:
    set_condition(conditions, type_, ConditionStatus.UNKNOWN.value, now=now, reason=reason, message=message)


def set_not_managed(conditions: Conditions, *, now: datetime, reason: str, message: str) -> None:
    """The module manager does not run the module: ``EnabledByModuleManager`` and ``IsReady`` False.

    DKP writes this pair together whenever a module is not (or no longer) installed (conflict,
    disabled, released back to Available); only ``IsReady`` carries the reason and message.
    """
    set_false(conditions, ConditionType.ENABLED_BY_MODULE_MANAGER.value, now=now)
    set_false(conditions, ConditionType.IS_READY.value, now=now, reason=reason, message=message)
