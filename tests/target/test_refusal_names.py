"""A refusal check reads the scenario's names as the cluster spells them, like every other check.

On a real cluster (or the time-scaled sandbox) a webhook's refusal names the scenario's objects by
their tokened names; the expected text in the feature file is written with the page's names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from harness.steps.library.objects import refused
from harness.target.naming import Naming


@dataclass
class _Evidence:
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        self.notes.append(text)


@dataclass
class _World:
    names: Naming
    refusal: str | None
    evidence: _Evidence = field(default_factory=_Evidence)

    def expect(self, text: str) -> str:
        return self.names.out(text)


EXPECTED = (
    "the 'elsewhere' module source is an unavailable source for the 'module-one' module, "
    "available sources: [example other]"
)


def _world(token: str | None) -> _World:
    names = Naming(token) if token else Naming()
    cluster = {name: names.name(name) for name in ("module-one", "example", "other")}
    refusal = (
        f"403 Forbidden: admission webhook denied the request: the 'elsewhere' module source is an "
        f"unavailable source for the '{cluster['module-one']}' module, available sources: "
        f"[{cluster['example']} {cluster['other']}]"
    )
    return _World(names, refusal)


@pytest.mark.parametrize("token", [None, "abcde123"], ids=["simulator", "shared-cluster"])
def test_the_expected_refusal_is_matched_with_the_clusters_names(token):
    refused(_world(token), EXPECTED)


def test_a_refusal_that_says_something_else_is_not_met():
    world = _world("abcde123")
    with pytest.raises(AssertionError, match="does not contain"):
        refused(world, EXPECTED.replace("elsewhere", "nowhere"))
