"""Steps that let time pass. On the simulator nothing waits: the clock jumps from timer to timer.

The test process's own ``datetime`` is left alone (see the README): every step reads the
cluster's clock, which is the one the API server stamps objects with and the controllers
schedule on. On a real cluster "3 minutes pass" really waits three minutes of the cluster's time
(the checks after it then poll until they hold); moving the clock to a given instant cannot be
done there, so those steps skip the scenario as needing virtual time. The one exception is the
scenario's first "Given it is ...": on a real cluster it names the instant the scenario's
timeline starts at, and timestamps in later checks are read relative to it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from harness.steps.catalogue import given, when
from harness.steps.errors import ScenarioError
from harness.steps.phrases import LAST_YEAR, beyond_the_calendar, parse_moment, parse_span
from harness.steps.world import World
from harness.target.base import needs_virtual_time


@given("it is {moment}")
@when("it is {moment}")
def it_is(world: World, moment: str) -> None:
    """Set the cluster's clock (only forward). The weekday must match the date.

    Before anything else it sets the instant the scenario starts at (on a real cluster: the
    instant the scenario's timeline is read from); later it moves the virtual clock there.

    Example:
        Given it is Wednesday 2024-12-18 13:25 UTC
    """
    target = parse_moment(moment)
    if world.started:
        _travel(world, moment, target, "it is")
    else:
        world.options.start = target


@given("it becomes {moment}")
@when("it becomes {moment}")
def it_becomes(world: World, moment: str) -> None:
    """Let virtual time run forward to a moment, firing every timer on the way.

    Example:
        When it becomes Monday 2024-12-23 13:31 UTC
    """
    _travel(world, moment, parse_moment(moment), "it becomes")


@given("{span} pass")
@when("{span} pass")
@given("{span} passes")
@when("{span} passes")
def time_passes(world: World, span: str) -> None:
    """Let time run forward; rescans, requeues and install steps fire as they fall due.

    On the simulator the virtual clock jumps; on a real cluster the step waits that long by the
    cluster's clock. Singular and plural both read: "1 minute passes", "3 minutes pass".

    Example:
        When 3 minutes pass
    """
    duration = parse_span(span)
    if world.target.time is not None and _past_the_calendar(world.now(), duration):
        raise ScenarioError(beyond_the_calendar(f"{world.now():%A %Y-%m-%d %H:%M} UTC + {span}"))
    world.wait(duration)


def _past_the_calendar(now: datetime, span: timedelta) -> bool:
    """Whether ``span`` from ``now`` ends after :data:`LAST_YEAR` (or after ``datetime``'s end)."""
    try:
        return (now + span).year > LAST_YEAR
    except OverflowError:
        return True


@given("the cluster settles")
@when("the cluster settles")
def settles(world: World) -> None:
    """Run the controllers until nothing is left to do now (writes already settle by themselves).

    Example:
        When the cluster settles
    """
    world.settle()


def _travel(world: World, text: str, target: datetime, step: str) -> None:
    clock = world.target.time
    if clock is None:
        world.skip(
            needs_virtual_time(f"moves the cluster's clock to {text}, which a real cluster's is not").reason
        )
        return
    now = world.now()
    if target < now:
        fix = (
            "put the 'it is' step before anything that lets time pass"
            if step == "it is"
            else f"time only moves forward: name a moment after {now:%A %Y-%m-%d %H:%M} UTC, or start the"
            " scenario earlier with 'Given it is …' at its top"
        )
        raise ScenarioError(
            f"cannot go back to {text}: the virtual clock is already at {now:%A %Y-%m-%d %H:%M} UTC ({fix})"
        )
    clock.set(target)
