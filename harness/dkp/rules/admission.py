"""DKP's validating webhooks: which writes of its objects the API server refuses.

Pure functions of the object under review and the stored objects of its kind; ``None`` allows
the write, a string is the reason the webhook denies it. ``harness.cluster`` registers them with
the fake API server for the behaviours its Deckhouse version has (docs/dkp-eras.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from harness.api import annotations as ann
from harness.api import labels as lbl
from harness.api import sources
from harness.kube.objects import Obj, deep_get, name_of

__all__ = [
    "DECKHOUSE_SERVICE_ACCOUNT",
    "MODULE_CONFIG_WEBHOOK",
    "MODULE_SOURCE_WEBHOOK",
    "UPDATE_POLICY_LABEL_POLICY",
    "embedded_source_refused",
    "second_default_source",
    "unavailable_source",
    "update_policy_relabel",
]

MODULE_SOURCE_WEBHOOK = "module-sources.deckhouse-webhook.deckhouse.io"
"""The webhook's name as the denial prints it (upstream PR #14989)."""
MODULE_CONFIG_WEBHOOK = "module-configs.deckhouse-webhook.deckhouse.io"
"""The webhook's name as the denial prints it (upstream PR #10336's description)."""
UPDATE_POLICY_LABEL_POLICY = "update-policy-label-objects.deckhouse.io"
"""The ValidatingAdmissionPolicy (and its binding) of ``modules/002-deckhouse/templates/
validation.yaml`` that guards a release's update-policy label (upstream PR #9035, August 2024)."""
DECKHOUSE_SERVICE_ACCOUNT = "system:serviceaccount:d8-system:deckhouse"
"""Who Deckhouse's controllers write as."""
_D8_SERVICE_ACCOUNTS = "system:serviceaccount:d8-"
_GLOBAL_CONFIG = "global"
"""The ModuleConfig of Deckhouse's global settings: no module, so no source to check."""


def second_default_source(obj: Obj, existing: Iterable[Obj]) -> str | None:
    """Deckhouse v1.73 and later (``Behaviour.DEFAULT_SOURCE_ANNOTATION``): at most one
    ModuleSource carries ``modules.deckhouse.io/default-source: "true"`` (upstream PR #14989,
    the ModuleSource webhook of ``deckhouse-controller``)."""
    if not ann.is_true(deep_get(obj, "metadata.annotations", {}) or {}, ann.DEFAULT_SOURCE):
        return None
    others = (o for o in existing if name_of(o) != name_of(obj))
    if any(ann.is_true(deep_get(o, "metadata.annotations", {}) or {}, ann.DEFAULT_SOURCE) for o in others):
        return "there can only be one default source"
    return None


def embedded_source_refused(obj: Obj) -> str | None:
    """Deckhouse v1.76 and later (``Behaviour.EMBEDDED_TAKEOVER``): ``Embedded`` marks built-in
    modules and is not a source a ModuleConfig may name (upstream ModuleConfig webhook, with
    ``resolveEmbeddedTargetModuleSource`` in ``…/module-controllers/source/helpers.go``)."""
    if deep_get(obj, "spec.source") == sources.EMBEDDED:
        return f"'{sources.EMBEDDED}' is a forbidden source"
    return None


def unavailable_source(obj: Obj, module: Obj | None) -> str | None:
    """Every era (upstream PR #10336, merged 2024-11-15, shipped in v1.67): the ModuleConfig webhook
    (``moduleConfigValidationHandler`` of ``deckhouse-controller``, package ``validation``) refuses
    a ``spec.source`` that is not among ``properties.availableSources`` of the config's Module, on
    create and on update alike. Without a Module (``module``: ``None``) the write is allowed (the
    webhook only warns "the '<name>' module not found"), and the ``global`` config is not checked.
    The sources are listed as Go's ``%v`` prints a string slice: ``[a b]``."""
    name, wanted = name_of(obj), deep_get(obj, "spec.source")
    if not wanted or name == _GLOBAL_CONFIG or module is None:
        return None
    available = [str(s) for s in deep_get(module, "properties.availableSources", []) or []]
    if wanted in available:
        return None
    return (
        f"the '{wanted}' module source is an unavailable source for the '{name}' module, "
        f"available sources: [{' '.join(available)}]"
    )


def update_policy_relabel(obj: Obj, old: Obj | None, user: str) -> str | None:
    """Every era (upstream PR #9035, merged 2024-08-19): Deckhouse's ValidatingAdmissionPolicy
    ``update-policy-label-objects.deckhouse.io`` refuses an update of a ModuleRelease that changes
    the value of its ``modules.deckhouse.io/update-policy`` label, unless a ``d8-`` service
    account (Deckhouse itself) writes it. Setting the label where there was none, or removing it
    (so that the controller finds the policy again), is allowed."""
    if old is None or user.startswith(_D8_SERVICE_ACCOUNTS):
        return None
    new_labels = deep_get(obj, "metadata.labels", {}) or {}
    old_labels = deep_get(old, "metadata.labels", {}) or {}
    if lbl.UPDATE_POLICY not in new_labels or lbl.UPDATE_POLICY not in old_labels:
        return None
    if new_labels[lbl.UPDATE_POLICY] == old_labels[lbl.UPDATE_POLICY]:
        return None
    return (
        "Manual update-policy change is forbidden. Please, remove the update-policy label to "
        "automatically find a new suitable policy"
    )
