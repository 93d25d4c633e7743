"""``deckhouse-controller module enable|disable <name>``, as a call on the cluster API.

The docs offer the command as an alternative to setting ``spec.enabled`` in the module's
ModuleConfig (docs/dkp-behaviour.md §4.5). Upstream's ``SetModuleConfigEnabledFlag``
(``go_lib/deckhouse-config/kube_helpers.go``) reads ``ModuleConfig/<name>``: when it exists,
``spec.enabled`` is set and every other field (``settings``, ``version``, ``source``,
``updatePolicy``) kept; otherwise one is created with only ``spec.enabled``. It does not check that
the module exists: like a hand-written ModuleConfig, an unknown name ends as ``Ignored: unknown
module name``. A failed call is wrapped as upstream wraps it (``get ModuleConfig/<name>: …``,
``create …``, ``update …``). The simulator writes the change as a merge patch of ``spec.enabled``,
and not at all when it is already so (upstream's full update of an unchanged object changes
nothing either).
"""

from __future__ import annotations

import re

from harness.api import kinds
from harness.kube.client import KubeClient, PatchType
from harness.kube.errors import AlreadyExists, ApiError, NotFound
from harness.kube.objects import Obj, deep_get

__all__ = ["InvalidModuleName", "ModuleSwitchFailed", "set_module_enabled"]

_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


class InvalidModuleName(ValueError):
    """The name cannot be a ModuleConfig name."""


class ModuleSwitchFailed(RuntimeError):
    """The API server refused a step; the message names the step, as upstream's error does."""


def _check(name: str) -> None:
    if not _NAME.match(name) or len(name) > 63:
        raise InvalidModuleName(
            f"invalid module name {name!r}: use lowercase letters, digits and '-', e.g. module-one"
        )


def set_module_enabled(client: KubeClient, name: str, enabled: bool, *, check_name: bool = True) -> Obj:
    """Enable or disable module ``name`` through its ModuleConfig; returns the ModuleConfig.

    ``check_name=False`` leaves the name to the API server's validation, as upstream does.
    """
    if check_name:
        _check(name)
    current = _get(client, name)
    if current is None:
        try:
            return client.create(kinds.MODULE_CONFIG, _new_config(name, enabled))
        except AlreadyExists:  # created concurrently: fall through to the patch
            current = _get(client, name)
        except ApiError as exc:
            raise ModuleSwitchFailed(f"create ModuleConfig/{name}: {exc}") from exc
    if current is not None and deep_get(current, "spec.enabled") is enabled:
        return current
    try:
        return client.patch(
            kinds.MODULE_CONFIG, name, {"spec": {"enabled": enabled}}, patch_type=PatchType.MERGE
        )
    except ApiError as exc:
        raise ModuleSwitchFailed(f"update ModuleConfig/{name}: {exc}") from exc


def _get(client: KubeClient, name: str) -> Obj | None:
    try:
        return client.get(kinds.MODULE_CONFIG, name)
    except NotFound:
        return None
    except ApiError as exc:
        raise ModuleSwitchFailed(f"get ModuleConfig/{name}: {exc}") from exc


def _new_config(name: str, enabled: bool) -> Obj:
    return {
        "apiVersion": kinds.MODULE_CONFIG.api_version,
        "kind": kinds.MODULE_CONFIG.kind,
        "metadata": {"name": name},
        "spec": {"enabled": enabled},
    }
