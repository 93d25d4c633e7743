"""What a client reading ``managedFields`` of DKP's objects sees: the simulated controllers write
under ``deckhouse-controller``, the manager name real DKP's writes carry, while writes the scenario
makes as the user keep their own name."""

from __future__ import annotations

import pytest

from harness.api import kinds
from harness.registry.backends.distribution import find_binary

pytestmark = pytest.mark.registry

if find_binary() is None:
    pytest.skip(
        "OCI registry binary not found: install it with `apt-get install -y docker-registry`",
        allow_module_level=True,
    )


def _managers(obj) -> set[str]:
    return {entry["manager"] for entry in obj["metadata"].get("managedFields") or []}


def test_the_controllers_write_as_deckhouse_controller_over_http(cluster):
    """``kubectl get module -o yaml --show-managed-fields`` (here the Python client) names
    ``deckhouse-controller`` for what DKP wrote, and nothing the harness calls itself."""
    from kubernetes import client, config

    cluster.publisher.publish("module-one", "v0.7.23", channels=["stable"])
    cluster.client.create(
        kinds.MODULE_SOURCE,
        {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleSource",
            "metadata": {"name": "example"},
            "spec": {"registry": {"repo": cluster.modules_repo, "scheme": "HTTP"}},
        },
    )
    cluster.settle()
    cfg = client.Configuration()
    config.load_kube_config(config_file=str(cluster.kubeconfig), client_configuration=cfg)
    with client.ApiClient(cfg) as api:
        co = client.CustomObjectsApi(api)
        module = co.get_cluster_custom_object("deckhouse.io", "v1alpha1", "modules", "module-one")
        source = co.get_cluster_custom_object("deckhouse.io", "v1alpha1", "modulesources", "example")
    assert _managers(module) == {"deckhouse-controller"}
    assert "deckhouse-controller" in _managers(source)
