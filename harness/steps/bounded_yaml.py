"""The API server's input limits, applied to the YAML a scenario writes (docstrings, files, cells).

Steps talk to the cluster in-process, so the bounds the fake API server sets on a request body
(:mod:`harness.apiserver.decoding`, documented in ``docs/apiserver-limits.md``) never see a
scenario's YAML. This module applies the same two bounds before anything is built:

- **nesting depth**: at most :data:`MAX_DEPTH` containers, aliases counted at the depth they are
  used, so 3,000 nested brackets are a clear error instead of a ``RecursionError``;
- **alias expansion**, go-yaml's rule (what kube-apiserver runs): once more than 100 nodes were
  decoded through aliases and more than 1,000 in all, the share decoded through aliases may not
  exceed 99 % up to 400,000 nodes, falling linearly to 10 % at 4,000,000. A "billion laughs"
  document is refused after its parser events are read, never expanded.

Steps may not import :mod:`harness.apiserver` (import-linter), so the figures are duplicated here:
keep :data:`MAX_DEPTH` equal to ``harness.apiserver.limits.Limits.max_depth`` and the ratio
figures equal to those of ``harness.apiserver.decoding`` (``tests/steps/test_yaml_limits.py``
checks that they agree).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from harness.kube.fast_yaml import SAFE_LOADER

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "YamlLimitError", "check_limits", "load_bounded"]

MAX_DEPTH = 100
"""Containers a document may nest: ``harness.apiserver.limits.Limits.max_depth``."""

MAX_FILE_BYTES = 3 * 1024 * 1024
"""Largest YAML file a step reads: the API server's request body limit (``--max-request-bytes``)."""

ALIAS_RATIO_LOW, ALIAS_RATIO_HIGH = 400_000, 4_000_000
"""go-yaml's alias-ratio bounds, as in ``harness.apiserver.decoding``."""

FIX = (
    f"write the objects out without nesting deeper than {MAX_DEPTH} levels or expanding YAML "
    "aliases (*name) into more nodes than the text has, as the API server requires (docs/apiserver-limits.md)"
)
"""How to fix YAML refused by these limits, for the messages that quote them."""


class YamlLimitError(ValueError):
    """YAML beyond the limits; ``line`` is the 0-based line of the text where it was found."""

    def __init__(self, reason: str, line: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


def _allowed_alias_ratio(decoded: int) -> float:
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
    """go-yaml's counters for one document, kept over parser events (no recursion, nothing built)."""

    depth: int = 0
    decoded: int = 0
    aliased: int = 0
    frames: list[_Frame] = field(default_factory=list)
    anchors: dict[str, tuple[int, int]] = field(default_factory=dict)  # anchor -> (nodes, height)

    def reach(self, depth: int, line: int) -> None:
        if depth > MAX_DEPTH:
            raise YamlLimitError(f"exceeded max depth: the YAML nests more than {MAX_DEPTH} levels", line)
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
            self.anchors[frame.anchor] = (
                self.decoded - frame.start_count,
                frame.deepest - frame.start_depth + 1,
            )
        if self.frames:
            self.frames[-1].deepest = max(self.frames[-1].deepest, frame.deepest)

    def scalar(self, anchor: str | None) -> None:
        self.decoded += 1
        if anchor is not None:
            self.anchors[anchor] = (1, 0)

    def alias(self, anchor: str, line: int) -> None:
        found = self.anchors.get(anchor)
        if found is None:
            return  # undefined: the composer reports it
        nodes, height = found
        self.decoded += nodes
        self.aliased += nodes
        self.reach(self.depth + height, line)
        if (
            self.aliased > 100
            and self.decoded > 1000
            and self.aliased / self.decoded > _allowed_alias_ratio(self.decoded)
        ):
            raise YamlLimitError("the YAML contains excessive aliasing (a 'billion laughs' document)", line)


def _line(event: Any) -> int:
    mark = getattr(event, "start_mark", None)
    return int(getattr(mark, "line", 0) or 0)


def check_limits(text: str, loader: Any = SAFE_LOADER) -> None:
    """Raise :class:`YamlLimitError` when a document of ``text`` is beyond the limits.

    Only parser events are read; a syntax error is PyYAML's :class:`yaml.YAMLError`, as a load
    would raise it.
    """
    scan = _Scan()
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.DocumentStartEvent):
            scan = _Scan()
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            scan.open(event.anchor, _line(event))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            scan.close()
        elif isinstance(event, yaml.ScalarEvent):
            scan.scalar(event.anchor)
        elif isinstance(event, yaml.AliasEvent):
            scan.alias(str(event.anchor), _line(event))


def load_bounded(text: str) -> Any:
    """``yaml.safe_load`` of one document, refused (:class:`YamlLimitError`) beyond the limits."""
    check_limits(text)
    return yaml.load(text, Loader=SAFE_LOADER)
