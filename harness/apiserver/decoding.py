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
import re
from typing import Any

import yaml

from harness.kube import yaml_limits
from harness.kube.fast_yaml import SAFE_LOADER

__all__ = ["DecodeError", "decode_body"]


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


def _scan_yaml(text: str, max_depth: int) -> None:
    try:
        yaml_limits.scan(text, _JsonCompatibleLoader, max_depth)
    except yaml_limits.LimitExceeded as exc:
        if exc.bound == "depth":
            raise DecodeError(f"exceeded max depth: the body nests more than {max_depth} levels") from None
        aliasing = "error converting YAML to JSON: yaml: document contains excessive aliasing"
        raise DecodeError(aliasing) from None


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
    return _without_lone_surrogates(value) if _SURROGATE_ESCAPE.search(text) else value


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_lone_surrogates(value: Any) -> Any:
    """Strings with each lone UTF-16 surrogate (``"\\udc80"``, valid JSON) replaced by U+FFFD, as
    Go's decoder replaces it. Kept, the body could not be encoded as UTF-8 again: its create was a
    500 and any object holding one would have broken every read of it. Only ``\\u`` escapes make
    them (the bytes were decoded with replacement), so bodies without one skip this walk; it runs
    after the depth check, so it recurses at most ``max_depth`` deep."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_lone_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_without_lone_surrogates(k): _without_lone_surrogates(v) for k, v in value.items()}
    return value


def _load_yaml(text: str, max_depth: int) -> Any:
    try:
        _scan_yaml(text, max_depth)
        return yaml.load(text, Loader=_JsonCompatibleLoader)
    except yaml.YAMLError as exc:
        detail = " ".join(str(exc).split())
        raise DecodeError(f"error converting YAML to JSON: yaml: {detail}") from None
