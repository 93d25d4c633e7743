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
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["typed_status"]

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


def typed_status(current: Mapping[str, Any] | None, change: Mapping[str, Any]) -> dict[str, Any]:
    """The status DKP's update sends: ``current`` with ``change`` applied, every struct field
    present with its zero value where neither sets it."""
    merged = {**(current or {}), **change}
    status: dict[str, Any] = {}
    for key, zero in _FIELDS:
        value = merged.get(key)
        if value is None or (key == "phase" and value == ""):
            value = zero
        if value is not None:
            status[key] = value
    return status
