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


def _same_but_probe_times(left: Any, right: Any) -> bool:
    """Whether two statuses are equal once each condition's ``lastProbeTime`` is left out.

    Compared in place rather than on stripped copies: this runs on every Module reconcile.
    """
    left, right = left or {}, right or {}
    if left.keys() != right.keys():
        return False
    return all(
        _same_conditions(left[key], right[key]) if key == "conditions" else left[key] == right[key]
        for key in left
    )


def _same_conditions(left: Any, right: Any) -> bool:
    if not (isinstance(left, list) and isinstance(right, list)) or len(left) != len(right):
        return bool(left == right)
    return all(_probe_free(a) == _probe_free(b) for a, b in zip(left, right, strict=True))


def _probe_free(cond: Any) -> Any:
    if not isinstance(cond, dict):
        return cond
    return {key: value for key, value in cond.items() if key != "lastProbeTime"}


def update_status(client: KubeClient, module: Obj, mutate: Mutator) -> Obj:
    """Apply ``mutate`` to a copy of ``module`` and PUT its status if anything but probe times changed."""
    changed = copy.deepcopy(module)
    mutate(changed)
    if _same_but_probe_times(changed.get("status"), module.get("status")):
        return module
    return client.update(kinds.MODULE, changed, subresource="status")


def update_properties(client: KubeClient, module: Obj, mutate: Mutator) -> Obj:
    """Apply ``mutate`` to a copy of ``module`` and PUT it when ``properties`` changed.

    An absent ``properties`` and an empty one are the same (Go's typed Module has no "absent"):
    upstream's config controller leaves a Module without properties unwritten when it has no
    source to pick and no policy to bind (golden ``embedded-module`` at e9b778e3, resourceVersion
    unchanged), so the setters' ``setdefault`` alone is no change.
    """
    changed = copy.deepcopy(module)
    mutate(changed)
    if (changed.get("properties") or {}) == (module.get("properties") or {}):
        return module
    return client.update(kinds.MODULE, changed)
