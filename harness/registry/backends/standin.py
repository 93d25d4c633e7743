"""A stand-in for the zot image built from the local ``docker-registry`` binary.

Without network access the upstream zot image cannot be pulled, so the docker backend is exercised
with an image built ``FROM scratch`` around the Debian ``docker-registry`` binary, which is
dynamically linked and therefore needs its libc and loader copied in too. Its entrypoint is
``/bin/registry``, so :func:`harness.registry.backends.zot.detect_format` writes a distribution config.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from harness.registry.backends.base import BackendUnavailable

__all__ = ["STANDIN_IMAGE", "build_standin_image"]

STANDIN_IMAGE = "dkp-harness/registry-standin:latest"
_DOCKERFILE = b"""FROM scratch
COPY rootfs/ /
ENTRYPOINT ["/bin/registry"]
CMD ["serve", "/etc/docker/registry/config.yml"]
"""


def build_standin_image(client: Any, *, tag: str = STANDIN_IMAGE, binary: str | None = None) -> str:
    """Build (or rebuild) the stand-in image in the daemon behind ``client``; returns its tag."""
    path = binary or shutil.which("docker-registry")
    if path is None:
        raise BackendUnavailable("docker-registry is not installed: apt-get install docker-registry")
    context = _build_context(Path(path))
    client.images.build(fileobj=context, custom_context=True, tag=tag, rm=True)
    return tag


def _build_context(binary: Path) -> io.BytesIO:
    """A tar build context: Dockerfile plus rootfs/ with the binary and its shared libraries."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        _add_bytes(tar, "Dockerfile", _DOCKERFILE, 0o644)
        tar.add(str(binary.resolve()), arcname="rootfs/bin/registry")
        for library in _shared_libraries(binary):
            tar.add(str(Path(library).resolve()), arcname=f"rootfs{library}")
    buffer.seek(0)
    return buffer


def _shared_libraries(binary: Path) -> list[str]:
    """Absolute paths of the libraries ``ldd`` reports (libc and the loader for distribution)."""
    output = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, check=False).stdout
    return sorted({word for line in output.splitlines() for word in line.split() if word.startswith("/")})


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mode: int) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), mode
    tar.addfile(info, io.BytesIO(data))
