"""DKP's validating webhooks, and which era registers them (docs/dkp-eras.md)."""

from __future__ import annotations

import pytest

from harness import eras
from harness.api import kinds
from harness.apiserver import ApiServer
from harness.clock import VirtualClock
from harness.cluster import crd_layers, register_webhooks
from harness.dkp.rules.admission import embedded_source_refused, second_default_source
from harness.kube.errors import Forbidden


def source(name: str, default: str | None = None) -> dict[str, object]:
    meta: dict[str, object] = {"name": name}
    if default is not None:
        meta["annotations"] = {"modules.deckhouse.io/default-source": default}
    return {
        "apiVersion": "deckhouse.io/v1alpha1",
        "kind": "ModuleSource",
        "metadata": meta,
        "spec": {"registry": {"repo": "127.0.0.1:5000/deckhouse/modules"}},
    }


@pytest.mark.parametrize(
    ("new", "existing", "denied"),
    [
        (source("b", "true"), [source("a", "true")], True),
        (source("b", "true"), [source("a", "false")], False),
        (source("b", "false"), [source("a", "true")], False),
        (source("b"), [source("a", "true")], False),
        (source("a", "true"), [source("a", "true")], False),  # updating the default itself
        (source("b", "true"), [], False),
    ],
)
def test_only_one_default_source(new, existing, denied):
    reason = second_default_source(new, existing)
    assert (reason == "there can only be one default source") if denied else reason is None


@pytest.mark.parametrize(("wanted", "denied"), [("Embedded", True), ("example", False), (None, False)])
def test_embedded_is_not_a_source_a_module_config_may_name(wanted, denied):
    config = {"metadata": {"name": "echo"}, "spec": {"enabled": True, "source": wanted}}
    assert (embedded_source_refused(config) == "'Embedded' is a forbidden source") is denied


@pytest.mark.parametrize("version", [eras.DEFAULT_VERSION, eras.LATEST], ids=str)
def test_the_webhooks_are_registered_for_the_clusters_era(version):
    server = ApiServer(VirtualClock(), crd_dir=crd_layers(version))
    try:
        register_webhooks(server, eras.behaviours_for(version))
        client = server.client()
        client.create(kinds.MODULE_SOURCE, source("a", "true"))
        newer = version >= eras.parse_version("v1.73.0")
        if newer:
            with pytest.raises(Forbidden, match="there can only be one default source"):
                client.create(kinds.MODULE_SOURCE, source("b", "true"))
        else:
            client.create(kinds.MODULE_SOURCE, source("b", "true"))
        config = {
            "apiVersion": "deckhouse.io/v1alpha1",
            "kind": "ModuleConfig",
            "metadata": {"name": "echo"},
            "spec": {"enabled": True, "source": "Embedded"},
        }
        if version >= eras.parse_version("v1.76.0"):
            with pytest.raises(Forbidden, match="'Embedded' is a forbidden source"):
                client.create(kinds.MODULE_CONFIG, config)
        else:
            client.create(kinds.MODULE_CONFIG, config)
    finally:
        server.stop()
