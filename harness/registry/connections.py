"""Connection pools shared by the short-lived registry clients of one simulated cluster.

The simulated controllers open a :class:`~harness.registry.client.RegistryClient` for every
sync and every pull, as DKP's controllers build a go-containerregistry client each time; each
client had an httpx connection pool of its own, so each sync dialled the registry again (~630 new
connections for the scenarios' ~1,800 requests, and a goroutine and a socket on the registry's
side for each). DKP's clients share one ``http.Transport`` per process, whose idle connections
outlive a sync; :class:`SharedTransports` gives the cluster's clients the same: one pool per
kind of connection (the fault proxy's bypass, or a scheme with its trust store), kept until the
cluster stops. Credentials stay with each client: httpx authenticates per client, above its
transport, so no request borrows another source's ``Authorization``.

Nothing a scenario can see changes. The requests and their order are the same, only their
sockets are reused. A connection the other end has closed is never used again: before it hands
out an idle connection, httpcore checks that nothing is waiting on its socket (a closed one reads
as EOF) and dials anew, so a registry that was killed or restarted, or a fault proxy that reset a
connection, is met with the same fresh dial, and the same error text, as a new client met it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable

import httpx

from harness.registry import tls

__all__ = ["SharedTransports", "pooled_transport"]


def pooled_transport(scheme: str, ca: str) -> httpx.HTTPTransport:
    """The transport a client for ``scheme`` and ``ca`` would build for itself.

    The same TLS context as :class:`~harness.registry.client.RegistryClient` chooses (the shared
    trust store for HTTPS or with a ``ca``, else the context that checks nothing: a plain-HTTP
    registry may still redirect to HTTPS) and no proxies from the environment.
    """
    secure = scheme.strip().lower() == "https" or bool(ca.strip())
    return httpx.HTTPTransport(verify=tls.trusted(ca) if secure else tls.unverified(), trust_env=False)


class SharedTransports:
    """Transports by key, made on first use and closed together by :meth:`close`."""

    def __init__(self) -> None:
        self._made: dict[Hashable, httpx.BaseTransport] = {}
        self._lock = threading.Lock()

    def borrow(self, key: Hashable, make: Callable[[], httpx.BaseTransport]) -> httpx.BaseTransport:
        """A transport for one client, sending through the shared one for ``key``.

        The shared one is made by ``make`` at the first request, not now: a client refuses a bad
        ``ca`` or scheme while it is built, and must go on doing so with the same error first.
        Closing the client leaves the pool open for the next client.
        """
        return _Borrowed(lambda: self._shared(key, make))

    def close(self) -> None:
        """Close every pool (their idle connections); a later client starts new ones."""
        with self._lock:
            made, self._made = self._made, {}
        for transport in made.values():
            transport.close()

    def _shared(self, key: Hashable, make: Callable[[], httpx.BaseTransport]) -> httpx.BaseTransport:
        with self._lock:
            transport = self._made.get(key)
            if transport is None:
                transport = self._made[key] = make()
            return transport


class _Borrowed(httpx.BaseTransport):
    """One client's handle on a shared transport: requests go through it, ``close`` does not."""

    def __init__(self, shared: Callable[[], httpx.BaseTransport]) -> None:
        self._shared = shared

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._shared().handle_request(request)

    def close(self) -> None:
        """The pool stays open for the cluster's next client; the cluster closes it when it stops."""
