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
    layer = archive.build_layer(files)
    diff_id = sha256_digest(gzip.decompress(layer))
    return manifest_for(layer, diff_id, labels=labels, flavor=flavor)


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
