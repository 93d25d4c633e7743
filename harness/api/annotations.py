"""Annotations of DKP's module objects, and the Go booleans they carry.

Names: docs/dkp-behaviour.md §5.1. DKP reads the boolean annotations with
Go's ``strconv.ParseBool`` (deckhouse/deckhouse
``deckhouse-controller/pkg/controller/module-controllers/release/``), so ``"True"``, ``"t"`` and
``"1"`` all approve a release; :func:`parse_go_bool` is that parser.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "ALLOW_DISABLING",
    "APPLY_NOW",
    "APPROVED",
    "CHANGE_CAUSE",
    "DEFAULT_SOURCE",
    "DEV",
    "EMBEDDED",
    "FORCE",
    "FORCE_DELETE",
    "FORCE_LEGACY",
    "IS_UPDATING",
    "NOTIFIED",
    "REGISTRY_SPEC_CHANGED",
    "REGISTRY_SPEC_CHECKSUM",
    "REINSTALL",
    "RENEW",
    "is_approved",
    "is_true",
    "parse_go_bool",
]

REGISTRY_SPEC_CHECKSUM = "modules.deckhouse.io/registry-spec-checksum"
REGISTRY_SPEC_CHANGED = "modules.deckhouse.io/registry-spec-changed"
FORCE_DELETE = "modules.deckhouse.io/force-delete"
APPROVED = "modules.deckhouse.io/approved"
APPLY_NOW = "modules.deckhouse.io/apply-now"
FORCE = "modules.deckhouse.io/force"
FORCE_LEGACY = "release.deckhouse.io/force"
REINSTALL = "modules.deckhouse.io/reinstall"
IS_UPDATING = "modules.deckhouse.io/isUpdating"
DEFAULT_SOURCE = "modules.deckhouse.io/default-source"
"""Deckhouse v1.73 and later: marks the one default ModuleSource (docs/dkp-eras.md)."""
NOTIFIED = "modules.deckhouse.io/notified"
RENEW = "modules.deckhouse.io/renew"
"""On a ModulePullOverride: asks for the dev image again; removed after each deploy."""
DEV = "modules.deckhouse.io/dev"
"""On a Module (Deckhouse v1.76 and later): its package view comes from a ModulePullOverride."""
EMBEDDED = "modules.deckhouse.io/embedded"
"""On a Module (Deckhouse v1.76 and later): the module is built into the Deckhouse image; today's
Deckhouse lists such a module with this mark and ``spec.packageRepositoryName: embedded``."""
CHANGE_CAUSE = "modules.deckhouse.io/change-cause"
ALLOW_DISABLING = "modules.deckhouse.io/allow-disabling"

GO_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
GO_FALSE = frozenset({"0", "f", "F", "FALSE", "false", "False"})


def parse_go_bool(value: str) -> bool | None:
    """Go's ``strconv.ParseBool``: None when the text is not a Go boolean."""
    if value in GO_TRUE:
        return True
    if value in GO_FALSE:
        return False
    return None


def is_true(annotations: Mapping[str, str], name: str) -> bool:
    """The annotation is present and parses as Go's true."""
    return parse_go_bool(annotations.get(name, "")) is True


def is_approved(annotations: Mapping[str, str]) -> bool:
    """``modules.deckhouse.io/approved`` parsed as a Go bool; unparsable means not approved."""
    return is_true(annotations, APPROVED)
