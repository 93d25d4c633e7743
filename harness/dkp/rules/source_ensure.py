"""Whether a ModuleSource creates releases for one module it offers (``needToEnsureRelease``).

The source controller reads the module's release channel on every scan; whether it then makes
sure ModuleReleases lead to that version depends on who enabled the module and from which source.
The rule changed between Deckhouse eras, so every era-dependent branch here checks one
:class:`harness.eras.Behaviour` flag and names its versions and upstream source
(``deckhouse-controller/pkg/controller/module-controllers/source/helpers.go``, function
``needToEnsureRelease`` / its older form ``noNeedToEnsureRelease``; docs/dkp-eras.md).

Pure: :func:`need_to_ensure` gets a :class:`EnsureFacts` and returns an :class:`EnsureVerdict`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from harness.api import sources
from harness.api.phases import ConditionStatus
from harness.eras import Behaviour

__all__ = [
    "DEFAULT_SOURCE",
    "EMBEDDED_SOURCE",
    "EnsureFacts",
    "EnsureVerdict",
    "enabled_in_bundle",
    "need_to_ensure",
    "resolve_embedded_target",
]

EMBEDDED_SOURCE = sources.EMBEDDED
"""``properties.source`` of a module shipped inside Deckhouse (a sentinel, not a ModuleSource)."""
DEFAULT_SOURCE = sources.DECKHOUSE
"""The ModuleSource Deckhouse ships; it wins when several sources offer a module (upstream
``defaultModuleSourceName``)."""
_DEFAULT_EDITION_KEY = "_default"


@dataclass(frozen=True)
class EnsureFacts:
    """What the rule reads about one module of one scan."""

    source: str
    """The ModuleSource being scanned."""
    module_source: str
    """``properties.source`` of the Module (``""`` when unset)."""
    available_sources: Sequence[str]
    """``properties.availableSources`` after this scan added the source to it."""
    enabled_by_config: str | None
    """Status of the ``EnabledByModuleConfig`` condition (None: absent)."""
    entry_checksum: str | None
    """The channel digest this source recorded for the module at its previous scan."""
    channel_checksum: str
    """The digest of the release-channel image now."""
    release_exists: bool
    """A ModuleRelease of the module carries the channel digest's ``release-checksum`` label."""
    accessibility: Mapping[str, Any] | None = None
    """``accessibility`` of the release-channel image's ``module.yaml`` (None: absent)."""
    config_source: str = ""
    """``spec.source`` of the module's ModuleConfig (``""``: none or no ModuleConfig)."""
    chain_complete: bool = True
    """The releases in the cluster lead from the deployed one to the channel's version without a
    gap (``stepbystep.release_chain_complete``; gathered from v1.75 only)."""
    edition: str = "ee"
    bundle: str = "Default"


@dataclass(frozen=True)
class EnsureVerdict:
    ensure: bool
    set_source: bool = False
    """Write ``properties.source`` = this source before ensuring (enabled by bundle, v1.75+)."""


_NO = EnsureVerdict(False)


def enabled_in_bundle(accessibility: Mapping[str, Any] | None, edition: str, bundle: str) -> bool:
    """``ModuleAccessibility.IsEnabled(edition, bundle)`` (``moduleloader/types``, docs/dkp-eras.md).

    The entry for ``edition`` decides when there is one (an explicit entry is authoritative,
    upstream PR #20958), else the ``_default`` entry; the module must be ``available`` there and
    list ``bundle`` in ``enabledInBundles``. No accessibility, no entry: not enabled.
    """
    editions = (accessibility or {}).get("editions")
    if not isinstance(editions, Mapping):
        return False
    entry = editions.get(edition, editions.get(_DEFAULT_EDITION_KEY))
    if not isinstance(entry, Mapping) or entry.get("available") is not True:
        return False
    bundles = entry.get("enabledInBundles") or []
    return isinstance(bundles, list) and bundle in bundles


