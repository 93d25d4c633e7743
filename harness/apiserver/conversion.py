"""Version conversion of custom resources with strategy ``None``, as kube-apiserver does it.

A CRD without a conversion webhook serves every version from the same stored object: the server
rewrites ``apiVersion`` and nothing else, then prunes the object to the schema of the version it
is converted to. So a field only one version's schema knows is dropped when the object is read
through another version, and dropped from storage when written through a version whose schema
has it but the storage version's does not (apiextensions-apiserver applies its schema coercer,
pruning included, after every conversion of the storage codec).

Module is the case that matters: Deckhouse v1.76+ serves ``deckhouse.io/v1alpha2`` (the package
view: ``spec.packageVersion`` …) beside the stored ``v1alpha1`` (``properties``, ``status.phase``),
without a webhook; see docs/dkp-eras.md.
"""

from __future__ import annotations

from harness.apiserver.catalog import ResourceType
from harness.kube.objects import Obj

__all__ = ["convert"]


def convert(obj: Obj, target: ResourceType) -> Obj:
    """``obj`` as ``target``'s version serves or stores it; ``obj`` itself when already there.

    The result is a new top-level dict (with its own ``metadata``); nested values are shared with
    ``obj`` until pruning has to change them, and then replaced by copies, never changed in place.
    """
    version = target.resource.api_version
    if obj.get("apiVersion") == version:
        return obj
    converted = {**obj, "apiVersion": version}
    if target.custom and target.schema is not None:
        meta = converted.get("metadata")
        if isinstance(meta, dict):
            converted["metadata"] = dict(meta)
        target.schema.prune(converted)
    return converted
