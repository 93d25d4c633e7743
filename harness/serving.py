"""Prompt shutdown for the stdlib's socket servers (API server, fault proxy, sandbox control).

``socketserver.BaseServer.serve_forever`` looks for a shutdown request only between
``select`` calls that time out every ``poll_interval``, so ``shutdown()`` waits up to a whole
interval: with 50 ms intervals two servers added ~100 ms to every cluster stop. The mixin here
waits on the listening socket *and* a wake-up socket pair; ``shutdown()`` writes one byte to the
pair and the loop ends at once. Nothing polls.

Use it first among the bases: ``class Server(PromptShutdown, ThreadingHTTPServer)``.
"""

from __future__ import annotations

import selectors
import socket
import threading
from typing import Any

__all__ = ["PromptShutdown"]


class PromptShutdown:
    """``serve_forever`` that ``shutdown`` wakes instead of waiting out a poll interval."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wake_r, self._wake_w = socket.socketpair()
        self._serving = threading.Event()
        self._served = threading.Event()

    def serve_forever(self, poll_interval: float | None = None) -> None:
        """Handle requests until :meth:`shutdown`; ``poll_interval`` is accepted and ignored."""
        self._serving.set()
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(self, selectors.EVENT_READ)  # type: ignore[arg-type]
                selector.register(self._wake_r, selectors.EVENT_READ)
                while True:
                    events = selector.select()
                    if any(key.fileobj is self._wake_r for key, _ in events):
                        return
                    self._handle_request_noblock()  # type: ignore[attr-defined]
                    self.service_actions()  # type: ignore[attr-defined]
        finally:
            self._served.set()

    def shutdown(self) -> None:
        """End ``serve_forever`` (running or about to run) and wait until it has returned."""
        try:
            self._wake_w.send(b"\0")
        except OSError:
            return  # already closed: nothing serves
        if self._serving.is_set():
            self._served.wait()

    def server_close(self) -> None:
        super().server_close()  # type: ignore[misc]
        self._wake_r.close()
        self._wake_w.close()
