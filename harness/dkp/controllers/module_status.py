"""Read-modify-write of Module objects, shared by the config controller and the install simulation.

DKP's ``utils.UpdateStatus`` / ``utils.Update`` take a mutate function and write only when it
reports a change. Here the change test is made on the data itself, ignoring ``lastProbeTime``
(which every condition setter stamps): otherwise each reconcile at a new instant would write, wake
every Module watcher, and make the cluster churn for nothing. A stale ``resourceVersion`` gives a
409 that the manager retries with backoff, as controller-runtime would requeue.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from harness.api import kinds
from harness.dkp.rules import conditions
from harness.kube.client import KubeClient
from harness.kube.objects import Obj, deep_get

__all__ = ["condition", "conditions_of", "phase_of", "update_properties", "update_status"]

Mutator = Callable[[Obj], None]


def conditions_of(module: Obj) -> list[dict[str, Any]]:
    """The live conditions list of ``module`` (created when absent), for in-place setters."""
    status = module.setdefault("status", {})
    found: list[dict[str, Any]] = status.setdefault("conditions", [])
    return found


def condition(module: Obj, type_: str) -> str | None:
    """``"True"``/``"False"``/``"Unknown"``, or ``None`` when the condition is absent."""
    return conditions.status_of(deep_get(module, "status.conditions", []) or [], type_)


def phase_of(module: Obj) -> str:
    return str(deep_get(module, "status.phase", "") or "")


def _without_probe_times(value: Any) -> Any:
    status = copy.deepcopy(value) or {}
    for cond in status.get("conditions") or []:
        cond.pop("lastProbeTime", None)
    return status


def update_status(client: KubeClient, module: Obj, mutate: Mutator) -> Obj:
    """Apply ``mutate`` to a copy of ``module`` and PUT its status if anything but probe times changed."""
    changed = copy.deepcopy(module)
    mutate(changed)
    if _without_probe_times(changed.get("status")) == _without_probe_times(module.get("status")):
        return module
    return client.update(kinds.MODULE, changed, subresource="status")


def update_properties(client: KubeClient, module: Obj, mutate: Mutator) -> Obj:
    """Apply ``mutate`` to a copy of ``module`` and PUT it when ``properties`` changed."""
    changed = copy.deepcopy(module)
    mutate(changed)
    if changed.get("properties") == module.get("properties"):
        return module
    return client.update(kinds.MODULE, changed)
