"""JSON patch (``application/json-patch+json``) as kube-apiserver 1.32 applies it.

kube-apiserver does not apply RFC 6902 to the letter: its patch handler (``jsonPatcher.applyJSPatch``
in ``k8s.io/apiserver/pkg/endpoints/handlers/patch.go``) hands the patch to evanphx/json-patch
v4.12.0 (``gopkg.in/evanphx/json-patch.v4``, ``patch.go``), whose behaviour clients meet:

- ``replace`` of a key an object does not have **adds** it (only a missing parent or a bad array
  index fails); ``copy`` from a missing key copies ``null``;
- array indices are ``strconv.Atoi`` numbers: ``+1`` and ``01`` are 1, negative ones count from the
  end, ``-`` is only for ``add``;
- ``test`` compares what the document holds with the given value, each key of the document's
  object in the given one (keys only the given one has are not looked at), numbers by their text;
- a failure is the library's error text (``error in remove for path: '/spec/x': Unable to remove
  nonexistent key: x: missing value``), answered as ``NewGenericServerResponse(422, ...)``: reason
  ``Invalid``, the message ``the server rejected our request due to an error in our request`` and
  the text as the one cause, of type ``UnexpectedServerResponse``, with no kind or name (so kubectl
  prints ``The request is invalid``).

A body that is not a list of objects is the decoder's ``400`` (``DecodePatch``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from harness.kube.errors import ApiError, BadRequest
from harness.kube.patches import clone

__all__ = ["JsonPatchFailed", "apply_json_patch"]

_MISSING = "missing value"
_INVALID_INDEX = "invalid index referenced"
_TEST_FAILED = "test failed"
_INT64 = 2**63


@dataclass
class JsonPatchFailed(ApiError):
    """The 422 of a patch json-patch could not apply (``errors.NewGenericServerResponse``)."""

    CODE, REASON = 422, "Invalid"

    def to_status(self) -> dict[str, Any]:
        return {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": "the server rejected our request due to an error in our request",
            "reason": self.REASON,
            "details": {"causes": [{"reason": "UnexpectedServerResponse", "message": self.message}]},
            "code": self.CODE,
        }


class _Failed(Exception):
    """One operation's failure, worded as json-patch wraps it (``pkg/errors``: ``outer: inner``)."""


def _wrap(message: str, cause: str) -> _Failed:
    return _Failed(f"{message}: {cause}")


def _atoi(key: str) -> int:
    """``strconv.Atoi``: an optional sign and ASCII digits (leading zeros allowed), within int64."""
    digits = key[1:] if key[:1] in ("+", "-") else key
    if not digits or not digits.isascii() or not digits.isdigit():
        raise _Failed(f'strconv.Atoi: parsing "{key}": invalid syntax')
    value = int(key)
    if not -_INT64 <= value < _INT64:
        raise _Failed(f'strconv.Atoi: parsing "{key}": value out of range')
    return value


def _decode_key(part: str) -> str:
    """``decodePatchKey``: RFC 6901's ``~1`` and ``~0``, in one left-to-right pass."""
    return re.sub("~[01]", lambda m: "/" if m.group() == "~1" else "~", part)


_NO_VALUE = object()


def _get(container: Any, key: str) -> Any:
    """``container.get(key)``: a missing object key is ``None`` (no error); an array index must be
    a number within the array (negative ones from its end)."""
    if isinstance(container, dict):
        return container.get(key)
    index = _atoi(key)
    if index < 0:
        if index < -len(container):
            raise _wrap(f"Unable to access invalid index: {index}", _INVALID_INDEX)
        index += len(container)
    if index >= len(container):
        raise _wrap(f"Unable to access invalid index: {index}", _INVALID_INDEX)
    return container[index]


def _find(doc: Any, path: str) -> tuple[Any, str] | None:
    """``findObject``: the container the last token of ``path`` is in, and that token; None when
    ``path`` has no ``/`` or a step on the way is missing, null, a scalar or a bad index."""
    split = path.split("/")
    if len(split) < 2:
        return None
    current = doc
    for part in split[1:-1]:
        try:
            current = _get(current, _decode_key(part))
        except _Failed:
            return None
        if not isinstance(current, (dict, list)):
            return None
    return current, _decode_key(split[-1])


