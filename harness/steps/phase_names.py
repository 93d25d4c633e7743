"""Phase names a scenario writes: a misspelt one is the scenario's mistake, not DKP's.

``Then the Module "module-one" went through Downloding, Ready`` would otherwise fail as "its
phases were none of those" and count against the claim. A name that DKP does not write but that
is spelt like one it does (difflib's ratio at least 0.8: ``Downloding``/``Downloading``,
``Deployd``/``Deployed``) is refused with the name meant. A name unlike any is left to the check:
a later Deckhouse may write phases this list does not have.
"""

from __future__ import annotations

import difflib

from harness.api import kinds
from harness.api.phases import ModulePhase, ReleasePhase, SourcePhase
from harness.steps.errors import ScenarioError

__all__ = [
    "KNOWN_PHASES",
    "PASSING_PHASES",
    "PHASES_OF",
    "check_phase",
    "check_phase_of",
    "check_phases",
    "passing_phase_note",
    "split_phases",
]

KNOWN_PHASES = frozenset({str(p) for p in (*ModulePhase, *ReleasePhase, *SourcePhase)} | {"Downloaded"})
"""Every phase the simulated Deckhouse writes in any era (``Downloaded``: from v1.75's editions)."""


def check_phase(phase: str) -> None:
    """Refuse ``phase`` when it is not a phase DKP writes but is spelt like one."""
    if phase in KNOWN_PHASES:
        return
    near = difflib.get_close_matches(phase, sorted(KNOWN_PHASES), n=1, cutoff=0.8)
    if near:
        raise ScenarioError(
            f"unknown phase {phase!r}: did you mean {near[0]!r}? (the phases DKP writes:"
            f" {', '.join(sorted(KNOWN_PHASES))})"
        )


def split_phases(text: str) -> list[str]:
    """``"Downloading, Installing → Ready"`` → the phases in order."""
    return [p.strip() for p in text.replace("→", ",").split(",") if p.strip()]


def check_phases(text: str) -> None:
    for phase in split_phases(text):
        check_phase(phase)


PASSING_PHASES = frozenset(
    {
        str(ModulePhase.DOWNLOADING),
        str(ModulePhase.INSTALLING),
        str(ModulePhase.RECONCILING),
        "Downloaded",
    }
)
"""Phases a Module goes through on its own within seconds, with nothing else to happen first."""


def passing_phase_note(actual: object, expected: str, time_mode: str) -> str:
    """A line for a phase check that found the object in a phase it only passes through, on
    virtual time; ``""`` otherwise.

    Enabling a module and checking ``Ready`` at once found it ``Downloading``, which reads like
    DKP stuck. On the simulator nothing moves until a step lets time pass; on a real cluster the
    check waits by itself, so there is nothing to say.
    """
    phase = str(actual or "")
    if time_mode != "virtual" or phase == expected or phase not in PASSING_PHASES:
        return ""
    return (
        f"{phase} is a phase the object passes through, and time is virtual: it moves on only when "
        "a step lets time pass, e.g. `When 15 seconds pass` before this step"
    )


PHASES_OF: dict[str, frozenset[str]] = {
    kinds.MODULE.kind: frozenset({str(p) for p in ModulePhase} | {"Downloaded"}),
    kinds.MODULE_RELEASE.kind: frozenset(str(p) for p in ReleasePhase),
    kinds.MODULE_SOURCE.kind: frozenset(str(p) for p in SourcePhase),
}
"""The phases the simulated Deckhouse writes for each kind, in any era."""


def check_phase_of(kind: str, phase: str) -> None:
    """Refuse ``phase`` for ``kind`` when DKP writes it for other kinds only.

    ``Then the Module "module-one" is in phase "Deployed"`` (a ModuleRelease's phase) failed as an
    expectation not met, as if DKP had missed the claim; it is the scenario's mistake. A phase no
    kind has, or a kind without a list here, is left to the check (a later Deckhouse may write
    phases this list does not have).
    """
    own = PHASES_OF.get(kind)
    if own is None or phase in own:
        return
    others = [other for other, phases in PHASES_OF.items() if phase in phases]
    if not others:
        return
    raise ScenarioError(
        f"{phase!r} is a phase of a {' or a '.join(others)}, not of a {kind}: a {kind}'s phases: "
        f"{', '.join(sorted(own))}"
    )
