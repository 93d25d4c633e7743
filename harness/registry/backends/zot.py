"""zot (or a stand-in registry image) in a docker container, driven through the docker SDK.

The container runs with host networking and listens on 127.0.0.1 only; config, htpasswd and
storage are a temp dir bind-mounted into it, so the harness can read logs and corrupt blobs the same
way as for the subprocess backend. The default image is upstream zot; any image whose entrypoint
is a distribution ``registry`` works too (``config_format="auto"`` looks at the image's
entrypoint/cmd and writes the config that registry understands). Nothing is pulled: the image must
be present locally, which keeps the harness offline.
"""

from __future__ import annotations

import os
import re
import socket
import time
from pathlib import Path
from typing import Any

from harness.registry.backends.base import (
    READY_TIMEOUT,
    Backend,
    BackendUnavailable,
    free_port,
    wait_until_ready,
)
from harness.registry.backends.configs import ConfigFormat, write_config, write_htpasswd
from harness.registry.credentials import Credentials

__all__ = ["DEFAULT_IMAGE", "ZotBackend", "detect_format", "docker_client"]

DEFAULT_IMAGE = "ghcr.io/project-zot/zot-linux-amd64:latest"
API_VERSION = "1.41"
DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock"
_MOUNT = "/etc/dkp-harness"
_LISTENING = re.compile(r"listening on (127\.0\.0\.1:\d+)")


def docker_client(base_url: str | None = None) -> Any:
    """A connected docker SDK client (``DOCKER_HOST`` or the default socket), or an explanation."""
    try:
        import docker
    except ImportError as exc:  # pragma: no cover - docker is a declared dependency
        raise BackendUnavailable("the docker SDK is missing: pip install docker") from exc
    _probe_unix_socket(base_url or os.environ.get("DOCKER_HOST") or DEFAULT_DOCKER_HOST)
    client = None
    try:
        # A pinned API version: "auto" would query the daemon inside the constructor and leak the
        # socket when there is no daemon. 1.41 (docker 20.10) is served by every current daemon.
        client = (
            docker.DockerClient(base_url=base_url, version=API_VERSION)
            if base_url
            else docker.from_env(version=API_VERSION)
        )
        client.ping()
    except Exception as exc:  # noqa: BLE001 - the SDK raises many unrelated types for "no daemon"
        if client is not None:
            client.close()
        raise BackendUnavailable(
            f"no working docker daemon ({type(exc).__name__}): start dockerd or set DOCKER_HOST"
        ) from None
    return client


def _probe_unix_socket(url: str) -> None:
    """Fail early (and without the SDK, which leaks the socket) when a unix socket is dead."""
    if not url.startswith("unix://"):
        return
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        try:
            sock.connect(url[len("unix://") :])
        except OSError as exc:
            raise BackendUnavailable(
                f"no working docker daemon at {url} ({exc.strerror}): start dockerd or set DOCKER_HOST"
            ) from None


def detect_format(image_attrs: dict[str, Any]) -> ConfigFormat:
    """zot or distribution, from the image's entrypoint and cmd."""
    config = image_attrs.get("Config") or {}
    words = " ".join([*(config.get("Entrypoint") or []), *(config.get("Cmd") or [])])
    return ConfigFormat.ZOT if "zot" in words else ConfigFormat.DISTRIBUTION


class ZotBackend(Backend):
    """A registry container; ``image`` must already be present in the daemon."""

    kind = "zot"

    def __init__(
        self,
        *,
        image: str = DEFAULT_IMAGE,
        credentials: Credentials | None = None,
        config_format: ConfigFormat | str = "auto",
        docker_host: str | None = None,
    ) -> None:
        super().__init__(credentials=credentials)
        self.image = image
        self._format = config_format
        self._docker_host = docker_host
        self._container: Any = None
        self._client: Any = None

    @property
    def storage_root(self) -> Path | None:
        return self._workdir / "storage" if self._workdir else None

    @property
    def container_id(self) -> str | None:
        return str(self._container.id) if self._container is not None else None

    def logs(self) -> str:
        if self._container is None:
            return self._final_logs
        try:
            return bytes(self._container.logs()).decode(errors="replace")
        except Exception:  # noqa: BLE001 - a vanished container simply has no more logs
            return self._final_logs

    def _launch(self, workdir: Path) -> str:
        self._client = docker_client(self._docker_host)
        fmt = self._resolve_format()
        port = 0 if fmt is ConfigFormat.DISTRIBUTION else free_port()
        config = self._write_files(workdir, fmt, port)
        self._container = self._client.containers.run(
            self.image,
            command=["serve", f"{_MOUNT}/{config.name}"],
            detach=True,
            network_mode="host",
            volumes={str(workdir): {"bind": _MOUNT, "mode": "rw"}},
            labels={"dkp-harness": "registry"},
        )
        address = self._address_from_logs() if port == 0 else f"127.0.0.1:{port}"
        wait_until_ready(address, alive=self._alive)
        return address

    def _resolve_format(self) -> ConfigFormat:
        if isinstance(self._format, ConfigFormat):
            return self._format
        if self._format != "auto":
            return ConfigFormat(self._format)
        try:
            image = self._client.images.get(self.image)
        except Exception as exc:
            raise BackendUnavailable(
                f"docker image {self.image!r} is not present: docker pull it (or load it) first"
            ) from exc
        return detect_format(image.attrs)

    def _write_files(self, workdir: Path, fmt: ConfigFormat, port: int) -> Path:
        (workdir / "storage").mkdir()
        htpasswd = None
        if self.credentials is not None:
            write_htpasswd(workdir / "htpasswd", self.credentials)
            htpasswd = f"{_MOUNT}/htpasswd"
        return write_config(workdir, fmt, storage=f"{_MOUNT}/storage", port=port, htpasswd=htpasswd)

    def _alive(self) -> bool:
        try:
            self._container.reload()
        except Exception:  # noqa: BLE001 - gone means not alive
            return False
        return str(self._container.status) in ("created", "running")

    def _address_from_logs(self) -> str:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            match = _LISTENING.search(self.logs())
            if match:
                return match.group(1)
            if not self._alive():
                raise BackendUnavailable(
                    f"the registry container exited; its log ends:\n{self.logs()[-600:]}"
                )
            time.sleep(0.01)
        raise BackendUnavailable(
            f"the registry container did not report its port within {READY_TIMEOUT:.0f} s"
        )

    def _terminate(self) -> None:
        container, self._container = self._container, None
        if container is not None:
            try:
                container.remove(force=True)
            except Exception:  # noqa: BLE001 - already gone is fine
                pass
        if self._client is not None:
            self._client.close()
            self._client = None
