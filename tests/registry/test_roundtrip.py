"""Publish into a real distribution registry, pull back with the client DKP's simulator uses."""

from __future__ import annotations

import json

import httpx
import pytest
import yaml

from harness.registry import Publisher, RegistryError
from harness.registry.backends import DistributionBackend
from harness.registry.mediatypes import Flavor

from .conftest import FIXTURES

pytestmark = pytest.mark.registry


def test_module_names_are_the_tags_of_the_repository(publisher, client):
    publisher.publish("module-one", "v1.2.3", channels=["stable"])
    publisher.publish("module-two", "v0.9.0", channels=["stable"])
    assert client.list_tags() == ["module-one", "module-two"]


def test_release_channel_image_holds_version_json_changelog_and_module_yaml(publisher, client):
    publisher.publish(
        "module-one",
        "1.2.3",
        channels=["Stable"],
        weight=910,
        changelog={"features": ["x"]},
        requirements={"deckhouse": ">= 1.60", "kubernetes": ">= 1.27"},
    )
    image = client.read_image("module-one/release", "stable")
    assert json.loads(image.files["version.json"]) == {"version": "v1.2.3"}
    assert yaml.safe_load(image.files["changelog.yaml"]) == {"features": ["x"]}
    assert yaml.safe_load(image.files["module.yaml"]) == {
        "name": "module-one",
        "weight": 910,
        "requirements": {"deckhouse": ">= 1.60", "kubernetes": ">= 1.27"},
    }
    assert image.digest == client.digest("module-one/release", "stable")


def test_module_image_holds_definition_settings_schema_and_hooks(publisher, client):
    publisher.publish(
        "module-one", "v1.2.3", settings_schema={"type": "object", "properties": {"a": {"type": "string"}}}
    )
    files = client.read_image("module-one", "v1.2.3").files
    assert yaml.safe_load(files["module.yaml"]) == {"name": "module-one"}
    assert yaml.safe_load(files["openapi/config-values.yaml"])["properties"] == {"a": {"type": "string"}}
    assert "hooks/moduleVersion.py" in files
    assert "hooks/failing-hook.py" not in files


def test_default_settings_schema_allows_any_properties(publisher, client):
    publisher.publish("module-one", "v1.2.3")
    schema = yaml.safe_load(client.read_image("module-one", "v1.2.3").files["openapi/config-values.yaml"])
    assert schema == {"type": "object", "additionalProperties": True}


def test_hook_error_adds_the_failing_hook_and_its_message(publisher, client):
    publisher.publish("module-one", "v1.2.3", hook_error="hook failed: boom")
    files = client.read_image("module-one", "v1.2.3").files
    assert files["hooks/failing-hook.py.error"] == b"hook failed: boom"
    assert "hooks/failing-hook.py" in files


def test_marking_a_hook_failing_later_keeps_the_rest_of_the_module(publisher, client):
    publisher.publish("module-one", "v1.2.3", weight=7)
    publisher.mark_hook_failing("module-one", "v1.2.3", "late failure")
    files = client.read_image("module-one", "v1.2.3").files
    assert files["hooks/failing-hook.py.error"] == b"late failure"
    assert yaml.safe_load(files["module.yaml"])["weight"] == 7


def test_tags_come_back_sorted_although_the_registry_lists_them_unsorted(publisher, client, registry):
    for version in ["v1.0.0", "v1.10.0", "v1.2.0"]:
        publisher.publish("m", version, channels=["alpha", "stable", "beta"] if version == "v1.2.0" else [])
    raw = httpx.get(
        f"http://{registry.address}/v2/deckhouse/modules/m/release/tags/list", verify=False
    ).json()["tags"]
    expected = ["alpha", "beta", "stable", "v1.0.0", "v1.10.0", "v1.2.0"]
    assert sorted(raw) == expected
    assert client.list_tags("m/release") == expected


def test_moving_a_channel_points_it_at_another_version(publisher, client):
    publisher.publish("m", "v1.0.0", channels=["stable"])
    before = client.digest("m/release", "stable")
    publisher.publish("m", "v1.1.0")
    publisher.move_channel("m", "stable", "v1.1.0")
    assert json.loads(client.read_image("m/release", "stable").files["version.json"]) == {"version": "v1.1.0"}
    assert client.digest("m/release", "stable") != before
    publisher.move_channel("m", "stable", "v1.0.0")
    assert client.digest("m/release", "stable") == before


def test_removing_a_tag_removes_only_that_tag(publisher, client):
    publisher.publish("m", "v1.0.0", channels=["alpha", "beta", "stable"])
    publisher.remove_tag("m/release", "beta")
    assert client.list_tags("m/release") == ["alpha", "stable", "v1.0.0"]
    with pytest.raises(RegistryError, match="MANIFEST_UNKNOWN"):
        client.digest("m/release", "beta")


def test_removing_a_module_tag_takes_it_out_of_the_module_list(publisher, client):
    publisher.publish("a", "v1.0.0")
    publisher.publish("b", "v1.0.0")
    publisher.remove_tag("", "a")
    assert client.list_tags() == ["b"]