def resolve_embedded_target(configured: str, available: Sequence[str]) -> tuple[str, bool]:
    """Which source an embedded module takes its releases from, and whether that is a conflict.

    Deckhouse v1.76 and later (``Behaviour.EMBEDDED_TAKEOVER``), upstream
    ``…/source/helpers.go`` ``resolveEmbeddedTargetModuleSource``: a ModuleConfig ``spec.source``
    that offers the module wins (one that does not is a conflict); ``Embedded`` is no choice and
    no candidate; otherwise the only candidate, or ``deckhouse`` among several; several others
    without a choice are a conflict. Returns ``(target, conflict)``; target ``""``: none.
    """
    if configured and configured != EMBEDDED_SOURCE:
        return (configured, False) if configured in available else ("", True)
    candidates = [s for s in available if s != EMBEDDED_SOURCE]
    if not candidates:
        return "", False
    if len(candidates) == 1:
        return candidates[0], False
    if DEFAULT_SOURCE in candidates:
        return DEFAULT_SOURCE, False
    return "", True


def _channel_moved(facts: EnsureFacts, behaviours: frozenset[Behaviour]) -> bool:
    """The last step of every era: the channel digest changed, or no release carries it.

    From v1.77 and v1.76.8 (``Behaviour.RELEASE_CHAIN_REFETCH``; upstream ``releaseChainToTargetComplete``,
    PR #21475 and its backports) also when the releases leading to the channel's version have a
    gap, so intermediates mirrored after the target release was created are fetched.
    """
    if facts.entry_checksum != facts.channel_checksum or not facts.release_exists:
        return True
    return Behaviour.RELEASE_CHAIN_REFETCH in behaviours and not facts.chain_complete


def need_to_ensure(facts: EnsureFacts, behaviours: frozenset[Behaviour]) -> EnsureVerdict:
    """Whether this scan ensures the module's releases, in DKP's order.

    Before v1.75 (no ``enabled-by-bundle``), upstream ``noNeedToEnsureRelease``: only a module
    enabled by its ModuleConfig (``EnabledByModuleConfig`` True) from this very source.
    From v1.75 (``Behaviour.ENABLED_BY_BUNDLE``), ``needToEnsureRelease``: see
    :func:`_bundle_era`; from v1.76 an embedded module follows :func:`resolve_embedded_target`
    (``Behaviour.EMBEDDED_TAKEOVER``).
    """
    if facts.module_source == EMBEDDED_SOURCE and Behaviour.EMBEDDED_TAKEOVER in behaviours:
        target, conflict = resolve_embedded_target(facts.config_source, facts.available_sources)
        if conflict or target != facts.source or facts.enabled_by_config != ConditionStatus.TRUE:
            return _NO
        return EnsureVerdict(_channel_moved(facts, behaviours))
    if Behaviour.ENABLED_BY_BUNDLE in behaviours:
        return _bundle_era(facts, behaviours)
    if facts.module_source != facts.source or facts.enabled_by_config != ConditionStatus.TRUE:
        return _NO
    return EnsureVerdict(_channel_moved(facts, behaviours))


def _bundle_era(facts: EnsureFacts, behaviours: frozenset[Behaviour]) -> EnsureVerdict:
    """Deckhouse v1.75 and later (``Behaviour.ENABLED_BY_BUNDLE``), upstream ``needToEnsureRelease``.

    Another source set in ``properties.source`` (``Embedded`` included, before the takeover
    era): no. No ModuleConfig verdict (condition absent or Unknown): the release-channel image's
    accessibility must enable the module in the cluster's edition and bundle, and when several
    sources offer it only ``deckhouse`` ensures. ``EnabledByModuleConfig`` False: no. Then the
    channel check; a module without ``properties.source`` gets this source.
    """
    if facts.module_source and facts.module_source != facts.source:
        return _NO
    if facts.enabled_by_config in (None, ConditionStatus.UNKNOWN):
        if not enabled_in_bundle(facts.accessibility, facts.edition, facts.bundle):
            return _NO
        if len(facts.available_sources) > 1 and facts.source != DEFAULT_SOURCE:
            return _NO
    elif facts.enabled_by_config != ConditionStatus.TRUE:
        return _NO
    if not _channel_moved(facts, behaviours):
        return _NO
    return EnsureVerdict(True, set_source=not facts.module_source)
