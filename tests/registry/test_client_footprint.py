"""The pull client's own footprint: no cookies (go-containerregistry's ``http.Client`` has a nil
``Jar``), and answers freed by reference counting."""

from __future__ import annotations

import gc
import weakref

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


def test_an_answer_is_freed_with_its_last_reference_not_by_the_cyclic_collector():
    answers: list[weakref.ref[httpx.Response]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        response = httpx.Response(200, json={"name": "r", "tags": ["a"]})
        answers.append(weakref.ref(response))
        return response

    client = RegistryClient("reg.example/r", transport=httpx.MockTransport(handler))
    gc.disable()
    try:
        assert client.list_tags() == ["a"]
        assert [ref() for ref in answers] == [None]
    finally:
        gc.enable()
