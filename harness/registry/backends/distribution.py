"""A registry binary on PATH run as a supervised subprocess: CNCF distribution or zot.

Debian's ``docker-registry`` (distribution 2.8) is the usual one; ``registry`` (upstream
distribution) and ``zot`` are used when present instead. Distribution binds ``127.0.0.1:0`` and
the real port is read from its ``listening on`` line as the watcher thread reads the child's
output, so two harnesses never race for a port and readiness costs no probing; zot gets a free
port picked just before start and is probed. Storage lives on tmpfs (see
:mod:`harness.registry.backends.scratch`), and a :class:`~harness.registry.backends.supervisor.Supervisor`
restarts a registry that dies on the same address with the same storage.
"""

from __future__ import annotations

import http.client
import os
import secrets
import shutil
from pathlib import Path

from harness.registry.backends import scratch
from harness.registry.backends.base import (
    READY_TIMEOUT,
    Backend,
    BackendUnavailable,
    free_port,
    wait_until_ready,
)
from harness.registry.backends.configs import ConfigFormat, write_config, write_htpasswd
from harness.registry.backends.process import LogBuffer, RegistryProcess
from harness.registry.backends.supervisor import Supervisor
from harness.registry.credentials import Credentials

__all__ = ["BINARIES", "HOW_TO_GET_A_REGISTRY", "DistributionBackend", "find_binary"]

BINARIES = ("docker-registry", "registry", "zot")
HOW_TO_GET_A_REGISTRY = (
    "no OCI registry available: install one with `apt-get install docker-registry` "
    "(or put `registry`/`zot` on PATH), or start docker with the zot image "
    "(ghcr.io/project-zot/zot-linux-amd64), or pass --backend external --url HOST:PORT"
)


def find_binary() -> str | None:
    """The first registry binary on PATH, in order of preference."""
    for name in BINARIES:
        found = shutil.which(name)
        if found:
            return found
    return None


class DistributionBackend(Backend):
    """A registry subprocess with a config, storage and htpasswd in a tmpfs workdir."""

    kind = "distribution"
    uses_scratch = True

    def __init__(
        self, *, binary: str | None = None, credentials: Credentials | None = None, reusable: bool = False
    ) -> None:
        super().__init__(credentials=credentials)
        self._binary = binary
        self.reusable = reusable
        """Runs without the blob descriptor cache, so :meth:`reset` can hand it on (``pool``)."""
        self._log = LogBuffer()
        self._supervisor: Supervisor | None = None
        self._format = ConfigFormat.DISTRIBUTION

    @property
    def storage_root(self) -> Path | None:
        return self._workdir / "storage" if self._workdir else None

    @property
    def blob_seed_root(self) -> Path | None:
        return self.storage_root if self._format is ConfigFormat.DISTRIBUTION else None

    @property
    def supervisor(self) -> Supervisor | None:
        """What restarts the registry when it dies (None unless started)."""
        return self._supervisor

    @property
    def pid(self) -> int | None:
        child = self._supervisor.process if self._supervisor else None
        return child.pid if child else None

    def logs(self) -> str:
        return self._log.text()

    def wait_for_log(self, text: str, timeout: float = READY_TIMEOUT) -> bool:
        """Whether a log line containing ``text`` arrives within ``timeout`` (see ``LogBuffer.wait_for``)."""
        return self._log.wait_for(text, timeout)

    def _begin(self, workdir: Path) -> None:
        binary = self._binary or find_binary()
        if binary is None:
            raise BackendUnavailable(HOW_TO_GET_A_REGISTRY)
        self._format = ConfigFormat.ZOT if "zot" in os.path.basename(binary) else ConfigFormat.DISTRIBUTION
        (workdir / "storage").mkdir()
        if self.credentials is not None:
            write_htpasswd(workdir / "htpasswd", self.credentials)
        self._supervisor = Supervisor(
            lambda port: self._spawn(binary, workdir, port), self._ready, log=self._log, name=self.kind
        )
        self._supervisor.begin()

    def _launch(self, workdir: Path) -> str:
        if self._supervisor is None:
            self._begin(workdir)
        assert self._supervisor is not None
        return self._supervisor.wait_started()

    def _spawn(self, binary: str, workdir: Path, port: int) -> RegistryProcess:
        """Write the config for ``port`` (0: any; zot needs a real one) and start the child."""
        if port == 0 and self._format is ConfigFormat.ZOT:
            port = free_port()
        htpasswd = workdir / "htpasswd"
        config = write_config(
            workdir,
            self._format,
            storage=str(workdir / "storage"),
            port=port,
            htpasswd=str(htpasswd) if htpasswd.exists() else None,
            cache=not self.reusable,
        )
        return RegistryProcess(
            [binary, "serve", str(config)], cwd=workdir, log=self._log, requested_port=port
        )

    def _ready(self, child: RegistryProcess) -> str:
        if self._format is ConfigFormat.ZOT:
            probed = f"127.0.0.1:{child.requested_port}"
            wait_until_ready(probed, alive=lambda: child.alive)
            return probed
        address = child.wait_listening(READY_TIMEOUT)
        if address is not None:
            return address
        if child.wait_exited(0):
            raise BackendUnavailable(
                f"the registry process exited while starting; its log ends:\n{self._log.text()[-600:]}"
            )
        raise BackendUnavailable(f"the registry did not report its port within {READY_TIMEOUT:.0f} s")

    def reset(self) -> bool:
        """Empty the storage and the log of a running reusable registry, for its next user.

        False (and nothing changed) when it cannot be handed on: not reusable, not distribution's
        layout, or not serving any more (stopped by its user, or its process gone). False too, its
        storage already emptied, when it does not answer a request of ours in time
        (:meth:`LogBuffer.clear_through`, which keeps the previous user's late log lines out of
        the next user's log): the pool then stops it.
        """
        supervisor, storage = self._supervisor, self.storage_root
        alive = supervisor is not None and supervisor.process is not None and supervisor.process.alive
        if not (self.reusable and alive and self.blob_seed_root is not None and storage is not None):
            return False
        scratch.discard(storage)  # renamed into the trash: the registry sees no root at once
        storage.mkdir()
        try:
            # Two fences, one after the other: distribution writes each access-log line from the
            # request's own goroutine once the answer is out, so a previous user's line delayed
            # past one fence request's round trip (seen once, under load) is not also delayed
            # past a second one's.
            return all(self._fence() for _ in range(2))
        except (OSError, http.client.HTTPException):
            return False

    def _fence(self) -> bool:
        path = f"/v2/?dkp-harness-reset={secrets.token_hex(8)}"
        # The access-log line, the last one distribution writes for a request (its "response
        # completed" line, which names the path too, comes first).
        marker = f'"GET {path} HTTP/1.1"'
        return self._log.clear_through(marker, lambda: self._request(path), READY_TIMEOUT)

    def _request(self, path: str) -> None:
        """One plain-HTTP ``GET`` to the registry (its answer, 200 or 401, does not matter)."""
        host, _, port = self.address.rpartition(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=READY_TIMEOUT)
        try:
            connection.request("GET", path)
            connection.getresponse().read()
        finally:
            connection.close()

    def _terminate(self) -> None:
        supervisor, self._supervisor = self._supervisor, None
        if supervisor is not None:
            supervisor.stop()
