"""The pull client keeps no cookies, as go-containerregistry's ``http.Client`` (``Jar`` nil) keeps none."""

from __future__ import annotations

import httpx

from harness.registry import RegistryClient


def test_a_registry_cookie_is_never_sent_back():
    sent: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers.get("cookie"))
        return httpx.Response(
            200,
            headers={"Set-Cookie": "session=abc; Path=/"},
            json={"name": "r", "tags": ["b", "a"]},
        )

    client = RegistryClient("reg.example/r", transport=httpx.MockTransport(handler))
    assert client.list_tags() == ["a", "b"]
    assert client.list_tags() == ["a", "b"]
    assert sent == [None, None]
    assert not client._http.cookies  # the jar itself stays empty
