"""One ``dkp-harness run`` per report directory at a time.

Two runs given the same ``--report-dir`` both wrote their four files there, one after the other,
and both printed ``report: DIR/conformance.html``: the first run's report was silently the second
run's. A run therefore holds an exclusive ``flock`` on ``DIR/.dkp-harness-run.lock`` (which
records its PID) from before pytest starts until it has ended, as ``serve`` does on its
``serve.lock``; the kernel releases it however the process ends, even on ``kill -9``. A second run
on the same directory is refused at once, naming the first one's PID and the way out.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
from pathlib import Path

__all__ = ["LOCK_FILE", "ReportDirBusy", "ReportDirLock"]

LOCK_FILE = ".dkp-harness-run.lock"
_ATTEMPTS = 5


class ReportDirBusy(RuntimeError):
    """Another run holds the directory; the message names its PID and what to do."""


class ReportDirLock:
    """Claim ``directory`` for this process (:meth:`acquire`), give it back (:meth:`release`)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / LOCK_FILE
        self._fd: int | None = None

    def acquire(self) -> None:
        """Lock the directory, or raise :class:`ReportDirBusy` (OSError when it cannot be opened).

        The file is removed on release, so a contender may hold a lock on a file that is gone: the
        lock counts only when the path still names the file locked, else the attempt is repeated.
        """
        for _ in range(_ATTEMPTS):
            fd = self._open()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
                os.close(fd)
                raise ReportDirBusy(self._busy(holder)) from None
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
                self._fd = fd
                return
            os.close(fd)
        raise ReportDirBusy(self._busy("unknown"))

    def _open(self) -> int:
        """The lock file, never through a link: a ``.dkp-harness-run.lock`` that is a symbolic or
        hard link to another file would have had that file emptied and the PID written into it."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        except OSError as exc:
            raise OSError(
                exc.errno, f"{exc.strerror}: remove {self.path}, which is no lock file of a run"
            ) from None
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
            os.close(fd)
            raise OSError(
                errno.EEXIST, f"a link or a special file: remove {self.path}, which is no lock file of a run"
            )
        return fd

    def release(self) -> None:
        """Remove the lock file and unlock; safe to call twice."""
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()
        os.close(self._fd)
        self._fd = None

    def _busy(self, holder: str) -> str:
        return (
            f"another dkp-harness run (PID {holder}) is writing its reports into {self.directory}; "
            f"wait for it to end, or give this run a directory of its own, e.g. "
            f"--report-dir {self.directory.parent / (self.directory.name + '-2')}"
        )
