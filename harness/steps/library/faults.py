"""Declarative faults: the registry down or answering errors, the API server refusing an update.

Faults go through the cluster's simulation control, the only place simulation powers live, so a
scenario that uses them is simulation-only by nature. Registry faults act on the fault proxy DKP
reaches the registry through; publishing goes straight to the registry and is not affected.
"""

from __future__ import annotations

import re

from harness.kube.errors import Conflict
from harness.steps.catalogue import given, when
from harness.steps.world import World


@given("the registry is down")
def registry_down(world: World) -> None:
    """Every registry request from DKP has its connection reset until the registry comes back.

    Example:
        Given the registry is down
    """
    world.cluster.control.registry_down()


@when("the registry comes back")
def registry_up(world: World) -> None:
    """Remove every registry fault.

    Example:
        When the registry comes back
    """
    world.cluster.control.clear_registry_faults()


@given('the registry answers {status:d} for "{path}"')
def registry_answers(world: World, status: int, path: str) -> None:
    """Requests whose URL path contains ``path`` get this HTTP status with a registry error body.

    Example:
        Given the registry answers 500 for "module-two/release"
    """
    if not 400 <= status <= 599:
        raise ValueError(f"a registry fault needs an error status (400-599), got {status}")
    world.cluster.control.registry_error(re.escape(path), status=status)


@given("the API server answers 409 to the next update of a {kind}")
def api_conflict(world: World, kind: str) -> None:
    """The next update (PUT) of any object of that kind fails with 409 Conflict, once.

    Example:
        Given the API server answers 409 to the next update of a ModuleRelease
    """
    resource = world.resource(kind)
    error = Conflict(
        f"Operation cannot be fulfilled on {resource.group_resource}: the object has been modified; "
        "please apply your changes to the latest version and try again"
    )
    world.cluster.control.api_faults.add(verb="update", resource=resource.plural, error=error, times=1)
