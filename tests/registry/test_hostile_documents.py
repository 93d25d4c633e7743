"""A registry answering with hostile or malformed documents: DKP's words, never a harness crash.

go-containerregistry decodes manifests, indexes and tag lists into Go structs, so a wrong shape is
an ``encoding/json`` error that DKP shows in the object's status; a gzip that unpacks without end
must not take the harness's memory (``harness.registry.documents``, ``harness.registry.archive``).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile

import httpx
import pytest

from harness.registry import archive
from harness.registry.client import RegistryClient
from harness.registry.errors import RegistryError

MANIFEST = "application/vnd.oci.image.manifest.v1+json"
INDEX = "application/vnd.oci.image.index.v1+json"


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _client(manifest: object = None, *, tags: object = None, blobs: dict[str, bytes] | None = None):
    body = json.dumps(manifest).encode()

    def answer(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/tags/list"):
            return httpx.Response(200, json=tags)
        if "/manifests/" in path:
            media = manifest.get("mediaType", MANIFEST) if isinstance(manifest, dict) else MANIFEST
            return httpx.Response(200, content=body, headers={"content-type": media})
        return httpx.Response(200, content=(blobs or {}).get(path.rsplit("/", 1)[1], b""))

    return RegistryClient("r.example/modules", scheme="HTTP", transport=httpx.MockTransport(answer))


def _manifest(layers: object) -> dict:
    config = {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": _digest(b"{}"), "size": 2}
    return {"schemaVersion": 2, "mediaType": MANIFEST, "config": config, "layers": layers}


@pytest.mark.parametrize(
    ("layers", "message"),
    [
        ("abc", "json: cannot unmarshal string into Go struct field Manifest.layers of type []v1.Descriptor"),
        ([1], "json: cannot unmarshal number into Go struct field Manifest.layers of type v1.Descriptor"),
        (
            [{"mediaType": "x", "digest": "sha256:00", "size": "12"}],
            "json: cannot unmarshal string into Go struct field Descriptor.layers.size of type int64",
        ),
        (
            [{"mediaType": "x", "digest": 7, "size": 1}],
            "json: cannot unmarshal number into Go struct field Descriptor.layers.digest of type v1.Hash",
        ),
        (
            [{"mediaType": "x", "digest": "sha256:00", "size": 1.5}],
            "json: cannot unmarshal number 1.5 into Go struct field Descriptor.layers.size of type int64",
        ),
    ],
    ids=["layers-text", "layer-number", "size-text", "digest-number", "size-fraction"],
)
def test_a_manifest_of_the_wrong_shape_is_a_registry_error_in_gos_words(layers, message):
    with pytest.raises(RegistryError) as raised:
        _client(_manifest(layers)).read_image("m/release", "v1.0.0")
    assert str(raised.value) == message


def test_an_index_entry_without_a_digest_is_a_registry_error():
    index = {"schemaVersion": 2, "mediaType": INDEX, "manifests": [{"platform": {"os": "linux"}}]}
    with pytest.raises(RegistryError, match="the image index lists a manifest without a digest"):
        _client(index).read_image("m/release", "v1.0.0")


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        ({"tags": "v1"}, "json: cannot unmarshal string into Go struct field Tags.tags of type []string"),
        ({"tags": ["v1", 2]}, "json: cannot unmarshal number into Go struct field Tags.tags of type string"),
    ],
)
def test_a_tag_list_of_the_wrong_shape_is_a_registry_error(tags, message):
    with pytest.raises(RegistryError) as raised:
        _client(tags=tags).list_tags("m")
    assert str(raised.value) == message


def test_null_tags_read_as_empty_as_go_leaves_them():
    assert _client(tags={"name": "m", "tags": ["b", None, "a"]}).list_tags("m") == ["", "a", "b"]
    assert _client(tags={"name": "m", "tags": None}).list_tags("m") == []


def test_a_layer_that_unpacks_past_the_limit_stops_with_a_sentence(monkeypatch):
    monkeypatch.setattr(archive, "MAX_LAYER_BYTES", 1 << 20)
    bomb = gzip.compress(b"\0" * (3 << 20), mtime=0)  # 3 MiB of zeros in ~3 kB
    client = _client(
        _manifest([{"mediaType": "x", "digest": _digest(bomb), "size": len(bomb)}]),
        blobs={_digest(bomb): bomb},
    )
    with pytest.raises(RegistryError, match=r"^a layer unpacks to more than 1 MiB: the simulated Deckhouse"):
        client.read_image("m/release", "v1.0.0")


def test_a_layer_of_several_gzip_members_is_read_whole():
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        info = tarfile.TarInfo("version.json")
        info.size = len(b'{"version":"v1.0.0"}')
        tar.addfile(info, io.BytesIO(b'{"version":"v1.0.0"}'))
    raw = buffer.getvalue()
    two_members = gzip.compress(raw[:700], mtime=0) + gzip.compress(raw[700:], mtime=0)
    assert archive.read_layer(two_members) == [("version.json", b'{"version":"v1.0.0"}')]


def test_a_truncated_gzip_layer_is_an_unexpected_eof():
    layer = archive.build_layer({"version.json": b"{}"})
    with pytest.raises(RegistryError, match=r"^unexpected EOF$"):
        archive.read_layer(layer[:-12])
