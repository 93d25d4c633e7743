"""A registry binary on PATH run as a plain subprocess: CNCF distribution or zot.

Debian's ``docker-registry`` (distribution 2.8) is the usual one; ``registry`` (upstream
distribution) and ``zot`` are used when present instead. Distribution binds ``127.0.0.1:0`` and
the real port is read from its ``listening on`` log line, so two harnesses never race for a port;
zot gets a free port picked just before start. Ready in ~30 ms.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from harness.registry.backends.base import (
    READY_TIMEOUT,
    Backend,
    BackendUnavailable,
    free_port,
    wait_until_ready,
)
from harness.registry.backends.configs import ConfigFormat, write_config, write_htpasswd
from harness.registry.credentials import Credentials

__all__ = ["BINARIES", "HOW_TO_GET_A_REGISTRY", "DistributionBackend", "find_binary"]

BINARIES = ("docker-registry", "registry", "zot")
HOW_TO_GET_A_REGISTRY = (
    "no OCI registry available: install one with `apt-get install docker-registry` "
    "(or put `registry`/`zot` on PATH), or start docker with the zot image "
    "(ghcr.io/project-zot/zot-linux-amd64), or pass --backend external --url HOST:PORT"
)
_LISTENING = re.compile(r"listening on (127\.0\.0\.1:\d+)")


def find_binary() -> str | None:
    """The first registry binary on PATH, in order of preference."""
    for name in BINARIES:
        found = shutil.which(name)
        if found:
            return found
    return None


class DistributionBackend(Backend):
    """A registry subprocess with a config, storage, htpasswd and log in a temp dir."""

    kind = "distribution"

    def __init__(self, *, binary: str | None = None, credentials: Credentials | None = None) -> None:
        super().__init__(credentials=credentials)
        self._binary = binary
        self._process: subprocess.Popen[bytes] | None = None
        self._zot_address = ""

    @property
    def storage_root(self) -> Path | None:
        return self._workdir / "storage" if self._workdir else None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def logs(self) -> str:
        log = self._workdir / "registry.log" if self._workdir else None
        if log is not None and log.exists():
            return log.read_text(errors="replace")
        return self._final_logs

    def _launch(self, workdir: Path) -> str:
        binary = self._binary or find_binary()
        if binary is None:
            raise BackendUnavailable(HOW_TO_GET_A_REGISTRY)
        fmt = ConfigFormat.ZOT if "zot" in os.path.basename(binary) else ConfigFormat.DISTRIBUTION
        config = self._write_files(workdir, fmt)
        log_path = workdir / "registry.log"
        with log_path.open("wb") as log:
            self._process = subprocess.Popen(
                [binary, "serve", str(config)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=workdir,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        address = self._port_from_log(log_path) if fmt is ConfigFormat.DISTRIBUTION else self._zot_address
        wait_until_ready(address, alive=self._alive)
        return address

    def _write_files(self, workdir: Path, fmt: ConfigFormat) -> Path:
        storage = workdir / "storage"
        storage.mkdir()
        htpasswd = None
        if self.credentials is not None:
            htpasswd = workdir / "htpasswd"
            write_htpasswd(htpasswd, self.credentials)
        port = 0
        if fmt is ConfigFormat.ZOT:
            port = free_port()
            self._zot_address = f"127.0.0.1:{port}"
        return write_config(
            workdir, fmt, storage=str(storage), port=port, htpasswd=str(htpasswd) if htpasswd else None
        )

    def _alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def _port_from_log(self, log_path: Path) -> str:
        """Bounded wait for distribution's ``listening on 127.0.0.1:PORT`` line."""
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            match = _LISTENING.search(log_path.read_text(errors="replace"))
            if match:
                return match.group(1)
            if not self._alive():
                tail = log_path.read_text(errors="replace")[-600:]
                raise BackendUnavailable(f"the registry process exited while starting; its log ends:\n{tail}")
            time.sleep(0.002)
        raise BackendUnavailable(f"the registry did not report its port within {READY_TIMEOUT:.0f} s")

    def _terminate(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _die_with_parent() -> None:
    """Ask Linux to SIGTERM the registry when the process that started it dies.

    Normal shutdown stops it through ``stop()`` and an exit hook, but a test run killed with
    SIGKILL (a CI timeout, an xdist worker crash) would otherwise leave it running with its
    temporary storage. Elsewhere this is a no-op.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_pdeathsig = 1
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