def test_release_without_version_json(publisher, client):
    publisher.push_release_without_version("m", "beta")
    files = client.read_image("m/release", "beta").files
    assert "version.json" not in files
    assert "changelog.yaml" in files


def test_corrupting_the_stored_blob_fails_the_sha256_check(publisher, client):
    publisher.publish("m", "v1.0.0", channels=["stable"])
    assert publisher.corrupt_blob("m/release", "stable") == "storage"
    with pytest.raises(
        RegistryError,
        match=r"^error verifying sha256 checksum after reading \d+ bytes; "
        r'got "[0-9a-f]{64}", want "[0-9a-f]{64}"$',
    ):
        client.read_image("m/release", "stable")


def test_corrupting_by_size_fails_the_size_check_for_that_tag_only(publisher, client):
    publisher.publish("m", "v1.0.0", channels=["stable"])
    assert publisher.corrupt_blob("m/release", "stable", how="size") == "size"
    with pytest.raises(RegistryError, match=r"^error verifying size; got (\d+), want \d+$"):
        client.read_image("m/release", "stable")
    assert json.loads(client.read_image("m/release", "v1.0.0").files["version.json"])["version"] == "v1.0.0"


def test_same_input_gives_the_same_digests_in_two_registries(registry_binary):
    results = []
    for _ in range(2):
        with DistributionBackend(binary=registry_binary) as backend, Publisher(backend.address) as pub:
            results.append(pub.publish("m", "v1.2.3", channels=["stable"], weight=5))
    assert results[0] == results[1]


def test_docker_v2_media_types_are_pushed_and_read(registry, client):
    with Publisher(registry.address, flavor=Flavor.DOCKER) as pub:
        pub.publish("m", "v1.0.0", channels=["stable"])
    response = httpx.get(
        f"http://{registry.address}/v2/deckhouse/modules/m/release/manifests/stable",
        headers={"Accept": "application/vnd.docker.distribution.manifest.v2+json"},
    )
    assert response.headers["content-type"] == "application/vnd.docker.distribution.manifest.v2+json"
    assert json.loads(client.read_image("m/release", "stable").files["version.json"]) == {"version": "v1.0.0"}


def test_a_spec_publishes_modules_versions_and_channels_in_order(publisher, client):
    publisher.apply_spec(FIXTURES / "two-modules.yaml")
    assert client.list_tags() == ["module-one", "module-two"]
    assert client.list_tags("module-one") == ["v1.2.3", "v1.3.0"]

    def version(channel):
        return json.loads(client.read_image("module-one/release", channel).files["version.json"])

    assert version("alpha") == {"version": "v1.3.0"}
    assert version("stable") == {"version": "v1.2.3"}
    assert yaml.safe_load(client.read_image("module-two", "v0.9.0").files["module.yaml"])["weight"] == 920


def test_the_broken_module_spec_breaks_hook_and_channel(publisher, client):
    publisher.apply_spec(FIXTURES / "broken-module.yaml")
    assert "version.json" not in client.read_image("module-broken/release", "beta").files
    files = client.read_image("module-broken", "v0.1.0").files
    assert files["hooks/failing-hook.py.error"] == b"hook failed: cannot reach the API"


def test_a_spec_with_a_typo_is_rejected_before_anything_is_pushed(publisher, client):
    from harness.registry.spec import SpecError

    with pytest.raises(SpecError, match="unknown keys \\['chanels'\\]"):
        publisher.apply_spec({"modules": {"m": {"versions": {"v1.0.0": {"chanels": ["stable"]}}}}})
    with pytest.raises(RegistryError, match="NAME_UNKNOWN"):
        client.list_tags()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"version": "1.2"}, "not a semantic version"), ({"channels": ["nightly"]}, "unknown release channel")],
    ids=["bad-version", "bad-channel"],
)
def test_bad_publish_input_says_what_to_use(publisher, kwargs, message):
    arguments = {"name": "m", "version": "v1.0.0", **kwargs}
    with pytest.raises(ValueError, match=message):
        publisher.publish(**arguments)


def test_accessibility_and_validations_reach_the_registry_where_dkp_reads_them(publisher, client):
    access = {"ee": {"available": True, "enabledInBundles": ["Default"]}}
    gate = "ASSERT NOT EMPTY (SELECT deckhouseEdition FROM v_d8_platform) FAIL 'E' 'x';"
    publisher.publish("m", "v1.0.0", channels=["stable"], accessibility=access, validations={"10.sql": gate})
    release = client.read_image("m/release", "stable").files
    assert yaml.safe_load(release["module.yaml"])["accessibility"] == {"editions": access}
    assert client.read_image("m", "v1.0.0").files["release/validations/10.sql"] == gate.encode()


def test_the_publishers_digest_of_a_tag_is_the_one_the_registry_answers(publisher, client):
    """What a scenario names with ``the registry digest of module … is ${DIGEST}``: the digest DKP's
    override controller reads for the tag (and the one publishing returned)."""
    digests = publisher.publish("module-one", "v1.2.3")
    assert publisher.digest("module-one", "v1.2.3") == client.digest("module-one", "v1.2.3")
    assert publisher.digest("module-one", "v1.2.3") == digests["module-one:v1.2.3"]
