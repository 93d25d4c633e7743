"""The ``registry-spec-checksum`` annotation's value, as DKP's source controller computes it.

Upstream ``syncRegistrySettings`` (``deckhouse-controller/pkg/controller/module-controllers/source/``)
hashes ``json.Marshal(source.Spec.Registry)``. The figures are the source goldens' own: the same
registry spec carries ``90f0955ee984feab5c50611987008def`` while the goldens print ``ca: ""``
(``golden/embedded-module-single-source.yaml`` at 07851ba0) and ``912e02634dd8b7222cc42906e35f1e79``
once they leave the empty ``ca`` out (``golden/module-lts-channel-minor-jump.yaml`` at 1f4db668).
"""

from __future__ import annotations

import hashlib

import pytest

from harness import eras
from harness.dkp.rules.registry_checksum import registry_spec_checksum

UPSTREAM_SPEC = {
    "dockerCfg": "YXNiCg==",
    "repo": "dev-registry.deckhouse.io/deckhouse/modules",
    "scheme": "HTTPS",
}
V1_77 = eras.behaviours_for("v1.77.0")
LATEST = eras.behaviours_for("latest")


def md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


@pytest.mark.parametrize(
    ("behaviours", "expected"),
    [(V1_77, "90f0955ee984feab5c50611987008def"), (LATEST, "912e02634dd8b7222cc42906e35f1e79")],
    ids=["v1.77", "latest"],
)
def test_the_checksum_is_that_of_the_go_struct_marshalled(behaviours, expected):
    assert registry_spec_checksum(UPSTREAM_SPEC, behaviours) == expected


@pytest.mark.parametrize("behaviours", [frozenset(), V1_77, LATEST], ids=["v1.67", "v1.77", "latest"])
def test_an_empty_ca_written_out_is_the_same_spec(behaviours):
    with_ca = {**UPSTREAM_SPEC, "ca": ""}
    assert registry_spec_checksum(with_ca, behaviours) == registry_spec_checksum(UPSTREAM_SPEC, behaviours)


@pytest.mark.parametrize("behaviours", [frozenset(), LATEST], ids=["v1.67", "latest"])
def test_a_ca_changes_the_checksum(behaviours):
    with_ca = {**UPSTREAM_SPEC, "ca": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"}
    assert registry_spec_checksum(with_ca, behaviours) != registry_spec_checksum(UPSTREAM_SPEC, behaviours)


def test_an_anonymous_source_hashes_an_empty_docker_config_and_no_scheme():
    """``scheme`` is ``omitempty`` in the Go type, ``dockerCfg`` is not (nor ``ca`` before v1.78)."""
    assert registry_spec_checksum({"repo": "r"}, V1_77) == md5('{"repo":"r","dockerCfg":"","ca":""}')
    assert registry_spec_checksum({"repo": "r"}, LATEST) == md5('{"repo":"r","dockerCfg":""}')


def test_go_escapes_html_characters_in_strings():
    """Go's encoder writes ``<``, ``>`` and ``&`` as ``\\u003c``, ``\\u003e``, ``\\u0026``."""
    found = registry_spec_checksum({"repo": "r", "dockerCfg": "a&b<>"}, V1_77)
    assert found == md5('{"repo":"r","dockerCfg":"a\\u0026b\\u003c\\u003e","ca":""}')
