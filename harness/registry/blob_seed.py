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

A publish writes ~100 files into directories that are mostly new (every blob, manifest and tag has
its own), so the writing is kept to the system calls it needs: paths are plain strings (pathlib's
objects were a third of a publish's time), and a directory is made with one ``mkdir`` per missing
level, found from the directories this seed made or met before, instead of ``mkdir -p``'s attempt
at the deepest level first, which fails and retries at every level above (three calls a file). A
directory the registry removed since (a manifest ``DELETE`` drops its tag's) is noticed when the
write fails, and made again.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
from pathlib import Path

__all__ = ["BlobSeed", "blob_path"]

_V2 = ("docker", "registry", "v2")
_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
"""The OCI distribution spec's tag grammar."""
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_temporary_names = itertools.count()  # next() on a count is atomic: no lock for the temp names
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC


def blob_path(root: Path, digest: str) -> Path:
    """Where distribution's filesystem driver keeps the bytes of ``digest`` (``sha256:<hex>``)."""
    return Path(_blob_dir(os.path.join(root, *_V2), _hex(digest)), "data")


def _blob_dir(v2: str, hex_digest: str) -> str:
    """The folder of a blob's ``data`` under the storage's ``docker/registry/v2`` folder ``v2``."""
    return f"{v2}/blobs/sha256/{hex_digest[:2]}/{hex_digest}"


class BlobSeed:
    """Writes images into the storage under ``root`` of a distribution registry we run ourselves."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._root = os.fspath(root)
        self._v2 = os.path.join(self._root, *_V2)
        self._made: set[str] = set()
        """Directories known to exist: made by this seed, or found there when it tried to."""

    def put(self, name: str, digest: str, data: bytes) -> None:
        """Store ``data`` as ``digest`` (unless stored already) and link it into repository ``name``."""
        hex_digest = _hex(digest)
        repository = self._repository(name)
        blob = _blob_dir(self._v2, hex_digest)
        if not os.path.isfile(f"{blob}/data"):
            self._write(blob, "data", data)
        self._write(f"{repository}/_layers/sha256/{hex_digest}", "link", f"sha256:{hex_digest}".encode())

    def put_manifest(self, name: str, tag: str, body: bytes, references: list[str]) -> str:
        """Store manifest ``body`` in repository ``name`` under ``tag``; returns its digest.

        ``references`` are the digests of the blobs it names (config and layers): each must be
        linked into the repository already, as the registry requires of a pushed manifest.
        """
        repository = self._repository(name)
        if not _TAG.fullmatch(tag):
            raise ValueError(f"not a tag: {tag!r}")
        missing = [d for d in references if not self._linked(repository, d)]
        if missing:
            raise ValueError(f"manifest for {name}:{tag} references blobs not in the repository: {missing}")
        hex_digest = hashlib.sha256(body).hexdigest()
        digest = f"sha256:{hex_digest}"
        blob = _blob_dir(self._v2, hex_digest)
        if not os.path.isfile(f"{blob}/data"):
            self._write(blob, "data", body)
        manifests = f"{repository}/_manifests"
        link = digest.encode()
        self._write(f"{manifests}/revisions/sha256/{hex_digest}", "link", link)
        tag_dir = f"{manifests}/tags/{tag}"
        self._write(f"{tag_dir}/index/sha256/{hex_digest}", "link", link)
        self._write(f"{tag_dir}/current", "link", link)
        return digest

    def _repository(self, name: str) -> str:
        return f"{self._v2}/repositories/{'/'.join(_repository_parts(name))}"

    def _linked(self, repository: str, digest: str) -> bool:
        hex_digest = _hex(digest)
        return os.path.isfile(f"{repository}/_layers/sha256/{hex_digest}/link") and os.path.isfile(
            f"{_blob_dir(self._v2, hex_digest)}/data"
        )

    def _write(self, directory: str, name: str, data: bytes) -> None:
        if directory not in self._made:
            self._make(directory)
        try:
            _write_atomically(directory, name, data)
        except FileNotFoundError:
            # A directory this seed made is gone: the registry removed it (a manifest DELETE
            # drops its tag's directories). Forget what was known, make it again, write once more.
            self._made.clear()
            os.makedirs(directory, exist_ok=True)
            _write_atomically(directory, name, data)

    def _make(self, directory: str) -> None:
        """Make ``directory`` and its missing parents, one ``mkdir`` for each level not known to exist."""
        missing: list[str] = []
        level = directory
        while level not in self._made and len(level) > len(self._root):
            missing.append(level)
            level = os.path.dirname(level)
        try:
            for level in reversed(missing):
                try:
                    os.mkdir(level)
                except FileExistsError:
                    pass  # made by the registry or another seed: there is nothing to do
                self._made.add(level)
        except FileNotFoundError:
            # A level known to exist is gone (or the root itself): make the whole chain afresh.
            self._made.clear()
            os.makedirs(directory, exist_ok=True)
            self._made.add(directory)


def _repository_parts(name: str) -> list[str]:
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"not a repository name: {name!r}")
    return parts


def _hex(digest: str) -> str:
    algorithm, _, hex_digest = digest.partition(":")
    if algorithm != "sha256" or not _SHA256_HEX.fullmatch(hex_digest):
        raise ValueError(f"not a sha256 digest: {digest!r}")
    return hex_digest


def _write_atomically(directory: str, name: str, data: bytes) -> None:
    """``data`` into ``directory/name`` by way of a temporary name in the same directory."""
    temporary = f"{directory}/.{name}.{os.getpid()}.{next(_temporary_names)}"
    descriptor = os.open(temporary, _NEW_FILE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
    finally:
        os.close(descriptor)
    os.replace(temporary, f"{directory}/{name}")
