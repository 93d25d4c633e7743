"""Copy-on-write for the write path: build a new object from a stored one without a deep copy.

Stored objects are never changed (see :mod:`harness.apiserver.storage`), so a new version may
share every nested value it does not change with the version before it. The write path relies on
three rules to keep that safe:

- the top-level dict and its ``metadata`` dict of the object being written are private (the
  handlers set identity fields, ``resourceVersion``, ``managedFields`` in them in place);
- below that, nothing is changed in place: pruning and defaulting
  (:mod:`harness.apiserver.schema`) replace a nested container by a changed copy;
- values that come from a request body are copied before they are stored: by the handler, or,
  for a copy-on-write view an in-process caller writes back, by the client, which thaws it into a
  private copy and hands that over (``Request.body_owned``) instead of having it copied twice.

Copying only what changes took a merge patch of a DKP object from five deep copies to two
(the ones handed to the caller and to each in-process subscriber).
"""

from __future__ import annotations

from typing import Any

from harness.kube.objects import Obj
from harness.kube.patches import clone

__all__ = ["merge_shared", "own_top"]


def merge_shared(target: Any, patch: Any) -> Any:
    """RFC 7386 merge patch (as :func:`harness.kube.patches.merge_patch`) that shares what it keeps.

    Containers on the patch's paths are new; patch values are copied; every other nested value is
    ``target``'s own, so the result must be treated as read-only below the levels the patch named.
    """
    if not isinstance(patch, dict):
        return clone(patch)
    result: dict[str, Any] = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_shared(result.get(key), value)
    return result


def own_top(obj: Obj) -> Obj:
    """A copy of ``obj`` whose top level and ``metadata`` may be changed; the rest is shared."""
    out = dict(obj)
    meta = out.get("metadata")
    if isinstance(meta, dict):
        out["metadata"] = dict(meta)
    return out
