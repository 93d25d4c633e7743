"""The timestamp format of Kubernetes objects (metav1.Time: RFC 3339, seconds, UTC ``Z``).

One function for every writer: the API server's own stamps (creation, managed fields) and the
controllers' status fields are made at the same instants, so they share one cache.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

__all__ = ["parse_stamp", "stamp"]


@functools.lru_cache(maxsize=64)
def stamp(moment: datetime) -> str:
    """``2025-01-01T12:00:00Z``: how metav1.Time serializes (cached: one instant is stamped on
    every write made at it, and in virtual time many writes share an instant)."""
    return moment.isoformat(timespec="seconds")[:19] + "Z"  # strftime costs 4x as much


def parse_stamp(text: Any) -> datetime | None:
    """The instant of a metav1.Time string; None for an empty or missing value."""
    if not text:
        return None
    return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
