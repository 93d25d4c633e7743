"""Declarative faults: the registry down or answering errors, the API server refusing an update.

Faults are a capability of the target (:class:`~harness.target.base.FaultControl`): the
simulator injects them in the fault proxy DKP reaches the registry through, and in its API
server. A real cluster offers no such thing, so there these steps skip the scenario as needing
virtual time. Publishing goes straight to the registry and is not affected by registry faults.
"""

from __future__ import annotations

import re

from harness.kube.errors import Conflict
from harness.steps.catalogue import given, when
from harness.steps.world import World
from harness.target.base import FaultControl, needs_virtual_time


def _faults(world: World, what: str) -> FaultControl:
    reason = needs_virtual_time(
        f"{what} is injected inside the simulated cluster; a real one offers no such hook"
    )
    return world.require(world.target.faults, reason.reason)


@given("the registry is down")
@when("the registry is down")
@given("the registry goes down")
@when("the registry goes down")
def registry_down(world: World) -> None:
    """Every registry request from DKP has its connection reset until the registry comes back.

    Example:
        Given the registry is down
    """
    _faults(world, "a registry outage").registry_down()


@given("the registry comes back")
@when("the registry comes back")
def registry_up(world: World) -> None:
    """Remove every registry fault.

    Example:
        When the registry comes back
    """
    _faults(world, "a registry outage").registry_back()


@given('the registry answers {status:d} for "{path}"')
@when('the registry answers {status:d} for "{path}"')
def registry_answers(world: World, status: int, path: str) -> None:
    """Requests whose URL path contains ``path`` get this HTTP status with a registry error body.

    Example:
        Given the registry answers 500 for "module-two/release"
    """
    if not 400 <= status <= 599:
        raise ValueError(f"a registry fault needs an error status (400-599), got {status}")
    _faults(world, f"a registry answering {status}").registry_error(re.escape(world.expect(path)), status)


@given("the API server answers 409 to the next update of a {kind}")
@when("the API server answers 409 to the next update of a {kind}")
def api_conflict(world: World, kind: str) -> None:
    """The next update (PUT) of any object of that kind fails with 409 Conflict, once.

    Example:
        Given the API server answers 409 to the next update of a ModuleRelease
    """
    faults = _faults(world, "an API server conflict")
    resource = world.resource(kind)
    error = Conflict(
        f"Operation cannot be fulfilled on {resource.group_resource}: the object has been modified; "
        "please apply your changes to the latest version and try again"
    )
    faults.api_error_once("update", resource, error)
