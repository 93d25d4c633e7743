"""Query and ``DeleteOptions`` parameters, validated as kube-apiserver validates them.

- ``dryRun`` may only be ``All`` (``ValidateDryRun``): anything else is a ``422`` on the verb's
  options kind (``CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ...``), so
  a typo never turns a dry run into a real write;
- ``propagationPolicy`` is ``Foreground``, ``Background`` or ``Orphan`` (``ValidateDeleteOptions``),
  and cannot be combined with ``orphanDependents``;
- ``fieldValidation`` is empty, ``Ignore``, ``Strict`` or ``Warn`` (``ValidateFieldValidation``);
- ``fieldManager`` is at most 128 bytes of printable characters, required for an apply patch, and
  ``force`` is forbidden on every other patch (``ValidatePatchOptions``): a 422 on
  ``PatchOptions`` before the object is looked up, so ``force=True`` on the Python client's merge
  patch fails here as it does on a real cluster;
- ``resourceVersionMatch`` is ``Exact`` or ``NotOlderThan``, and only with a ``resourceVersion``
  and without ``continue``; a watch takes it only with ``sendInitialEvents``, which in turn needs
  ``NotOlderThan`` and is forbidden on a list (``ValidateListOptions``);
- a list or watch ``resourceVersion`` is an unsigned integer (the storage layer's
  ``ParseResourceVersion``); one newer than the newest commit is the ``504`` "Too large resource
  version" the watch cache answers when it cannot catch up.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from harness.apiserver.objectmeta import go_quote
from harness.kube.errors import ApiError, BadRequest, Cause, Invalid

__all__ = [
    "check_delete_options",
    "check_dry_run",
    "check_list_options",
    "check_write_options",
    "parse_resource_version",
    "query_int",
    "too_large_rv",
]

_OPTIONS_KIND = {
    "create": "CreateOptions",
    "update": "UpdateOptions",
    "patch": "PatchOptions",
    "delete": "DeleteOptions",
    "deletecollection": "DeleteOptions",
    "list": "ListOptions",
    "watch": "ListOptions",
}
_RV_MATCH = ("Exact", "NotOlderThan", "")
_POLICIES = ("Foreground", "Background", "Orphan")


def _go_strings(values: list[Any]) -> str:
    return "[]string{" + ", ".join(f'"{v}"' for v in values) + "}"


def _options_invalid(verb: str, causes: list[Cause]) -> Invalid:
    kind = _OPTIONS_KIND[verb]
    parts = [f"{c.field}: {c.message}" for c in causes]
    detail = parts[0] if len(parts) == 1 else "[" + ", ".join(parts) + "]"
    return Invalid(
        f'{kind}.meta.k8s.io "" is invalid: {detail}', group="meta.k8s.io", kind=kind, causes=causes
    )


def check_dry_run(verb: str, values: list[Any]) -> bool:
    """True for a dry run; a ``422`` when any value is not ``All``."""
    if verb not in _OPTIONS_KIND or not values:
        return False
    if any(v != "All" for v in values):
        raise _options_invalid(verb, [_dry_run_cause(values)])
    return True


_FIELD_MANAGER_MAX = 128
_MANAGED_VERBS = ("create", "update", "patch")


def _field_manager_causes(manager: str) -> list[Cause]:
    """``ValidateFieldManager``: a length in UTF-8 bytes, then every rune that does not print."""
    causes: list[Cause] = []
    if len(manager.encode()) > _FIELD_MANAGER_MAX:
        message = f"Too long: may not be more than {_FIELD_MANAGER_MAX} bytes"
        causes.append(Cause("FieldValueTooLong", message, "fieldManager"))
    offset = 0
    for char in manager:
        if not char.isprintable():
            detail = f"invalid character U+{ord(char):04X} (at position {offset})"
            message = f"Invalid value: {go_quote(manager)}: {detail}"
            causes.append(Cause("FieldValueInvalid", message, "fieldManager"))
        offset += len(char.encode())
    return causes


_FIELD_VALIDATIONS = ("", "Ignore", "Strict", "Warn")
"""``ValidateFieldValidation``'s set, listed sorted as Go's ``sets.String`` lists it; matched
exactly (``strict`` is refused, not read as ``Strict`` nor as the default ``Warn``)."""

_NO_FORCE = Cause("FieldValueForbidden", "Forbidden: may not be specified for non-apply patch", "force")
_NO_MANAGER = Cause("FieldValueRequired", "Required value: is required for apply patch", "fieldManager")


def check_write_options(verb: str, query: Mapping[str, str], *, apply: bool) -> None:
    """``force``, ``fieldManager``, ``dryRun`` and ``fieldValidation`` as one 422 on the verb's
    options kind listing every cause in upstream's order (other verbs: ``dryRun`` only); raised
    before the object is read."""
    causes: list[Cause] = []
    manager = query.get("fieldManager", "")
    if verb == "patch" and not apply and "force" in query:
        causes.append(_NO_FORCE)
    if verb == "patch" and apply and not manager:
        causes.append(_NO_MANAGER)
    if verb in _MANAGED_VERBS:
        causes.extend(_field_manager_causes(manager))
    if verb in _OPTIONS_KIND and query.get("dryRun", "All") != "All":
        causes.append(_dry_run_cause([query["dryRun"]]))
    validation = query.get("fieldValidation", "")
    if verb in _MANAGED_VERBS and validation not in _FIELD_VALIDATIONS:
        causes.append(_not_supported("fieldValidation", validation, _FIELD_VALIDATIONS))
    if causes:
        raise _options_invalid(verb, causes)


def _dry_run_cause(values: list[Any]) -> Cause:
    message = f'Unsupported value: {_go_strings(values)}: supported values: "All"'
    return Cause("FieldValueNotSupported", message, "dryRun")


def check_delete_options(verb: str, options: dict[str, Any], query: dict[str, str]) -> str | None:
    """The propagation policy asked for (``None``: the default), after validation."""
    policy = options.get("propagationPolicy", query.get("propagationPolicy"))
    orphan = options.get("orphanDependents", query.get("orphanDependents"))
    causes: list[Cause] = []
    if policy is not None and policy not in _POLICIES:
        supported = ", ".join(f'"{p}"' for p in (*_POLICIES, "nil"))
        message = f'Unsupported value: "{policy}": supported values: {supported}'
        causes.append(Cause("FieldValueNotSupported", message, "propagationPolicy"))
    elif policy is not None and orphan is not None:
        message = f'Invalid value: "{policy}": orphanDependents and deletionPropagation cannot be both set'
        causes.append(Cause("FieldValueInvalid", message, "propagationPolicy"))
    if causes:
        raise _options_invalid(verb, causes)
    if policy is None and orphan in (True, "true"):
        return "Orphan"
    return str(policy) if policy is not None else None


def _forbidden(field: str, message: str) -> Cause:
    return Cause("FieldValueForbidden", f"Forbidden: {message}", field)


def _not_supported(field: str, value: str, supported: tuple[str, ...]) -> Cause:
    listed = ", ".join(f'"{m}"' for m in supported)
    return Cause("FieldValueNotSupported", f'Unsupported value: "{value}": supported values: {listed}', field)


def _list_causes(query: Mapping[str, str]) -> list[Cause]:
    causes: list[Cause] = []
    match = query.get("resourceVersionMatch") or ""
    if match:
        if not query.get("resourceVersion"):
            causes.append(
                _forbidden(
                    "resourceVersionMatch",
                    "resourceVersionMatch is forbidden unless resourceVersion is provided",
                )
            )
        if query.get("continue"):
            causes.append(
                _forbidden(
                    "resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"
                )
            )
        if match not in _RV_MATCH:
            causes.append(_not_supported("resourceVersionMatch", match, _RV_MATCH))
        if match == "Exact" and query.get("resourceVersion") == "0":
            causes.append(
                _forbidden(
                    "resourceVersionMatch",
                    'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
                )
            )
    if "sendInitialEvents" in query:
        causes.append(_forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"))
    return causes


def _watch_causes(query: Mapping[str, str]) -> list[Cause]:
    causes: list[Cause] = []
    match = query.get("resourceVersionMatch") or ""
    initial = "sendInitialEvents" in query
    if initial and match != "NotOlderThan":
        causes.append(
            _forbidden(
                "resourceVersionMatch",
                "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
            )
        )
    if match:
        if not initial:
            causes.append(
                _forbidden(
                    "resourceVersionMatch",
                    "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
                )
            )
        if match != "NotOlderThan":
            causes.append(_not_supported("resourceVersionMatch", match, ("NotOlderThan",)))
        if query.get("continue"):
            causes.append(
                _forbidden(
                    "resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"
                )
            )
    return causes


def check_list_options(verb: str, query: Mapping[str, str]) -> None:
    """``ValidateListOptions``: ``resourceVersionMatch`` and ``sendInitialEvents`` by the rules of
    a list or, for ``verb == "watch"``, of a watch (where ``sendInitialEvents`` needs
    ``NotOlderThan`` and ``resourceVersionMatch`` needs ``sendInitialEvents``); one 422 with every
    cause, in upstream's order."""
    causes = _watch_causes(query) if verb == "watch" else _list_causes(query)
    if causes:
        raise _options_invalid(verb, causes)


