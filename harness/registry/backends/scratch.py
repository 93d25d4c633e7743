"""Where registry processes keep their storage: a per-process directory on tmpfs when there is one.

A simulated cluster's working folder (its kubeconfig, which carries the API server's token) is
made here too: a process killed before it stopped its clusters leaves nothing in ``/tmp``, and
the next process's sweep removes what it left here.

Distribution's filesystem driver creates ~25 directories and files per pushed image and fsyncs
many of them; on an ordinary disk that made publishing the slowest part of a scenario, and removing
the storage file by file at stop cost as much again. On tmpfs (``/dev/shm``) the same calls are
memory operations. Storage stays a real directory rather than distribution's ``inmemory`` driver
because two things need it to outlive the process that wrote it: a registry restarted after a
crash must come back with everything published before, and ``Publisher.corrupt_blob`` flips
stored bytes on disk.

All workdirs of one Python process live under one parent, ``dkp-harness-<pid>``. ``discard``
renames a workdir into the parent's ``trash`` (one syscall, so ``stop()`` does no per-file work).
Nothing here removes files one by one either: once the trash holds :data:`TRASH_LIMIT` workdirs,
and when the process exits, the trash (or the whole parent) is renamed out of its path to
``dkp-harness-gone-<pid>-<n>`` and a detached ``rm -rf`` removes it while this process goes on
or ends (:mod:`harness.removal`). That removal used to run in the exit hook, ~0.25 s for the
~2,500 files a test worker's registries leave, which every xdist run waited for before it could
finish (the controller waits for its workers' processes to end). Directories left behind by
processes that were killed, and by removals that were, are removed the next time a process
creates its parent.
``DKP_HARNESS_SCRATCH`` picks another directory (an ordinary disk, to measure what tmpfs saves);
without ``/dev/shm`` the system temp dir is used.
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import tempfile
import threading
from pathlib import Path

from harness import removal

__all__ = ["TRASH_LIMIT", "discard", "finish_removals", "make_workdir", "scratch_root"]

TRASH_LIMIT = 64
_PREFIX = "dkp-harness-"
_TMPFS = Path("/dev/shm")
_lock = threading.Lock()
_parent: Path | None = None
_trash_count = 0
_counter = itertools.count()


def scratch_root() -> Path:
    """The directory the per-process parents are created in (tmpfs when available)."""
    chosen = os.environ.get("DKP_HARNESS_SCRATCH")
    if chosen:
        return Path(chosen)
    if _TMPFS.is_dir() and os.access(_TMPFS, os.W_OK | os.X_OK):
        return _TMPFS
    return Path(tempfile.gettempdir())


def make_workdir(prefix: str) -> Path:
    """A new empty directory for one registry, under this process's parent."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir=_process_parent()))


def discard(workdir: Path) -> None:
    """Make ``workdir`` (a workdir, or a folder inside one) disappear from its path now; its files
    are removed later (see module doc)."""
    global _trash_count
    with _lock:
        parent = _parent
        if parent is None or parent not in workdir.parents:  # not ours: remove it the ordinary way
            shutil.rmtree(workdir, ignore_errors=True)
            return
        trash = parent / "trash"
        try:
            trash.mkdir(exist_ok=True)
            workdir.rename(trash / f"{workdir.name}-{next(_counter)}")
        except OSError:  # the parent went first (another copy of this module's exit hook): rmtree
            shutil.rmtree(workdir, ignore_errors=True)
            return
        _trash_count += 1
        if _trash_count >= TRASH_LIMIT:
            _remove_later(trash, parent.parent)
            _trash_count = 0


def finish_removals() -> None:
    """Wait until every removal this process handed to ``rm -rf`` has ended (tests, benchmarks)."""
    removal.finish_removals()


def _remove_later(path: Path, root: Path) -> None:
    """Move ``path`` out of its place now and have a detached ``rm -rf`` remove it (into ``root``)."""
    removal.remove_later(path, root)


def _process_parent() -> Path:
    global _parent
    with _lock:
        if _parent is None or not _parent.is_dir():
            root = scratch_root()
            _sweep_dead(root)
            _parent = root / f"{_PREFIX}{os.getpid()}"
            _parent.mkdir(mode=0o700, exist_ok=True)
            atexit.register(_remove_parent, _parent)
        return _parent


def _remove_parent(parent: Path) -> None:
    """The exit hook: the parent, trash and the storage of still-running registries included.

    No lock: a daemon thread may hold it when the interpreter exits, and a rename, a spawn and a
    list append need none."""
    if parent.is_dir():
        _remove_later(parent, parent.parent)


def _sweep_dead(root: Path) -> None:
    """Remove the parents, and the directories being removed, of processes that are gone (killed
    before their exit hook ran, or whose ``rm`` was): a running ``rm`` on the same directory is
    harmless, each skips what the other removed."""
    try:
        entries = list(root.glob(f"{_PREFIX}*"))
    except OSError:
        return
    for entry in entries:
        pid = _owner(entry.name)
        if pid is not None and removal.abandoned(entry, pid):
            shutil.rmtree(entry, ignore_errors=True)


def _owner(name: str) -> int | None:
    """The process id in ``dkp-harness-<pid>`` or ``dkp-harness-gone-<pid>-<n>``; None for others."""
    if name.startswith(removal.GONE_PREFIX):
        return removal.owner_pid(name)
    rest = name[len(_PREFIX) :]
    return int(rest) if rest.isdigit() else None
