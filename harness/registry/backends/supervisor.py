"""Keep a registry child running: restart it on the same address when it dies.

A registry that crashes (or is ``kill -9``-ed) mid-scenario used to stay a zombie: publishing
failed and nothing noticed. The supervisor is a thread that starts the child and then waits on
its exit (an event, no polling). An exit it did not ask for is logged with its cause, and the
child is started again with the same port and the same storage directory, so everything published
before is still there; the restart is logged too, and counted, so a caller can wait for it
(:meth:`Supervisor.wait_restarts`). Between the death and the restart the port refuses
connections, which is what DKP would see of a registry that went away.

All children are started from the supervisor thread on purpose: Linux delivers the "parent died"
signal (``PR_SET_PDEATHSIG``) when the *thread* that forked the child exits, and this thread lives
exactly as long as the registry should.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator

from harness.registry.backends.process import LogBuffer, RegistryProcess, describe_exit

__all__ = ["RESTART_ATTEMPTS", "Supervisor"]

_LOG = logging.getLogger("harness.registry")
RESTART_ATTEMPTS = 3  # a restart fails only when the port was taken in between; no point retrying forever

Spawn = Callable[[int], RegistryProcess]
"""Start a child listening on the port given (0: any free port)."""
Ready = Callable[[RegistryProcess], str]
"""Bounded wait until the child serves; returns ``127.0.0.1:PORT`` or raises BackendUnavailable."""


class Supervisor:
    """Owns the registry child of one backend from ``start()`` to ``stop()``."""

    def __init__(self, spawn: Spawn, ready: Ready, *, log: LogBuffer, name: str = "registry") -> None:
        self.address = ""
        self.restarts = 0
        self.deaths = 0
        self._held = False
        self._spawn = spawn
        self._ready = ready
        self._log = log
        self._name = name
        self._cond = threading.Condition()
        self._stopping = False
        self._current: RegistryProcess | None = None
        self._started = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=f"{name}-supervisor", daemon=True)

    @property
    def process(self) -> RegistryProcess | None:
        """The current child (None before start, after stop, or while it is being restarted)."""
        with self._cond:
            return self._current

    def start(self) -> str:
        """Start the child from the supervisor thread; returns its address once it serves."""
        self.begin()
        return self.wait_started()

    def begin(self) -> None:
        """Start the supervisor thread, which spawns the child; returns at once."""
        self._thread.start()

    def wait_started(self) -> str:
        """Wait for the first child to serve (bounded by the ready timeout); its address."""
        self._started.wait()
        if self._error is not None:
            self._thread.join()
            raise self._error
        return self.address

    def stop(self) -> None:
        """Stop the child (no restart follows) and the supervisor thread."""
        with self._cond:
            self._stopping = True
            child = self._current
            self._cond.notify_all()
        if child is not None:
            child.terminate()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()

    def wait_restarts(self, count: int, timeout: float) -> bool:
        """Bounded wait until at least ``count`` restarts have completed."""
        with self._cond:
            return self._cond.wait_for(lambda: self.restarts >= count, timeout)

    def wait_deaths(self, count: int, timeout: float) -> bool:
        """Bounded wait until the supervisor has noticed at least ``count`` deaths."""
        with self._cond:
            return self._cond.wait_for(lambda: self.deaths >= count, timeout)

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Defer restarts while inside (a registry that dies stays down until the block ends).

        For tests of what DKP shows while its registry is gone; the restart follows on exit.
        """
        with self._cond:
            self._held = True
        try:
            yield
        finally:
            with self._cond:
                self._held = False
                self._cond.notify_all()

    # -- the supervisor thread ---------------------------------------------------------------------

    def _run(self) -> None:
        try:
            child = self._launch(0)
        except BaseException as exc:  # noqa: BLE001 - handed to start()'s caller
            self._error = exc
            return
        finally:
            self._started.set()
        while child is not None:
            child.wait_exited(None)
            with self._cond:
                self._current = None
                if self._stopping:
                    return
            self._note(
                logging.WARNING,
                f"{self._name} (pid {child.pid}) on {self.address} died ({describe_exit(child.returncode)});"
                " restarting it on the same address with the same storage",
            )
            with self._cond:
                self.deaths += 1
                self._cond.notify_all()
                self._cond.wait_for(lambda: not self._held or self._stopping)
                if self._stopped():
                    return
            child = self._restart()

    def _restart(self) -> RegistryProcess | None:
        port = int(self.address.rsplit(":", 1)[1])
        began = time.monotonic()
        for attempt in range(1, RESTART_ATTEMPTS + 1):
            try:
                child = self._launch(port)
            except Exception as exc:  # noqa: BLE001 - logged; the next attempt may succeed
                self._note(logging.ERROR, f"restarting {self._name} failed (attempt {attempt}): {exc}")
                continue
            if child is None:
                return None
            with self._cond:
                self.restarts += 1
                self._cond.notify_all()
            took = (time.monotonic() - began) * 1000
            self._note(
                logging.WARNING, f"{self._name} restarted on {self.address} (pid {child.pid}, {took:.0f} ms)"
            )
            return child
        self._note(
            logging.ERROR, f"{self._name} on {self.address} stays down: {RESTART_ATTEMPTS} restarts failed"
        )
        return None

    def _launch(self, port: int) -> RegistryProcess | None:
        """Spawn and wait until it serves; None when ``stop()`` came first."""
        with self._cond:
            if self._stopping:
                return None
            child = self._spawn(port)
            self._current = child
        try:
            address = self._ready(child)
        except BaseException:
            child.terminate()
            with self._cond:
                self._current = None
                if self._stopped():
                    return None
            raise
        if not self.address:
            self.address = address
        return child

    def _stopped(self) -> bool:
        """``_stopping`` read through a call: it changes under other threads (mypy cannot know)."""
        return self._stopping

    def _note(self, level: int, message: str) -> None:
        _LOG.log(level, "%s", message)
        self._log.append(f"dkp-harness: {message}\n")
