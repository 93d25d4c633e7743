"""Directories that leave their path in one rename and are deleted by a detached ``rm -rf``.

Deleting a tree file by file makes the caller wait for every ``unlink``. On tmpfs that is quick;
on an ordinary disk it is not, and least of all for files written back long ago: on ext4 mounted
with ``discard`` (this project's CI machine), each such file costs ~0.6 ms of waiting while the
filesystem trims its blocks, so a tree of a few thousand entries holds its caller for seconds.

:func:`remove_later` renames the tree to ``dkp-harness-gone-<pid>-<n>`` in a directory of the
same filesystem (one syscall: the path is free at once) and starts ``rm -rf`` on it in a session
of its own, which goes on after this process ends. Without ``rm``, or when the rename fails, the
tree is removed in place. Trees whose remover was killed stay behind under their ``gone`` name;
:func:`sweep_dead` hands those of processes that are gone to a new remover.

The registry scratch space (:mod:`harness.registry.backends.scratch`) and pytest's old base temp
directories (:mod:`harness.steps.basetemp_plugin`) are removed this way.
"""

from __future__ import annotations

import itertools
import os
import shutil
import threading
from pathlib import Path

__all__ = ["GONE_PREFIX", "abandoned", "finish_removals", "owner_pid", "remove_later", "sweep_dead"]

GONE_PREFIX = "dkp-harness-gone-"
_counter = itertools.count()
_lock = threading.Lock()
_removers: list[int] = []
"""Process ids of the ``rm -rf`` this process started and has not reaped yet."""
_QUIET = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_RDWR, 0) for fd in (0, 1, 2)]


def remove_later(path: Path, into: Path) -> None:
    """Move ``path`` to a ``gone`` name in ``into`` (same filesystem) and remove it in the background.

    Takes no lock of its own beyond a list append, so exit hooks may call it while a daemon
    thread holds other locks.
    """
    gone = into / f"{GONE_PREFIX}{os.getpid()}-{next(_counter)}"
    try:
        path.rename(gone)
    except OSError:
        shutil.rmtree(path, ignore_errors=True)
        return
    _spawn_remover(gone)


def sweep_dead(directory: Path) -> None:
    """Hand the ``gone`` trees in ``directory`` whose process has ended to a new remover.

    A remover still running on the same tree is harmless: each skips what the other removed.
    """
    try:
        entries = list(directory.glob(f"{GONE_PREFIX}*"))
    except OSError:
        return
    for entry in entries:
        pid = owner_pid(entry.name)
        if pid is not None and abandoned(entry, pid):
            _spawn_remover(entry)


def abandoned(path: Path, pid: int) -> bool:
    """Whether ``path``, named for process ``pid``, is this user's and outlived that process."""
    return pid != os.getpid() and not _alive(pid) and _ours(path)


def finish_removals() -> None:
    """Wait until every removal this process handed to ``rm -rf`` has ended (tests, benchmarks)."""
    with _lock:
        pending, _removers[:] = list(_removers), []
    for pid in pending:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:  # already reaped (someone waited for every child)
            pass


def owner_pid(name: str) -> int | None:
    """The process id in ``dkp-harness-gone-<pid>-<n>``; None for any other name."""
    if not name.startswith(GONE_PREFIX):
        return None
    pid = name[len(GONE_PREFIX) :].split("-")[0]
    return int(pid) if pid.isdigit() else None


def _spawn_remover(path: Path) -> None:
    _reap_removers()
    try:
        pid = os.posix_spawnp(
            "rm", ["rm", "-rf", "--", str(path)], os.environ, setsid=True, file_actions=_QUIET
        )
    except OSError:
        shutil.rmtree(path, ignore_errors=True)
        return
    _removers.append(pid)


def _reap_removers() -> None:
    """Collect the removers that have ended, so they do not linger as zombies."""
    for pid in list(_removers):
        try:
            done, _status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done and pid in _removers:  # another thread may have reaped it meanwhile
            _removers.remove(pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _ours(path: Path) -> bool:
    try:
        return path.stat().st_uid == os.getuid()
    except OSError:
        return False
