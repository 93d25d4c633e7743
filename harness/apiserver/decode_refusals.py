"""How each write handler words a body it cannot take as decoded, and its ``fieldValidation``.

kube-apiserver's handlers (``k8s.io/apiserver/pkg/endpoints/handlers``) answer a decoding
problem in three shapes, which this module builds for :mod:`.handlers`:

- create and update: ``400`` ``<Kind> in version "<v>" cannot be handled as a <Kind>: <problem>``
  (``transformDecodeError`` in ``create.go``/``update.go``);
- a patch whose result does not decode: ``422`` ``"" is invalid: patch: Invalid value: "<value>":
  <problem>``, the value being the patched object's JSON (JSON and merge patches) or the patch as
  Go's ``%+v`` prints a map (strategic merge patches, ``applyPatchToObject`` in ``patch.go``);
- server-side apply: ``400`` ``error strict decoding YAML: <yaml error>`` for repeated keys.

A Secret's values never go into these texts (kube-apiserver prints them): see :func:`masked`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from harness.apiserver.duplicate_fields import Duplicates
from harness.apiserver.field_validation import IGNORE, STRICT, FieldValidation, directive, json_patch_errors
from harness.apiserver.objectmeta import go_quote
from harness.apiserver.patched_json import render
from harness.apiserver.printing import go_print
from harness.apiserver.request import Request
from harness.kube.client import PatchType
from harness.kube.errors import ApiError, BadRequest, Cause, Invalid
from harness.kube.objects import Obj
from harness.kube.patches import clone

__all__ = [
    "apply_duplicates",
    "masked",
    "not_decodable",
    "patch_invalid",
    "patch_validation",
    "write_validation",
]


_YAML_ERRORS = "error converting YAML to JSON: yaml: unmarshal errors:"


def not_decodable(req: Request, problem: str) -> BadRequest:
    """Create's and update's 400 for a body their decoder refuses."""
    r = req.rt.resource
    return BadRequest(f'{r.kind} in version "{r.version}" cannot be handled as a {r.kind}: {problem}')


def masked(plural: str, obj: Any) -> Any:
    """``obj`` with a Secret's values replaced: kube-apiserver prints the patched object whole in
    a patch's 422, which would put every key of a Secret into a client's terminal and the logs."""
    if plural != "secrets" or not isinstance(obj, dict):
        return obj
    hidden = {
        f: dict.fromkeys(obj[f], "<redacted>") for f in ("data", "stringData") if isinstance(obj.get(f), dict)
    }
    return {**obj, **hidden}


def patch_invalid(value: str, problem: str) -> Invalid:
    """The patch handler's 422 on the field ``patch``."""
    cause = Cause("FieldValueInvalid", f"Invalid value: {go_quote(value)}: {problem}", "patch")
    return Invalid(f' "" is invalid: patch: {cause.message}', causes=[cause])


def patched_text(req: Request, kind: PatchType, patched: Obj, before: Obj) -> str:
    """The patched object's JSON as the JSON and merge patchers print it, in the key order
    json-patch leaves (:mod:`.patched_json`); for a strategic merge patch, the patch as Go's
    ``%+v`` prints the map (``applyPatchToObject``: the patched map is never written as JSON)."""
    plural = req.rt.resource.plural
    if kind is PatchType.STRATEGIC:
        return go_print(masked(plural, req.body))
    return render(
        masked(plural, patched),
        masked(plural, before),
        req.body,
        merge=kind is PatchType.MERGE,
        custom=req.rt.custom,
    )


def write_validation(req: Request, *, repeated: bool = True) -> FieldValidation:
    """``fieldValidation`` of a create or an update (a PUT, ``/status`` and ``/scale`` included);
    ``repeated=False`` for a server-side apply, whose repeated keys :func:`apply_duplicates` words."""
    return FieldValidation(
        directive(req.query.get("fieldValidation")),
        lambda text: not_decodable(req, text),
        req.duplicates if repeated else Duplicates(from_yaml=req.duplicates.from_yaml),
        typed=not req.rt.custom,
    )


def patch_validation(req: Request, kind: PatchType, patched: Obj, before: Obj) -> FieldValidation:
    """``fieldValidation`` of a JSON, merge or strategic merge patch whose result is ``patched``.

    Under ``Strict`` the patched object is copied now: the write path changes it in place before
    the unknown fields are known, and the refusal prints it as the patch produced it."""
    chosen = directive(req.query.get("fieldValidation"))
    plural = req.rt.resource.plural
    if kind is PatchType.STRATEGIC:
        shown = go_print(masked(plural, req.body))
        refuse: Callable[[str], ApiError] = lambda text: patch_invalid(shown, text)  # noqa: E731
    else:
        snapshot = clone(patched) if chosen == STRICT else patched
        refuse = lambda text: patch_invalid(patched_text(req, kind, snapshot, before), text)  # noqa: E731
    if kind is PatchType.JSON:
        return FieldValidation(
            chosen, refuse, patch=True, leading=json_patch_errors(req.body, req.duplicates)
        )
    return FieldValidation(chosen, refuse, req.duplicates, patch=True)


def apply_duplicates(req: Request) -> list[str]:
    """A server-side apply's repeated keys, checked after the apply as ``applyPatcher`` does:
    the 400 under ``Strict``, one warning per line under ``Warn``, nothing under ``Ignore``."""
    duplicates: Duplicates = req.duplicates
    chosen = directive(req.query.get("fieldValidation"))
    if not duplicates.yaml_lines or chosen == IGNORE:
        return []
    if chosen == STRICT:
        lines = "\n  ".join(duplicates.yaml_lines)
        raise BadRequest(
            f"error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  {lines}"
        )
    return list(duplicates.yaml_lines)
