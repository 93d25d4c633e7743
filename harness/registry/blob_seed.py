"""Placing images straight into a distribution registry's own storage, for the simulator's registry.

Distribution 2.8 ignores the body of a monolithic ``POST …/blobs/uploads/?digest=``, so every blob
pushed over HTTP costs two requests (``POST`` + ``PUT``), and it rebuilds its whole URL router
for each request: pushing was most of a scenario's registry requests and of the registry's CPU.
When the harness runs the registry itself, it owns that storage, so the
:class:`~harness.registry.pusher.Pusher` of the simulated cluster writes blobs, manifests and tags
where the registry's filesystem driver keeps them, and a publish makes no request at all.

Nothing the cluster sees changes: every pull (tags, manifests, blobs) is served by the registry
over HTTP as before, from the files it would have written itself. The check a manifest ``PUT``
gets from the registry (``MANIFEST_BLOB_UNKNOWN`` unless every blob it references is linked into
the repository) is made here too, so a blob placed wrongly fails the publish at once instead of a
later pull. Only distribution's filesystem layout is written (the one 2.x and 3.x share); zot,
docker-run and external registries get every image over HTTP.

Layout (``docker/registry/v2`` under the storage root):

- ``blobs/sha256/<first two hex>/<hex>/data`` holds the bytes of a blob or a manifest;
- ``repositories/<name>/_layers/sha256/<hex>/link`` holds ``sha256:<hex>``, which is what makes
  the blob part of repository ``<name>``;
- ``repositories/<name>/_manifests/revisions/sha256/<hex>/link`` makes a manifest part of it;
- ``repositories/<name>/_manifests/tags/<tag>/current/link`` names the manifest the tag points at,
  and ``…/tags/<tag>/index/sha256/<hex>/link`` records every manifest it ever pointed at (what
  distribution writes on a tagged ``PUT``).

Every file is written to a temporary name and renamed, so a registry reading concurrently never
sees half a file.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from pathlib import Path

__all__ = ["BlobSeed", "blob_path"]

_V2 = ("docker", "registry", "v2")
_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
"""The OCI distribution spec's tag grammar."""
_counter_lock = threading.Lock()
_counter = 0


def blob_path(root: Path, digest: str) -> Path:
    """Where distribution's filesystem driver keeps the bytes of ``digest`` (``sha256:<hex>``)."""
    hex_digest = _hex(digest)
    return root.joinpath(*_V2, "blobs", "sha256", hex_digest[:2], hex_digest, "data")


class BlobSeed:
    """Writes images into the storage under ``root`` of a distribution registry we run ourselves."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._made: set[Path] = set()  # directories known to exist (a publish writes ~10 per image)

    def put(self, name: str, digest: str, data: bytes) -> None:
        """Store ``data`` as ``digest`` (unless stored already) and link it into repository ``name``."""
        hex_digest = _hex(digest)
        parts = _repository_parts(name)
        data_path = blob_path(self.root, digest)
        if not data_path.is_file():
            self._write(data_path, data)
        link = self.root.joinpath(*_V2, "repositories", *parts, "_layers", "sha256", hex_digest, "link")
        self._write(link, f"sha256:{hex_digest}".encode())

    def put_manifest(self, name: str, tag: str, body: bytes, references: list[str]) -> str:
        """Store manifest ``body`` in repository ``name`` under ``tag``; returns its digest.

        ``references`` are the digests of the blobs it names (config and layers): each must be
        linked into the repository already, as the registry requires of a pushed manifest.
        """
        parts = _repository_parts(name)
        if not _TAG.fullmatch(tag):
            raise ValueError(f"not a tag: {tag!r}")
        missing = [d for d in references if not self._linked(parts, d)]
        if missing:
            raise ValueError(f"manifest for {name}:{tag} references blobs not in the repository: {missing}")
        digest = "sha256:" + hashlib.sha256(body).hexdigest()
        hex_digest = _hex(digest)
        data_path = blob_path(self.root, digest)
        if not data_path.is_file():
            self._write(data_path, body)
        manifests = self.root.joinpath(*_V2, "repositories", *parts, "_manifests")
        link = digest.encode()
        self._write(manifests.joinpath("revisions", "sha256", hex_digest, "link"), link)
        tag_dir = manifests.joinpath("tags", tag)
        self._write(tag_dir.joinpath("index", "sha256", hex_digest, "link"), link)
        self._write(tag_dir.joinpath("current", "link"), link)
        return digest

    def _linked(self, parts: list[str], digest: str) -> bool:
        layers = self.root.joinpath(*_V2, "repositories", *parts, "_layers", "sha256", _hex(digest))
        return (layers / "link").is_file() and blob_path(self.root, digest).is_file()

    def _write(self, path: Path, data: bytes) -> None:
        if path.parent not in self._made:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(path.parent)
        _write_atomically(path, data)


def _repository_parts(name: str) -> list[str]:
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"not a repository name: {name!r}")
    return parts


def _hex(digest: str) -> str:
    algorithm, _, hex_digest = digest.partition(":")
    if algorithm != "sha256" or len(hex_digest) != 64 or not all(c in "0123456789abcdef" for c in hex_digest):
        raise ValueError(f"not a sha256 digest: {digest!r}")
    return hex_digest


def _write_atomically(path: Path, data: bytes) -> None:
    global _counter
    with _counter_lock:
        _counter += 1
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{_counter}")
    temporary.write_bytes(data)
    os.replace(temporary, path)
