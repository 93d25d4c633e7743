"""Noticing that a client has gone while its stream has nothing to send (a followed pod log).

A handler thread serving ``kubectl logs -f`` waits for the next log line; it finds out that
kubectl is gone only when it writes, and a quiet log may not write for hours: each abandoned
follower would keep a thread and a socket. A client of such a stream sends nothing after its
request, so its socket becoming readable means it closed (or broke the protocol): one watcher
thread waits on all those sockets at once (``selectors``, woken by a socket pair when the set
changes; nothing polls) and calls the stream's ``on_disconnect``, which ends the wait.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import selectors
import socket
import threading
from collections.abc import Callable

__all__ = ["WATCHER", "DisconnectWatcher"]


class DisconnectWatcher:
    """Calls a callback once when its socket turns readable; one daemon thread, started lazily."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._selector: selectors.BaseSelector | None = None
        self._wake_read: socket.socket | None = None
        self._wake_write: socket.socket | None = None

    def _start(self) -> selectors.BaseSelector:
        """The selector and the wake-up pair, made with the first watch (lock held)."""
        if self._selector is None:
            self._wake_read, self._wake_write = socket.socketpair()
            atexit.register(self._close)  # the pair lives as long as the process
            self._selector = selectors.DefaultSelector()
            self._selector.register(self._wake_read, selectors.EVENT_READ, None)
            threading.Thread(target=self._run, name="disconnect-watcher", daemon=True).start()
        return self._selector

    def _close(self) -> None:
        for end in (self._wake_read, self._wake_write):
            if end is not None:
                end.close()

    def watch(self, sock: socket.socket, on_disconnect: Callable[[], None]) -> int:
        """Watch ``sock``; returns the handle :meth:`unwatch` takes."""
        with self._lock:
            fd = sock.fileno()
            self._start().register(fd, selectors.EVENT_READ, on_disconnect)
        self._wake()
        return fd

    def unwatch(self, handle: int) -> None:
        """Stop watching (the stream ended); a socket already reported or closed is no error."""
        with self._lock:
            if self._selector is not None:
                with contextlib.suppress(KeyError, ValueError, OSError):
                    self._selector.unregister(handle)
        self._wake()

    def _wake(self) -> None:
        if self._wake_write is not None:
            with contextlib.suppress(OSError):
                self._wake_write.send(b"\0")

    def _run(self) -> None:
        while True:
            selector = self._selector
            assert selector is not None
            try:
                events = selector.select()
            except OSError:
                self._drop_closed()  # a socket closed under the selector: go on without it
                continue
            for key, _mask in events:
                if key.fileobj is self._wake_read:
                    with contextlib.suppress(OSError):
                        key.fileobj.recv(4096)
                    continue
                callback = self._take(key.fd)
                if callback is not None:
                    callback()

    def _drop_closed(self) -> None:
        with self._lock:
            assert self._selector is not None
            for key in list(self._selector.get_map().values()):
                try:
                    os.fstat(key.fd)
                except OSError:
                    with contextlib.suppress(KeyError, ValueError, OSError):
                        self._selector.unregister(key.fd)

    def _take(self, fd: int) -> Callable[[], None] | None:
        with self._lock:
            assert self._selector is not None
            try:
                key = self._selector.unregister(fd)
            except (KeyError, ValueError, OSError):
                return None
        callback: Callable[[], None] | None = key.data
        return callback


WATCHER = DisconnectWatcher()
"""The process's one watcher (its thread starts with the first stream that asks)."""
