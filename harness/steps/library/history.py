"""Steps that check what happened over time, not only the final state.

On the simulator the recorder sees every committed version of every object (see
:mod:`harness.steps.history`), so these checks cannot miss a state that came and went between
two steps; on a real cluster it sees what the API server's watch delivers.
"""

from __future__ import annotations

from harness.steps.catalogue import then
from harness.steps.errors import ScenarioError
from harness.steps.history import TRACKED_KINDS
from harness.steps.phase_names import check_phase, check_phase_of, split_phases
from harness.steps.world import World


@then('the {kind} "{name}" went through {phases}')
def went_through(world: World, kind: str, name: str, phases: str) -> None:
    """The object entered these phases in this order (other phases may come in between).

    The history is kept for Module, ModuleRelease and ModuleSource objects.

    Example:
        Then the Module "module-one" went through Downloading, Installing, Ready
    """
    if kind not in TRACKED_KINDS:
        # Else an untracked or misspelt kind "never had a phase": a claim about DKP that failed.
        raise ScenarioError(
            f"the phase history is kept for {', '.join(TRACKED_KINDS)}, not {kind!r}: use one of them"
        )
    wanted = split_phases(phases)
    for phase in wanted:
        check_phase(phase)
        check_phase_of(kind, phase)
    world.history.assert_went_through(kind, world.name(name), wanted)


@then('the ModuleRelease "{name}" was never Deployed before it was approved')
def never_before_approval(world: World, name: str) -> None:
    """No version of the release was Deployed before the approval annotation was on it.

    Example:
        Then the ModuleRelease "module-one-v0.8.0" was never Deployed before it was approved
    """
    world.history.assert_never_deployed_before_approval(world.name(name))


@then('at no time were two releases of module "{module}" Deployed')
def single_deployed(world: World, module: str) -> None:
    """Checked after every change in the whole history: at most one Deployed release of the module.

    Example:
        Then at no time were two releases of module "module-one" Deployed
    """
    world.history.assert_single_deployed(world.name(module))
