"""``documentation-follows-config`` (docs/dkp-eras.md): the config controller and ModuleDocumentation.

From Deckhouse v1.77 (PR #20434) a ModuleConfig that switches a module off deletes its
``ModuleDocumentation`` and switching it on again restores it from the deployed release; a deleted
ModuleConfig drops it unless the bundle keeps the module running. Up to v1.76 the config
controller never touches the object, except from v1.76.11, which received the change as a
backport (PR #22289). Each test runs against v1.76.0, v1.76.10, v1.76.11 and v1.77.0.
"""

from __future__ import annotations

import pytest

from harness import eras
from harness.api import kinds
from harness.dkp.controllers.config import ConfigController
from harness.dkp.runtime.settings import ClusterSettings
from harness.kube.errors import NotFound
from tests.dkp.test_config_controller import add_config, add_module

BEFORE, SINCE = "v1.76.0", "v1.77.0"
V1_76_BACKPORT, V1_76_BEFORE_BACKPORT = "v1.76.11", "v1.76.10"  # PR #22289, CHANGELOG-v1.76.11.yml
OLD_ERAS = {BEFORE, V1_76_BEFORE_BACKPORT}


@pytest.fixture(params=[BEFORE, V1_76_BEFORE_BACKPORT, V1_76_BACKPORT, SINCE])
def era(request) -> str:
    return request.param


@pytest.fixture
def settings(era) -> ClusterSettings:
    return ClusterSettings(deckhouse_version=era, behaviours=eras.behaviours_for(era))


@pytest.fixture
def manager(controller_context, make_manager):
    return make_manager([ConfigController(controller_context)])


def add_deployed_release(kube, module="module-one", version="1.0.0"):
    name = f"{module}-v{version}"
    kube.create(
        kinds.MODULE_RELEASE,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleRelease",
            "metadata": {
                "name": name,
                "labels": {
                    "module": module,
                    "source": "example",
                    "status": "deployed",
                    "release-checksum": "abc",
                },
            },
            "spec": {"moduleName": module, "version": version},
        },
    )
    release = kube.get(kinds.MODULE_RELEASE, name)
    release["status"] = {"phase": "Deployed", "message": ""}
    return kube.update(kinds.MODULE_RELEASE, release, subresource="status")


def add_documentation(kube, module="module-one"):
    kube.create(
        kinds.MODULE_DOCUMENTATION,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleDocumentation",
            "metadata": {"name": module, "labels": {"module": module, "source": "example"}},
            "spec": {"version": "v1.0.0", "path": f"/modules/{module}", "checksum": "abc"},
        },
    )


def documented(kube, module="module-one") -> bool:
    try:
        kube.get(kinds.MODULE_DOCUMENTATION, module)
    except NotFound:
        return False
    return True


def test_a_disabling_config_drops_the_documentation_from_v1_77(kube, manager, era):
    add_module(kube, source="example")
    add_deployed_release(kube)
    add_documentation(kube)
    add_config(kube, enabled=False)
    manager.settle()
    assert documented(kube) is (era in OLD_ERAS)


def test_re_enabling_restores_the_documentation_from_the_deployed_release(kube, manager, era):
    add_module(kube, source="example")
    add_deployed_release(kube)
    add_config(kube, enabled=False)
    manager.settle()
    config = kube.get(kinds.MODULE_CONFIG, "module-one")
    config["spec"]["enabled"] = True
    kube.update(kinds.MODULE_CONFIG, config)
    manager.settle()
    if era in OLD_ERAS:
        assert not documented(kube)  # up to v1.76 only the release controller writes it
        return
    doc = kube.get(kinds.MODULE_DOCUMENTATION, "module-one")
    assert doc["spec"] == {"version": "v1.0.0", "path": "/modules/module-one", "checksum": "abc"}
    assert doc["metadata"]["labels"] == {"module": "module-one", "source": "example"}
    assert doc["metadata"]["ownerReferences"][0]["name"] == "module-one-v1.0.0"


def test_deleting_the_config_drops_the_documentation_from_v1_77(kube, manager, era):
    add_module(kube, source="example")
    add_deployed_release(kube)
    add_config(kube, enabled=True)
    manager.settle()
    if not documented(kube):  # up to v1.76 the config controller does not write it
        add_documentation(kube)
    kube.delete(kinds.MODULE_CONFIG, "module-one")
    manager.settle()
    assert documented(kube) is (era in OLD_ERAS)
