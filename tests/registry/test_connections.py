"""The registry clients of one cluster share their connection pools; closing one keeps the pool."""

from __future__ import annotations

import httpx
import pytest

from harness.registry.client import RegistryClient
from harness.registry.connections import SharedTransports, pooled_transport
from harness.registry.errors import RegistryError
from harness.registry.tls import trusted, unverified


class _Counting(httpx.MockTransport):
    def __init__(self) -> None:
        super().__init__(lambda request: httpx.Response(200, json={"name": "x", "tags": ["a"]}))
        self.requests = 0
        self.closed = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        return super().handle_request(request)

    def close(self) -> None:
        self.closed += 1


def test_clients_send_through_one_pool_that_outlives_them():
    made: list[_Counting] = []

    def make() -> _Counting:
        made.append(_Counting())
        return made[-1]

    shared = SharedTransports()
    for _ in range(3):
        with RegistryClient("127.0.0.1:5000/r", scheme="HTTP", transport=shared.borrow("k", make)) as client:
            assert client.list_tags() == ["a"]
    assert len(made) == 1 and made[0].requests == 3 and made[0].closed == 0
    shared.close()
    assert made[0].closed == 1
    with RegistryClient("127.0.0.1:5000/r", scheme="HTTP", transport=shared.borrow("k", make)) as client:
        client.list_tags()
    assert len(made) == 2  # a new pool after close


def test_a_pool_is_made_at_the_first_request_so_a_bad_ca_fails_as_before():
    made: list[str] = []
    shared = SharedTransports()
    transport = shared.borrow("k", lambda: made.append("made") or _Counting())
    with pytest.raises(RegistryError, match="not a valid PEM"):
        RegistryClient("127.0.0.1:5000/r", scheme="HTTPS", ca="not a PEM", transport=transport)
    assert made == []


def test_pools_are_by_key():
    shared = SharedTransports()
    made: list[str] = []
    for key in ("a", "b", "a"):
        shared.borrow(key, lambda key=key: made.append(key) or _Counting()).handle_request(
            httpx.Request("GET", "http://x/")
        )
    assert made == ["a", "b"]


def test_a_pooled_transport_verifies_as_the_client_would():
    assert pooled_transport("HTTPS", "")._pool._ssl_context is trusted("")
    assert pooled_transport("HTTP", "")._pool._ssl_context is unverified()
