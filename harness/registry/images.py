"""Building image manifests: one config blob, one reproducible gzip tar layer.

``build_image`` is pure: files in, bytes out. The same files, labels and flavor always give the
same manifest bytes and so the same digest. Labels end up in the image config; the publisher uses
a label to give every tag its own manifest (see :mod:`harness.registry.publisher`).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from harness.registry import archive
from harness.registry.mediatypes import Flavor, sha256_digest
from harness.registry.memo import Memo

__all__ = ["BuiltImage", "build_image", "canonical_json", "manifest_for"]


@dataclass(frozen=True)
class BuiltImage:
    """A manifest and the blobs (digest → bytes) it references."""

    manifest: bytes
    media_type: str
    blobs: Mapping[str, bytes] = field(repr=False)

    @property
    def digest(self) -> str:
        return sha256_digest(self.manifest)


def canonical_json(document: Any) -> bytes:
    """Compact, key-sorted JSON: one document, one byte sequence."""
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def build_image(
    files: Mapping[str, bytes], *, labels: Mapping[str, str] | None = None, flavor: Flavor = Flavor.OCI
) -> BuiltImage:
    """An image whose single layer holds ``files``."""
    layer, diff_id = _LAYERS.get(_files_key(files), lambda: _layer(files))
    return manifest_for(layer, diff_id, labels=labels, flavor=flavor)


_LAYERS = Memo[tuple[bytes, str]](512)
"""The layers built lately with their diff ids, by files (:mod:`harness.registry.memo`): a
publish builds the same release layer for its version tag and each channel, and scenarios
publish the same module versions again."""


def _layer(files: Mapping[str, bytes]) -> tuple[bytes, str]:
    layer = archive.build_layer(files)
    return layer, sha256_digest(gzip.decompress(layer))


def _files_key(files: Mapping[str, bytes]) -> tuple[tuple[str, bytes], ...] | None:
    """The files as a key (any order gives the same layer), or None when they are not str → bytes."""
    if all(type(name) is str and type(data) is bytes for name, data in files.items()):
        return tuple(sorted(files.items()))
    return None


def manifest_for(
    layer: bytes,
    diff_id: str,
    *,
    labels: Mapping[str, str] | None = None,
    flavor: Flavor = Flavor.OCI,
    layer_size: int | None = None,
) -> BuiltImage:
    """Wrap an existing layer in a config and a manifest (``layer_size`` may lie, on purpose)."""
    config = canonical_json(
        {
            "architecture": "amd64",
            "os": "linux",
            "config": {"Labels": dict(labels or {})},
            "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        }
    )
    manifest = {
        "schemaVersion": 2,
        "mediaType": flavor.manifest_type,
        "config": {"mediaType": flavor.config_type, "digest": sha256_digest(config), "size": len(config)},
        "layers": [
            {
                "mediaType": flavor.layer_type,
                "digest": sha256_digest(layer),
                "size": len(layer) if layer_size is None else layer_size,
            }
        ],
    }
    blobs = {sha256_digest(config): config, sha256_digest(layer): layer}
    return BuiltImage(canonical_json(manifest), flavor.manifest_type, blobs)