def _add(container: Any, key: str, value: Any) -> None:
    if isinstance(container, dict):
        container[key] = value
        return
    if key == "-":
        container.append(value)
        return
    try:
        index = _atoi(key)
    except _Failed as exc:
        raise _wrap(f"value was not a proper array index: '{key}'", str(exc)) from None
    size = len(container) + 1
    if index >= size or index < -size:
        raise _wrap(f"Unable to access invalid index: {index}", _INVALID_INDEX)
    container.insert(index + size if index < 0 else index, value)


def _remove(container: Any, key: str) -> None:
    if isinstance(container, dict):
        if key not in container:
            raise _wrap(f"Unable to remove nonexistent key: {key}", _MISSING)
        del container[key]
        return
    index = _atoi(key)
    if index >= len(container) or index < -len(container):
        raise _wrap(f"Unable to access invalid index: {index}", _INVALID_INDEX)
    del container[index]


def _set(container: Any, key: str, value: Any) -> None:
    if isinstance(container, dict):
        container[key] = value
        return
    index = _atoi(key)
    container[index + len(container) if index < 0 else index] = value


def _field(op: dict[str, Any], name: str, missing: str) -> str:
    """``Operation.Path``/``From``: the string under ``name``; absent or null is ``missing``."""
    value = op.get(name)
    if value is None:
        raise _wrap(missing, _MISSING)
    if not isinstance(value, str):
        raise _Failed(f"json: cannot unmarshal {_json_type(value)} into Go value of type string")
    return value


def _operand(op: dict[str, Any], name: str, operation: str, *, cause: str | None = None) -> str:
    """``op``'s ``path`` or ``from`` (``name``) for ``operation``, failing as json-patch v4.12.0
    does: ``<operation> operation failed to decode <name>`` around the decode error, or around
    ``cause`` where upstream wraps ``ErrMissing`` instead (``add``, ``remove``, ``copy``'s path)."""
    missing = "operation missing path field" if name == "path" else "operation, missing from field"
    try:
        return _field(op, name, missing)
    except _Failed as exc:
        raise _wrap(f"{operation} operation failed to decode {name}", cause or str(exc)) from None


def _found(doc: Any, path: str, missing: str) -> tuple[Any, str]:
    """Where ``path`` points in ``doc`` (container and key); ``missing`` wraps ``ErrMissing`` when
    its parent is not there, in the operation's own words."""
    found = _find(doc, path)
    if found is None:
        raise _wrap(missing, _MISSING)
    return found


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return "object" if isinstance(value, dict) else "array" if isinstance(value, list) else "string"


def _equal(actual: Any, given: Any) -> bool:
    """``lazyNode.equal`` of the document's value with the operation's."""
    if isinstance(actual, dict):
        if not isinstance(given, dict):
            return False
        for key, value in actual.items():
            if key not in given:
                return False
            if value is None and given[key] is None:
                continue
            if value is None or not _equal(value, given[key]):
                return False
        return True
    if isinstance(actual, list):
        return (
            isinstance(given, list)
            and len(actual) == len(given)
            and all(_equal(a, g) for a, g in zip(actual, given, strict=True))
        )
    return type(actual) is type(given) and actual == given


def _op_add(doc: Any, op: dict[str, Any]) -> Any:
    path = _operand(op, "path", "add", cause=_MISSING)
    found = _found(doc, path, f'add operation does not apply: doc is missing path: "{path}"')
    try:
        _add(found[0], found[1], clone(op.get("value")))
    except _Failed as exc:
        raise _wrap(f"error in add for path: '{path}'", str(exc)) from None
    return doc


def _op_remove(doc: Any, op: dict[str, Any]) -> Any:
    path = _operand(op, "path", "remove", cause=_MISSING)
    found = _found(doc, path, f'remove operation does not apply: doc is missing path: "{path}"')
    try:
        _remove(*found)
    except _Failed as exc:
        raise _wrap(f"error in remove for path: '{path}'", str(exc)) from None
    return doc


