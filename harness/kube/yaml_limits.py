"""go-yaml's bounds on a YAML text, checked over parser events before anything is built.

kube-apiserver decodes YAML with go-yaml, which refuses a document that nests too deep or expands
too much through aliases. Both the fake API server (request bodies, :mod:`harness.apiserver.decoding`)
and the step library (a scenario's docstrings and files, :mod:`harness.steps.bounded_yaml`, which
calls the API server in process, past its HTTP layer) apply the same two bounds with this scanner:

- **nesting depth**: at most ``max_depth`` containers, aliases counted at the depth they are used;
  no recursion, so 10,000 nested brackets are an error, never a ``RecursionError``;
- **alias expansion**, go-yaml's rule: once more than 100 nodes were decoded through aliases and
  more than 1,000 in all, the share decoded through aliases may not exceed 99 % up to 400,000
  nodes, falling linearly to 10 % at 4,000,000. The size of each anchored node is remembered, so
  a "billion laughs" document is refused after reading its few hundred bytes.

Each caller words the refusal its own way (:class:`LimitExceeded` says which bound and where).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import yaml

__all__ = ["ALIAS_RATIO_HIGH", "ALIAS_RATIO_LOW", "LimitExceeded", "allowed_alias_ratio", "scan"]

ALIAS_RATIO_LOW, ALIAS_RATIO_HIGH = 400_000, 4_000_000


class LimitExceeded(ValueError):
    """A bound was exceeded: ``bound`` is ``"depth"`` or ``"aliasing"``; ``line`` is 0-based."""

    def __init__(self, bound: Literal["depth", "aliasing"], line: int) -> None:
        super().__init__(bound)
        self.bound = bound
        self.line = line


def allowed_alias_ratio(decoded: int) -> float:
    if decoded <= ALIAS_RATIO_LOW:
        return 0.99
    if decoded >= ALIAS_RATIO_HIGH:
        return 0.10
    span = (decoded - ALIAS_RATIO_LOW) / (ALIAS_RATIO_HIGH - ALIAS_RATIO_LOW)
    return 0.99 - 0.89 * span


@dataclass
class _Frame:
    anchor: str | None
    start_count: int
    start_depth: int
    deepest: int


@dataclass
class _Scan:
    """go-yaml's counters for one document."""

    max_depth: int
    depth: int = 0
    decoded: int = 0
    aliased: int = 0
    frames: list[_Frame] = field(default_factory=list)
    anchors: dict[str, tuple[int, int]] = field(default_factory=dict)  # anchor -> (nodes, height)

    def reach(self, depth: int, line: int) -> None:
        if depth > self.max_depth:
            raise LimitExceeded("depth", line)
        if self.frames:
            self.frames[-1].deepest = max(self.frames[-1].deepest, depth)

    def open(self, anchor: str | None, line: int) -> None:
        self.decoded += 1
        self.depth += 1
        self.reach(self.depth, line)
        self.frames.append(_Frame(anchor, self.decoded - 1, self.depth, self.depth))

    def close(self) -> None:
        frame = self.frames.pop()
        self.depth -= 1
        if frame.anchor is not None:
            height = frame.deepest - frame.start_depth + 1
            self.anchors[frame.anchor] = (self.decoded - frame.start_count, height)
        if self.frames:
            self.frames[-1].deepest = max(self.frames[-1].deepest, frame.deepest)

    def scalar(self, anchor: str | None) -> None:
        self.decoded += 1
        if anchor is not None:
            self.anchors[anchor] = (1, 0)

    def alias(self, anchor: str, line: int) -> None:
        found = self.anchors.get(anchor)
        if found is None:
            return  # undefined or recursive: the composer reports it
        nodes, height = found
        self.decoded += nodes
        self.aliased += nodes
        self.reach(self.depth + height, line)
        if (
            self.aliased > 100
            and self.decoded > 1000
            and self.aliased / self.decoded > allowed_alias_ratio(self.decoded)
        ):
            raise LimitExceeded("aliasing", line)


def _line(event: Any) -> int:
    mark = getattr(event, "start_mark", None)
    return int(getattr(mark, "line", 0) or 0)


def scan(text: str, loader: Any, max_depth: int) -> None:
    """Raise :class:`LimitExceeded` when a document of ``text`` is beyond the bounds.

    Only parser events are read (each document counted on its own); a syntax error is PyYAML's
    :class:`yaml.YAMLError`, as a load would raise it.
    """
    counters = _Scan(max_depth)
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.DocumentStartEvent):
            counters = _Scan(max_depth)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            counters.open(event.anchor, _line(event))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            counters.close()
        elif isinstance(event, yaml.ScalarEvent):
            counters.scalar(event.anchor)
        elif isinstance(event, yaml.AliasEvent):
            counters.alias(str(event.anchor), _line(event))
