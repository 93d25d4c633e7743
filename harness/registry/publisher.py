"""Publishing modules in DKP's registry layout, and breaking them on purpose.

:class:`Publisher` turns "module X version v1.2.3 on the stable channel" into the images DKP reads
(see :mod:`harness.registry.layout`) and pushes them to a real registry. It also performs the
operations scenarios need to provoke DKP's error paths: move a channel, remove a tag, corrupt a
blob, push a release without ``version.json``.

Tag semantics: every tag gets its **own manifest** (the image config carries the label
``io.github.dkp-harness.tag = <repo>:<tag>``), so two tags never share a digest. That matters
because a distribution registry deletes manifests by digest only, and deleting a digest drops every
tag pointing at it; with one manifest per tag, :meth:`Publisher.remove_tag` removes exactly one
tag. Layers are still shared (same files → same layer blob), and digests stay reproducible: the
same module, version, tag and content give the same digest on every run.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

import httpx

from harness.registry import archive, images, mediatypes
from harness.registry import spec as spec_module
from harness.registry.blob_seed import BlobSeed, blob_path
from harness.registry.credentials import Credentials
from harness.registry.errors import RegistryError
from harness.registry.layout import ModuleVersion, channel_tag, normalize_version
from harness.registry.mediatypes import Flavor
from harness.registry.pusher import Pusher

__all__ = ["TAG_LABEL", "Publisher"]

TAG_LABEL = "io.github.dkp-harness.tag"
CorruptMode = Literal["auto", "storage", "size"]


class Publisher:
    """Push DKP-layout module images into ``registry`` under repository ``repo``."""

    def __init__(
        self,
        registry: str,
        repo: str = "deckhouse/modules",
        *,
        auth: Credentials | tuple[str, str] | None = None,
        scheme: str = "http",
        flavor: Flavor = Flavor.OCI,
        storage_root: Path | None = None,
        transport: httpx.BaseTransport | None = None,
        seed_storage: Path | None = None,
    ) -> None:
        """``seed_storage``: the storage root of a distribution registry the harness runs itself;
        blobs are then written there and only manifests pushed over HTTP
        (:mod:`harness.registry.blob_seed`)."""
        self.registry = registry
        self.repo = repo.strip("/")
        self.flavor = flavor
        self.storage_root = storage_root
        credentials = Credentials(*auth) if isinstance(auth, tuple) else auth
        seed = BlobSeed(seed_storage) if seed_storage is not None else None
        self._connect: Callable[[], Pusher] = lambda: Pusher(
            registry, credentials=credentials, scheme=scheme, transport=transport, seed=seed
        )
        self._client: Pusher | None = None

    @property
    def _pusher(self) -> Pusher:
        """The HTTP client, built on first push or read (reading ``registry`` needs none)."""
        if self._client is None:
            self._client = self._connect()
        return self._client

    def __repr__(self) -> str:
        return f"Publisher({self.registry!r}, {self.repo!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def name(self, path: str = "") -> str:
        """The registry repository name of ``R/<path>``."""
        return "/".join(p for p in (self.repo, path.strip("/")) if p)

    def publish(
        self,
        name: str,
        version: str,
        channels: Iterable[str] = (),
        weight: int | None = None,
        requirements: Mapping[str, str] | None = None,
        hook_error: str | None = None,
        changelog: Mapping[str, Any] | None = None,
        settings_schema: Mapping[str, Any] | None = None,
        accessibility: Mapping[str, Any] | None = None,
        validations: Mapping[str, str] | None = None,
    ) -> dict[str, str]:
        """Push ``R:<name>``, ``R/<name>:<v>``, ``R/<name>/release:<v>`` and one release per channel.

        ``accessibility`` goes into ``module.yaml`` (module, release and tag images alike);
        ``validations`` become ``release/validations/<file>`` of the module image.
        Returns the digest of every pushed reference (``path:tag`` relative to ``R``).
        """
        module = ModuleVersion(
            name,
            normalize_version(version),
            weight,
            requirements,
            hook_error,
            changelog,
            settings_schema,
            accessibility,
            validations,
        )
        tags = [channel_tag(c) for c in channels]
        digests = {
            f":{name}": self._push("", name, {"module.yaml": module.definition()}),
            f"{name}:{module.version}": self._push(name, module.version, module.module_files()),
        }
        release = module.release_files()
        for tag in [module.version, *tags]:
            digests[f"{name}/release:{tag}"] = self._push(f"{name}/release", tag, release)
        return digests

    def digest(self, path: str, tag: str) -> str:
        """The manifest digest (``sha256:…``) of ``R/<path>:<tag>``: what a registry answers as
        ``Docker-Content-Digest`` and DKP's override controller keeps in ``status.imageDigest``."""
        return "sha256:" + hashlib.sha256(self._pusher.manifest_bytes(self.name(path), tag)).hexdigest()

    def move_channel(self, name: str, channel: str, version: str) -> str:
        """Point ``R/<name>/release:<channel>`` at the release content of ``version``."""
        release = f"{name}/release"
        source = self._manifest(release, normalize_version(version))
        layer_descriptor = source["layers"][0]
        layer = self._pusher.blob_bytes(self.name(release), layer_descriptor["digest"])
        tag = channel_tag(channel)
        image = images.manifest_for(
            layer,
            mediatypes.sha256_digest(gzip.decompress(layer)),
            labels=self._labels(release, tag),
            flavor=self.flavor,
        )
        return self._pusher.push_image(self.name(release), tag, image)

    def push_release_without_version(self, name: str, channel: str, version: str = "v0.0.0") -> str:
        """A release image on ``channel`` that lacks ``version.json`` (DKP: metadata malformed)."""
        module = ModuleVersion(name, normalize_version(version))
        return self._push(f"{name}/release", channel_tag(channel), module.release_files(with_version=False))

    def mark_hook_failing(self, name: str, version: str, message: str) -> str:
        """Re-push ``R/<name>:<version>`` with a failing hook whose error is ``message``."""
        files = self.read_files(name, normalize_version(version))
        files["hooks/failing-hook.py"] = b"#!/usr/bin/env python3\nraise SystemExit(1)\n"
        files["hooks/failing-hook.py.error"] = message.encode()
        return self._push(name, normalize_version(version), files)

    def remove_tag(self, path: str, tag: str) -> str:
        """Delete ``R/<path>:<tag>`` (only that tag: every tag has its own manifest)."""
        name = self.name(path)
        digest = mediatypes.sha256_digest(self._pusher.manifest_bytes(name, tag))
        self._pusher.delete_manifest(name, digest)
        return digest

    def corrupt_blob(self, path: str, tag: str, *, how: CorruptMode = "auto") -> str:
        """Make the layer of ``R/<path>:<tag>`` fail verification on pull; returns what was done.

        ``storage``: flip the stored layer bytes on disk (same length) — a pull sees a sha256
        mismatch; every image sharing that layer is affected. ``size``: re-push the tag with a
        manifest whose layer size is one byte too large — a pull sees a size mismatch; only this
        tag is affected, and it works on any registry. ``auto``: ``storage`` when the backend's
        storage is known, else ``size``.
        """
        mode = ("storage" if self.storage_root else "size") if how == "auto" else how
        manifest = self._manifest(path, tag)
        if mode == "storage":
            self._corrupt_stored_blob(manifest["layers"][0]["digest"])
            return "storage"
        manifest["layers"][0]["size"] += 1
        self._pusher.push_manifest(
            self.name(path), tag, images.canonical_json(manifest), manifest["mediaType"]
        )
        return "size"

    def read_files(self, path: str, tag: str) -> dict[str, bytes]:
        """The files of an image this publisher pushed (single layer), for re-publishing."""
        manifest = self._manifest(path, tag)
        files: dict[str, bytes] = {}
        for layer in manifest["layers"]:
            archive.apply_layer(
                files, archive.read_layer(self._pusher.blob_bytes(self.name(path), layer["digest"]))
            )
        return files

    def apply_spec(self, spec: str | Path | Mapping[str, Any]) -> dict[str, str]:
        """Publish everything a declarative spec (YAML file or mapping) describes."""
        digests: dict[str, str] = {}
        for operation in spec_module.load(spec):
            digests.update(operation.run(self))
        return digests

    def _push(self, path: str, tag: str, files: Mapping[str, bytes]) -> str:
        image = images.build_image(files, labels=self._labels(path, tag), flavor=self.flavor)
        return self._pusher.push_image(self.name(path), tag, image)

    def _labels(self, path: str, tag: str) -> dict[str, str]:
        return {TAG_LABEL: f"{self.name(path)}:{tag}"}

    def _manifest(self, path: str, tag: str) -> dict[str, Any]:
        document = json.loads(self._pusher.manifest_bytes(self.name(path), tag))
        if not isinstance(document, dict) or not document.get("layers"):
            raise RegistryError(f"{self.name(path)}:{tag} is not a single-manifest image with layers")
        return document

    def _corrupt_stored_blob(self, digest: str) -> None:
        assert self.storage_root is not None
        data = blob_path(self.storage_root, digest)
        if not data.exists():
            raise RegistryError(
                f"blob {digest} is not in {self.storage_root}: is this the registry's storage?"
            )
        data.write_bytes(bytes(b ^ 0xFF for b in data.read_bytes()))
