"""Steps that move virtual time. Nothing here waits: the clock jumps from timer to timer.

The test process's own ``datetime`` is left alone (see the README): every step reads the
cluster's clock, which is the one the API server stamps objects with and the controllers
schedule on.
"""

from __future__ import annotations

from datetime import datetime

from harness.steps.catalogue import given, when
from harness.steps.phrases import parse_moment, parse_span
from harness.steps.world import World, WorldError


@given("it is {moment}")
def it_is(world: World, moment: str) -> None:
    """Set the virtual clock (only forward). The weekday must match the date.

    Example:
        Given it is Wednesday 2024-12-18 13:25 UTC
    """
    target = parse_moment(moment)
    if world.started:
        _travel(world, moment, target)
    else:
        world.options.start = target


@when("it becomes {moment}")
def it_becomes(world: World, moment: str) -> None:
    """Let virtual time run forward to a moment, firing every timer on the way.

    Example:
        When it becomes Monday 2024-12-23 13:31 UTC
    """
    _travel(world, moment, parse_moment(moment))


@given("{span} pass")
@when("{span} pass")
def time_passes(world: World, span: str) -> None:
    """Let virtual time run forward; rescans, requeues and install steps fire as they fall due.

    Example:
        When 3 minutes pass
    """
    world.cluster.control.advance(parse_span(span))


@when("the cluster settles")
def settles(world: World) -> None:
    """Run the controllers until nothing is left to do now (writes already settle by themselves).

    Example:
        When the cluster settles
    """
    world.settle()


def _travel(world: World, text: str, target: datetime) -> None:
    now = world.now()
    if target < now:
        raise WorldError(
            f"cannot go back to {text}: the virtual clock is already at {now:%A %Y-%m-%d %H:%M} UTC "
            "(put the 'it is' step before anything that lets time pass)"
        )
    world.cluster.control.set(target)
