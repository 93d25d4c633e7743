"""The task calculator: may this Pending ModuleRelease go ahead, wait, or be skipped for good?

docs/dkp-behaviour.md §5.5, re-read from ``releaseupdater/task_calculator.go`` (newest stored revision,
439292eb). The calculator sees every release of the module (all sources together), sorted by
version, and decides for one Pending release R:

1. R is the only release → Process (``is_single``).
2. A release carrying the force annotation is higher than R → Skip.
3. The lowest Deployed release is higher than R → Skip; equal → error.
4. A from-to endpoint (``spec.update.versions``) that is R → Process (``is_from_to``).
5. R is not a patch of its predecessor P or of the deployed release → it may have to wait
   (P Pending, minor jump over one, major jump other than 0→1).
6. A higher patch of R's minor exists → Skip; otherwise Process.

The module controller calls :func:`calculate_task` with immutable :class:`ReleaseView` values, so
this code never touches the API.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from harness.api.phases import ReleasePhase
from harness.dkp.rules import messages
from harness.dkp.rules.versions import InvalidVersionError, Version, is_patch_of, parse_version

__all__ = [
    "ReleaseAlreadyDeployedError",
    "ReleaseNotPendingError",
    "ReleaseView",
    "Task",
    "TaskKind",
    "calculate_task",
]

PENDING = ReleasePhase.PENDING
DEPLOYED = ReleasePhase.DEPLOYED
_LTS_CHANNEL = "lts"
_LTS_MAX_MINOR_JUMP = 10
_UINT64 = 1 << 64


class ReleaseAlreadyDeployedError(RuntimeError):
    """The Pending release has the deployed version (a race upstream reports as an error)."""

    def __init__(self) -> None:
        super().__init__(messages.MR_ALREADY_DEPLOYED)


class ReleaseNotPendingError(ValueError):
    """Only Pending releases are calculated."""


@dataclass(frozen=True)
class ReleaseView:
    """What the calculator needs of one ModuleRelease (``update_versions`` = from/to pairs)."""

    name: str
    version: Version
    phase: str
    message: str = ""
    force: bool = False
    update_versions: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(
        cls,
        name: str,
        version: str,
        phase: str,
        message: str = "",
        *,
        force: bool = False,
        update_versions: Sequence[tuple[str, str]] = (),
    ) -> ReleaseView:
        """Convenience constructor taking ``spec.version`` as written."""
        return cls(name, parse_version(version), phase, message, force, tuple(update_versions))


class TaskKind(enum.Enum):
    SKIP = "skip"
    AWAIT = "await"
    PROCESS = "process"


@dataclass(frozen=True)
class Task:
    """The verdict; ``deployed`` is the release that a deploy of R would supersede."""

    kind: TaskKind
    message: str = ""
    is_patch: bool = False
    is_single: bool = False
    is_from_to: bool = False
    deployed: ReleaseView | None = None


def calculate_task(
    release: ReleaseView,
    releases: Sequence[ReleaseView],
    *,
    release_channel: str = "",
    lts_minor_limit: bool = False,
) -> Task:
    """Decide for the Pending ``release`` among all ``releases`` of its module (it included).

    ``lts_minor_limit`` turns on the "+10 minors on LTS" rule, which upstream now applies to
    Deckhouse releases only (older code applied it to modules too).
    """
    if release.phase != PENDING:
        raise ReleaseNotPendingError(f"release {release.name!r} is {release.phase or 'new'}, not Pending")
    if len(releases) == 1:  # §5.5 rule 1
        return Task(TaskKind.PROCESS, is_single=True)
    ordered = sorted(releases, key=lambda r: r.version)
    index = _index_of(release, ordered)
    forced = next((r for r in reversed(ordered) if r.force), None)
    if forced is not None and forced.version > release.version:  # §5.5 rule 2
        return Task(TaskKind.SKIP)
    deployed_index = next((i for i, r in enumerate(ordered) if r.phase == DEPLOYED), None)
    deployed = ordered[deployed_index] if deployed_index is not None else None
    if deployed is not None:  # §5.5 rule 3
        if deployed.version > release.version:
            return Task(TaskKind.SKIP)
        if deployed.version == release.version:
            raise ReleaseAlreadyDeployedError()
        assert deployed_index is not None
        if _endpoint_index(ordered, deployed_index) == index:  # §5.5 rule 4
            return Task(TaskKind.PROCESS, is_from_to=True, deployed=deployed)
    return _by_neighbours(release, ordered, index, deployed, release_channel, lts_minor_limit)


def _by_neighbours(
    release: ReleaseView,
    ordered: Sequence[ReleaseView],
    index: int,
    deployed: ReleaseView | None,
    release_channel: str,
    lts_minor_limit: bool,
) -> Task:
    is_patch = True
    if index > 0:
        previous = ordered[index - 1]
        if not is_patch_of(previous.version, release.version) or (
            deployed is not None and not is_patch_of(deployed.version, release.version)
        ):
            is_patch = False
            waiting = _await_message(release, previous, release_channel, lts_minor_limit)
            if waiting is not None:
                return Task(TaskKind.AWAIT, waiting, deployed=deployed)
    if index < len(ordered) - 1:  # §5.5 rule 6
        following = ordered[index + 1].version
        if (release.version.major, release.version.minor) < (following.major, following.minor):
            return Task(TaskKind.PROCESS, is_patch=is_patch, deployed=deployed)
        return Task(TaskKind.SKIP, is_patch=is_patch)  # a higher patch of this minor exists
    return Task(TaskKind.PROCESS, is_patch=is_patch, deployed=deployed)  # §5.5 rule 7


def _await_message(
    release: ReleaseView, previous: ReleaseView, release_channel: str, lts_minor_limit: bool
) -> str | None:
    """§5.5 rule 5: why a non-patch release must wait for its predecessor, or None."""
    if previous.phase == PENDING:
        if "awaiting" in previous.message:
            return previous.message
        return messages.awaiting_release_deployed(str(previous.version))
    mine, theirs = release.version, previous.version
    is_lts = release_channel.lower() == _LTS_CHANNEL
    if mine.major == theirs.major:
        # Go subtracts on uint64: a minor of 0 wraps around and always counts as a jump.
        if not is_lts and (mine.minor - 1) % _UINT64 > theirs.minor:
            return messages.minor_version_greater(theirs.original)
        if is_lts and lts_minor_limit and mine.minor > theirs.minor + _LTS_MAX_MINOR_JUMP:
            return messages.minor_version_greater_lts(theirs.original, mine.minor - theirs.minor)
    if mine.major > theirs.major and not (theirs.major == 0 and mine.major == 1):
        return messages.major_version_greater(theirs.original)
    return None


def _endpoint_index(ordered: Sequence[ReleaseView], deployed_index: int) -> int:
    """§5.5 rule 4: the highest from-to endpoint offered by Pending releases above the deployed."""
    best = -1
    deployed = ordered[deployed_index].version
    for carrier_index in range(len(ordered) - 1, deployed_index, -1):
        carrier = ordered[carrier_index]
        if carrier.phase != PENDING or not carrier.update_versions:
            continue
        best = max(best, _carrier_endpoint(ordered, carrier, deployed, deployed_index))
    return best


def _carrier_endpoint(
    ordered: Sequence[ReleaseView], carrier: ReleaseView, deployed: Version, deployed_index: int
) -> int:
    best = -1
    for start, end in carrier.update_versions:
        to = _lenient(end)
        if to is None or (to.major, to.minor) != (carrier.version.major, carrier.version.minor):
            continue  # a constraint only counts on a release of the minor it leads to
        frm = _lenient(start)
        if frm is None or deployed < frm or deployed >= to:
            continue
        for i in range(max(deployed_index, best), len(ordered)):
            version = ordered[i].version
            if (version.major, version.minor) == (to.major, to.minor):
                best = max(best, i)
    return best


def _lenient(text: str) -> Version | None:
    try:
        return parse_version(text)
    except InvalidVersionError:
        return None  # upstream logs and ignores an unparsable from/to


def _index_of(release: ReleaseView, ordered: Sequence[ReleaseView]) -> int:
    for i, candidate in enumerate(ordered):
        if candidate.version == release.version:
            return i
    raise ValueError(
        f"release {release.name!r} (v{release.version}) is missing from the module's release list; "
        "pass every ModuleRelease of the module, the calculated one included"
    )
