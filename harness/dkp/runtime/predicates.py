"""Event filters for a controller's own kind, as controller-runtime's predicates.

DKP's controllers ignore changes of their own objects that do not matter to them (a status write
by the controller itself must not wake it again, or every reconcile would trigger the next). The
manager remembers the last object it saw per key and asks the controller's ``predicate`` whether
an update is worth a reconcile; creations and deletions always pass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from harness.kube.objects import Obj

__all__ = ["Predicate", "generation_changed", "generation_or_annotations_changed"]

Predicate = Callable[[Obj | None, Obj], bool]
"""``predicate(old, new)``: ``old`` is None when the manager has not seen the object before."""


def _meta(obj: Obj, key: str) -> Any:
    # ``dict.get``: a copy-on-write view's own ``get`` would copy ``metadata`` on every event.
    meta = dict.get(obj, "metadata") or {}
    return dict.get(meta, key)


def _deletion_started(old: Obj, new: Obj) -> bool:
    return _meta(new, "deletionTimestamp") is not None and _meta(old, "deletionTimestamp") is None


def generation_changed(old: Obj | None, new: Obj) -> bool:
    """Spec changes (``metadata.generation``) and the start of a deletion."""
    if old is None:
        return True
    return _meta(old, "generation") != _meta(new, "generation") or _deletion_started(old, new)


def generation_or_annotations_changed(old: Obj | None, new: Obj) -> bool:
    """Also annotation changes: an approval annotation must wake the release controller (§5.3)."""
    if old is None or generation_changed(old, new):
        return True
    return (_meta(old, "annotations") or {}) != (_meta(new, "annotations") or {})
