"""A phase check that finds a Module held in a passing phase says what holds it.

``Then the Module "my-module" is in phase "Ready"`` after a minute of virtual time found the
Module ``Downloading`` because its only release was ``Suspended`` (settings its schema refuses),
and the message still said to let 15 seconds pass: advice for a check made too early, wrong for
a module that waits on something. A Module leaves ``Downloading`` and ``Installing`` within the
simulated cluster's download and install durations (5 s and 10 s) unless something holds it, so
past a minute in the phase the message names the module's releases with their phases and
messages instead, where what holds it is written.
"""

from __future__ import annotations

from datetime import timedelta

from harness.api import kinds
from harness.kube.objects import deep_get
from harness.steps.phase_names import PASSING_PHASES
from harness.steps.world import World

__all__ = ["HELD_AFTER", "held_phase_note"]

HELD_AFTER = timedelta(minutes=1)
"""Well past the simulated cluster's download (5 s) and install (10 s) durations."""


def held_phase_note(world: World, kind: str, name: str, phase: str) -> str:
    """What holds the Module ``name`` in ``phase``, or ``""`` when it has not been held there long
    (the time-passing hint then applies) or the check is not about a Module on virtual time."""
    if kind != kinds.MODULE.kind or phase not in PASSING_PHASES or world.target.time_mode != "virtual":
        return ""
    cluster_name = world.name(name)
    entered = [row.at for row in world.history.timeline((kind,)) if row.name == cluster_name]
    if not entered:
        return ""
    held = world.now() - entered[-1]
    if held < HELD_AFTER:
        return ""
    releases = [_release_line(release) for release in world.releases_of(name)]
    shown = "; ".join(releases) if releases else "none"
    return (
        f"{phase} for {_span(held)} of virtual time, far longer than the phase lasts unless "
        f"something holds the module; its ModuleReleases: {shown}"
    )


def _release_line(release: dict[str, object]) -> str:
    name = deep_get(release, "metadata.name", "")
    phase = deep_get(release, "status.phase", "") or "no phase"
    message = deep_get(release, "status.message", "")
    return f"{name} is {phase}" + (f' ("{message}")' if message else "")


def _span(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes}m{seconds}s" if seconds else f"{minutes}m"
