"""A registry whose tag list pages loop, never end, or lead to another host.

go-containerregistry follows a tag list's ``Link: <…>; rel="next"`` as far as the registry leads,
and its transports add credentials only to requests for the registry they were made for. Before,
the pull client followed a page that named itself for ever (the simulated controller, and with it
the virtual clock, never came back), and sent ``Basic user:password`` to any host a next page
named.
"""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from harness.registry import transport
from harness.registry.client import RegistryClient
from harness.registry.credentials import Credentials
from harness.registry.errors import RegistryError
from harness.registry.pusher import Pusher

REGISTRY = "registry.example:5000"
ELSEWHERE = "collector.example:8443"
PASSWORD = "Hunter2Password"


class _Registry:
    """Asks for Basic credentials, then answers one tag a page with the ``Link`` ``next`` gives."""

    def __init__(self, next_link: str | None) -> None:
        self.next_link = next_link
        self.requests: list[tuple[str, str | None]] = []
        """(host, Authorization) of each request as it was sent (the auth flow resends the first)."""

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert len(self.requests) < 50, "the client kept reading the same pages"
        self.requests.append((request.url.netloc.decode(), request.headers.get("authorization")))
        own = request.url.netloc.decode() == REGISTRY
        if own and "authorization" not in request.headers:
            return httpx.Response(401, headers={"Www-Authenticate": 'Basic realm="registry"'})
        headers = {"Link": f'<{self.next_link}>; rel="next"'} if own and self.next_link else {}
        return httpx.Response(
            200, json={"name": "modules", "tags": [f"t{len(self.requests)}"]}, headers=headers
        )


def _client(registry: _Registry) -> RegistryClient:
    return RegistryClient(
        f"{REGISTRY}/modules",
        credentials=Credentials("alice", PASSWORD),
        scheme="HTTP",
        transport=httpx.MockTransport(registry),
    )


def test_a_next_page_on_another_host_gets_no_credentials():
    registry = _Registry(f"http://{ELSEWHERE}/v2/modules/tags/list?last=t2")
    assert _client(registry).list_tags() == ["t2", "t3"]  # the page is still read, as DKP reads it
    expected_basic = "Basic " + base64.b64encode(f"alice:{PASSWORD}".encode()).decode()
    assert registry.requests == [(REGISTRY, None), (REGISTRY, expected_basic), (ELSEWHERE, None)]


@pytest.mark.parametrize(
    "link", ["/v2/modules/tags/list?n=1000", f"http://{REGISTRY}/v2/modules/tags/list?n=1000"]
)
def test_a_page_that_names_itself_as_next_ends_the_listing_with_an_error(link):
    registry = _Registry(link)
    with pytest.raises(RegistryError, match="tag list pages go round in a circle"):
        _client(registry).list_tags()
    assert len(registry.requests) == 2  # the challenge and the one page: never read again


def test_a_listing_that_never_ends_is_cut_off(monkeypatch):
    monkeypatch.setattr(transport, "MAX_PAGES", 5)
    pages = iter(range(1, 1000))

    def endless(request: httpx.Request) -> httpx.Response:
        link = f'</v2/modules/tags/list?last={next(pages)}>; rel="next"'
        return httpx.Response(200, json={"name": "modules", "tags": ["x"]}, headers={"Link": link})

    client = RegistryClient(f"{REGISTRY}/modules", scheme="HTTP", transport=httpx.MockTransport(endless))
    with pytest.raises(RegistryError, match="goes on past 5 pages"):
        client.list_tags()
    assert next(pages) == 6  # five pages read, the sixth refused


def test_the_pusher_keeps_its_credentials_for_its_registry_too():
    seen: list[tuple[str, str | None]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.netloc.decode(), request.headers.get("authorization")))
        if "authorization" not in request.headers and request.url.netloc.decode() == REGISTRY:
            return httpx.Response(401, headers={"Www-Authenticate": 'Basic realm="registry"'})
        return httpx.Response(200, content=json.dumps({}).encode())

    pusher = Pusher(
        REGISTRY, credentials=Credentials("alice", PASSWORD), transport=httpx.MockTransport(answer)
    )
    client = pusher._http  # the pusher's own client, with its auth flow
    client.get(f"http://{REGISTRY}/v2/")
    client.get(f"http://{ELSEWHERE}/v2/")
    assert seen[1][1] is not None and seen[1][0] == REGISTRY
    assert seen[2] == (ELSEWHERE, None)
