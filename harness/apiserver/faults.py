"""Fault injection: ordered rules that make chosen requests fail before they reach storage.

A rule matches a verb (``get``, ``list``, ``watch``, ``create``, ``update``, ``patch``, ``delete``,
``deletecollection`` or ``*``), a resource plural (or ``*``), optionally a name and a subresource,
and answers with an :class:`~harness.kube.errors.ApiError` — a 409 Conflict to exercise retries, a
500 InternalError to exercise error paths. ``times`` limits how often it fires; a spent rule is
dropped. Rules are checked in the order they were added, on the HTTP and in-process paths alike,
and can be removed while the server runs. This is how a scenario says "the API server rejects the
next update of Module X with a conflict".
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from harness.kube.errors import ApiError

__all__ = ["FaultRule", "Faults"]

VERBS = frozenset({"get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "*"})


@dataclass
class FaultRule:
    """One injected failure; ``remaining`` is ``None`` for "every time"."""

    verb: str
    resource: str
    error: ApiError
    name: str | None = None
    subresource: str | None = None
    remaining: int | None = None
    hits: int = 0

    def matches(self, verb: str, resource: str, name: str | None, subresource: str | None) -> bool:
        return (
            self.verb in ("*", verb)
            and self.resource in ("*", resource)
            and (self.name is None or self.name == name)
            and (self.subresource is None or self.subresource == subresource)
        )


class Faults:
    """The server's rule list; thread-safe because HTTP threads consult it concurrently."""

    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()

    def add(
        self,
        *,
        verb: str,
        resource: str,
        error: ApiError,
        name: str | None = None,
        subresource: str | None = None,
        times: int | None = None,
    ) -> FaultRule:
        """Append a rule; ``times=None`` fires on every match until removed."""
        if verb not in VERBS:
            raise ValueError(f"unknown verb {verb!r} for a fault: use one of {', '.join(sorted(VERBS))}")
        if times is not None and times < 1:
            raise ValueError(f"times must be at least 1 (or None for always), got {times}")
        rule = FaultRule(verb, resource, error, name, subresource, times)
        with self._lock:
            self._rules.append(rule)
        return rule

    def remove(self, rule: FaultRule) -> None:
        with self._lock:
            if rule in self._rules:
                self._rules.remove(rule)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    @property
    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def check(
        self, verb: str, resource: str, name: str | None = None, subresource: str | None = None
    ) -> None:
        """Raise the first matching rule's error (and count it down)."""
        with self._lock:
            for rule in self._rules:
                if rule.matches(verb, resource, name, subresource):
                    rule.hits += 1
                    if rule.remaining is not None:
                        rule.remaining -= 1
                        if rule.remaining <= 0:
                            self._rules.remove(rule)
                    raise rule.error
