"""Steps that say what the cluster runs: its Deckhouse edition, module bundle and the modules
its Deckhouse build ships embedded.

The Deckhouse version (and so its era) is set by :mod:`harness.steps.library.versions`.

They shape the cluster before it starts, so they come before the first step that uses it; the
run's ``--dkp-deckhouse-version`` / ``--dkp-edition`` / ``--dkp-bundle`` are the defaults they
override. Which behaviour a version brings is listed in docs/dkp-eras.md.
"""

from __future__ import annotations

from harness import eras
from harness.steps.catalogue import given
from harness.steps.errors import ScenarioError
from harness.steps.world import World


def _before_start(world: World, what: str) -> None:
    if world.started:
        raise ScenarioError(
            f"{what} must be set before the first step that uses the cluster: move this step up "
            "(right after 'Given it is …')"
        )


@given("the cluster runs the {edition} edition")
def runs_edition(world: World, edition: str) -> None:
    """Run this scenario's cluster as a Deckhouse edition (module accessibility, Deckhouse v1.75+).

    Example:
        Given the cluster runs the ce edition
    """
    _before_start(world, "the edition")
    try:
        world.options.edition = eras.parse_edition(edition)
    except eras.VersionError as exc:
        raise ScenarioError(str(exc)) from None


@given("the cluster runs the {bundle} bundle")
def runs_bundle(world: World, bundle: str) -> None:
    """Run this scenario's cluster with a module bundle (``enabledInBundles``, Deckhouse v1.75+).

    Example:
        Given the cluster runs the Minimal bundle
    """
    _before_start(world, "the bundle")
    try:
        world.options.bundle = eras.parse_bundle(bundle)
    except eras.VersionError as exc:
        raise ScenarioError(str(exc)) from None


@given('Deckhouse ships the module "{module}" embedded')
def ships_embedded(world: World, module: str) -> None:
    """This Deckhouse build still carries an embedded copy of the module on its filesystem.

    From Deckhouse v1.76 a release of such a module is only staged: it becomes Deployed, but the
    embedded copy keeps running and the Module's source stays ``Embedded`` (docs/dkp-eras.md,
    ``embedded-takeover``). Without this step the build ships none, and a deploy takes the module
    over. A real cluster's build is what its image is: there the scenario is skipped.

    Example:
        Given Deckhouse ships the module "parca" embedded
    """
    _before_start(world, "what the Deckhouse build ships")
    name = module.strip()
    if not name:
        raise ScenarioError('name the module, e.g. Deckhouse ships the module "parca" embedded')
    world.options.embedded_modules = world.options.embedded_modules | {name}
