"""A new user's Module that "does not exist": the scenario forgot the ModuleSource, or wrote the
page's ModuleSource without ``scheme: HTTP`` for the scenario's plain-HTTP registry. The step
said only "Module 'module-one' does not exist"; DKP creates Modules from a source's scan, so the
message now says what the sources say (or that there is none) and, for the HTTPS-to-HTTP
refusal, the field to write."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from harness.steps.absence import missing_object

HTTPS_REFUSED = (
    'Get "https://127.0.0.1:33681/v2/deckhouse/modules/tags/list?n=1000": http: server gave HTTP '
    "response to HTTPS client"
)


def _source(name: str, message: str = "", modules: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "metadata": {"name": name},
        "status": {"message": message, "modules": [{"name": m} for m in modules]},
    }


class _Names:
    def __init__(self, token: str | None = None) -> None:
        self.active = token is not None
        self.token = token

    def owns(self, cluster_name: str) -> bool:
        return self.token is not None and cluster_name.endswith(f"-{self.token}")


def _world(sources: list[dict[str, Any]], token: str | None = None) -> Any:
    return SimpleNamespace(
        resource=lambda kind: SimpleNamespace(kind="Module" if kind.lower() == "module" else kind),
        list_objects=lambda kind: sources if kind == "ModuleSource" else [],
        names=_Names(token),
    )


def test_no_module_source_at_all_says_to_add_one():
    message = str(missing_object(_world([]), "Module", "module-one"))
    assert message.startswith("Module 'module-one' does not exist")
    assert "no ModuleSource exists" in message
    assert 'Given the cluster has the objects of "features/sources/example-source.yaml"' in message


def test_a_source_refused_over_https_names_the_field_to_write():
    message = str(missing_object(_world([_source("example", HTTPS_REFUSED)]), "Module", "module-one"))
    assert "ModuleSource 'example' found no module" in message
    assert "server gave HTTP response to HTTPS client" in message
    assert "add `scheme: HTTP` under spec.registry" in message


def test_a_source_that_lists_other_modules_names_them():
    world = _world([_source("example", "", ("module-two",))])
    message = str(missing_object(world, "Module", "module-one"))
    assert "ModuleSource 'example' offers module-two" in message


@pytest.mark.parametrize("kind", ["ModuleConfig", "ModuleUpdatePolicy"])
def test_other_kinds_keep_the_plain_sentence(kind):
    assert str(missing_object(_world([]), kind, "x")) == f"{kind} 'x' does not exist"


def test_on_a_shared_cluster_only_the_scenarios_own_sources_are_read():
    world = _world([_source("theirs", HTTPS_REFUSED)], token="t1")
    message = str(missing_object(world, "Module", "module-one"))
    assert "theirs" not in message and "no ModuleSource exists" in message


def test_the_phase_step_raises_it(monkeypatch):
    from harness.steps.library import assertions

    world = _world([])
    world.find = lambda kind, name: None
    with pytest.raises(AssertionError, match="no ModuleSource exists"):
        assertions._field_is(world, "Module", "module-one", "status.phase", "Ready")


def _release(name: str) -> dict[str, Any]:
    return {"metadata": {"name": name}, "spec": {"moduleName": name.rsplit("-v", 1)[0]}}


def _world_with_releases(releases: list[dict[str, Any]], token: str | None = None) -> Any:
    return SimpleNamespace(
        resource=lambda kind: SimpleNamespace(kind=kind),
        list_objects=lambda kind: releases if kind == "ModuleRelease" else [],
        names=_Names(token),
    )


def test_a_mistyped_release_name_gets_the_nearest_one_and_the_list():
    """`module-one-0.7.24` (the `v` left out) for `module-one-v0.7.24`."""
    world = _world_with_releases([_release("module-one-v0.7.23"), _release("module-one-v0.7.24")])
    message = str(missing_object(world, "ModuleRelease", "module-one-0.7.24"))
    assert message.startswith("ModuleRelease 'module-one-0.7.24' does not exist")
    assert "did you mean 'module-one-v0.7.24'?" in message
    assert "the ModuleReleases there are: module-one-v0.7.23, module-one-v0.7.24" in message


def test_no_release_at_all_says_when_dkp_makes_one():
    message = str(missing_object(_world_with_releases([]), "ModuleRelease", "module-one-v0.7.24"))
    assert "no ModuleRelease exists" in message and "enabled" in message
