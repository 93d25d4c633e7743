"""Ownership of a ``serve`` state dir: one live sandbox per dir, and nothing secret left behind.

A sandbox holds an exclusive ``flock`` on ``DIR/serve.lock`` (which records its PID) for as long
as it runs; the kernel releases it however the process ends, even on ``kill -9``. A second
``serve`` on the same dir therefore fails at once and names the PID that holds it, instead of
overwriting the first one's kubeconfig and removing its control file on exit.

Every temporary file of the sandbox (the TLS key, the cluster's token-bearing kubeconfig, the
registry's storage and config) lives under ``DIR/tmp`` (mode 0700): the process's ``tempfile``
root points there. A clean exit removes it; after an exit that could not clean up (``kill -9``),
the next ``serve`` on the dir finds the lock free but the leftovers present, ends the processes
that were started from that directory (an orphaned registry) and removes it all before starting.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import tempfile
from pathlib import Path

__all__ = ["STATE_FILES", "StateDir", "StateDirError", "publish_file"]

LOCK_FILE = "serve.lock"
TMP_DIR = "tmp"
STATE_FILES = ("kubeconfig", "env", "control.json")
"""What a running sandbox publishes in its dir. ``env`` is written last: once it exists, the others
are complete, so a script may wait for it instead of for the "ready" line."""


def _part(path: Path) -> Path:
    return path.with_name(f".{path.name}.part")


def publish_file(path: Path, text: str) -> None:
    """Write ``path`` (mode 0600) so that a reader sees the whole file or none of it.

    The text goes to a hidden ``.NAME.part`` beside it first and is renamed over ``path``; rename
    is atomic within one file system. A part left by a killed sandbox is removed by the next one.
    """
    part = _part(path)
    part.unlink(missing_ok=True)
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.replace(part, path)


class StateDirError(RuntimeError):
    """The dir cannot be used; the message says why and what to do."""


class StateDir:
    """Claim ``path`` for this process (:meth:`claim`), and give it back (:meth:`release`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock_fd: int | None = None
        self.cleaned: list[str] = []

    @property
    def tmp(self) -> Path:
        return self.path / TMP_DIR

    def claim(self) -> None:
        """Create and lock the dir, clean what a dead sandbox left, and root ``tempfile`` in ``tmp``."""
        if self.path.exists() and not self.path.is_dir():
            raise StateDirError(
                f"--state-dir {self.path} is a file, not a directory: give a directory"
                " (it is created when missing)"
            )
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StateDirError(f"--state-dir {self.path}: cannot use it ({exc.strerror})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise StateDirError(
                f"--state-dir {self.path} belongs to a running sandbox (PID {holder}): stop it first"
                f" (kill -TERM {holder}) or give another --state-dir"
            ) from None
        self._lock_fd = fd
        self._clean_leftovers()
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self.tmp.mkdir(mode=0o700)
        tempfile.tempdir = str(self.tmp)

    def _clean_leftovers(self) -> None:
        if self.tmp.exists():
            ended = _end_processes_using(self.tmp)
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.cleaned.append(f"{self.tmp}" + (f" (ended PIDs {ended})" if ended else ""))
        for name in STATE_FILES:
            for leftover in (self.path / name, _part(self.path / name)):
                if leftover.exists():
                    leftover.unlink()
                    self.cleaned.append(str(leftover))

    def release(self) -> None:
        """Remove the temp root and the state files, then unlock; safe to call twice."""
        if tempfile.tempdir == str(self.tmp):
            tempfile.tempdir = None
        shutil.rmtree(self.tmp, ignore_errors=True)
        for name in STATE_FILES:
            (self.path / name).unlink(missing_ok=True)
            _part(self.path / name).unlink(missing_ok=True)
        if self._lock_fd is not None:
            (self.path / LOCK_FILE).unlink(missing_ok=True)
            os.close(self._lock_fd)
            self._lock_fd = None


def _end_processes_using(folder: Path) -> list[int]:
    """SIGTERM, then SIGKILL, every process whose command line names a path inside ``folder``."""
    marker = str(folder.resolve()) + os.sep
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            argv = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in argv and int(entry.name) != os.getpid():
            found.append(int(entry.name))
    for pid in found:
        _signal(pid, signal.SIGTERM)
    for pid in found:
        if not _wait_gone(pid):
            _signal(pid, signal.SIGKILL)
    return found


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except OSError:
        pass


def _wait_gone(pid: int) -> bool:
    """Bounded wait on a real process (a pidfd: no polling); True when it has exited."""
    try:
        fd = os.pidfd_open(pid)
    except OSError:
        return True
    try:
        import select

        readable, _, _ = select.select([fd], [], [], 5.0)
        return bool(readable)
    finally:
        os.close(fd)
