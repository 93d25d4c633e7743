"""Duplicate keys in a request body, found and worded as kube-apiserver's strict decoders word them.

JSON and YAML both allow a key twice in one object; the decoded value keeps the last one. Under
``fieldValidation=Strict`` or ``Warn`` kube-apiserver reports each repetition, in the words of the
decoder that read the body (the integration test ``test/integration/apiserver/
field_validation_test.go`` of kubernetes/kubernetes pins them):

- JSON (``sigs.k8s.io/json``'s ``DisallowDuplicateFields``, ``internal/golang/encoding/json/
  decode.go``): ``duplicate field "spec.template.spec.containers[0].imagePullPolicy"``, the path
  of the repeated key (keys joined by ``.``, list positions as ``[i]``), in document order, each
  message once, at most 100;
- YAML (``sigs.k8s.io/yaml``'s ``YAMLToJSONStrict``, go-yaml v2's strict mode):
  ``line 12: key "unknownDupe" already set in map``, the line of the repeated key's value, the key
  as Go's ``%#v`` prints it, in the order go-yaml finishes decoding each value; together one
  ``yaml: unmarshal errors:`` error, and one warning per line.

JSON objects are read with an ``object_pairs_hook`` that remembers the pairs of an object only
when a key repeats, so a body without repetitions costs one ``dict()`` per object and no walk.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from harness.apiserver.objectmeta import go_quote

__all__ = ["Duplicates", "JsonPairs", "Segment", "path_text", "yaml_message"]

Segment = str | int
"""One step of a path: an object key, or a list position."""

_MAX_ERRORS = 100
"""``saveStrictError`` keeps at most 100 strict errors (``kubernetes_patch.go`` of sigs.k8s.io/json)."""


def path_text(path: tuple[Segment, ...]) -> str:
    """``spec.ports[0].hostPort``, as the JSON decoder names a field."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


def yaml_message(line: int, key: Any) -> str:
    """go-yaml v2's ``line %d: key %#v already set in map``."""
    if isinstance(key, str):
        shown = go_quote(key)
    elif isinstance(key, bool):
        shown = "true" if key else "false"
    elif key is None:
        shown = "<nil>"
    else:
        shown = str(key)
    return f"line {line}: key {shown} already set in map"


@dataclass(frozen=True)
class Duplicates:
    """The repeated keys of one body: JSON paths with their document positions, or YAML lines."""

    json_paths: tuple[tuple[tuple[Segment, ...], tuple[int, ...]], ...] = ()
    """Each repeated key's path and its position (the index of each step among its object's
    pairs or its list's items), in document order."""
    yaml_lines: tuple[str, ...] = ()
    from_yaml: bool = False
    """The body was read as YAML: its keys came out of the YAML-to-JSON conversion sorted."""
    located: _Located | None = field(default=None, compare=False)
    """The JSON body and its recorded pairs, for :meth:`position` of other paths (unknown fields)."""

    def __bool__(self) -> bool:
        return bool(self.json_paths or self.yaml_lines)

    def errors(self, skip: tuple[str, ...] = ()) -> list[str]:
        """The strict decoding errors: one per JSON path (those under a ``skip`` field left out),
        or YAML's one ``yaml: unmarshal errors:`` error."""
        if self.yaml_lines:
            return ["yaml: unmarshal errors:\n  " + "\n  ".join(self.yaml_lines)]
        return [message for _, message in self.placed(skip)]

    def placed(self, skip: tuple[str, ...] = ()) -> list[tuple[tuple[int, ...], str]]:
        """Each JSON path's error with its document position; those under a ``skip`` field (an
        unknown field of a typed decode, whose value the decoder skips) left out."""
        return [
            (where, f"duplicate field {go_quote(text)}")
            for text, where in ((path_text(p), w) for p, w in self.json_paths)
            if not any(text == s or text.startswith((f"{s}.", f"{s}[")) for s in skip)
        ]

    def position(self, path: tuple[Segment, ...]) -> tuple[int, ...]:
        """Where the first ``path`` stands in the JSON body (for ordering); ``()`` when unknown."""
        return self.located.position(path) if self.located is not None else ()


class JsonPairs:
    """An ``object_pairs_hook`` that remembers the pairs of every object with a repeated key."""

    def __init__(self) -> None:
        self._repeated: dict[int, tuple[dict[str, Any], list[tuple[str, Any]]]] = {}

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        made = dict(pairs)
        if len(made) != len(pairs):
            self._repeated[id(made)] = (made, pairs)  # the dict is held, so its id stays its own
        return made

    @property
    def any(self) -> bool:
        return bool(self._repeated)

    def items_of(self, obj: dict[str, Any]) -> Any:
        """``obj``'s pairs as written, repetitions included."""
        found = self._repeated.get(id(obj))
        return found[1] if found is not None and found[0] is obj else obj.items()

    def found(self, root: Any) -> Duplicates:
        """Every repeated key under ``root`` (the decoded body), in document order: a repetition
        is reported when the decoder meets the second key, before it reads that key's value."""
        located = _Located(self, root)
        if not self._repeated:
            return Duplicates(located=located)  # none, but unknown fields still have places
        seen_messages: set[tuple[Segment, ...]] = set()
        out: list[tuple[tuple[Segment, ...], tuple[int, ...]]] = []
        for path, where in self._walk(root, (), ()):
            if path not in seen_messages and len(out) < _MAX_ERRORS:
                seen_messages.add(path)
                out.append((path, where))
        return Duplicates(json_paths=tuple(out), located=located)

    def _walk(
        self, value: Any, path: tuple[Segment, ...], where: tuple[int, ...]
    ) -> Iterator[tuple[tuple[Segment, ...], tuple[int, ...]]]:
        if isinstance(value, list):
            for i, item in enumerate(value):
                yield from self._walk(item, (*path, i), (*where, i))
        elif isinstance(value, dict):
            keys: set[str] = set()
            for i, (key, item) in enumerate(self.items_of(value)):
                if key in keys:
                    yield (*path, key), (*where, i)
                keys.add(key)
                yield from self._walk(item, (*path, key), (*where, i))


@dataclass(frozen=True)
class _Located:
    """A decoded JSON body with its recorded pairs."""

    pairs: JsonPairs
    root: Any

    def position(self, path: tuple[Segment, ...]) -> tuple[int, ...]:
        """Where ``path`` first stands: each step's index among its object's pairs (or its list
        position), as far as the path exists."""
        node, where = self.root, []
        for step in path:
            if isinstance(node, dict) and isinstance(step, str):
                index = next((i for i, (k, _) in enumerate(self.pairs.items_of(node)) if k == step), None)
                if index is None:
                    break
                where.append(index)
                node = node[step]
            elif isinstance(node, list) and isinstance(step, int) and step < len(node):
                where.append(step)
                node = node[step]
            else:
                break
        return tuple(where)