def parse_resource_version(text: str | None, *, watch: bool, resource: str) -> int | None:
    """``None`` for "any"/"current" (absent, empty or ``0``), else the number; 400/422 when malformed."""
    if text in (None, "", "0"):
        return None
    assert text is not None
    if text.isdigit() and text.isascii():
        return int(text)
    detail = f'Invalid value: "{text}": strconv.ParseUint: parsing "{text}": invalid syntax'
    if watch:
        cause = Cause("FieldValueInvalid", detail, "resourceVersion")
        raise Invalid(f'{resource} "" is invalid: resourceVersion: {detail}', kind=resource, causes=[cause])
    raise BadRequest(f"invalid resource version: resourceVersion: {detail}")


def too_large_rv(asked: int, current: int) -> ApiError:
    """The watch cache's answer to a resourceVersion it has not reached: ``storage.
    NewTooLargeResourceVersionError`` (``k8s.io/apiserver/pkg/storage/errors.go``), a
    ``NewTimeoutError`` (message prefixed ``Timeout:``) that asks the client to retry after the
    cacher's one second (``resourceVersionTooHighRetrySeconds``), which the answer also sends as
    ``Retry-After``; the Python client's ``client_go_retries`` and client-go retry reads on it."""
    return ApiError(
        f"Timeout: Too large resource version: {asked}, current: {current}",
        code=504,
        reason="Timeout",
        causes=[Cause("ResourceVersionTooLarge", "Too large resource version", "")],
        retry_after=1,
    )


_INT_RE = re.compile(r"[+-]?[0-9]+")
_INT64_MAX = 2**63 - 1


def query_int(query: Mapping[str, str], name: str) -> int | None:
    """A query parameter Go decodes into an ``int64`` (ASCII digits, optional sign); absent is None.

    Anything else (Unicode digits such as ``²`` included, which ``str.isdigit`` accepts) is the
    400 kube-apiserver sends when it cannot decode the request's options: its message is Go's
    ``strconv.ParseInt`` error alone.
    """
    text = query.get(name)
    if text is None or text == "":
        return None
    if _INT_RE.fullmatch(text) is not None:
        value = int(text)
        if -_INT64_MAX - 1 <= value <= _INT64_MAX:
            return value
        detail = f"strconv.ParseInt: parsing {go_quote(text)}: value out of range"
    else:
        detail = f"strconv.ParseInt: parsing {go_quote(text)}: invalid syntax"
    raise BadRequest(detail)
