"""Image layers: building reproducible ``tar.gz`` bytes and flattening layers back into files.

Reproducible means the same files give the same bytes, hence the same digest, on every run:
entries are sorted, every tar header has mtime 0, uid/gid 0 and mode 0644, and the gzip header's
mtime is 0 too (``tarfile``'s ``w:gz`` mode would stamp the current time there).

Reading mirrors what DKP's downloader does with a pulled image: layers are applied in order, later
files replace earlier ones, and OCI whiteouts (``.wh.<name>``, ``.wh..wh..opq``) delete. Broken
input raises :class:`RegistryError` with the text Go's ``compress/gzip`` and ``archive/tar`` use.
"""

from __future__ import annotations

import gzip
import io
import tarfile
import zlib
from collections.abc import Iterable, Mapping

from harness.registry.errors import RegistryError

__all__ = ["apply_layer", "build_layer", "read_layer"]

_WHITEOUT = ".wh."
_OPAQUE = ".wh..wh..opq"


def build_layer(files: Mapping[str, bytes]) -> bytes:
    """A gzip-compressed tar of ``files`` (path → content), byte-for-byte reproducible."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in sorted(files):
            data = files[name]
            info = tarfile.TarInfo(_clean(name))
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(buffer.getvalue(), compresslevel=6, mtime=0)


def read_layer(blob: bytes) -> list[tuple[str, bytes | None]]:
    """Entries of one layer as ``(path, content)``; content ``None`` marks a whiteout."""
    tar_bytes = _gunzip(blob) if blob[:2] == b"\x1f\x8b" else blob
    try:
        with tarfile.open(fileobj=io.BytesIO(tar_bytes), mode="r:") as tar:
            return list(_entries(tar))
    except tarfile.TarError as exc:
        raise RegistryError("archive/tar: invalid tar header") from exc


def apply_layer(files: dict[str, bytes], entries: Iterable[tuple[str, bytes | None]]) -> None:
    """Apply one layer's entries on top of ``files`` in place."""
    for path, content in entries:
        directory, _, base = path.rpartition("/")
        prefix = f"{directory}/" if directory else ""
        if base == _OPAQUE:
            for existing in [p for p in files if p.startswith(prefix)]:
                del files[existing]
        elif base.startswith(_WHITEOUT):
            target = prefix + base[len(_WHITEOUT) :]
            for existing in [p for p in files if p == target or p.startswith(target + "/")]:
                del files[existing]
        elif content is not None:
            files[path] = content


def _entries(tar: tarfile.TarFile) -> Iterable[tuple[str, bytes | None]]:
    for member in tar:
        name = _clean(member.name)
        if _WHITEOUT in name.rpartition("/")[2]:
            yield name, None
        elif member.isfile():
            extracted = tar.extractfile(member)
            yield name, extracted.read() if extracted is not None else b""


def _gunzip(blob: bytes) -> bytes:
    try:
        return gzip.decompress(blob)
    except EOFError as exc:
        raise RegistryError("unexpected EOF") from exc
    except (OSError, zlib.error) as exc:
        raise RegistryError("gzip: invalid header") from exc


def _clean(name: str) -> str:
    while name.startswith(("./", "/")):
        name = name[2:] if name.startswith("./") else name[1:]
    return name
