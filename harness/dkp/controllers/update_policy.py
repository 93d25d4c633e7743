"""Reading update policies through the client, for the source and release controllers.

The pure rules live in :mod:`harness.dkp.rules.policy`; this module only fetches what they need: the
MUP a Module names and the ``deckhouse`` ModuleConfig settings (docs/dkp-behaviour.md §6.4).

MUPs are read through the served storage version (v1alpha2). A policy created through the
deprecated v1alpha1 API keeps its stored mode, so ``Ignore`` can come back through v1alpha2 even
though that version's enum lacks it; such an object is read with v1alpha1 rules (§5.10).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from harness.api import kinds
from harness.dkp.rules import policy
from harness.kube.client import KubeClient
from harness.kube.errors import NotFound
from harness.kube.objects import Obj, deep_get
from harness.kube.resources import Resource

__all__ = ["Getter", "deckhouse_settings", "get_named", "getter", "resolve_for_module"]

Getter = Callable[[Resource, str], Obj | None]
"""How to read one object (None when absent); the release controller passes one that records reads."""


def getter(kube: KubeClient) -> Getter:
    """A :data:`Getter` over ``kube``."""

    def get(resource: Resource, name: str) -> Obj | None:
        try:
            return kube.get(resource, name)
        except NotFound:
            return None

    return get


def _as_served(obj: Obj) -> Obj:
    if deep_get(obj, "spec.update.mode") == policy.UpdateMode.IGNORE.value:
        return {**obj, "apiVersion": f"{kinds.GROUP}/v1alpha1"}
    return obj


def get_named(get: Getter, name: str) -> policy.UpdatePolicy | None:
    """The MUP ``name``, or ``None`` when it (or the MUP kind itself) does not exist."""
    found = get(kinds.MODULE_UPDATE_POLICY, name)
    return None if found is None else policy.policy_from_object(_as_served(found))


def deckhouse_settings(get: Getter) -> dict[str, Any]:
    config = get(kinds.MODULE_CONFIG, "deckhouse")
    return dict(deep_get(config or {}, "spec.settings", {}) or {})


def resolve_for_module(
    get: Getter, module: Obj | None, *, default_mode: policy.UpdateMode = policy.UpdateMode.AUTO
) -> policy.UpdatePolicy:
    """§6.4: ``properties.updatePolicy`` when that MUP exists, else the embedded policy.

    ``default_mode`` is the embedded policy's mode when the ``deckhouse`` ModuleConfig sets none
    (:func:`harness.dkp.rules.policy.embedded_default_mode` for the cluster's Deckhouse version).
    """
    name = str(deep_get(module or {}, "properties.updatePolicy", "") or "")
    named = get_named(get, name) if name else None
    if named is not None:
        return named
    return policy.embedded_policy(deckhouse_settings(get), default_mode=default_mode)
