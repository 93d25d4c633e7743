"""Which ModuleReleases the source controller creates when a channel moves (the release fetcher).

Two variants, chosen by the cluster's Deckhouse version (``Behaviour.STEP_BY_STEP_ALWAYS``,
docs/dkp-eras.md); both from ``deckhouse-controller/pkg/controller/module-controllers/source/
module_release_fetcher.go``.

**Variant A** (before Deckhouse v1.76, the page's era, docs/dkp-behaviour.md §5.2). Given the
channel's target version, the module's existing releases (from any source) and the version tags
of ``R/<module>``, the fetcher:

* with no release at all, creates the target only (``no releases in cluster``) with apply-now;
* on the LTS channel, creates the target only (``LTS channel - direct release``);
* when the start release → target is an "updating sequence" (neither major nor minor grows by two
  or more), creates the target only (``from deployed``) — the start is the deployed release, or
  the lowest release when none is deployed;
* when the releases in the cluster form a sequence and the last of them → target is one too,
  creates the target only (``from last release in cluster``);
* otherwise lists the tags and creates one release per minor — the highest patch — from the start
  up to the target's minor, the last clamped to the target (``step-by-step``).

**Variant B** (Deckhouse v1.76 and later; PR #19328 "Don't skip module patches during updates",
listed in the v1.76.0 changelog): the two "updating sequence" shortcuts are gone. After the first
release and the LTS channel (unchanged), the fetcher always lists the tags and creates, with
``step-by-step``, the highest patch of every minor from the start version up to the target's minor
— the start's own minor included, versions strictly above the start only, the last clamped to the
target. The start is the deployed release (or the lowest release when none is deployed), or the
last release in the cluster when the releases from the start up form a chain; whether two
neighbours are a chain is :func:`is_sequential_pair`, the rule PR #21475 shares between the
fetcher and the source controller's completeness check (:func:`release_chain_complete`). No
version to create (the start is at or above the target) is a no-op, not an error.

The registry reads are the controller's job: this module only plans.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from harness import eras
from harness.api.phases import ReleasePhase
from harness.dkp.rules import messages
from harness.dkp.rules.versions import InvalidVersionError, Version, parse_version

__all__ = [
    "ExistingRelease",
    "PlannedRelease",
    "PrereleaseNotSupportedError",
    "ReleasePlan",
    "StepByStepError",
    "is_sequential_pair",
    "new_versions",
    "plan_releases",
    "release_chain_complete",
    "version_in_range",
]

_TAG_RE = re.compile(r"^v(([0-9]+).([0-9]+).([0-9]+))$")
_LTS = "lts"
DEPLOYED = ReleasePhase.DEPLOYED


class PrereleaseNotSupportedError(ValueError):
    """The channel points at a pre-release version ([E3] text, kept as the simulator's rule)."""


class StepByStepError(ValueError):
    """The registry offers no version to step through (``get new versions: …``); a ValueError, so
    the source controller records it on the module's status entry like every fetch error."""


@dataclass(frozen=True)
class ExistingRelease:
    """A ModuleRelease of the module: its version, phase and own from-to rules (``spec.update``)."""

    version: Version
    phase: str
    update_versions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PlannedRelease:
    """A release to ensure, in creation order; ``sequence_error`` is reported but not fatal."""

    version: Version
    reason: str
    apply_now: bool = False
    sequence_error: str = ""

    @property
    def change_cause(self) -> str:
        return messages.change_cause(self.reason)


@dataclass(frozen=True)
class ReleasePlan:
    releases: tuple[PlannedRelease, ...]

    @property
    def error(self) -> str:
        """The fetcher's error after creating every release (``""`` when the steps are sound)."""
        problems = [r.sequence_error for r in self.releases if r.sequence_error]
        return messages.STEP_BY_STEP_FAILED_PREFIX + "\n".join(problems) if problems else ""


def plan_releases(
    *,
    target: str,
    existing: Sequence[ExistingRelease],
    tags: Sequence[str] = (),
    channel: str = "",
    target_update_versions: Sequence[tuple[str, str]] = (),
    update_versions_by_version: Mapping[Version, Sequence[tuple[str, str]]] | None = None,
    behaviours: frozenset[eras.Behaviour] = frozenset(),
) -> ReleasePlan:
    """The releases to create for channel version ``target`` (Variant A, or B from v1.76).

    ``tags`` are the tags of ``R/<module>`` (only read when stepping: a plan that needs them and
    got none raises :class:`StepByStepError`, so the caller lists them then and plans again); the
    two ``update_versions`` arguments are the from-to pairs of the target's and of each
    intermediate's module definition.
    """
    wanted = parse_version(target)
    if wanted.is_prerelease:
        raise PrereleaseNotSupportedError(messages.prerelease_not_supported(wanted.original))
    if not existing:
        return _single(wanted, messages.CAUSE_NO_RELEASES, apply_now=True)
    if channel.lower() == _LTS:
        return _single(wanted, messages.CAUSE_LTS)
    spans_by_version = update_versions_by_version or {}
    if eras.Behaviour.STEP_BY_STEP_ALWAYS in behaviours:
        return _plan_always_stepping(wanted, existing, tags, target_update_versions, spans_by_version)
    start, in_cluster = _start_and_cluster(existing)
    if _is_updating_sequence(start, wanted):
        return _single(wanted, messages.CAUSE_FROM_DEPLOYED)
    if _cluster_is_sequence(in_cluster):
        start = in_cluster[-1]
        if _is_updating_sequence(start, wanted):
            return _single(wanted, messages.CAUSE_FROM_LAST_RELEASE)
    steps = _new_versions(start, wanted, tags)
    return ReleasePlan(_steps(start, steps, target_update_versions, spans_by_version))


def _plan_always_stepping(
    wanted: Version,
    existing: Sequence[ExistingRelease],
    tags: Sequence[str],
    target_spans: Sequence[tuple[str, str]],
    spans_by_version: Mapping[Version, Sequence[tuple[str, str]]],
) -> ReleasePlan:
    """Variant B (v1.76+): every plan after the first goes through the registry's tags."""
    chain = _cluster_releases(existing)
    start = chain[0].version
    if all(is_sequential_pair(a, b) for a, b in itertools.pairwise(chain)):
        start = chain[-1].version  # a single release is a chain of its own here
    if not _tag_versions(tags):
        raise StepByStepError(messages.GET_NEW_VERSIONS_PREFIX + messages.NO_MATCHED_TAGS)
    steps = new_versions(start, wanted, tags)
    return ReleasePlan(_steps(start, steps, target_spans, spans_by_version))


def _cluster_releases(existing: Sequence[ExistingRelease]) -> list[ExistingRelease]:
    """The releases "in cluster", ascending: from the highest Deployed one up, or all of them."""
    ordered = sorted(existing, key=lambda r: r.version)
    deployed = [r.version for r in ordered if r.phase == DEPLOYED]
    if not deployed:
        return ordered
    return [r for r in ordered if r.version >= max(deployed)]


def new_versions(start: Version, target: Version, tags: Sequence[str]) -> list[Version]:
    """Variant B's ``getNewVersions``: the highest patch of each minor above ``start`` up to the
    target's minor, the last clamped to ``target``; empty when there is nothing newer (a no-op).

    Upstream's cases (``module_release_fetcher_test.go`` ``TestGetNewVersions``) are a truth table
    in ``tests/dkp/rules/test_dkp_stepbystep_eras.py``.
    """
    result: list[Version] = []
    last: Version | None = None
    for version in sorted(v for v in _tag_versions(tags) if version_in_range(v, start, target)):
        if last is not None and (last.minor < version.minor or last.major < version.major):
            result.append(last)
        last = version
    if last is not None:
        result.append(target if last > target else last)
    return result


def version_in_range(version: Version, start: Version, target: Version) -> bool:
    """Variant B's ``isVersionInRange``: strictly above ``start``, at most the target's minor."""
    within_target = version.major < target.major or (
        version.major == target.major and version.minor <= target.minor
    )
    return version > start and within_target


def is_sequential_pair(lower: ExistingRelease, higher: ExistingRelease) -> bool:
    """May an update go from ``lower`` straight to ``higher`` (``isSequentialReleasePair``)?

    Upstream ``source/helpers.go`` (PR #21475 and its backports); read by the v1.76 fetcher for its
    start (``Behaviour.STEP_BY_STEP_ALWAYS``) and by :func:`release_chain_complete` from v1.77 and v1.76.8
    (``Behaviour.RELEASE_CHAIN_REFETCH``). The versions
    are an updating sequence, or a from-to rule of the *higher* release bridges the gap — its
    ``to`` has the higher release's own major.minor and the lower version is in ``[from, to)``.
    A rule whose ``to`` overshoots the higher release, or that does not parse, bridges nothing.
    """
    if _is_updating_sequence(lower.version, higher.version):
        return True
    return any(_bridges(lower.version, higher.version, span) for span in higher.update_versions)


def _bridges(lower: Version, higher: Version, span: tuple[str, str]) -> bool:
    try:
        low, high = parse_version(span[0]), parse_version(span[1])
    except InvalidVersionError:
        return False
    if (higher.major, higher.minor) != (high.major, high.minor):
        return False
    return low <= lower < high


def release_chain_complete(target: str, existing: Sequence[ExistingRelease]) -> bool:
    """Do the releases in the cluster already lead, without a gap, from the deployed one to
    ``target`` (``releaseChainToTargetComplete``, source/helpers.go)? Read from Deckhouse v1.77 and v1.76.8
    (``Behaviour.RELEASE_CHAIN_REFETCH``) to decide whether the source fetches again.

    True when nothing is deployed or the target is not above the deployed release (the first
    install and no-op paths handle those); otherwise the deployed release and every release in
    ``(deployed, target]`` must end at the target and be pairwise :func:`is_sequential_pair`.
    Raises :class:`InvalidVersionError` for a target that is not a version.
    """
    wanted = parse_version(target)
    deployed = [r for r in existing if r.phase == DEPLOYED]
    if not deployed:
        return True
    base = max(deployed, key=lambda r: r.version)
    if not wanted > base.version:
        return True
    above = sorted((r for r in existing if base.version < r.version <= wanted), key=lambda r: r.version)
    chain = [base, *above]
    if chain[-1].version != wanted:
        return False
    return all(is_sequential_pair(a, b) for a, b in itertools.pairwise(chain))


def _single(version: Version, reason: str, *, apply_now: bool = False) -> ReleasePlan:
    return ReleasePlan((PlannedRelease(version, reason, apply_now),))


def _start_and_cluster(existing: Sequence[ExistingRelease]) -> tuple[Version, list[Version]]:
    """The start version and the ascending versions "in cluster" (≥ deployed, or all)."""
    versions = sorted(r.version for r in existing)
    deployed = [r.version for r in existing if r.phase == DEPLOYED]
    if not deployed:
        return versions[0], versions
    top_deployed = max(deployed)
    return top_deployed, [v for v in versions if v >= top_deployed]


def _is_updating_sequence(a: Version, b: Version) -> bool:
    # Upstream compares the minors even across a major change (1.9 → 2.0 passes, 1.0 → 2.3 fails).
    return a.major + 1 >= b.major and a.minor + 1 >= b.minor


def _cluster_is_sequence(versions: Sequence[Version]) -> bool:
    # A single release is *not* a sequence upstream: the loop that would prove it never runs.
    if len(versions) < 2:
        return False
    return all(_is_updating_sequence(a, b) for a, b in itertools.pairwise(versions))


def _new_versions(start: Version, target: Version, tags: Sequence[str]) -> list[Version]:
    """Highest patch per minor from the start's minor to the target's (``getNewVersions``)."""
    collection = sorted(_tag_versions(tags))
    if not collection:
        raise StepByStepError(messages.GET_NEW_VERSIONS_PREFIX + messages.NO_MATCHED_TAGS)
    result: list[Version] = []
    last: Version | None = None
    for version in (v for v in collection if _in_range(v, start, target)):
        if last is not None and (last.minor < version.minor or last.major < version.major):
            result.append(last)
        last = version
    if last is not None:
        result.append(target if last > target else last)  # clamp to the channel's version
    if len(result) > 1 and result[0].minor == start.minor:
        result = result[1:]  # the start's own minor is not a step
    if not result:
        raise StepByStepError(messages.GET_NEW_VERSIONS_PREFIX + messages.NO_ACCEPTABLE_TAGS)
    return result


def _tag_versions(tags: Sequence[str]) -> list[Version]:
    versions = []
    for tag in tags:
        if _TAG_RE.match(tag):
            try:
                versions.append(parse_version(tag))
            except InvalidVersionError:  # the tag pattern's "." is any character upstream too
                continue
    return versions


def _in_range(version: Version, start: Version, target: Version) -> bool:
    from_start = version.major > start.major or (
        version.major == start.major and version.minor >= start.minor
    )
    to_target = version.major < target.major or (
        version.major == target.major and version.minor <= target.minor
    )
    return from_start and to_target


def _steps(
    start: Version,
    versions: Sequence[Version],
    target_spans: Sequence[tuple[str, str]],
    spans_by_version: Mapping[Version, Sequence[tuple[str, str]]],
) -> tuple[PlannedRelease, ...]:
    planned = []
    current = start
    for version in versions:
        error = _sequence_error(current, version, spans_by_version.get(version, ()), target_spans)
        planned.append(PlannedRelease(version, messages.CAUSE_STEP_BY_STEP, sequence_error=error))
        current = version
    return tuple(planned)


def _sequence_error(
    current: Version,
    version: Version,
    own_spans: Sequence[tuple[str, str]],
    target_spans: Sequence[tuple[str, str]],
) -> str:
    """A non-sequential hop is an error unless a from-to constraint is declared (see docs)."""
    if own_spans:
        # Upstream checks the *target's* spans here, whatever the intermediate declares.
        return _from_to_error(
            current, target_spans, "from-to check from ensured module: not sequential version: "
        )
    if _is_updating_sequence(current, version):
        return ""
    if target_spans:
        prefix = (
            f"from-to check from target module: not sequential version: prev 'v{current}' next 'v{version}': "
        )
        return _from_to_error(current, target_spans, prefix)
    return messages.not_sequential_version(str(current), str(version))


def _from_to_error(current: Version, spans: Sequence[tuple[str, str]], prefix: str) -> str:
    """Upstream's from-to check fails only when no span covers ``current`` and one does not parse."""
    unparsable = ""
    for start, end in spans:
        try:
            low = parse_version(start)
        except InvalidVersionError:
            unparsable = f"from '{start}'"  # upstream keeps only the last parse error
            continue
        try:
            high = parse_version(end)
        except InvalidVersionError:
            unparsable = f"to '{end}'"
            continue
        if low <= current < high:
            return ""
    if not unparsable:
        return ""
    invalid = "Invalid Semantic Version"
    return f"{prefix}parse constraint: {invalid}\nparse constraint {unparsable}: {invalid}"
