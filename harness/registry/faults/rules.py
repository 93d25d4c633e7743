"""Fault rules: which requests to break, how, and how often — pure data plus a thread-safe table.

A rule matches on method (``*`` for any) and a regex searched in the request path (with query),
and fires ``times`` times (``None``: always). The first active matching rule wins. Actions:

* :class:`Respond` — answer a status with a registry-style JSON error body (a default per status);
* :class:`Reset` — drop the client connection with a TCP reset;
* :class:`Delay` — hold the request for a bounded real time, then pass it through;
* :class:`Corrupt` — pass through, but flip the bytes of the response body (same length).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from dataclasses import dataclass, field

__all__ = ["MAX_DELAY", "Action", "Corrupt", "Delay", "FaultRule", "Reset", "Respond", "RuleTable"]

MAX_DELAY = 10.0  # seconds; a delay is real time in a proxy, so it is opt-in and capped

_DEFAULT_ERRORS = {
    400: ("UNSUPPORTED", "The operation is unsupported."),
    401: ("UNAUTHORIZED", "authentication required"),
    403: ("DENIED", "requested access to the resource is denied"),
    404: ("MANIFEST_UNKNOWN", "manifest unknown"),
    429: ("TOOMANYREQUESTS", "too many requests"),
    500: ("UNKNOWN", "unknown error"),
    502: ("UNAVAILABLE", "service unavailable"),
    503: ("UNAVAILABLE", "service unavailable"),
}


@dataclass(frozen=True)
class Respond:
    """Answer ``status`` without asking the registry; ``body`` defaults to a registry error."""

    status: int
    body: bytes | None = None
    content_type: str = "application/json; charset=utf-8"

    def payload(self) -> bytes:
        if self.body is not None:
            return self.body
        code, message = _DEFAULT_ERRORS.get(self.status, ("UNKNOWN", "unknown error"))
        return json.dumps({"errors": [{"code": code, "message": message, "detail": None}]}).encode()


@dataclass(frozen=True)
class Reset:
    """Close the client connection abruptly (TCP RST), before any answer."""


@dataclass(frozen=True)
class Delay:
    """Hold the request ``seconds`` of real time (at most :data:`MAX_DELAY`), then pass through."""

    seconds: float

    def __post_init__(self) -> None:
        if not 0 <= self.seconds <= MAX_DELAY:
            raise ValueError(f"a proxy delay must be between 0 and {MAX_DELAY:.0f} s, got {self.seconds}")


@dataclass(frozen=True)
class Corrupt:
    """Pass the request through and invert every byte of the response body."""


Action = Respond | Reset | Delay | Corrupt


@dataclass
class FaultRule:
    """``action`` for requests matching ``method`` and ``path`` (regex), ``times`` times or always."""

    action: Action
    method: str = "*"
    path: str = ""
    times: int | None = None
    hits: int = field(default=0, init=False)
    id: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self._pattern = re.compile(self.path)
        if self.times is not None and self.times < 1:
            raise ValueError("times must be at least 1, or None for always")

    @property
    def active(self) -> bool:
        return self.times is None or self.hits < self.times

    def matches(self, method: str, path: str) -> bool:
        return self.active and self.method in ("*", method.upper()) and bool(self._pattern.search(path))


class RuleTable:
    """The proxy's rules; changed at run time from any thread."""

    def __init__(self) -> None:
        self._rules: dict[int, FaultRule] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.requests = 0

    def add(self, rule: FaultRule) -> int:
        with self._lock:
            rule.id = next(self._ids)
            self._rules[rule.id] = rule
            return rule.id

    def remove(self, rule_id: int) -> None:
        with self._lock:
            self._rules.pop(rule_id, None)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def hits(self, rule_id: int) -> int:
        with self._lock:
            rule = self._rules.get(rule_id)
            return rule.hits if rule else 0

    def pass_through(self) -> bool:
        """Count a request and say yes when no rule is active: nothing could break it."""
        with self._lock:
            if any(rule.active for rule in self._rules.values()):
                return False
            self.requests += 1
            return True

    def match(self, method: str, path: str) -> Action | None:
        """Count the request; return the action of the first active matching rule (and count it)."""
        with self._lock:
            self.requests += 1
            for rule in self._rules.values():
                if rule.matches(method, path):
                    rule.hits += 1
                    return rule.action
        return None
