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

Numbers come out as Go holds them (:mod:`~harness.apiserver.json_numbers`), and every key a body
repeats is noted (:mod:`~harness.apiserver.duplicate_fields`) for ``fieldValidation``: in JSON's
words, or in YAML's when the body is sent as YAML (or is not JSON), as kube-apiserver picks its
decoder by the ``Content-Type``.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from harness.apiserver.duplicate_fields import Duplicates, JsonPairs, yaml_message
from harness.apiserver.go_json_syntax import syntax_error
from harness.apiserver.json_numbers import from_yaml, parse_float, parse_int
from harness.kube import yaml_limits
from harness.kube.errors import ApiError
from harness.kube.fast_yaml import SAFE_LOADER
from harness.kube.go_scalars import GoScalars
from harness.kube.go_scalars import install as install_go_scalars
from harness.kube.go_yaml import UnsupportedKey, json_key, json_mapping

__all__ = ["DecodeError", "Decoded", "JsonSyntaxError", "decode", "decode_body"]


class DecodeError(ValueError):
    """The body cannot be decoded; the message is the decoder's reason, without the kind: for YAML
    what ``sigs.k8s.io/yaml``'s ``YAMLToJSON`` returns (go-yaml's ``yaml: ...``, the conversion's
    ``unsupported map key ...``, ``json.Marshal``'s ``json: unsupported value: +Inf``), which the
    create and update handlers quote as they are and ``yaml.Unmarshal`` (a server-side apply)
    prefixes with ``error converting YAML to JSON:``."""


class JsonSyntaxError(DecodeError):
    """A body read as JSON only (sent as ``application/json``, or a JSON, merge or strategic merge
    patch) is not JSON; the message is Go's ``encoding/json`` syntax error
    (:mod:`~harness.apiserver.go_json_syntax`), which each handler words in its own way."""


