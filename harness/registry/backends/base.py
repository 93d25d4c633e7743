"""What every registry backend offers, and the temp-dir bookkeeping they share.

A backend is a registry the harness can push to and DKP can pull from: ``start()`` it, read its
``address`` (``127.0.0.1:PORT``) and ``credentials``, ``stop()`` it. Process backends own a
temporary directory (config, htpasswd, storage) that ``stop()`` removes — also when ``start()``
fails half-way, so a failed start leaves nothing behind. Use them as context managers.
"""

from __future__ import annotations

import abc
import atexit
import http.client
import shutil
import socket
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import ClassVar, Self

from harness.registry.backends import scratch
from harness.registry.credentials import Credentials

__all__ = ["Backend", "BackendUnavailable", "free_port", "wait_until_ready"]

READY_TIMEOUT = 10.0  # seconds; the registry process is ready in ~30 ms here


class BackendUnavailable(RuntimeError):
    """The requested registry cannot be started here; the message says how to get one."""


class Backend(abc.ABC):
    """A registry with a lifecycle (``start``/``stop``) and an address."""

    kind: ClassVar[str]
    uses_scratch: ClassVar[bool] = False
    """Whether the workdir goes to the per-process tmpfs scratch area (see ``scratch``)."""

    def __init__(self, *, credentials: Credentials | None = None) -> None:
        self.credentials = credentials
        self._address: str | None = None
        self._workdir: Path | None = None
        self._final_logs = ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(address={self._address!r})"

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def address(self) -> str:
        """``127.0.0.1:PORT`` (or the external registry's host); only valid after ``start()``."""
        if self._address is None:
            raise RuntimeError(f"{self.kind} registry is not started: call start() first")
        return self._address

    @property
    def workdir(self) -> Path | None:
        """The temporary directory this backend owns while running (None for external ones)."""
        return self._workdir

    @property
    def storage_root(self) -> Path | None:
        """Where blobs live on this machine, when the harness can reach them (for corruption)."""
        return None

    @property
    def blob_seed_root(self) -> Path | None:
        """The storage a :class:`~harness.registry.blob_seed.BlobSeed` may write blobs into, if any.

        Only a registry process this backend runs with distribution's filesystem layout has one.
        """
        return None

    def start(self) -> None:
        """Start the registry and return once it serves."""
        self.begin_start()
        self.finish_start()

    def begin_start(self) -> None:
        """Set the registry going without waiting for it (the caller can do other work meanwhile).

        A registry process boots on the other core while the caller starts, say, an API server;
        :meth:`finish_start` then waits for it. Backends that cannot start in the background do
        all the work in :meth:`finish_start`.
        """
        if self._address is not None or self._workdir is not None:
            return
        prefix = f"dkp-registry-{self.kind}-"
        self._workdir = (
            scratch.make_workdir(prefix) if self.uses_scratch else Path(tempfile.mkdtemp(prefix=prefix))
        )
        atexit.register(self.stop)  # a forgotten stop() must not leave a registry running
        try:
            self._begin(self._workdir)
        except BaseException:
            self.stop()
            raise

    def finish_start(self) -> str:
        """Wait until the registry begun by :meth:`begin_start` serves; returns its address."""
        if self._address is None:
            if self._workdir is None:
                self.begin_start()
            assert self._workdir is not None
            try:
                self._address = self._launch(self._workdir)
            except BaseException:
                self.stop()
                raise
        return self._address

    def _begin(self, workdir: Path) -> None:
        """Start in the background what :meth:`_launch` then waits for (default: nothing)."""
        return None

    def stop(self) -> None:
        """Stop the registry and remove everything it created; safe to call twice."""
        atexit.unregister(self.stop)
        try:
            self._final_logs = self.logs()
            self._terminate()
        finally:
            self._address = None
            if self._workdir is not None:
                if self.uses_scratch:
                    scratch.discard(self._workdir)
                else:
                    shutil.rmtree(self._workdir, ignore_errors=True)
                self._workdir = None

    def logs(self) -> str:
        """The registry's own log output so far (kept after ``stop()``)."""
        return self._final_logs

    @abc.abstractmethod
    def _launch(self, workdir: Path) -> str:
        """Start the registry using ``workdir`` (or wait for what ``_begin`` started); return its
        ``host:port`` once it is ready."""

    @abc.abstractmethod
    def _terminate(self) -> None:
        """Stop whatever ``_launch`` started (it may have started nothing)."""


def free_port() -> int:
    """A port free on 127.0.0.1 right now (for registries that cannot bind port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_ready(address: str, *, alive: Callable[[], bool], timeout: float = READY_TIMEOUT) -> None:
    """Bounded wait for ``GET /v2/`` to answer 200 or 401 (for registries that do not say their port).

    ``alive`` is a callable returning False once the registry died, which ends the wait early.
    Plain HTTP through ``http.client``: no TLS setup for a loopback probe.
    """
    host, port = address.rsplit(":", 1)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            raise BackendUnavailable(f"the registry at {address} exited while starting")
        connection = http.client.HTTPConnection(host, int(port), timeout=1.0)
        try:
            connection.request("GET", "/v2/")
            if connection.getresponse().status in (200, 401):
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.005)
    raise BackendUnavailable(f"the registry at {address} did not answer GET /v2/ within {timeout:.0f} s")
