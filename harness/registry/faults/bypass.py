"""Reads no fault rule can touch skip the fault proxy's hop: the simulator's own registry client.

Every pull of the simulated controllers goes to the :class:`~harness.registry.faults.FaultProxy`,
which parses it, applies its rules and relays it to the registry: an extra loopback hop and
~0.5 ms of Python per request, while almost every request of a scenario meets no rule. The
cluster builds its controllers' clients for a plain-HTTP source at the proxy's address with this
transport: a ``GET`` or ``HEAD`` made while no rule is active is counted as the proxy counts it
(:meth:`~harness.registry.faults.rules.RuleTable.pass_through`) and sent straight to the registry
with the ``Host`` the proxy would send; anything else (a rule active, another method, another
host) goes through the proxy as before. The registry answers the same bytes either way, and the
caller sees the proxy's URL on the response (httpx sets it) and in every error it renders, so
what a scenario can observe, messages included, does not change; with the registry down the
direct dial is refused as the proxy's relay would report it.
"""

from __future__ import annotations

import httpx

from harness.registry import tls
from harness.registry.faults.rules import RuleTable

__all__ = ["ProxyBypass"]

_READS = frozenset({"GET", "HEAD"})


class ProxyBypass(httpx.BaseTransport):
    """An httpx transport for clients of the proxy at ``address`` in front of ``upstream`` whose
    rules are ``rules`` (:meth:`FaultProxy.bypass <harness.registry.faults.FaultProxy.bypass>`);
    see the module docstring."""

    def __init__(self, rules: RuleTable, address: str, upstream: str) -> None:
        self._rules = rules
        self._address = address  # fixed: a restarted accept loop binds the same one
        self._upstream_netloc = upstream
        # Plain HTTP only (the cluster installs it for a plain-HTTP source without a ``ca``, whose
        # own client verifies nothing either): no trust store to load, and a scan builds one.
        self._inner = httpx.HTTPTransport(verify=tls.unverified())
        host, _, port = upstream.rpartition(":")
        self._upstream = (host, int(port))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if (
            request.method in _READS
            and url.scheme == "http"
            and url.netloc.decode() == self._address
            and self._rules.pass_through()
        ):
            host, port = self._upstream
            headers = httpx.Headers(request.headers)
            headers["Host"] = self._upstream_netloc
            request = httpx.Request(
                request.method,
                url.copy_with(host=host, port=port),
                headers=headers,
                stream=request.stream,
                extensions=request.extensions,
            )
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()
