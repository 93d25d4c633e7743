"""Ages as ``kubectl get`` shows them (``16s``, ``5m10s``, ``33h``, ``48d``, ``2y``).

The same approximations as ``k8s.io/apimachinery`` ``duration.HumanDuration``. A leaf module: the
resource catalogue's built-in columns (``catalog``) and the table printer (``printing``) both use
it, so neither has to import the other.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

__all__ = ["age_of", "human_duration"]


def human_duration(seconds: float) -> str:
    """An age as ``kubectl get`` shows it; precision drops as the duration grows."""
    s = int(seconds)
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 120:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        return f"{minutes}m{s % 60}s" if s % 60 else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    hours = s // 3600
    if hours < 8:
        return f"{hours}h{minutes % 60}m" if minutes % 60 else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    days = hours // 24
    if hours < 24 * 8:
        return f"{days}d{hours % 24}h" if hours % 24 else f"{days}d"
    if days < 365 * 2:
        return f"{days}d"
    years = days // 365
    if days < 365 * 8:
        return f"{years}y{days % 365}d" if days % 365 else f"{years}y"
    return f"{years}y"


def _parse_time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def age_of(stamp: Any, now: datetime) -> str | None:
    """Age of an RFC 3339 timestamp at ``now``; ``<invalid>`` when it does not parse."""
    if not isinstance(stamp, str):
        return None
    when = _parse_time(stamp)
    if when is None or when.tzinfo is None:
        return "<invalid>"
    return human_duration((now - when).total_seconds())
