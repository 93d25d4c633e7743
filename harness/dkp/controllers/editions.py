"""The edition extenders' verdict on a Module, as the controllers that act on it need it.

Deckhouse v1.75 and later (``Behaviour.EDITION_AVAILABILITY``, ``Behaviour.ENABLED_BY_BUNDLE``;
docs/dkp-eras.md): judged from ``Module.properties.accessibility`` (copied there from the
module's ``module.yaml`` by the source controller) against the cluster's edition and bundle.
Earlier versions judge nothing. The rule itself is ``harness.dkp.rules.accessibility``.
"""

from __future__ import annotations

from harness import eras
from harness.dkp.rules.accessibility import Verdict, verdict
from harness.dkp.runtime.settings import ClusterSettings
from harness.kube.objects import Obj, deep_get

__all__ = ["bundle_enabled", "module_verdict"]


def module_verdict(module: Obj, settings: ClusterSettings) -> Verdict:
    """``NOT_JUDGED`` before Deckhouse v1.75 or for a module declaring no accessibility."""
    if eras.Behaviour.EDITION_AVAILABILITY not in settings.behaviours:
        return Verdict.NOT_JUDGED
    accessibility = deep_get(module, "properties.accessibility")
    return verdict(accessibility or None, settings.edition, settings.bundle)


def bundle_enabled(module: Obj, settings: ClusterSettings) -> bool:
    """Whether the cluster's bundle enables ``module`` without a ModuleConfig (v1.75 and later)."""
    return eras.Behaviour.ENABLED_BY_BUNDLE in settings.behaviours and (
        module_verdict(module, settings) is Verdict.ENABLED
    )
