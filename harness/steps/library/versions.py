"""Steps that set the Deckhouse and Kubernetes versions the cluster runs.

Module releases declare requirements on both (``requirements.deckhouse: "> v1.68.0"``), and DKP
checks them against the running versions. Before the cluster starts these steps choose the
versions it starts with; later they change them as an upgrade would, and every waiting release
is checked again at once. A real cluster's versions cannot be changed by a test: there the steps
pass only when the cluster already runs the version asked for, and skip the scenario otherwise.
"""

from __future__ import annotations

from harness import eras
from harness.steps.catalogue import given, when
from harness.steps.errors import ScenarioError
from harness.steps.world import World


@given("the cluster runs Deckhouse {version}")
@when("the cluster runs Deckhouse {version}")
@when("Deckhouse is updated to {version}")
def deckhouse_version(world: World, version: str) -> None:
    """The cluster runs this Deckhouse version: its era's behaviour, and release requirements.

    ``latest`` is the newest version the simulator knows (docs/dkp-eras.md). Set before the
    cluster starts, it chooses the version the cluster starts with; later it is an upgrade.

    Example:
        Given the cluster runs Deckhouse v1.69.0
    """
    try:
        canonical = str(eras.resolve_version(version))
    except eras.VersionError as exc:
        raise ScenarioError(str(exc)) from None
    _set(world, "Deckhouse", canonical, deckhouse=True)


@given("the cluster runs Kubernetes {version}")
@when("the cluster runs Kubernetes {version}")
@when("Kubernetes is updated to {version}")
def kubernetes_version(world: World, version: str) -> None:
    """The cluster runs this Kubernetes version (requirements of releases are checked against it).

    Example:
        When the cluster runs Kubernetes 1.31.2
    """
    _set(world, "Kubernetes", _checked(version), deckhouse=False)


def _checked(version: str) -> str:
    text = version.strip()
    core = text[1:] if text.startswith("v") else text
    parts = core.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ScenarioError(
            f"cannot read the version {version!r}: write MAJOR.MINOR.PATCH, e.g. v1.69.0 or 1.31.2"
        )
    return text


def _set(world: World, product: str, version: str, *, deckhouse: bool) -> None:
    if not world.started:
        if deckhouse:
            world.options.deckhouse_version = version
        else:
            world.options.kubernetes_version = version
        return
    running = world.target.describe().get("deckhouse_version" if deckhouse else "kubernetes_version", "")
    control = world.target.versions
    if control is None:
        if running.lstrip("v") == version.lstrip("v"):
            return  # the real cluster already runs it: nothing to change
        world.skip(
            f"cannot change a real cluster's version: the scenario sets {product} {version}, "
            f"the cluster runs {running or 'an unknown version'}"
        )
        return
    world.target.before_write()
    if deckhouse:
        control.set_versions(deckhouse=version)
    else:
        control.set_versions(kubernetes=version)
