"""Partial object match with field-path diffs (the subset rule of chainsaw and kuttl asserts).

The expected YAML is a subset of the actual object: every key written must be there with a
matching value; keys not written are not checked. ``null`` (``~``) means "absent or null".
Lists are matched by identity, not position, because controllers reorder them: an expected item
carrying ``type`` (conditions) or ``name`` is paired with the actual item of the same ``type`` or
``name``, and the diff path names it (``status.conditions[type=IsReady].reason``); any other
expected item must match some actual item. Every mismatch is reported, not only the first, so a
failing step shows the whole difference at once.

``same_time`` lets a real target compare timestamps on the scenario's timeline rather than
literally (see :mod:`harness.target.timing`): it answers ``True``/``False`` for two timestamps
and ``None`` for anything else, which is then compared as written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["IDENTITY_KEYS", "Mismatch", "SameTime", "format_mismatches", "match_subset"]

SameTime = Callable[[Any, Any], "bool | None"]

IDENTITY_KEYS = ("type", "name")
SECRET = "<secret>"
_SECRET_FIELDS = ("dockercfg", "password", "token", "auth")


@dataclass(frozen=True)
class Mismatch:
    """One difference: where, what was expected, what was found."""

    path: str
    expected: Any
    actual: Any
    problem: str

    def __str__(self) -> str:
        where = self.path or "(the object)"
        return f"{where}: {self.problem}"


def match_subset(
    expected: Any, actual: Any, path: str = "", same_time: SameTime | None = None
) -> list[Mismatch]:
    """All the ways ``actual`` fails to contain ``expected``; empty when it does."""
    if expected is None:
        if actual is None:
            return []
        return [Mismatch(path, None, actual, f"expected absent, found {_show(actual)}")]
    if isinstance(expected, dict):
        return _match_dict(expected, actual, path, same_time)
    if isinstance(expected, list):
        return _match_list(expected, actual, path, same_time)
    if _scalar_equal(expected, actual, same_time):
        return []
    if _is_secret(path):
        return [Mismatch(path, SECRET, SECRET, "differs (the values are secret and not shown)")]
    return [Mismatch(path, expected, actual, f"expected {_show(expected)}, found {_show(actual)}")]


def format_mismatches(mismatches: list[Mismatch]) -> str:
    return "\n".join(f"  - {m}" for m in mismatches)


def _match_dict(
    expected: dict[str, Any], actual: Any, path: str, same_time: SameTime | None
) -> list[Mismatch]:
    if not isinstance(actual, dict):
        return [Mismatch(path, expected, actual, f"expected a mapping, found {_show(actual)}")]
    found: list[Mismatch] = []
    for key, value in expected.items():
        child = f"{path}.{key}" if path else str(key)
        if key not in actual:
            if not _only_absences(value):
                found.append(Mismatch(child, value, None, f"missing (expected {_show(value)})"))
            continue
        found.extend(match_subset(value, actual[key], child, same_time))
    return found


def _only_absences(expected: Any) -> bool:
    """Whether ``expected`` asks only for fields to be absent (``~`` leaves, maybe nested), which
    a missing parent satisfies: ``annotations: {renew: ~}`` holds for an object without
    annotations."""
    if expected is None:
        return True
    return isinstance(expected, dict) and bool(expected) and all(_only_absences(v) for v in expected.values())


def _match_list(expected: list[Any], actual: Any, path: str, same_time: SameTime | None) -> list[Mismatch]:
    if not isinstance(actual, list):
        return [Mismatch(path, expected, actual, f"expected a list, found {_show(actual)}")]
    found: list[Mismatch] = []
    for index, item in enumerate(expected):
        key = _identity_key(item)
        if key is not None:
            found.extend(_match_by_identity(item, key, actual, path, same_time))
        elif not any(not match_subset(item, candidate, same_time=same_time) for candidate in actual):
            found.append(Mismatch(f"{path}[{index}]", item, actual, f"no item matches {_show(item)}"))
    return found


def _match_by_identity(
    item: dict[str, Any], key: str, actual: list[Any], path: str, same_time: SameTime | None
) -> list[Mismatch]:
    ident = item[key]
    where = f"{path}[{key}={ident}]"
    for candidate in actual:
        if isinstance(candidate, dict) and candidate.get(key) == ident:
            return match_subset(item, candidate, where, same_time)
    present = [c.get(key) for c in actual if isinstance(c, dict)]
    return [Mismatch(where, item, None, f"missing (items present: {present})")]


def _identity_key(item: Any) -> str | None:
    if isinstance(item, dict):
        for key in IDENTITY_KEYS:
            if isinstance(item.get(key), str):
                return key
    return None


def _scalar_equal(expected: Any, actual: Any, same_time: SameTime | None = None) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if same_time is not None:
        verdict = same_time(expected, actual)
        if verdict is not None:
            return verdict
    return bool(expected == actual)


def _is_secret(path: str) -> bool:
    """Values under credential fields never reach messages or the report (``spec.registry.dockerCfg``)."""
    last = path.rsplit(".", 1)[-1].lower()
    return any(field in last for field in _SECRET_FIELDS)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."
