"""A ModuleRelease's status as DKP writes it: the whole typed struct, every time.

DKP's release controller never patches single status fields. It reads the release into Go's
``ModuleReleaseStatus`` struct, changes it, and sends the whole struct back with a status update
(``ctrlutils.UpdateStatusWithRetry`` → ``client.Status().Update``, skipped only when nothing
changed; ``deckhouse-controller/pkg/controller/ctrlutils/update.go``). Four of the struct's
fields carry no ``omitempty`` (``deckhouse-controller/pkg/apis/deckhouse.io/v1alpha1/
module_release.go``), so the first write a release gets from DKP stores them with their zero
values even when the controller never set them: ``approved: false``, ``message: ""``,
``size: 0`` and ``pullDuration: 0s`` (a zero ``metav1.Duration`` prints as ``0s``). Upstream's
golden files show exactly that shape on every release the controller touched. ``phase`` is
``omitempty``; a zero ``transitionTime`` is sent as ``null``, which the API server prunes from a
custom resource, so both are left out when unset.

From Deckhouse v1.78 (``Behaviour.STATUS_OMITEMPTY``) ``message`` and ``size`` carry
``omitempty``: the release-controller goldens of the suite at 049a95cf print neither on a release
whose message is empty and whose size is zero (``approved: false`` and ``pullDuration: 0s`` stay:
a bool without the tag, and ``omitempty`` never drops a struct), where the suite's v1.77 case
``module-documentation-embedded`` (99e4a372) still prints ``message: ""`` and ``size: 0``.
Because DKP replaces the whole status, a message emptied later disappears from the object too;
:func:`status_patch` says so to a merge patch with ``null``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["status_patch", "typed_status"]

#: The fields ``omitempty`` drops at their zero value from v1.78 on.
_OMITTED_WHEN_EMPTY: tuple[tuple[str, Any], ...] = (("message", ""), ("size", 0))

#: The struct's fields in Go's order, with the value a never-set field is written with
#: (``None``: ``omitempty`` or pruned, so left out).
_FIELDS: tuple[tuple[str, Any], ...] = (
    ("phase", None),
    ("approved", False),
    ("transitionTime", None),
    ("message", ""),
    ("size", 0),
    ("pullDuration", "0s"),
)


def typed_status(
    current: Mapping[str, Any] | None, change: Mapping[str, Any], *, omit_empty: bool = False
) -> dict[str, Any]:
    """The status DKP's update sends: ``current`` with ``change`` applied, every struct field
    present with its zero value where neither sets it (``omit_empty``: but an empty ``message``
    and a zero ``size``)."""
    merged = {**(current or {}), **change}
    status: dict[str, Any] = {}
    for key, zero in _FIELDS:
        value = merged.get(key)
        if value is None or (key == "phase" and value == ""):
            value = zero
        if value is not None:
            status[key] = value
    if omit_empty:
        for key, zero in _OMITTED_WHEN_EMPTY:
            if status.get(key) == zero:
                del status[key]
    return status


def status_patch(
    current: Mapping[str, Any] | None, change: Mapping[str, Any], *, omit_empty: bool = False
) -> dict[str, Any]:
    """The merge patch that leaves the status :func:`typed_status` describes: a field the update
    would no longer send but the release still holds is deleted (``null``), as DKP's whole-status
    replacement drops it."""
    typed = typed_status(current, change, omit_empty=omit_empty)
    dropped = {key: None for key, _ in _OMITTED_WHEN_EMPTY if key not in typed and key in (current or {})}
    return {**typed, **dropped}
