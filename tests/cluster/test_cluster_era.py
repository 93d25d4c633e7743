"""The cluster follows the Deckhouse version it runs: settings, behaviours and served CRDs."""

from __future__ import annotations

import pytest

from harness import eras
from harness.cluster import CRD_DIR, SimulatedCluster, resolve_settings
from harness.dkp.runtime.settings import ClusterSettings
from harness.eras import Behaviour, VersionError


def test_by_default_the_cluster_runs_the_page_era_with_no_new_behaviour() -> None:
    cluster = SimulatedCluster()
    assert cluster.settings.deckhouse_version == "v1.67.0"
    assert cluster.deckhouse_version == eras.DEFAULT_VERSION
    assert cluster.behaviours == frozenset()
    assert cluster.deckhouse.bundle == "Default"


def test_latest_becomes_the_newest_known_version_with_every_behaviour() -> None:
    cluster = SimulatedCluster(settings=ClusterSettings(deckhouse_version="latest"))
    assert cluster.settings.deckhouse_version == str(eras.LATEST)
    assert cluster.behaviours == frozenset(Behaviour)
    assert cluster.settings.behaviours == frozenset(Behaviour), "the controllers read the settings field"


def test_the_bundle_reaches_the_controllers_settings() -> None:
    from harness.cluster import DeckhouseSettings

    cluster = SimulatedCluster(deckhouse=DeckhouseSettings(bundle="Minimal"))
    assert cluster.settings.bundle == "Minimal"


def test_a_version_between_rows_gets_the_older_rows_only() -> None:
    cluster = SimulatedCluster(settings=ClusterSettings(deckhouse_version="1.75"))
    assert cluster.settings.deckhouse_version == "v1.75.0"
    assert Behaviour.ENABLED_BY_BUNDLE in cluster.behaviours
    assert Behaviour.EMBEDDED_TAKEOVER not in cluster.behaviours


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (ClusterSettings(deckhouse_version="1.x"), "Deckhouse version '1.x' is not understood"),
        (ClusterSettings(edition="gold"), "Deckhouse edition 'gold' is not known"),
    ],
)
def test_bad_settings_are_refused_with_the_accepted_forms(settings: ClusterSettings, message: str) -> None:
    with pytest.raises(VersionError, match=message):
        resolve_settings(settings)


def test_edition_is_spelled_as_accessibility_keys_it() -> None:
    assert resolve_settings(ClusterSettings(edition="SE+")).edition == "se-plus"


def test_every_crd_revision_directory_is_a_row_of_the_era_table() -> None:
    rows = set(eras.INTRODUCED_IN.values())
    for directory in (CRD_DIR / "eras").iterdir():
        assert eras.parse_version(directory.name) in rows, directory
        assert str(eras.parse_version(directory.name)) == directory.name, "name it vMAJOR.MINOR.PATCH"


def _default_source(name: str) -> dict[str, object]:
    return {
        "apiVersion": "deckhouse.io/v1alpha1",
        "kind": "ModuleSource",
        "metadata": {"name": name, "annotations": {"modules.deckhouse.io/default-source": "true"}},
        "spec": {"registry": {"repo": "127.0.0.1:5000/deckhouse/modules"}},
    }


@pytest.mark.registry
def test_an_upgrade_mid_run_brings_the_new_versions_webhooks_and_a_downgrade_drops_them() -> None:
    from harness.api import kinds
    from harness.kube.errors import Forbidden
    from harness.registry.backends.distribution import find_binary

    if find_binary() is None:
        pytest.skip("OCI registry binary not found: install it with `apt-get install -y docker-registry`")
    with SimulatedCluster() as cluster:  # v1.67: no ModuleSource webhook yet
        cluster.client.create(kinds.MODULE_SOURCE, _default_source("a"))
        cluster.client.create(kinds.MODULE_SOURCE, _default_source("b"))
        cluster.set_versions(deckhouse="v1.73.0")
        with pytest.raises(Forbidden, match="there can only be one default source"):
            cluster.client.create(kinds.MODULE_SOURCE, _default_source("c"))
        cluster.set_versions(deckhouse="v1.72.0")
        cluster.client.create(kinds.MODULE_SOURCE, _default_source("c"))
