"""Reading update policies through the client, for the source and release controllers.

The pure rules live in :mod:`harness.dkp.rules.policy`; this module only fetches what they need: the
MUP a Module names and the ``deckhouse`` ModuleConfig settings (docs/dkp-behaviour.md §6.4).

MUPs are read through the served storage version (v1alpha2). A policy created through the
deprecated v1alpha1 API keeps its stored mode, so ``Ignore`` can come back through v1alpha2 even
though that version's enum lacks it; such an object is read with v1alpha1 rules (§5.10).
"""

from __future__ import annotations

from typing import Any

from harness.api import kinds
from harness.dkp.rules import policy
from harness.kube.client import KubeClient
from harness.kube.errors import NotFound
from harness.kube.objects import Obj, deep_get

__all__ = ["deckhouse_settings", "get_named", "resolve_for_module"]


def _as_served(obj: Obj) -> Obj:
    if deep_get(obj, "spec.update.mode") == policy.UpdateMode.IGNORE.value:
        return {**obj, "apiVersion": f"{kinds.GROUP}/v1alpha1"}
    return obj


def get_named(kube: KubeClient, name: str) -> policy.UpdatePolicy | None:
    """The MUP ``name``, or ``None`` when it (or the MUP kind itself) does not exist."""
    try:
        return policy.policy_from_object(_as_served(kube.get(kinds.MODULE_UPDATE_POLICY, name)))
    except NotFound:
        return None


def deckhouse_settings(kube: KubeClient) -> dict[str, Any]:
    try:
        return dict(deep_get(kube.get(kinds.MODULE_CONFIG, "deckhouse"), "spec.settings", {}) or {})
    except NotFound:
        return {}


def resolve_for_module(kube: KubeClient, module: Obj | None) -> policy.UpdatePolicy:
    """§6.4: ``properties.updatePolicy`` when that MUP exists, else the embedded policy."""
    name = str(deep_get(module or {}, "properties.updatePolicy", "") or "")
    named = get_named(kube, name) if name else None
    if named is not None:
        return named
    return policy.embedded_policy(deckhouse_settings(kube))
