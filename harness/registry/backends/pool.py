"""Registry processes kept between the simulated clusters of one process, emptied in between.

Every scenario gets a cluster of its own, and used to get a registry process of its own too:
~25 ms of registry CPU to start and stop, a config, a port and a supervisor thread each time. A
scenario cannot tell a fresh registry from one whose storage was emptied, so the simulator
target takes a started registry from this pool and gives it back when the scenario ends:

- :meth:`RegistryPool.acquire` hands out an idle registry for the same credentials (each set of
  credentials needs its own htpasswd, so its own process), or starts a new one;
- :meth:`RegistryPool.release` empties its storage and its log
  (:meth:`~harness.registry.backends.distribution.DistributionBackend.reset`) and keeps it for
  the next scenario; a registry that cannot be reset (stopped, its process gone) is stopped;
- pooled registries run without distribution's in-memory blob descriptor cache, the one state
  that outlives the storage (it would claim blobs a wiped storage no longer has).

The address stays the same between users, as the port of a fresh registry is just another free
port; what scenarios see of it (``${REGISTRY}``, error texts) is the fault proxy's address, which
is new for every cluster. :func:`shared_pool` is the process's pool; it stops every idle
registry at interpreter exit (each registry's own exit hook does so too).
"""

from __future__ import annotations

import atexit
import threading

from harness.registry.backends.distribution import DistributionBackend
from harness.registry.credentials import Credentials

__all__ = ["RegistryPool", "shared_pool"]

_Key = tuple[str, str] | None


def _key(credentials: Credentials | None) -> _Key:
    return None if credentials is None else (credentials.username, credentials.password)


class RegistryPool:
    """Idle, emptied registries by credentials; see the module docstring."""

    def __init__(self, binary: str | None = None) -> None:
        self._binary = binary
        self._idle: dict[_Key, list[DistributionBackend]] = {}
        self._lock = threading.Lock()

    def acquire(self, credentials: Credentials | None = None) -> DistributionBackend:
        """A registry for ``credentials``: an idle one (empty, serving), else a new one being started.

        A new one is only begun (:meth:`~harness.registry.backends.base.Backend.begin_start`): the
        cluster finishes starting it after its API server, as it does with a registry of its own.
        """
        with self._lock:
            idle = self._idle.get(_key(credentials))
            if idle:
                return idle.pop()
        backend = DistributionBackend(binary=self._binary, credentials=credentials, reusable=True)
        backend.begin_start()
        return backend

    def release(self, backend: DistributionBackend) -> None:
        """Take ``backend`` back: emptied and kept when it can be, else stopped."""
        try:
            kept = backend.reset()
        except OSError:
            kept = False
        if kept:
            with self._lock:
                self._idle.setdefault(_key(backend.credentials), []).append(backend)
            return
        backend.stop()

    def idle(self) -> int:
        """How many registries wait for a user (for tests)."""
        with self._lock:
            return sum(len(v) for v in self._idle.values())

    def close(self) -> None:
        """Stop every idle registry."""
        with self._lock:
            idle, self._idle = self._idle, {}
        for backends in idle.values():
            for backend in backends:
                backend.stop()


_shared: RegistryPool | None = None
_shared_lock = threading.Lock()


def shared_pool() -> RegistryPool:
    """This process's pool (created on first use, closed at interpreter exit)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = RegistryPool()
            atexit.register(_shared.close)
        return _shared