class _JsonCompatibleLoader(GoScalars, SAFE_LOADER):  # type: ignore[misc]
    """A safe loader that reads plain scalars as go-yaml does (:mod:`harness.kube.go_scalars`),
    keeps timestamps and ``!!binary`` as the text they were written as, and notes every key a
    mapping repeats as go-yaml's strict mode words it."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.repeated: list[tuple[int, str]] = []
        """(where the repeated key's value ends, message): go-yaml checks a key once its value is
        decoded, so nested repetitions come first."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        """The mapping with the keys the YAML-to-JSON conversion gives (``1`` → ``"1"``, ``true``
        → ``"true"``), so that keys equal in Python (``1``, ``1.0``, ``true``) each keep their value."""
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            seen: set[tuple[type, Any]] = set()
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=True)
                if isinstance(key, (dict, list)):
                    break  # an unhashable key: the constructor below words the error
                typed = (type(key), key)  # go-yaml's keys are typed: 1, "1" and true differ
                if typed in seen:
                    line = value_node.start_mark.line + 1
                    self.repeated.append((value_node.end_mark.index, yaml_message(line, key)))
                seen.add(typed)
            return json_mapping(self, node, deep=deep)
        return super().construct_mapping(node, deep=deep)


def _as_text(loader: Any, node: Any) -> str:
    return (
        "".join(str(loader.construct_scalar(node)).split())
        if node.tag.endswith(":binary")
        else str(loader.construct_scalar(node))
    )


install_go_scalars(_JsonCompatibleLoader)
_JsonCompatibleLoader.add_constructor("tag:yaml.org,2002:timestamp", _as_text)
_JsonCompatibleLoader.add_constructor("tag:yaml.org,2002:binary", _as_text)


def _scan_yaml(text: str, max_depth: int) -> None:
    try:
        yaml_limits.scan(text, _JsonCompatibleLoader, max_depth)
    except yaml_limits.LimitExceeded as exc:
        if exc.bound == "depth":
            raise DecodeError(f"exceeded max depth: the body nests more than {max_depth} levels") from None
        raise DecodeError("yaml: document contains excessive aliasing") from None


def _check_tree(value: Any, max_depth: int) -> None:
    """Depth, finite numbers and string keys, iteratively; shared (aliased) nodes are seen once."""
    seen: set[int] = set()
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, float) and not math.isfinite(node):
            # what json.Marshal says of it once the YAML is converted (FormatFloat's +Inf, NaN)
            raise DecodeError(
                f"json: unsupported value: {'NaN' if math.isnan(node) else f'{node:+}'.title()}"
            )
        if not isinstance(node, (dict, list)) or id(node) in seen:
            continue
        if depth > max_depth:
            raise DecodeError(f"exceeded max depth: the body nests more than {max_depth} levels")
        seen.add(id(node))
        if isinstance(node, dict):
            if not all(isinstance(k, str) for k in node):
                fixed = {json_key(k): v for k, v in node.items()}
                node.clear()
                node.update(fixed)
            children: Any = node.values()
        else:
            children = node
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list, float)))


class _Constant(ValueError):
    """``NaN``, ``Infinity`` or ``-Infinity``: Python's JSON reads them, Go's refuses them."""


def _reject_constant(name: str) -> Any:
    raise _Constant(name)


@dataclass(frozen=True)
class Decoded:
    """A decoded body and the keys it repeated."""

    value: Any
    duplicates: Duplicates = field(default_factory=Duplicates)
    body_error: ApiError | None = None
    """The refusal of a body the handler is to refuse later, once it has looked up the object."""


def decode_body(raw: bytes, max_depth: int) -> Any:
    """The value of :func:`decode`."""
    return decode(raw, max_depth).value


def decode(raw: bytes, max_depth: int, *, as_yaml: bool = False, json_only: bool = False) -> Decoded:
    """JSON first (it is also YAML), YAML when that fails; :class:`DecodeError` when neither parses.

    ``as_yaml``: the body was sent as YAML, so repeated keys are worded by the YAML decoder (the
    value is the same: JSON is read as JSON, which is quicker). ``json_only``: the body was sent
    as JSON, which kube-apiserver never reads as YAML: a body that is not JSON is a
    :class:`JsonSyntaxError` in Go's words."""
    if not raw.strip():
        return Decoded(None)
    text = raw.decode("utf-8", errors="replace")
    pairs = JsonPairs()
    try:
        value = json.loads(
            text,
            object_pairs_hook=pairs,
            parse_int=parse_int,
            parse_float=parse_float,
            parse_constant=_reject_constant,
        )
    except RecursionError:
        raise DecodeError(f"exceeded max depth: the body nests more than {max_depth} levels") from None
    except ValueError as exc:
        if json_only:
            raise JsonSyntaxError(syntax_error(raw) or str(exc)) from None
        value, duplicates = _load_yaml(text, max_depth)
    else:
        _check_tree(value, max_depth)
        duplicates = pairs.found(value)
        if as_yaml:
            duplicates = _load_yaml(text, max_depth)[1] if duplicates else Duplicates(from_yaml=True)
    value = _without_lone_surrogates(value) if _SURROGATE_ESCAPE.search(text) else value
    return Decoded(value, duplicates)


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


def _load_yaml(text: str, max_depth: int) -> tuple[Any, Duplicates]:
    try:
        _scan_yaml(text, max_depth)
        loader = _JsonCompatibleLoader(text)
        try:
            value = loader.get_single_data()
        finally:
            loader.dispose()
    except UnsupportedKey as exc:
        raise DecodeError(exc.go_message) from None
    except yaml.YAMLError as exc:
        detail = " ".join(str(exc).split())
        raise DecodeError(f"yaml: {detail}") from None
    _check_tree(value, max_depth)
    lines = tuple(message for _, message in sorted(loader.repeated, key=lambda r: r[0]))
    return _numbers_as_json(value, set()), Duplicates(yaml_lines=lines, from_yaml=True)


def _numbers_as_json(value: Any, seen: set[int]) -> Any:
    """YAML numbers as the YAML-to-JSON conversion leaves them (:func:`.json_numbers.from_yaml`),
    in place; a container shared through aliases is seen once. Runs after the depth check, so it
    recurses at most ``max_depth`` deep."""
    if not isinstance(value, (dict, list)):
        return from_yaml(value)
    if id(value) not in seen:
        seen.add(id(value))
        for key, item in value.items() if isinstance(value, dict) else enumerate(value):
            value[key] = _numbers_as_json(item, seen)
    return value
