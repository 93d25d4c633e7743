"""Module accessibility: in which editions a module is available, in which bundles it is enabled.

Deckhouse v1.75 and later (``Behaviour.EDITION_AVAILABILITY``, ``Behaviour.ENABLED_BY_BUNDLE``);
upstream ``deckhouse-controller/pkg/controller/moduleloader/types`` (``ModuleAccessibility``) and
the ``EditionAvailable`` / ``EditionEnabled`` extenders; docs/dkp-eras.md, "enabled-by-bundle and
edition-availability". A module's ``module.yaml`` carries::

    accessibility:
      editions:
        _default: {available: true, enabledInBundles: [Default, Managed]}
        ce: {available: false}

- available in edition E: E's entry decides when there is one, else ``_default``, else not;
- enabled in bundle B of edition E: E's entry's ``enabledInBundles`` when E has an entry (an
  explicit entry is authoritative, upstream PR #20958), else ``_default``'s;
- a module without ``accessibility`` is not judged (``None``): the extenders skip it.

Pure: the accessibility is the mapping as ``module.yaml`` (or ``Module.properties``) holds it.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

__all__ = ["DEFAULT_ENTRY", "Verdict", "is_available", "is_enabled", "verdict"]

DEFAULT_ENTRY = "_default"


class Verdict(Enum):
    """What the edition extenders say about a module in the cluster's edition and bundle."""

    NOT_JUDGED = "not judged"
    """No accessibility: the extenders have no opinion (the page-era behaviour)."""
    UNAVAILABLE = "unavailable"
    """``EditionAvailable`` says no: the module cannot run in this edition, whatever enables it."""
    NOT_IN_BUNDLE = "not in bundle"
    """Available, but the bundle does not enable it: only a ModuleConfig can."""
    ENABLED = "enabled by bundle"
    """Available and enabled by the cluster's bundle without a ModuleConfig."""


def _entry(accessibility: Mapping[str, Any] | None, edition: str) -> Mapping[str, Any] | None:
    editions = (accessibility or {}).get("editions") or {}
    if not isinstance(editions, Mapping):
        return None
    found = editions.get(edition)
    if found is None:
        found = editions.get(DEFAULT_ENTRY)
    return found if isinstance(found, Mapping) else None


def is_available(accessibility: Mapping[str, Any] | None, edition: str) -> bool:
    """Whether the module may run in ``edition`` (no entry for it and no ``_default``: no)."""
    entry = _entry(accessibility, edition)
    return bool(entry and entry.get("available") is True)


def is_enabled(accessibility: Mapping[str, Any] | None, edition: str, bundle: str) -> bool:
    """Whether ``bundle`` of ``edition`` enables the module without a ModuleConfig."""
    entry = _entry(accessibility, edition)
    if not entry or entry.get("available") is not True:
        return False
    bundles = entry.get("enabledInBundles") or []
    return isinstance(bundles, list) and bundle in bundles


def verdict(accessibility: Mapping[str, Any] | None, edition: str, bundle: str) -> Verdict:
    """The extenders' combined answer; ``NOT_JUDGED`` when the module declares no accessibility."""
    if not accessibility:
        return Verdict.NOT_JUDGED
    if not is_available(accessibility, edition):
        return Verdict.UNAVAILABLE
    return Verdict.ENABLED if is_enabled(accessibility, edition, bundle) else Verdict.NOT_IN_BUNDLE
