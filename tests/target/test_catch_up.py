"""What a real target waits for before the registry changes under DKP (harness.target.catch_up)."""

from __future__ import annotations

from typing import Any

import pytest

from harness.api import kinds
from harness.kube.errors import NotFound
from harness.kube.resources import Resource
from harness.target.catch_up import lagging


def _cluster(objects: dict[str, list[dict[str, Any]]]):
    def list_owned(resource: Resource) -> list[dict[str, Any]]:
        return objects.get(resource.kind, [])

    def get(resource: Resource, name: str) -> dict[str, Any]:
        for obj in objects.get(resource.kind, []):
            if obj["metadata"]["name"] == name:
                return obj
        raise NotFound(f"{resource.kind} {name} not found")

    return list_owned, get


def _module(name: str, enabled_condition: str | None) -> dict[str, Any]:
    conditions = (
        [] if enabled_condition is None else [{"type": "EnabledByModuleConfig", "status": enabled_condition}]
    )
    return {"metadata": {"name": name}, "status": {"phase": "Available", "conditions": conditions}}


def _config(name: str, enabled: bool | None) -> dict[str, Any]:
    spec = {} if enabled is None else {"enabled": enabled}
    return {"metadata": {"name": name}, "spec": spec}


SCANNED = {"metadata": {"name": "example-abc"}, "status": {"syncTime": "2026-12-01T10:00:00Z"}}


def test_a_source_that_has_not_scanned_yet_holds_the_change_back():
    unscanned = {"metadata": {"name": "example-abc"}, "status": {}}
    assert lagging(*_cluster({"ModuleSource": [unscanned]})) == (
        "ModuleSource example-abc has not completed a scan yet"
    )


def test_a_source_whose_scan_failed_has_been_taken_in():
    failed = {"metadata": {"name": "example-abc"}, "status": {"message": "read auth config: …"}}
    assert lagging(*_cluster({"ModuleSource": [failed]})) is None


@pytest.mark.parametrize(
    ("enabled", "condition", "behind"),
    [
        (True, None, True),  # the race seen on the sandbox: the config not taken in yet
        (True, "False", True),
        (True, "True", False),
        (False, "True", True),
        (False, "False", False),
        (False, None, False),
        (None, None, False),  # a config that does not say: nothing to wait for
    ],
)
def test_a_modules_enabled_condition_must_show_its_configs_enabled(enabled, condition, behind):
    cluster = {
        "ModuleSource": [SCANNED],
        "ModuleConfig": [_config("module-one-abc", enabled)],
        "Module": [_module("module-one-abc", condition)],
    }
    found = lagging(*_cluster(cluster))
    assert (found is not None) is behind
    if behind:
        assert (
            found
            == f"Module module-one-abc does not show ModuleConfig module-one-abc's enabled: {enabled} yet"
        )


def test_a_config_whose_module_does_not_exist_has_nothing_to_wait_for():
    cluster = {"ModuleSource": [SCANNED], "ModuleConfig": [_config("absent-abc", True)]}
    assert lagging(*_cluster(cluster)) is None


def test_the_kinds_it_reads_are_dkps():
    seen: list[str] = []

    def list_owned(resource: Resource) -> list[dict[str, Any]]:
        seen.append(resource.kind)
        return []

    assert lagging(list_owned, lambda resource, name: {}) is None
    assert seen == [kinds.MODULE_SOURCE.kind, kinds.MODULE_CONFIG.kind]
