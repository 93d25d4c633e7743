"""The fault-injecting proxy in front of a real registry (and a stub for chunked traffic)."""

from __future__ import annotations

import http.client
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from harness.registry import Publisher, RegistryError
from harness.registry.faults import Corrupt, Delay, FaultProxy, FaultRule, Reset, Respond

from .conftest import ALICE

pytestmark = pytest.mark.registry


@pytest.fixture
def proxy(registry):
    with FaultProxy(registry.address) as fault_proxy:
        yield fault_proxy


@pytest.fixture
def published(proxy):
    with Publisher(proxy.address) as pub:
        pub.publish("m", "v1.0.0", channels=["stable"])
    return proxy


def test_unmatched_requests_pass_through_including_uploads_via_rewritten_location(published, make_client):
    client = make_client(f"{published.address}/deckhouse/modules")
    assert client.list_tags() == ["m"]
    assert json.loads(client.read_image("m/release", "stable").files["version.json"]) == {"version": "v1.0.0"}


def test_location_headers_point_at_the_proxy(proxy):
    response = httpx.post(f"http://{proxy.address}/v2/deckhouse/x/blobs/uploads/", verify=False)
    assert response.status_code == 202
    assert response.headers["location"].startswith(f"http://{proxy.address}/v2/deckhouse/x/blobs/uploads/")


def test_error_status_with_default_registry_body_for_a_number_of_times(published, make_client):
    client = make_client(f"{published.address}/deckhouse/modules")
    rule = published.fail(Respond(503), method="GET", path=r"/release/manifests/stable$", times=2)
    for _ in range(2):
        with pytest.raises(RegistryError, match=r"manifests/stable: UNAVAILABLE: service unavailable$"):
            client.digest("m/release", "stable")
    assert client.digest("m/release", "stable").startswith("sha256:")
    assert published.hits(rule) == 2


def test_error_status_with_a_given_body(published, make_client):
    client = make_client(f"{published.address}/deckhouse/modules")
    body = json.dumps(
        {"errors": [{"code": "DENIED", "message": "quota", "detail": {"Tag": "stable"}}]}
    ).encode()
    published.fail(Respond(403, body), path="manifests/stable")
    with pytest.raises(RegistryError, match=r"DENIED: quota; map\[Tag:stable\]$"):
        client.digest("m/release", "stable")


def test_connection_reset(published, make_client):
    client = make_client(f"{published.address}/deckhouse/modules")
    published.fail(Reset(), path="tags/list", times=1)
    with pytest.raises(
        RegistryError,
        match=r'^Get "http://.*/tags/list\?n=1000": read tcp .*: read: connection reset by peer$',
    ):
        client.list_tags()
    assert client.list_tags() == ["m"]


def test_corrupted_blob_body_fails_verification(published, make_client):
    client = make_client(f"{published.address}/deckhouse/modules")
    published.fail(Corrupt(), path="/blobs/sha256:")
    with pytest.raises(RegistryError, match="error verifying sha256 checksum"):
        client.read_image("m/release", "stable")


def test_delay_passes_through_after_a_bounded_real_wait(published, make_client):
    client = make_client(f"{published.address}/deckhouse/modules")
    rule = published.fail(Delay(0.05), path="tags/list", times=1)
    assert client.list_tags() == ["m"]
    assert published.hits(rule) == 1


def test_delays_are_bounded():
    with pytest.raises(ValueError, match="between 0 and"):
        Delay(60)


def test_rules_can_be_removed_and_cleared_at_run_time(published, make_client):
    client = make_client(f"{published.address}/deckhouse/modules")
    first = published.add(FaultRule(Respond(500), path="tags/list"))
    with pytest.raises(RegistryError, match="UNKNOWN: unknown error"):
        client.list_tags()
    published.remove(first)
    assert client.list_tags() == ["m"]
    published.fail(Respond(500))
    published.fail(Respond(502))
    published.clear()
    assert client.list_tags() == ["m"]
    assert published.requests >= 4


def test_method_filter_only_breaks_that_method(published):
    published.fail(Respond(500), method="HEAD")
    url = f"http://{published.address}/v2/deckhouse/modules/m/release/manifests/stable"
    accept = {"Accept": "application/vnd.oci.image.manifest.v1+json"}
    assert httpx.get(url, headers=accept, verify=False).status_code == 200
    assert httpx.head(url, headers=accept, verify=False).status_code == 500


def test_auth_challenges_and_credentials_pass_through(auth_registry, make_client):
    with FaultProxy(auth_registry.address) as fault_proxy:
        response = httpx.get(f"http://{fault_proxy.address}/v2/", verify=False)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == 'Basic realm="dkp-harness"'
        with Publisher(fault_proxy.address, auth=ALICE) as pub:
            pub.publish("m", "v1.0.0")
        from harness.registry.credentials import encode_docker_cfg

        cfg = encode_docker_cfg(fault_proxy.address, ALICE)
        assert make_client(f"{fault_proxy.address}/deckhouse/modules", docker_cfg=cfg).list_tags() == ["m"]


class _ChunkedStub(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    received: list[bytes] = []

    def log_message(self, *args):
        pass

    def do_POST(self):
        self.received.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("X-Stub", "yes")
        self.end_headers()
        for part in (b"hello ", b"chunked ", b"world"):
            self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")


def test_chunked_request_and_response_bodies_pass_through():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ChunkedStub)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        with FaultProxy(f"127.0.0.1:{server.server_address[1]}") as fault_proxy:
            host, port = fault_proxy.address.split(":")
            connection = http.client.HTTPConnection(host, int(port), timeout=10)
            connection.request(
                "POST",
                "/x",
                body=iter([b"ab", b"cd"]),
                encode_chunked=True,
                headers={"Transfer-Encoding": "chunked"},
            )
            response = connection.getresponse()
            assert response.getheader("Transfer-Encoding") == "chunked"
            assert response.getheader("X-Stub") == "yes"
            assert response.read() == b"hello chunked world"
            connection.close()
    finally:
        server.shutdown()
        server.server_close()
    assert _ChunkedStub.received == [b"abcd"]


def test_an_unreachable_upstream_is_a_502_from_the_proxy():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        with FaultProxy(f"127.0.0.1:{sock.getsockname()[1]}") as fault_proxy:
            response = httpx.get(f"http://{fault_proxy.address}/v2/", verify=False)
    assert response.status_code == 502
    assert response.json()["errors"][0]["code"] == "UNAVAILABLE"