def _op_replace(doc: Any, op: dict[str, Any]) -> Any:
    path = _operand(op, "path", "replace")
    if path == "":  # the whole document; a value that is neither object nor array changes nothing
        value = op.get("value")
        return clone(value) if isinstance(value, (dict, list)) else doc
    found = _found(doc, path, f"replace operation does not apply: doc is missing path: {path}")
    try:
        _get(*found)
    except _Failed:
        raise _wrap(f"replace operation does not apply: doc is missing key: {path}", _MISSING) from None
    _set(found[0], found[1], clone(op.get("value")))
    return doc


def _op_move(doc: Any, op: dict[str, Any]) -> Any:
    source = _operand(op, "from", "move")
    found = _found(doc, source, f"move operation does not apply: doc is missing from path: {source}")
    container, key = found
    try:
        value = _get(container, key)
        _remove(container, key)
    except _Failed as exc:
        raise _wrap(f"error in move for path: '{key}'", str(exc)) from None
    path = _operand(op, "path", "move")
    target = _found(doc, path, f"move operation does not apply: doc is missing destination path: {path}")
    try:
        _add(target[0], target[1], value)
    except _Failed as exc:
        raise _wrap(f"error in move for path: '{path}'", str(exc)) from None
    return doc


def _op_copy(doc: Any, op: dict[str, Any]) -> Any:
    source = _operand(op, "from", "copy")
    found = _found(doc, source, f"copy operation does not apply: doc is missing from path: {source}")
    try:
        value = _get(*found)
    except _Failed as exc:
        raise _wrap(f"error in copy for from: '{source}'", str(exc)) from None
    path = _operand(op, "path", "copy", cause=_MISSING)
    target = _found(doc, path, f"copy operation does not apply: doc is missing destination path: {path}")
    try:
        _add(target[0], target[1], clone(value))
    except _Failed as exc:
        raise _wrap("error while adding value during copy", str(exc)) from None
    return doc


def _op_test(doc: Any, op: dict[str, Any]) -> Any:
    path = _operand(op, "path", "test")
    given = op.get("value", _NO_VALUE)
    if path == "":
        actual = doc
    else:
        found = _found(doc, path, f"test operation does not apply: is missing path: {path}")
        try:
            actual = _get(*found)
        except _Failed as exc:
            raise _wrap(f"error in test for path: '{path}'", str(exc)) from None
        if actual is None:  # missing or null: holds only for a null value
            if given is None or given is _NO_VALUE:
                return doc
            raise _wrap(f"testing value {path} failed", _TEST_FAILED)
    if given is not _NO_VALUE and _equal(actual, given):
        return doc
    raise _wrap(f"testing value {path} failed", _TEST_FAILED)


_OPERATIONS = {
    "add": _op_add,
    "remove": _op_remove,
    "replace": _op_replace,
    "move": _op_move,
    "copy": _op_copy,
    "test": _op_test,
}


def apply_json_patch(doc: Any, operations: Any) -> Any:
    """``operations`` applied in order to a copy of ``doc``, all or nothing.

    Raises :class:`BadRequest` for a body that is not a list of objects (``DecodePatch``) and
    :class:`JsonPatchFailed` for the first operation that does not apply.
    """
    if operations is None:  # JSON null decodes to an empty patch
        operations = []
    if not isinstance(operations, list):
        raise BadRequest(
            f"json: cannot unmarshal {_json_type(operations)} into Go value of type jsonpatch.Patch"
        )
    for op in operations:
        if op is not None and not isinstance(op, dict):  # null is an empty operation
            raise BadRequest(
                f"json: cannot unmarshal {_json_type(op)} into Go value of type jsonpatch.Operation"
            )
    result = clone(doc)
    for op in (o if o is not None else {} for o in operations):
        kind = op.get("op")
        name = kind if isinstance(kind, str) else "unknown"
        apply = _OPERATIONS.get(name)
        try:
            if apply is None:
                raise _Failed(f"Unexpected kind: {name}")
            result = apply(result, op)
        except _Failed as exc:
            raise JsonPatchFailed(str(exc)) from None
    return result
