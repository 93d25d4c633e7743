"""The watcher that tells a waiting stream its client has gone."""

from __future__ import annotations

import socket
import threading

from harness.apiserver.disconnects import DisconnectWatcher


def test_a_closed_peer_calls_back_once_and_an_unwatched_socket_never():
    watcher = DisconnectWatcher()
    gone = threading.Event()
    calls: list[str] = []
    ours, theirs = socket.socketpair()
    quiet_ours, quiet_theirs = socket.socketpair()
    try:
        watcher.watch(ours, lambda: (calls.append("gone"), gone.set()))
        handle = watcher.watch(quiet_ours, lambda: calls.append("must not happen"))
        watcher.unwatch(handle)
        quiet_theirs.close()  # unwatched: its close reports nothing
        theirs.close()
        assert gone.wait(10)
        watcher.unwatch(ours.fileno())  # after the report: no error
        assert calls == ["gone"]
    finally:
        for end in (ours, quiet_ours):
            end.close()
        watcher._close()
