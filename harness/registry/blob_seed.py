"""Placing blobs straight into a distribution registry's own storage, for the simulator's registry.

Distribution 2.8 ignores the body of a monolithic ``POST …/blobs/uploads/?digest=``, so every blob
pushed over HTTP costs two requests (``POST`` + ``PUT``), and it rebuilds its whole URL router
for each request: pushing the blobs was two thirds of a scenario's registry requests and most of
the registry's CPU. When the harness runs the registry itself, it owns that storage, so the
:class:`~harness.registry.pusher.Pusher` of the simulated cluster writes blobs where the
registry's filesystem driver keeps them and pushes only the manifests over HTTP.

Nothing the cluster sees changes: every pull (tags, manifests, blobs) is served by the registry
over HTTP as before, and a manifest ``PUT`` is still checked by the registry, which refuses it
(``MANIFEST_BLOB_UNKNOWN``) unless every blob it references is linked into the repository — so
a blob placed wrongly fails the push at once instead of a later pull. Only distribution's
filesystem layout is written (the one 2.x and 3.x share); zot, docker-run and external registries
get every blob over HTTP.

Layout (``docker/registry/v2`` under the storage root):
``blobs/sha256/<first two hex>/<hex>/data`` holds the bytes, and
``repositories/<name>/_layers/sha256/<hex>/link`` holds ``sha256:<hex>``, which is what makes the
blob part of repository ``<name>``. Both are written to a temporary name and renamed, so a
registry reading concurrently never sees half a file.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

__all__ = ["BlobSeed", "blob_path"]

_V2 = ("docker", "registry", "v2")
_counter_lock = threading.Lock()
_counter = 0


def blob_path(root: Path, digest: str) -> Path:
    """Where distribution's filesystem driver keeps the bytes of ``digest`` (``sha256:<hex>``)."""
    hex_digest = _hex(digest)
    return root.joinpath(*_V2, "blobs", "sha256", hex_digest[:2], hex_digest, "data")


class BlobSeed:
    """Writes blobs into the storage under ``root`` of a distribution registry we run ourselves."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._made: set[Path] = set()  # directories known to exist (a publish writes ~10 per image)

    def put(self, name: str, digest: str, data: bytes) -> None:
        """Store ``data`` as ``digest`` (unless stored already) and link it into repository ``name``."""
        hex_digest = _hex(digest)
        parts = name.split("/")
        if any(part in ("", ".", "..") for part in parts):
            raise ValueError(f"not a repository name: {name!r}")
        data_path = blob_path(self.root, digest)
        if not data_path.is_file():
            self._write(data_path, data)
        link = self.root.joinpath(*_V2, "repositories", *parts, "_layers", "sha256", hex_digest, "link")
        self._write(link, f"sha256:{hex_digest}".encode())

    def _write(self, path: Path, data: bytes) -> None:
        if path.parent not in self._made:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(path.parent)
        _write_atomically(path, data)


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
