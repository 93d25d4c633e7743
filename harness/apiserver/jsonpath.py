"""The JSONPath subset CRD printer columns use, compiled once per column.

Supported: ``.field`` (``\\.`` escapes a dot inside a name, as in
``.metadata.labels.modules\\.deckhouse\\.io/update-policy``), ``['field']``, ``[n]``, ``[*]`` and
filters ``[?(@.a.b=='x')]`` with ``==``/``!=`` against string, number or boolean literals, or
``[?(@.a)]`` for presence. Evaluation returns every match in document order.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = ["JsonPath", "JsonPathError", "compile_path"]


class JsonPathError(ValueError):
    """A printer column's JSONPath is outside the supported subset."""


@dataclass(frozen=True)
class _Field:
    name: str


@dataclass(frozen=True)
class _Index:
    index: int


@dataclass(frozen=True)
class _All:
    pass


@dataclass(frozen=True)
class _Filter:
    path: tuple[Any, ...]
    op: str | None
    value: Any


_FILTER_RE = re.compile(r"^@((?:\.[^=!<>\s]+)*)\s*(?:(==|!=)\s*(.+?))?\s*$")


def _literal(text: str) -> Any:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    if text in ("true", "false"):
        return text == "true"
    try:
        return float(text) if "." in text else int(text)
    except ValueError as exc:
        raise JsonPathError(f"unsupported filter literal {text!r}: quote strings, e.g. 'IsReady'") from exc


def _parse_fields(text: str, expression: str) -> list[Any]:
    """``.a.b\\.c`` → [a, b.c]; the text is a run of dotted names without brackets."""
    steps: list[Any] = []
    name, i = "", 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            name += text[i + 1]
            i += 2
            continue
        if ch == ".":
            if name:
                steps.append(_All() if name == "*" else _Field(name))
            name = ""
        else:
            name += ch
        i += 1
    if name:
        steps.append(_All() if name == "*" else _Field(name))
    return steps


def _parse_bracket(inner: str, expression: str) -> Any:
    inner = inner.strip()
    if inner == "*":
        return _All()
    if inner.lstrip("-").isdigit():
        return _Index(int(inner))
    if inner[:1] in "'\"" and inner[-1:] == inner[:1]:
        return _Field(inner[1:-1])
    if inner.startswith("?(") and inner.endswith(")"):
        m = _FILTER_RE.match(inner[2:-1].strip())
        if not m:
            raise JsonPathError(f"unsupported filter {inner!r} in {expression!r}: use [?(@.field=='value')]")
        path = tuple(_parse_fields(m[1], expression))
        return _Filter(path, m[2], _literal(m[3]) if m[2] else None)
    raise JsonPathError(f"unsupported JSONPath element [{inner}] in {expression!r}")


@lru_cache(maxsize=1024)
def compile_path(expression: str) -> JsonPath:
    """Parse ``expression`` (with or without the ``{}`` kubectl template braces)."""
    text = expression.strip()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
    if text.startswith("$"):
        text = text[1:]
    steps: list[Any] = []
    i = 0
    while i < len(text):
        if text[i] == "[":
            depth, j = 0, i
            while j < len(text):
                depth += {"[": 1, "]": -1}.get(text[j], 0)
                if depth == 0:
                    break
                j += 1
            if j >= len(text):
                raise JsonPathError(f"unclosed '[' in JSONPath {expression!r}")
            steps.append(_parse_bracket(text[i + 1 : j], expression))
            i = j + 1
            continue
        j = i
        while j < len(text) and text[j] != "[":
            j += 2 if text[j] == "\\" else 1
        steps.extend(_parse_fields(text[i:j], expression))
        i = j
    return JsonPath(expression, tuple(steps))


def _walk(values: list[Any], steps: tuple[Any, ...]) -> list[Any]:
    for step in steps:
        out: list[Any] = []
        for value in values:
            if isinstance(step, _Field):
                if isinstance(value, dict) and step.name in value:
                    out.append(value[step.name])
            elif isinstance(step, _Index):
                if isinstance(value, list) and -len(value) <= step.index < len(value):
                    out.append(value[step.index])
            elif isinstance(step, _All):
                if isinstance(value, dict):
                    out.extend(value.values())
                elif isinstance(value, list):
                    out.extend(value)
            elif isinstance(value, list):
                out.extend(item for item in value if _keep(item, step))
        values = out
    return values


def _keep(item: Any, flt: _Filter) -> bool:
    found = _walk([item], flt.path)
    if flt.op is None:
        return bool(found)
    if flt.op == "==":
        return bool(found) and found[0] == flt.value
    return not found or found[0] != flt.value


@dataclass(frozen=True)
class JsonPath:
    expression: str
    steps: tuple[Any, ...]

    def find(self, obj: Any) -> list[Any]:
        keys = self.field_chain
        if keys is not None:  # plain field chains (most printer columns): no list building per step
            for key in keys:
                if not isinstance(obj, dict) or key not in obj:
                    return []
                obj = obj[key]
            return [obj]
        return _walk([obj], self.steps)

    @functools.cached_property
    def field_chain(self) -> tuple[str, ...] | None:
        """The field names of a plain chain (``.status.phase``), ``None`` for anything else
        (computed once: a Table of 10,000 rows asks it for every cell)."""
        if all(isinstance(s, _Field) for s in self.steps):
            return tuple(s.name for s in self.steps)
        return None
