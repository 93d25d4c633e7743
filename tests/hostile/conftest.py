"""A fake API server under attack: raw sockets, hostile bodies, and a sentinel that must survive.

Every probe runs against one server per module (fixture ``hostile``) with the default body limit
and depth but short socket timeouts, so the read-timeout probes finish in a fraction of a second.
After a probe, :meth:`Hostile.assert_healthy` checks what the issue asks: the server still
answers, and the sentinel ConfigMap stored before the attack is still there, unchanged.
"""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from harness.apiserver import ApiServer, Limits
from harness.clock import VirtualClock

TOKEN = "hostile-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CM_PATH = "/api/v1/namespaces/default/configmaps"
SENTINEL = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "sentinel", "labels": {"keep": "me"}},
    "data": {"payload": "precious"},
}
TIMEOUTS = Limits(idle_timeout=0.3, read_timeout=0.3)


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def status_object(self) -> dict[str, Any]:
        """The body as a Kubernetes ``Status`` (fails the test when it is anything else)."""
        found = self.json()
        assert found.get("kind") == "Status", found
        assert found["code"] == self.status
        assert b"Traceback" not in self.body
        return found  # type: ignore[no-any-return]


class Hostile:
    """Helpers around one running server."""

    def __init__(self, server: ApiServer) -> None:
        self.server = server
        assert server.url is not None
        self.port = int(server.url.rsplit(":", 1)[1])

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        auth: bool = True,
    ) -> Reply:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
            sent = {**(AUTH if auth else {}), **(headers or {})}
            if data is not None:
                sent.setdefault("Content-Type", "application/json")
            conn.request(method, path, body=data, headers=sent)
            response = conn.getresponse()
            return Reply(response.status, dict(response.getheaders()), response.read())
        finally:
            conn.close()

    def raw(self, payload: bytes, *, read_all: bool = True) -> bytes:
        """Send ``payload`` on a fresh socket; return everything the server sends until it closes."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as sock:
            try:
                sock.sendall(payload)
            except OSError:
                pass  # the server may close before we finish sending: what it answered still counts
            chunks = []
            while True:
                try:
                    chunk = sock.recv(65536)
                except ConnectionResetError:
                    break
                if not chunk:
                    break
                chunks.append(chunk)
                if not read_all:
                    break
            return b"".join(chunks)

    def answer(self, payload: bytes) -> bytes:
        """Send ``payload`` on a fresh socket; return the first complete answer (head and body).

        For a connection the server keeps open after answering (Go's net/http keeps one alive after
        a 405), reading until it closes would wait out its idle timeout for nothing.
        """
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as sock:
            sock.sendall(payload)
            received = b""
            while b"\r\n\r\n" not in received or len(received) < _answer_length(received):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                received += chunk
            return received

    def assert_healthy(self) -> None:
        version = self.request("GET", "/version", auth=False)
        assert version.status == 200
        stored = self.request("GET", f"{CM_PATH}/sentinel")
        assert stored.status == 200, stored.body[:500]
        obj = stored.json()
        assert obj["data"] == SENTINEL["data"]
        assert obj["metadata"]["labels"] == {"keep": "me"}


def _answer_length(received: bytes) -> int:
    """Bytes of a complete answer whose head is in ``received`` (head, blank line, Content-Length)."""
    head, _, _ = received.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    return len(head) + 4 + length


def parse_raw(answer: bytes) -> Reply:
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return Reply(status, headers, body)


@pytest.fixture(scope="module")
def hostile() -> Iterator[Hostile]:
    server = ApiServer(VirtualClock(), token=TOKEN, limits=TIMEOUTS)
    server.start()
    probe = Hostile(server)
    created = probe.request("POST", CM_PATH, SENTINEL)
    assert created.status == 201, created.body
    yield probe
    server.stop()
