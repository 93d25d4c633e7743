"""An in-memory registry behind the :class:`~harness.dkp.images.reader.RegistryReader` seam.

Controller and decision tests that only need "this repository has these tags with these files"
use it instead of a registry process. It speaks the same errors as the real client (a
``RegistryError`` naming the missing repository or tag) so the controllers' error paths run
unchanged. Scenarios and conformance runs always use the real registry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from harness.dkp.images.reader import RegistryReader
from harness.registry.errors import RegistryError

__all__ = ["InMemoryRegistry", "StoredImage"]


@dataclass(frozen=True)
class StoredImage:
    """One image: the digest is derived from the files, so equal content means equal digest."""

    files: Mapping[str, bytes] = field(repr=False)

    @property
    def digest(self) -> str:
        h = hashlib.sha256()
        for name in sorted(self.files):
            h.update(name.encode() + b"\0" + self.files[name] + b"\0")
        return f"sha256:{h.hexdigest()}"


class InMemoryRegistry:
    """Repositories keyed by ``repo`` (as in ``spec.registry.repo``), then path and tag."""

    def __init__(self) -> None:
        self._images: dict[str, dict[str, dict[str, StoredImage]]] = {}
        self.opened: list[str] = []
        """Every repo a reader was opened for, in order (tests check the seam was used)."""

    def push(self, repo: str, path: str, tag: str, files: Mapping[str, bytes]) -> StoredImage:
        """Store ``files`` as ``repo/path:tag``; ``path`` "" is the repository root."""
        image = StoredImage(dict(files))
        self._images.setdefault(repo, {}).setdefault(path, {})[tag] = image
        return image

    def factory(self, repo: str, **_options: Any) -> RegistryReader:
        """A :data:`~harness.dkp.images.reader.RegistryFactory` (credentials are not checked)."""
        self.opened.append(repo)
        return _Reader(self, repo)

    def tags(self, repo: str, path: str) -> dict[str, StoredImage]:
        found = self._images.get(repo, {}).get(path)
        if found is None:
            name = f"{repo}/{path}" if path else repo
            raise RegistryError(f"NAME_UNKNOWN: repository name not known to registry: {name}")
        return found


class _Reader:
    def __init__(self, registry: InMemoryRegistry, repo: str) -> None:
        self._registry = registry
        self._repo = repo

    def list_tags(self, path: str = "") -> list[str]:
        return sorted(self._registry.tags(self._repo, path))

    def read_image(self, path: str, tag: str) -> StoredImage:
        image = self._registry.tags(self._repo, path).get(tag)
        if image is None:
            raise RegistryError(f"MANIFEST_UNKNOWN: manifest unknown: {self._repo}/{path}:{tag}")
        return image

    def digest(self, path: str, tag: str) -> str:
        return self.read_image(path, tag).digest

    def close(self) -> None:
        return None
