"""``deckhouse-controller module enable|disable <name>``, as a call on the cluster API.

The docs offer the command as an alternative to setting ``spec.enabled`` in the module's
ModuleConfig (docs/dkp-behaviour.md §4.5). Its implementation was not read (UNVERIFIED), so the
simulator does exactly that and nothing more: create ``ModuleConfig/<name>`` with
``spec.enabled`` when missing, otherwise merge-patch ``spec.enabled`` and keep every other field
(``settings``, ``version``, ``source``, ``updatePolicy``). It does not check that the module
exists: like a hand-written ModuleConfig, an unknown name ends as ``Ignored: unknown module name``.
"""

from __future__ import annotations

import re

from harness.api import kinds
from harness.kube.client import KubeClient, PatchType
from harness.kube.errors import AlreadyExists, NotFound
from harness.kube.objects import Obj, deep_get

__all__ = ["InvalidModuleName", "set_module_enabled"]

_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


class InvalidModuleName(ValueError):
    """The name cannot be a ModuleConfig name."""


def _check(name: str) -> None:
    if not _NAME.match(name) or len(name) > 63:
        raise InvalidModuleName(
            f"invalid module name {name!r}: use lowercase letters, digits and '-', e.g. module-one"
        )


def set_module_enabled(client: KubeClient, name: str, enabled: bool) -> Obj:
    """Enable or disable module ``name`` through its ModuleConfig; returns the ModuleConfig."""
    _check(name)
    try:
        current = client.get(kinds.MODULE_CONFIG, name)
    except NotFound:
        try:
            return client.create(kinds.MODULE_CONFIG, _new_config(name, enabled))
        except AlreadyExists:  # created concurrently: fall through to the patch
            current = client.get(kinds.MODULE_CONFIG, name)
    if deep_get(current, "spec.enabled") is enabled:
        return current
    return client.patch(kinds.MODULE_CONFIG, name, {"spec": {"enabled": enabled}}, patch_type=PatchType.MERGE)


def _new_config(name: str, enabled: bool) -> Obj:
    return {
        "apiVersion": kinds.MODULE_CONFIG.api_version,
        "kind": kinds.MODULE_CONFIG.kind,
        "metadata": {"name": name},
        "spec": {"enabled": enabled},
    }
