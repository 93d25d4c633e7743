"""A registry someone else runs: the harness only knows its address and credentials."""

from __future__ import annotations

from pathlib import Path

from harness.registry.backends.base import Backend
from harness.registry.credentials import Credentials

__all__ = ["ExternalBackend"]


class ExternalBackend(Backend):
    """No lifecycle: ``start``/``stop`` only record the address; nothing is created or removed."""

    kind = "external"

    def __init__(self, url: str, *, credentials: Credentials | None = None) -> None:
        super().__init__(credentials=credentials)
        host = url.split("://", 1)[-1].rstrip("/")
        if not host or "/" in host:
            raise ValueError(
                f"an external registry is given as HOST:PORT or http(s)://HOST:PORT, got {url!r}"
            )
        self._host = host

    def start(self) -> None:
        self._address = self._host

    def begin_start(self) -> None:
        self._address = self._host

    def finish_start(self) -> str:
        self._address = self._host
        return self._host

    def stop(self) -> None:
        self._address = None

    def _launch(self, workdir: Path) -> str:  # pragma: no cover - start() is overridden
        return self._host

    def _terminate(self) -> None:  # pragma: no cover - stop() is overridden
        return None
