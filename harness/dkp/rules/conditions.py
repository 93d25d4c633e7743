"""Status conditions with DKP's helper semantics (dkp-behaviour §3.3).

``set_true`` clears reason and message; all setters stamp ``lastProbeTime`` with now and change
``lastTransitionTime`` only when the status flips. Conditions keep their first-seen order, as DKP
appends new types at the end.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

__all__ = ["find", "set_condition", "set_false", "set_true", "set_unknown", "status_of"]

Conditions = list[dict[str, Any]]


def _stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


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
    stamp = _stamp(now)
    if current is None:
        current = {"type": type_, "lastTransitionTime": stamp}
        conditions.append(current)
    elif current.get("status") != status:
        current["lastTransitionTime"] = stamp
    current["status"] = status
    current["lastProbeTime"] = stamp
    for key, value in (("reason", reason), ("message", message)):
        if value:
            current[key] = value
        else:
            current.pop(key, None)


def set_true(conditions: Conditions, type_: str, *, now: datetime) -> None:
    set_condition(conditions, type_, "True", now=now)


def set_false(
    conditions: Conditions, type_: str, *, now: datetime, reason: str = "", message: str = ""
) -> None:
    set_condition(conditions, type_, "False", now=now, reason=reason, message=message)


def set_unknown(
    conditions: Conditions, type_: str, *, now: datetime, reason: str = "", message: str = ""
) -> None:
    set_condition(conditions, type_, "Unknown", now=now, reason=reason, message=message)
