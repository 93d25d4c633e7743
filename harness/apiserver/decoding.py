"""Request bodies to Python values, JSON or YAML, bounded in depth and in YAML alias expansion.

kube-apiserver decodes YAML by converting it to JSON, so what a YAML body may carry is what JSON
can: string keys, finite numbers, timestamps and ``!!binary`` as the strings they were written as.
Two bounds keep a hostile body from costing more than its bytes:

- **nesting depth** (:attr:`~harness.apiserver.limits.Limits.max_depth` containers; YAML aliases
  count at the depth they are used), checked without recursion, so 10,000 nested brackets are a
  ``400``, never a ``RecursionError``;
- **alias expansion**, by go-yaml's own rule (what kube-apiserver runs): once more than 100 nodes
  were decoded through aliases and more than 1,000 in all, the share decoded through aliases may
  not exceed 99 % up to 400,000 nodes, falling linearly to 10 % at 4,000,000. The rule is applied
  to the event stream before anything is built, with the size of each anchored node remembered,
  so a "billion laughs" document is refused after reading its few hundred bytes.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import yaml

from harness.kube.fast_yaml import SAFE_LOADER

__all__ = ["DecodeError", "decode_body"]

_ALIAS_RATIO_LOW, _ALIAS_RATIO_HIGH = 400_000, 4_000_000


class DecodeError(ValueError):
    """The body cannot be decoded; the message is the decoder's reason, without the kind."""


class _JsonCompatibleLoader(SAFE_LOADER):  # type: ignore[misc]
    """A safe loader that keeps timestamps and ``!!binary`` as the text they were written as."""


def _as_text(loader: Any, node: Any) -> str:
    return (
        "".join(str(loader.construct_scalar(node)).split())
        if node.tag.endswith(":binary")
        else str(loader.construct_scalar(node))
    )


_JsonCompatibleLoader.add_constructor("tag:yaml.org,2002:timestamp", _as_text)
_JsonCompatibleLoader.add_constructor("tag:yaml.org,2002:binary", _as_text)


def _allowed_alias_ratio(decoded: int) -> float:
    if decoded <= _ALIAS_RATIO_LOW:
        return 0.99
    if decoded >= _ALIAS_RATIO_HIGH:
        return 0.10
    span = (decoded - _ALIAS_RATIO_LOW) / (_ALIAS_RATIO_HIGH - _ALIAS_RATIO_LOW)
    return 0.99 - 0.89 * span


@dataclass
class _Frame:
    anchor: str | None
    start_count: int
    start_depth: int
    deepest: int


@dataclass
class _Scan:
    """go-yaml's counters, kept over parser events (which need no recursion)."""

    max_depth: int
    depth: int = 0
    decoded: int = 0
    aliased: int = 0
    frames: list[_Frame] = field(default_factory=list)
    anchors: dict[str, tuple[int, int]] = field(default_factory=dict)  # anchor -> (nodes, height)

    def reach(self, depth: int) -> None:
        if depth > self.max_depth:
            raise DecodeError(f"exceeded max depth: the body nests more than {self.max_depth} levels")
        if self.frames:
            self.frames[-1].deepest = max(self.frames[-1].deepest, depth)

    def open(self, anchor: str | None) -> None:
        self.decoded += 1
        self.depth += 1
        self.reach(self.depth)
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

    def alias(self, anchor: str) -> None:
        found = self.anchors.get(anchor)
        if found is None:
            return  # undefined or recursive: the composer reports it
        nodes, height = found
        self.decoded += nodes
        self.aliased += nodes
        self.reach(self.depth + height)
        if (
            self.aliased > 100
            and self.decoded > 1000
            and self.aliased / self.decoded > _allowed_alias_ratio(self.decoded)
        ):
            raise DecodeError("error converting YAML to JSON: yaml: document contains excessive aliasing")


def _scan_yaml(text: str, max_depth: int) -> None:
    scan = _Scan(max_depth)
    for event in yaml.parse(text, Loader=_JsonCompatibleLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            scan.open(event.anchor)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            scan.close()
        elif isinstance(event, yaml.ScalarEvent):
            scan.scalar(event.anchor)
        elif isinstance(event, yaml.AliasEvent):
            scan.alias(str(event.anchor))


def _json_key(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return "null" if key is None else str(key)


def _check_tree(value: Any, max_depth: int) -> None:
    """Depth, finite numbers and string keys, iteratively; shared (aliased) nodes are seen once."""
    seen: set[int] = set()
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, float) and not math.isfinite(node):
            raise DecodeError(f"unsupported value: {node} (JSON has no infinity or NaN)")
        if not isinstance(node, (dict, list)) or id(node) in seen:
            continue
        if depth > max_depth:
            raise DecodeError(f"exceeded max depth: the body nests more than {max_depth} levels")
        seen.add(id(node))
        if isinstance(node, dict):
            if not all(isinstance(k, str) for k in node):
                fixed = {_json_key(k): v for k, v in node.items()}
                node.clear()
                node.update(fixed)
            children: Any = node.values()
        else:
            children = node
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list, float)))


def _reject_constant(name: str) -> Any:
    raise DecodeError(f"invalid character {name[0]!r} looking for beginning of value")


def decode_body(raw: bytes, max_depth: int) -> Any:
    """JSON first (it is also YAML), YAML when that fails; :class:`DecodeError` when neither parses."""
    if not raw.strip():
        return None
    text = raw.decode("utf-8", errors="replace")
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise DecodeError(f"exceeded max depth: the body nests more than {max_depth} levels") from None
    except DecodeError:
        raise
    except ValueError:
        value = _load_yaml(text, max_depth)
    _check_tree(value, max_depth)
    return value


def _load_yaml(text: str, max_depth: int) -> Any:
    try:
        _scan_yaml(text, max_depth)
        return yaml.load(text, Loader=_JsonCompatibleLoader)
    except yaml.YAMLError as exc:
        detail = " ".join(str(exc).split())
        raise DecodeError(f"error converting YAML to JSON: yaml: {detail}") from None
