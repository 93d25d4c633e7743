"""pytest's old base temp directories leave in one rename each; a detached ``rm -rf`` deletes them.

pytest keeps the base temp directories (``pytest-of-<user>/pytest-<n>``) of the last sessions
(``tmp_path_retention_count``, 3 by default) and, as a session finishes, deletes the older ones
file by file while the run waits. Those files were written long before, and on an ordinary disk
that is the slowest kind of deletion (see :mod:`harness.removal`): the directory of a whole
``make test`` session (~2,700 entries) held the session that removed it 1.1-2.3 s at its end,
after every test had finished, and a ``dkp-harness run`` paid a few tenths of a second for an
earlier run's (~400 entries).

At session finish, before pytest's own clean-up runs, this plugin applies pytest's rule itself
(the same candidates, the same lock check, so a directory another running session holds stays)
and hands each directory it may delete to :func:`harness.removal.remove_later`: the directory
leaves ``pytest-of-<user>`` in one rename and pytest's clean-up finds nothing left to do. It only
acts where pytest numbers the directories (no ``--basetemp``: xdist workers and pytester runs
are given theirs), and it steps aside, leaving the clean-up to pytest, if pytest's internals it
relies on ever change shape.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest

from harness import removal

__all__ = ["hand_over_old_basetemps"]

_PREFIX = "pytest-"


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    hand_over_old_basetemps(session.config)


def hand_over_old_basetemps(config: pytest.Config) -> list[Path]:
    """Hand the base temp directories pytest would delete now to a detached removal.

    Returns the directories handed over (their old paths). Nothing is handed over when the run
    was given its ``--basetemp`` or never made one, or when pytest's internals differ from what
    this relies on (pytest's own clean-up then does the work, as it always did).
    """
    try:
        from _pytest.pathlib import (
            LOCK_TIMEOUT,
            cleanup_candidates,
            create_cleanup_lock,
            ensure_deletable,
        )
    except ImportError:
        return []
    factory: Any = getattr(config, "_tmp_path_factory", None)
    try:
        basetemp: Path | None = factory._basetemp
        if basetemp is None or factory._given_basetemp is not None:
            return []
        keep = 0 if factory._retention_policy == "none" else int(factory._retention_count)
        # pytest counts a lock as dead when it is LOCK_TIMEOUT older than this session's directory.
        dead_before = basetemp.stat().st_mtime - LOCK_TIMEOUT
    except (AttributeError, OSError, TypeError, ValueError):
        return []
    root = basetemp.parent
    handed = []
    for path in cleanup_candidates(root, _PREFIX, keep):
        if path == basetemp or not ensure_deletable(path, dead_before):
            continue
        with contextlib.suppress(OSError):  # another session holds it, or removed it first
            create_cleanup_lock(path)
            removal.remove_later(path, root.parent)
            handed.append(path)
    return handed
