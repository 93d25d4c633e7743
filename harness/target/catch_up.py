"""Before the registry changes under a real cluster: let DKP take in what the scenario wrote.

On the simulator every step ends settled: a ModuleSource created by the scenario has been scanned,
a ModuleConfig has been taken in by the config controller, before the next step runs. A real
cluster (or the time-scaled sandbox) does the same work a moment later, on its own. For most
steps that moment does not matter: checks retry until they hold. A change to the registry is
different: it is not a write DKP reacts to but a change of what DKP's next scan will read, so if
it lands before DKP took in the scenario's previous writes, DKP sees an order of events the
scenario never wrote. Seen on the sandbox under load: a ModuleConfig enabling ``module-one``
made DKP rescan its source, the step after it had already removed ``module-one`` from the
registry, and the rescan deleted the Module as one nobody enabled, where the scenario (and the
simulator) had it enabled first and removed after.

So before each registry change the real target waits, within :data:`CATCH_UP_DEADLINE` of cluster
time, until every ModuleSource of the scenario has completed a scan (``status.syncTime``, or the
``status.message`` of a scan that failed, e.g. on credentials) and the Module of every
ModuleConfig of the scenario shows that config's ``spec.enabled`` in its ``EnabledByModuleConfig``
condition (a ModuleConfig whose Module does not exist has nothing to
show; a disabling one is also shown by no condition at all). A cluster that does not get there in
time is not failed here: the change goes ahead and the scenario's checks say what followed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from harness.api import kinds
from harness.api.conditions import ConditionType
from harness.kube.errors import NotFound
from harness.kube.objects import Obj, deep_get
from harness.kube.resources import Resource

__all__ = ["CATCH_UP_DEADLINE", "lagging"]

CATCH_UP_DEADLINE = timedelta(minutes=1)
"""How long a registry change waits for DKP at most (cluster time): a source's first scan and a
config's enable are reconciled at once on a healthy cluster, well inside a minute."""

Lister = Callable[[Resource], list[Obj]]
Getter = Callable[[Resource, str], Obj]


def lagging(list_owned: Lister, get: Getter) -> str | None:
    """What DKP has not yet taken in of the scenario's writes, or ``None`` when it has."""
    for source in list_owned(kinds.MODULE_SOURCE):
        if not deep_get(source, "status.syncTime") and not deep_get(source, "status.message"):
            return f"ModuleSource {source['metadata']['name']} has not completed a scan yet"
    for config in list_owned(kinds.MODULE_CONFIG):
        enabled = deep_get(config, "spec.enabled")
        if not isinstance(enabled, bool):
            continue
        name = str(config["metadata"]["name"])
        try:
            module = get(kinds.MODULE, name)
        except NotFound:
            continue
        shown = _condition_status(module, ConditionType.ENABLED_BY_MODULE_CONFIG)
        if shown != ("True" if enabled else "False") and (enabled or shown is not None):
            return f"Module {name} does not show ModuleConfig {name}'s enabled: {enabled} yet"
    return None


def _condition_status(obj: Obj, kind: str) -> str | None:
    """The status of condition ``kind`` (``None`` when the object has no such condition)."""
    for condition in deep_get(obj, "status.conditions") or []:
        if isinstance(condition, dict) and condition.get("type") == kind:
            return str(condition.get("status"))
    return None
