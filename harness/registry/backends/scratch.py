"""Where registry processes keep their storage: a per-process directory on tmpfs when there is one.

Distribution's filesystem driver creates ~25 directories and files per pushed image and fsyncs
many of them; on an ordinary disk that made publishing the slowest part of a scenario, and removing
the storage file by file at stop cost as much again. On tmpfs (``/dev/shm``) the same calls are
memory operations. Storage stays a real directory rather than distribution's ``inmemory`` driver
because two things need it to outlive the process that wrote it: a registry restarted after a
crash must come back with everything published before, and ``Publisher.corrupt_blob`` flips
stored bytes on disk.

All workdirs of one Python process live under one parent, ``dkp-harness-<pid>``. ``discard``
renames a workdir into the parent's ``trash`` (one syscall, so ``stop()`` does no per-file work);
the parent, trash included, is removed when the process exits, or sooner once the trash holds
:data:`TRASH_LIMIT` workdirs. Parents left behind by processes that were killed are removed the
next time a process creates its own. ``DKP_HARNESS_SCRATCH`` picks another directory (an
ordinary disk, to measure what tmpfs saves); without ``/dev/shm`` the system temp dir is used.
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import tempfile
import threading
from pathlib import Path

__all__ = ["TRASH_LIMIT", "discard", "make_workdir", "scratch_root"]

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
            shutil.rmtree(trash, ignore_errors=True)
            _trash_count = 0


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
    shutil.rmtree(parent, ignore_errors=True)


def _sweep_dead(root: Path) -> None:
    """Remove parents whose process is gone (killed before its exit hook ran)."""
    try:
        entries = list(root.glob(f"{_PREFIX}*"))
    except OSError:
        return
    for entry in entries:
        pid = entry.name[len(_PREFIX) :]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)) and _ours(entry):
            shutil.rmtree(entry, ignore_errors=True)


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
