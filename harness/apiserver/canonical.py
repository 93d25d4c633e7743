"""Metadata in the form kube-apiserver stores it, whatever form the client sent.

kube-apiserver decodes every object, custom resources included, into a typed ``ObjectMeta``
(for custom resources, apiextensions-apiserver's object-meta coercion in
``pkg/registry/customresource``) and encodes it back with ``omitempty`` on every map and list
(``k8s.io/apimachinery/pkg/apis/meta/v1/types.go``). So empty ``annotations``, ``labels``,
``finalizers``, ``ownerReferences`` and ``managedFields`` are never stored nor returned; keeping
them made ``kubectl diff`` after an apply report ``annotations: {}`` where a cluster reports none.

Namespaces get their ``kubernetes.io/metadata.name`` label from the namespace strategy's
``Canonicalize`` (``pkg/registry/core/namespace/strategy.go``) on every create and update, after a
``generateName`` is resolved: a client can neither change nor remove it.
"""

from __future__ import annotations

from typing import Any

from harness.apiserver.catalog import ResourceType

__all__ = ["NAME_LABEL", "canonicalize"]

NAME_LABEL = "kubernetes.io/metadata.name"
_OMITTED_WHEN_EMPTY = ("annotations", "labels", "finalizers", "ownerReferences", "managedFields")


def canonicalize(rt: ResourceType, meta: dict[str, Any]) -> None:
    """Bring ``meta`` (the private metadata of an object about to be stored) to its stored form."""
    if rt.key == ("", "namespaces") and not rt.custom:
        meta["labels"] = {**(meta.get("labels") or {}), NAME_LABEL: meta["name"]}
    for key in _OMITTED_WHEN_EMPTY:
        if key in meta and not meta[key]:
            del meta[key]
