"""Images written into the registry's own storage: pulls see what an HTTP push gives, checks still hold."""

from __future__ import annotations

import pytest

from harness.registry import Publisher, RegistryError
from harness.registry.blob_seed import BlobSeed, blob_path
from harness.registry.images import build_image
from harness.registry.mediatypes import sha256_digest
from harness.registry.pusher import Pusher

pytestmark = pytest.mark.registry


def _access_log(registry) -> str:
    return "\n".join(line for line in registry.logs().splitlines() if '"' in line and "HTTP/1.1" in line)


def _stored_files(root) -> dict[str, bytes]:
    """Every file of the repositories' metadata and the blobs, as the registry keeps them."""
    base = root / "docker" / "registry" / "v2"
    return {
        str(p.relative_to(base)): p.read_bytes()
        for p in base.rglob("*")
        if p.is_file() and "_uploads" not in p.parts
    }


def test_a_seeded_publish_pulls_the_same_as_one_pushed_over_http(registry, registry_binary, client):
    from harness.registry.backends import DistributionBackend

    with Publisher(registry.address, seed_storage=registry.blob_seed_root) as seeded:
        seeded_digests = seeded.publish("module-one", "v1.2.3", channels=["stable"], weight=910)
    with DistributionBackend(binary=registry_binary) as other, Publisher(other.address) as pushed:
        pushed_digests = pushed.publish("module-one", "v1.2.3", channels=["stable"], weight=910)
        pushed_files = _stored_files(other.storage_root)
    assert seeded_digests == pushed_digests
    # The same files, byte for byte, as the registry wrote for the pushes over HTTP.
    assert _stored_files(registry.blob_seed_root) == pushed_files
    assert client.list_tags() == ["module-one"]
    image = client.read_image("module-one/release", "stable")  # served by the registry over HTTP
    assert image.digest == seeded_digests["module-one/release:stable"]
    assert b'"v1.2.3"' in image.files["version.json"]
    log = _access_log(registry)
    assert "/blobs/uploads/" not in log and '"PUT ' not in log  # the publish made no request


def test_a_seeded_tag_moves_like_a_pushed_one(registry, registry_binary, client):
    from harness.registry.backends import DistributionBackend

    def publish(publisher):
        publisher.publish("module-one", "v1.2.3", channels=["stable"])
        publisher.publish("module-one", "v1.3.0")
        publisher.move_channel("module-one", "stable", "v1.3.0")

    with Publisher(registry.address, seed_storage=registry.blob_seed_root) as seeded:
        publish(seeded)
    with DistributionBackend(binary=registry_binary) as other, Publisher(other.address) as pushed:
        publish(pushed)
        pushed_files = _stored_files(other.storage_root)
    assert _stored_files(registry.blob_seed_root) == pushed_files
    assert b'"v1.3.0"' in client.read_image("module-one/release", "stable").files["version.json"]


def test_seeding_refuses_a_manifest_whose_blob_is_not_in_the_repository(registry):
    image = build_image({"module.yaml": b"name: module-one\n"}, labels={})
    seed = BlobSeed(registry.blob_seed_root)
    for digest, data in image.blobs.items():
        seed.put("elsewhere/repo", digest, data)
    references = list(image.blobs)
    with pytest.raises(ValueError, match="references blobs not in the repository"):
        seed.put_manifest("deckhouse/modules", "module-one", image.manifest, references)
    with pytest.raises(ValueError, match="not a tag"):
        seed.put_manifest("elsewhere/repo", "../x", image.manifest, references)


def test_the_registry_still_refuses_a_manifest_whose_blob_is_not_in_the_repository(registry):
    image = build_image({"module.yaml": b"name: module-one\n"}, labels={})
    seed = BlobSeed(registry.blob_seed_root)
    for digest, data in image.blobs.items():
        seed.put("elsewhere/repo", digest, data)  # stored, but linked into another repository
    with Pusher(registry.address) as pusher, pytest.raises(RegistryError) as refused:
        pusher.push_manifest("deckhouse/modules", "module-one", image.manifest, image.media_type)
    assert "MANIFEST_BLOB_UNKNOWN" in str(refused.value)


def test_seeded_bytes_are_checked_on_pull_like_pushed_ones(registry, client):
    with Publisher(registry.address, seed_storage=registry.blob_seed_root) as seeded:
        seeded.publish("module-one", "v1.2.3", channels=["stable"])
    layer = client.manifest("module-one/release", "stable").layers[0]["digest"]
    stored = blob_path(registry.blob_seed_root, layer)
    stored.write_bytes(bytes(b ^ 0xFF for b in stored.read_bytes()))
    with pytest.raises(RegistryError, match="error verifying sha256 checksum"):
        client.read_image("module-one/release", "stable")


def test_seeding_refuses_names_that_would_leave_the_storage(tmp_path):
    seed = BlobSeed(tmp_path)
    data = b"x"
    with pytest.raises(ValueError, match="not a repository name"):
        seed.put("../../etc", sha256_digest(data), data)
    with pytest.raises(ValueError, match="not a sha256 digest"):
        seed.put("repo", "sha256:../../x", data)
    assert not any(tmp_path.iterdir())


def test_only_a_registry_with_distributions_layout_is_seeded(registry):
    assert registry.blob_seed_root == registry.storage_root
    assert registry.blob_seed_root is not None and registry.blob_seed_root.is_dir()


def test_a_registry_reached_over_http_only_is_never_seeded():
    from harness.registry.backends import ExternalBackend

    assert ExternalBackend("127.0.0.1:5000").blob_seed_root is None


def test_a_tag_the_registry_deleted_can_be_seeded_again_by_the_same_publisher(registry, client):
    """The seed remembers the directories it made; a manifest DELETE over HTTP removes the tag's
    directories behind its back, and the next write there must make them again."""
    with Publisher(registry.address, seed_storage=registry.blob_seed_root) as seeded:
        seeded.publish("module-one", "v1.2.3", channels=["stable"])
        seeded.remove_tag("module-one/release", "stable")
        assert client.list_tags("module-one/release") == ["v1.2.3"]
        seeded.publish("module-one", "v1.2.3", channels=["stable"])
    assert client.list_tags("module-one/release") == ["stable", "v1.2.3"]
    assert b'"v1.2.3"' in client.read_image("module-one/release", "stable").files["version.json"]


def test_seeding_makes_a_directory_with_one_mkdir_for_each_missing_level(tmp_path, monkeypatch):
    """Not ``mkdir -p``'s try-the-deepest-first (three calls a file); a level made by someone
    else in between is taken as it is."""
    import os

    made: list[str] = []
    real_mkdir = os.mkdir

    def counting_mkdir(path, *args, **kwargs):
        made.append(os.fspath(path))
        return real_mkdir(path, *args, **kwargs)

    seed = BlobSeed(tmp_path)
    (tmp_path / "docker").mkdir()  # as if the registry had made it
    monkeypatch.setattr(os, "mkdir", counting_mkdir)
    data = b"layer"
    seed.put("deckhouse/modules", sha256_digest(data), data)
    assert len(made) == len(set(made))  # never the same level twice
    assert all(os.path.isdir(level) for level in made)
    levels = {str(p) for p in tmp_path.rglob("*") if p.is_dir()}
    assert set(made) == levels  # every level the put needed, the first one included (it existed)
    assert blob_path(tmp_path, sha256_digest(data)).read_bytes() == data
