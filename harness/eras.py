"""Which DKP behaviour the simulated cluster shows, by the Deckhouse version it runs.

The module controllers of Deckhouse changed between the release the documentation page was
written for (v1.67, the default here) and today's. Every rule that differs between versions is a
:class:`Behaviour`; :data:`INTRODUCED_IN` is the one table saying from which Deckhouse version on
each behaviour applies, so supporting the next DKP release is one new row (and its rule), not a
hunt through the controllers. ``docs/dkp-eras.md`` gives, for every row, the upstream rule, the
source file in ``deckhouse/deckhouse`` and how the version was dated.

A behaviour applies to every version at or after the one it was introduced in; a version between
two table rows gets the older rows only. A change Deckhouse also cherry-picked onto an older
release line is a row of :data:`BACKPORTED_TO`: it applies from that patch on within that line
only. ``latest`` is the newest version in the table.

This module is pure and sits below everything else in the harness: it imports nothing from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import total_ordering
from types import MappingProxyType
from typing import Final

__all__ = [
    "BACKPORTED_TO",
    "BUNDLES",
    "DEFAULT_BUNDLE",
    "DEFAULT_VERSION",
    "EDITIONS",
    "INTRODUCED_IN",
    "LATEST",
    "LATEST_ALIAS",
    "Behaviour",
    "DeckhouseVersion",
    "VersionError",
    "behaviours_for",
    "chosen_version",
    "parse_bundle",
    "parse_edition",
    "parse_version",
    "resolve_version",
]

LATEST_ALIAS: Final = "latest"


class VersionError(ValueError):
    """A Deckhouse version the harness cannot read; the message says which forms it accepts."""


@total_ordering
@dataclass(frozen=True)
class DeckhouseVersion:
    """A Deckhouse release ``vMAJOR.MINOR.PATCH`` (pre-releases are not modelled)."""

    major: int
    minor: int
    patch: int = 0

    def __str__(self) -> str:
        return f"v{self.major}.{self.minor}.{self.patch}"

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, DeckhouseVersion):
            return NotImplemented
        return (self.major, self.minor, self.patch) < (other.major, other.minor, other.patch)

    @property
    def minor_line(self) -> str:
        """``v1.75`` — how the docs and the catalogue name a release line."""
        return f"v{self.major}.{self.minor}"


_VERSION = re.compile(r"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?$")


def parse_version(text: str) -> DeckhouseVersion:
    """``v1.67.0``, ``1.74`` or ``1.75.3`` → a version; anything else is a :class:`VersionError`.

    ``latest`` is not a version here: :func:`resolve_version` turns it into :data:`LATEST`.
    """
    match = _VERSION.match(text.strip())
    if match is None:
        raise VersionError(
            f"Deckhouse version {text!r} is not understood: use vMAJOR.MINOR[.PATCH] "
            f"(e.g. v1.67.0 or 1.74) or {LATEST_ALIAS!r}"
        )
    major, minor, patch = match.groups()
    return DeckhouseVersion(int(major), int(minor), int(patch or 0))


class Behaviour(StrEnum):
    """Every era-dependent rule of the simulated DKP; the value is the name docs and tags use.

    The docstring of the rule that implements a behaviour names the versions it applies to and
    its upstream source; ``docs/dkp-eras.md`` has the details for each.
    """

    SOURCE_MODULE_ERROR_FIELD = "source-module-error-field"
    """``ModuleSource.status.modules[].error`` replaces ``pullError`` (kept, deprecated, empty)."""

    DEFAULT_SOURCE_ANNOTATION = "default-source-annotation"
    """``modules.deckhouse.io/default-source: "true"`` on at most one ModuleSource (webhook)."""

    IMAGE_INFO_ERROR_PREFIX = "image-info-error-prefix"
    """A module's fetch error in the ModuleSource status reads ``get image info: fetch image error:
    …`` (the downloader wraps the channel-image fetch once more)."""

    ENABLED_BY_BUNDLE = "enabled-by-bundle"
    """A module enabled only by ``accessibility.editions.<edition>.enabledInBundles`` (no
    ModuleConfig) gets its releases from its source, and is enabled by the bundle."""

    EDITION_AVAILABILITY = "edition-availability"
    """A module unavailable in the cluster's edition is phase ``Unavailable`` and cannot be
    enabled (EditionAvailable extender); available but not bundled is ``Downloaded`` when off."""

    METRICS_FINALIZER = "metrics-registered-finalizer"
    """The release controller first adds finalizer ``modules.deckhouse.io/metrics-registered``."""

    DOCUMENTATION_MOUNT_PATH = "documentation-mount-path"
    """``ModuleDocumentation`` paths name the module's mount, ``/modules/<module>``, instead of its
    versioned download directory (``/<module>/v<version>``, an override's ``/<module>/dev``)."""

    SCAN_INTERVAL = "source-scan-interval"
    """``ModuleSource.spec.scanInterval`` (default ``3m``) sets the resync period."""

    REQUIREMENTS_MESSAGE_PREFIX = "requirements-message-prefix"
    """Unmet requirements read ``check module release requirements: validate release: …``."""

    STEP_BY_STEP_ALWAYS = "step-by-step-always"
    """Release creation always walks the registry step by step from the deployed version (the
    highest patch of its own minor included) and finding nothing newer is a no-op; older versions
    create only the target when the jump is an updating sequence."""

    RELEASE_CHAIN_REFETCH = "release-chain-refetch"
    """The source fetches again when the channel's release exists but the releases leading to it
    from the deployed one have a gap (intermediates mirrored later); older versions wait for the
    channel to move."""

    DOCUMENTATION_WHEN_ENABLED = "documentation-when-enabled"
    """``ModuleDocumentation`` is ensured only while ``EnabledByModuleManager`` is True."""

    DEPLOY_MARKS_NOTIFIED = "deploy-marks-notified"
    """A deployed release carries ``notified: "true"`` (older controllers reset it to ``"false"``)."""

    MODULE_PACKAGE_MIRROR = "module-package-mirror"
    """Deploying a release mirrors it into Module ``deckhouse.io/v1alpha2`` (``spec.packageVersion``,
    ``spec.packageRepositoryName``); the CRD serves v1alpha2 beside v1alpha1."""

    EMBEDDED_TAKEOVER = "embedded-takeover"
    """An Embedded module whose ModuleConfig names an external source gets that source's releases,
    and deploying one switches ``properties.source`` from ``Embedded`` to the source."""

    DELAY_TIME_FULL_YEAR = "delay-time-full-year"
    """A release's delay message prints its time as ``18 Oct 2019 10:00 UTC`` (Go layout
    ``02 Jan 2006 15:04 MST``); older controllers print ``time.RFC822``, ``18 Oct 19 10:00 UTC``."""

    DOCUMENTATION_FOLLOWS_CONFIG = "documentation-follows-config"
    """A ModuleConfig that switches a module off deletes its ``ModuleDocumentation``; switching it
    on again restores it from the deployed release."""

    DOCUMENTATION_SKIPS_EMBEDDED = "documentation-skips-embedded"
    """A deployed release of a module the build still ships embedded (only staged) writes no
    ``ModuleDocumentation`` and deletes one an older Deckhouse left."""

    EMBEDDED_POLICY_AUTO_PATCH = "embedded-policy-autopatch"
    """The embedded update policy of a ``deckhouse`` ModuleConfig without ``settings.update.mode``
    runs as ``AutoPatch`` (minor module releases wait for approval); older controllers ran it as
    ``Auto``."""

    OVERRIDE_RENEW = "override-renew"
    """A ModulePullOverride annotated ``modules.deckhouse.io/renew: "true"`` is deployed again with
    its digest unchanged; a failed deploy is ``Deploy error: …`` and keeps the annotation."""

    STATUS_OMITEMPTY = "status-omitempty"
    """Empty ``message`` and zero ``size`` of a ModuleRelease's status, and an empty ``message`` of
    a ModuleSource's, are left out of the status DKP writes (their Go fields gained
    ``omitempty``); older controllers store ``message: ""`` and ``size: 0``."""

    RELEASE_VALIDATIONS = "release-validations"
    """SQL validations shipped in the module (``release/validations/*.sql``) run before install; a
    failure keeps the release Pending with reason ``ReleaseValidationsCheck``."""


def _v(text: str) -> DeckhouseVersion:
    return parse_version(text)


INTRODUCED_IN: Final = MappingProxyType(
    {
        Behaviour.SOURCE_MODULE_ERROR_FIELD: _v("v1.73.0"),
        Behaviour.DEFAULT_SOURCE_ANNOTATION: _v("v1.73.0"),
        Behaviour.IMAGE_INFO_ERROR_PREFIX: _v("v1.73.0"),
        Behaviour.ENABLED_BY_BUNDLE: _v("v1.75.0"),
        Behaviour.EDITION_AVAILABILITY: _v("v1.75.0"),
        Behaviour.METRICS_FINALIZER: _v("v1.75.0"),
        Behaviour.DOCUMENTATION_MOUNT_PATH: _v("v1.75.0"),
        Behaviour.SCAN_INTERVAL: _v("v1.75.0"),
        Behaviour.REQUIREMENTS_MESSAGE_PREFIX: _v("v1.75.0"),
        Behaviour.DEPLOY_MARKS_NOTIFIED: _v("v1.75.0"),
        Behaviour.STEP_BY_STEP_ALWAYS: _v("v1.76.0"),
        Behaviour.MODULE_PACKAGE_MIRROR: _v("v1.76.0"),
        Behaviour.EMBEDDED_TAKEOVER: _v("v1.76.0"),
        Behaviour.DELAY_TIME_FULL_YEAR: _v("v1.76.0"),
        Behaviour.DOCUMENTATION_WHEN_ENABLED: _v("v1.77.0"),
        Behaviour.DOCUMENTATION_FOLLOWS_CONFIG: _v("v1.77.0"),
        Behaviour.DOCUMENTATION_SKIPS_EMBEDDED: _v("v1.77.0"),
        Behaviour.EMBEDDED_POLICY_AUTO_PATCH: _v("v1.77.0"),
        Behaviour.RELEASE_CHAIN_REFETCH: _v("v1.77.0"),
        Behaviour.RELEASE_VALIDATIONS: _v("v1.78.0"),
        Behaviour.OVERRIDE_RENEW: _v("v1.78.0"),
        Behaviour.STATUS_OMITEMPTY: _v("v1.78.0"),
    }
)
"""The one version → behaviour map: the Deckhouse release that introduced each behaviour.

How each version was dated (PR merge dates against release-branch cuts, or a choice where
upstream does not say) is in ``docs/dkp-eras.md``.
"""

BACKPORTED_TO: Final = MappingProxyType(
    {
        Behaviour.EMBEDDED_POLICY_AUTO_PATCH: (_v("v1.75.15"), _v("v1.76.9")),
        Behaviour.RELEASE_CHAIN_REFETCH: (_v("v1.76.8"),),
        Behaviour.DOCUMENTATION_SKIPS_EMBEDDED: (_v("v1.76.8"),),
        Behaviour.DOCUMENTATION_FOLLOWS_CONFIG: (_v("v1.76.11"),),
    }
)
"""Patch releases of older lines that received a behaviour as a cherry-pick (one per line).

Each entry is the first patch of its release line whose changelog lists the backport
(``CHANGELOG/CHANGELOG-v1.76.9.yml`` and the like); ``docs/dkp-eras.md`` names the pull requests.
A backport counts only within its own line: v1.75.15 says nothing about v1.76.0.
"""

DEFAULT_VERSION: Final = _v("v1.67.0")
"""The era of the documentation page: what the simulator runs unless told otherwise."""

LATEST: Final = max(INTRODUCED_IN.values())
"""The newest Deckhouse version whose behaviour the simulator knows (``--deckhouse-version latest``)."""


def chosen_version(text: str) -> DeckhouseVersion:
    """A version given on a command line: as :func:`resolve_version`, but an empty one is refused.

    ``--deckhouse-version "$VERSION"`` with ``VERSION`` unset ran the page's era without a word,
    and the report named that version as if it had been asked for.
    """
    if not text.strip():
        raise VersionError(
            f"Deckhouse version {text!r} is empty: use vMAJOR.MINOR[.PATCH] (e.g. v1.67.0 or 1.74) or "
            f"{LATEST_ALIAS!r}, or leave the option out for the page's era ({DEFAULT_VERSION})"
        )
    return resolve_version(text)


def resolve_version(text: str | None) -> DeckhouseVersion:
    """What a ``--deckhouse-version`` value means: unset → the page's era, ``latest`` → :data:`LATEST`."""
    if text is None or not text.strip():
        return DEFAULT_VERSION
    if text.strip().lower() == LATEST_ALIAS:
        return LATEST
    return parse_version(text)


def behaviours_for(version: DeckhouseVersion | str) -> frozenset[Behaviour]:
    """Every behaviour introduced at or before ``version``, or backported to its line by then.

    A string goes through :func:`resolve_version`.
    """
    resolved = resolve_version(version) if isinstance(version, str) else version
    return frozenset(b for b, since in INTRODUCED_IN.items() if since <= resolved or _backported(b, resolved))


def _backported(behaviour: Behaviour, version: DeckhouseVersion) -> bool:
    """Whether a cherry-pick brought ``behaviour`` to ``version``'s own release line by that patch."""
    return any(
        patch.minor_line == version.minor_line and patch <= version
        for patch in BACKPORTED_TO.get(behaviour, ())
    )


EDITIONS: Final = ("ce", "be", "se", "se-plus", "ee", "fe", "cse")
"""Edition names as ``accessibility.editions`` keys them (``_default`` is the fallback entry)."""

BUNDLES: Final = ("Default", "Managed", "Minimal")
"""Module bundles of Deckhouse; ``enabledInBundles`` lists some of them."""

DEFAULT_BUNDLE: Final = "Default"


def parse_edition(text: str) -> str:
    """An edition name (case-insensitive, ``se+`` accepted for ``se-plus``) or a :class:`VersionError`."""
    name = text.strip().lower().replace("+", "-plus")
    if name not in EDITIONS:
        raise VersionError(f"Deckhouse edition {text!r} is not known: use one of {', '.join(EDITIONS)}")
    return name


def parse_bundle(text: str) -> str:
    """A bundle name (case-insensitive) in its canonical spelling, or a :class:`VersionError`."""
    for bundle in BUNDLES:
        if bundle.lower() == text.strip().lower():
            return bundle
    raise VersionError(f"Deckhouse bundle {text!r} is not known: use one of {', '.join(BUNDLES)}")
