"""Challenge handling against scripted registries (httpx.MockTransport, no network)."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from harness.registry import RegistryClient, RegistryError
from harness.registry.credentials import Credentials, encode_docker_cfg

BASIC = "Basic " + base64.b64encode(b"alice:pw").decode()


def _bearer_registry(seen):
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, str(request.url), request.headers.get("authorization")))
        if request.url.host == "auth.example":
            if request.headers.get("authorization") != BASIC:
                return httpx.Response(401, json={"errors": [{"code": "UNAUTHORIZED", "message": "bad"}]})
            return httpx.Response(200, json={"access_token": "tok-" + request.url.params["scope"]})
        if request.headers.get("authorization", "").startswith("Bearer tok-repository:r/m:pull"):
            return httpx.Response(200, json={"name": "r/m", "tags": ["b", "a"]})
        return httpx.Response(
            401,
            headers={"Www-Authenticate": 'Bearer realm="https://auth.example/token",service="reg"'},
            json={"errors": [{"code": "UNAUTHORIZED", "message": "authentication required", "detail": None}]},
        )

    return handler


def test_bearer_challenge_fetches_a_token_with_basic_credentials_and_reuses_it():
    seen: list = []
    cfg = encode_docker_cfg("reg.example", Credentials("alice", "pw"))
    client = RegistryClient.for_source(
        "reg.example/r", docker_cfg=cfg, transport=httpx.MockTransport(_bearer_registry(seen))
    )
    assert client.list_tags("m") == ["a", "b"]
    assert client.list_tags("m") == ["a", "b"]
    token_requests = [url for _, url, _ in seen if "auth.example" in url]
    assert token_requests == ["https://auth.example/token?service=reg&scope=repository%3Ar%2Fm%3Apull"]
    assert seen[-1][2] == "Bearer tok-repository:r/m:pull"


def test_a_refused_token_request_is_reported_as_the_token_endpoint_error():
    seen: list = []
    cfg = encode_docker_cfg("reg.example", Credentials("alice", "wrong"))
    client = RegistryClient.for_source(
        "reg.example/r", docker_cfg=cfg, transport=httpx.MockTransport(_bearer_registry(seen))
    )
    with pytest.raises(RegistryError) as caught:
        client.list_tags("m")
    assert str(caught.value).startswith("GET https://auth.example/token?")
    assert str(caught.value).endswith(": UNAUTHORIZED: bad")
    assert "wrong" not in str(caught.value)


def test_basic_challenge_is_answered_once_then_sent_up_front():
    seen: list = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization"))
        if request.headers.get("authorization") == BASIC:
            return httpx.Response(200, json={"tags": ["x"]})
        return httpx.Response(401, headers={"Www-Authenticate": 'Basic realm="r"'}, json={"errors": []})

    client = RegistryClient(
        "h/r", credentials=Credentials("alice", "pw"), transport=httpx.MockTransport(handler)
    )
    client.list_tags()
    client.list_tags()
    assert seen == [None, BASIC, BASIC]


def test_tags_follow_link_pagination_and_come_back_sorted():
    def handler(request: httpx.Request) -> httpx.Response:
        if "last" in request.url.params:
            return httpx.Response(200, json={"tags": ["a", "c"]})
        return httpx.Response(
            200, json={"tags": ["d", "b"]}, headers={"Link": '</v2/r/tags/list?n=2&last=d>; rel="next"'}
        )

    client = RegistryClient("h/r", transport=httpx.MockTransport(handler))
    assert client.list_tags() == ["a", "b", "c", "d"]


def test_an_index_resolves_to_its_linux_amd64_manifest():
    index = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [
            {"digest": "sha256:" + "1" * 64, "platform": {"os": "linux", "architecture": "arm64"}},
            {"digest": "MANIFEST", "platform": {"os": "linux", "architecture": "amd64"}},
        ],
    }
    manifest = json.dumps(
        {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "layers": []}
    ).encode()
    from harness.registry.mediatypes import sha256_digest

    wanted = sha256_digest(manifest)
    index["manifests"][1]["digest"] = wanted

    def handler(request: httpx.Request) -> httpx.Response:
        assert "application/vnd.oci.image.index.v1+json" in request.headers["accept"]
        if request.url.path.endswith(wanted):
            return httpx.Response(200, content=manifest)
        return httpx.Response(200, json=index)

    client = RegistryClient("h/r", transport=httpx.MockTransport(handler))
    assert client.digest("m", "stable") == wanted


def test_a_wrong_scheme_is_rejected_with_the_allowed_values():
    with pytest.raises(ValueError, match="HTTP or HTTPS"):
        RegistryClient("h/r", scheme="ftp")


def test_an_invalid_ca_is_reported_without_echoing_it():
    with pytest.raises(RegistryError, match="not a valid PEM"):
        RegistryClient("h/r", ca="-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n")


def test_an_invalid_ca_is_reported_again_on_the_next_client_not_remembered_as_valid():
    bad = "-----BEGIN CERTIFICATE-----\nstill nope\n-----END CERTIFICATE-----\n"
    for _ in range(2):
        with pytest.raises(RegistryError, match="not a valid PEM"):
            RegistryClient("h/r", ca=bad)


def test_clients_share_one_trust_store_per_ca_instead_of_loading_it_each_time():
    from harness.registry import tls

    assert tls.trusted("") is tls.trusted("")
    with RegistryClient("h/r"), RegistryClient("h/other"):
        assert tls.trusted.cache_info().currsize >= 1


def test_plain_http_clients_share_one_context_that_checks_nothing():
    import ssl

    from harness.registry import tls

    context = tls.unverified()
    assert context is tls.unverified()
    assert context.verify_mode == ssl.CERT_NONE and not context.check_hostname
    with RegistryClient("h/r", scheme="HTTP") as one, RegistryClient("h/other", scheme="HTTP") as two:
        pools = [client._http._transport._pool for client in (one, two)]  # httpx's own transport
        assert all(pool._ssl_context is context for pool in pools)
