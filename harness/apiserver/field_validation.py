"""``fieldValidation``: what the strict decoding errors of a write become.

kube-apiserver's decoders note two kinds of problem without failing: a field the kind does not
have (``unknown field "spec.x"``) and a key the body repeats (:mod:`.duplicate_fields`). The
request's ``fieldValidation`` decides: ``Strict`` refuses the write with all of them in one
``strict decoding error: ...``, ``Warn`` (the server's default when the parameter is absent)
sends each as a ``Warning`` header and writes, ``Ignore`` writes silently. The value written is
the decoded one: the last of repeated keys, without the unknown fields.

How a refusal is worded depends on the handler (``k8s.io/apiserver/pkg/endpoints/handlers``):

- create and update (``create.go``, ``update.go``): ``400`` ``<Kind> in version "<v>" cannot be
  handled as a <Kind>: strict decoding error: ...`` (``transformDecodeError``);
- JSON and merge patches (``patch.go``, ``jsonPatcher``): ``422`` on the field ``patch`` with the
  patched object's JSON as the value; strategic merge patches the same with the patch as Go's
  ``%+v`` prints a map; a JSON patch's own operations are named ``json patch duplicate field
  "[1].path"`` / ``json patch unknown field "[0].foo"``;
- server-side apply (``applyPatcher``): only repeated keys, by the YAML decoder, ``400``
  ``error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors: ...``.

The order is the decoders': a built-in kind's typed decoder meets unknown and repeated fields in
one pass, in document order (a repeated unknown field is only unknown); a custom resource's
repeated keys come first, then what pruning dropped; a patch's repeated keys come first, then the
patched object's unknown fields, sorted (the patched JSON is written with sorted keys). A YAML
body's repetitions are one error (one warning per line), followed by the unknown fields, sorted.
``addStrictDecodingWarnings`` (``handlers/rest.go``) splits the YAML error into its lines.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from harness.apiserver.duplicate_fields import Duplicates, Segment, path_text
from harness.kube.errors import ApiError

__all__ = ["IGNORE", "STRICT", "WARN", "FieldValidation", "directive", "json_patch_errors", "yaml_warnings"]

STRICT, WARN, IGNORE = "Strict", "Warn", "Ignore"
_YAML_PREFIXES = ("yaml: unmarshal errors:\n", "error converting YAML to JSON: yaml: unmarshal errors:\n")


def directive(value: str | None) -> str:
    """The request's ``fieldValidation``; absent or empty is ``Warn``, the 1.32 server default."""
    return value or WARN


def yaml_warnings(error: str) -> list[str]:
    """One warning per line of a YAML strict error, any other error as it is (``parseYAMLWarnings``)."""
    for prefix in _YAML_PREFIXES:
        if error.startswith(prefix):
            return [line.strip() for line in error[len(prefix) :].split("\n")]
    return [error]


_OPERATION_FIELDS = frozenset({"op", "path", "from", "value"})
"""The fields of the patch handler's ``jsonPatchOp`` (``handlers/patch.go``)."""


def json_patch_errors(operations: Any, duplicates: Duplicates) -> tuple[str, ...]:
    """A JSON patch's own strict errors, as the patch handler decodes it into ``[]jsonPatchOp``
    before applying it: unknown operation fields and repeated keys in one pass, in document
    order, each prefixed ``json patch `` (``json patch duplicate field "[1].path"``)."""
    if not isinstance(operations, list):
        return ()
    unknown = [
        f"[{i}].{k}"
        for i, op in enumerate(operations)
        if isinstance(op, dict)
        for k in op
        if k not in _OPERATION_FIELDS
    ]
    placed = duplicates.placed(tuple(unknown))
    placed += [(duplicates.position(_op_path(u)), f'unknown field "{u}"') for u in unknown]
    ordered = [message for _, message in sorted(placed, key=lambda item: item[0])]
    return tuple(f"json patch {m}" for m in dict.fromkeys(ordered))


def _op_path(text: str) -> tuple[Segment, ...]:
    index, key = text[1:].split("].", 1)
    return int(index), key


Unknown = str | tuple[Segment, ...]
"""An unknown field: a custom resource's pruned path as text, or a built-in kind's path as steps
(:mod:`.builtin_fields`), which keeps list positions and keys holding dots apart."""


def _unknown_path(unknown: Unknown) -> tuple[Segment, ...]:
    return unknown if isinstance(unknown, tuple) else tuple(unknown.split("."))


def _text(unknown: Unknown) -> str:
    return unknown if isinstance(unknown, str) else path_text(unknown)


def _document_order(unknown: Unknown) -> Any:
    """Where a patched object's unknown field comes once the patched object is written as JSON
    with each object's keys sorted (Go marshals a map so): its path, step by step."""
    return unknown if isinstance(unknown, tuple) else (unknown,)


def _message(unknown: Unknown) -> str:
    return f'unknown field "{_text(unknown)}"'


@dataclass(frozen=True)
class FieldValidation:
    """One write's directive, what its body's decoding found, and how a refusal is worded.

    ``refuse`` makes the error from the whole ``strict decoding error: ...`` text.
    ``typed``: the body was decoded as a built-in kind's Go type (one pass in document order).
    ``patch``: the unknown fields are a patch result's (sorted, after the patch's own errors)."""

    directive: str
    refuse: Callable[[str], ApiError]
    duplicates: Duplicates = field(default_factory=Duplicates)
    typed: bool = False
    patch: bool = False
    leading: tuple[str, ...] = ()
    """Errors of the patch's own decoding that come first (a JSON patch's operations)."""

    def errors(self, unknown: Sequence[Unknown]) -> list[str]:
        """All strict decoding errors of the write, in the decoders' order."""
        if self.duplicates.from_yaml or self.patch:
            ordered = sorted(unknown, key=_document_order)
            return [*self.leading, *self.duplicates.errors(), *(_message(p) for p in ordered)]
        names = [_message(p) for p in unknown]
        if not self.typed:
            return [*self.duplicates.errors(), *names]
        placed = self.duplicates.placed(tuple(_text(p) for p in unknown))
        placed += [
            (self.duplicates.position(_unknown_path(p)), n) for p, n in zip(unknown, names, strict=True)
        ]
        return [message for _, message in sorted(placed, key=lambda item: item[0])]

    def settle(self, unknown: Sequence[Unknown]) -> list[str]:
        """Refuse (``Strict``), or the warnings to send (``Warn``), or nothing (``Ignore``)."""
        if self.directive == IGNORE:
            return []
        found = self.errors(unknown)
        if not found:
            return []
        if self.directive == STRICT:
            raise self.refuse("strict decoding error: " + ", ".join(found))
        return [w for e in found for w in yaml_warnings(e)]
