"""The HTTP face of the server: stdlib ``ThreadingHTTPServer``, HTTP/1.1 keep-alive, loopback only.

Every request is answered. Bearer-token authentication guards all but the public info paths
(``/version``, health), an :class:`~harness.kube.errors.ApiError` becomes its ``Status``, and any
other exception a ``Status`` 500 — kubectl re-sends a GET a dozen times when a connection drops,
so dropping one would turn a server bug into a ten-second hang. Each response goes out in one
write with ``TCP_NODELAY``, so keep-alive clients are not held up by delayed ACKs. Watches are
chunked streams of JSON lines.
"""

from __future__ import annotations

import hmac
import json
import logging
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from harness.apiserver.request import Response
from harness.apiserver.router import PUBLIC_PATHS, Router
from harness.kube.errors import ApiError, BadRequest, InternalError, Unauthorized
from harness.serving import PromptShutdown

__all__ = ["HttpServer"]

_LOG = logging.getLogger(__name__)
_MAX_BODY = 64 * 1024 * 1024


def _encode(body: Any) -> bytes:
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


class _Server(PromptShutdown, ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], router: Router, token: str) -> None:
        super().__init__(address, _Handler)
        self.router = router
        self.token = token
        self.read_barrier: Callable[[], object] | None = None
        self.live: dict[threading.Thread, socket.socket] = {}
        self.live_lock = threading.Lock()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-handshake or mid-request is not a server failure."""
        _LOG.debug("connection from %s ended abnormally", client_address, exc_info=True)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(target=self._run, args=(request, client_address), daemon=True)
        with self.live_lock:
            self.live[thread] = request
        thread.start()

    def _run(self, request: Any, client_address: Any) -> None:
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self.live_lock:
                self.live.pop(threading.current_thread(), None)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Watch streams write one small chunk per event; Nagle's algorithm would hold the second of a
    # burst until the client's delayed ACK (~40 ms).
    disable_nagle_algorithm = True
    server: _Server

    def setup(self) -> None:
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(30)
            self.request.do_handshake()
            self.request.settimeout(None)
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: request lines can carry tokens in odd clients, and the harness has its own report."""

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0] or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY:
            raise BadRequest(f"request body of {length} bytes is larger than the {_MAX_BODY} bytes allowed")
        return self.rfile.read(length) if length else b""

    def _authorised(self, path: str) -> bool:
        if path in PUBLIC_PATHS:
            return True
        given = self.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {self.server.token}".encode())

    def _serve(self) -> None:
        try:
            raw = self._read_body()
            url = urlsplit(self.path)
            if not self._authorised(url.path):
                raise Unauthorized("Unauthorized")
            headers = {k.lower(): v for k, v in self.headers.items()}
            query = dict(parse_qsl(url.query))
            barrier = self.server.read_barrier
            if barrier is not None and self.command == "GET" and query.get("watch") not in ("true", "1"):
                barrier()
            response = self.server.router.route(self.command, url.path, query, headers, raw)
        except ApiError as exc:
            response = Response(exc.code, exc.to_status())
        except Exception as exc:  # noqa: BLE001 - the client must get a Status, never a dropped connection
            _LOG.exception("API server handler failed on %s %s", self.command, urlsplit(self.path).path)
            error = InternalError(f"Internal error occurred: {type(exc).__name__}: {exc}")
            response = Response(500, error.to_status())
        if response.stream is not None:
            self._send_stream(response)
        else:
            self._send(response)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def _head(self, status: int, content_type: str, warnings: list[str], extra: str) -> bytes:
        phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
        lines = [
            f"HTTP/1.1 {status} {phrase}",
            f"Content-Type: {content_type}",
            "Cache-Control: no-cache, private",
        ]
        lines += [f'Warning: 299 - "{w}"' for w in warnings]
        return ("\r\n".join(lines) + "\r\n" + extra + "\r\n").encode()

    def _send(self, response: Response) -> None:
        body = _encode(response.body)
        head = self._head(
            response.status, response.content_type, response.warnings, f"Content-Length: {len(body)}\r\n"
        )
        self.wfile.write(head + body)

    def _send_stream(self, response: Response) -> None:
        stream: Iterator[dict[str, Any]] = response.stream  # type: ignore[assignment]
        self.wfile.write(
            self._head(200, "application/json", response.warnings, "Transfer-Encoding: chunked\r\n")
        )
        try:
            for event in stream:
                data = json.dumps(event, separators=(",", ":")).encode() + b"\n"
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            self.close_connection = True
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()


class HttpServer:
    """A running listener on ``127.0.0.1``; :meth:`stop` closes every connection and joins threads."""

    def __init__(self, router: Router, token: str, port: int = 0, tls: ssl.SSLContext | None = None) -> None:
        self._server = _Server(("127.0.0.1", port), router, token)
        if tls is not None:
            self._server.socket = tls.wrap_socket(
                self._server.socket, server_side=True, do_handshake_on_connect=False
            )
        self.scheme = "https" if tls is not None else "http"
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"apiserver:{self.port}", daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def set_read_barrier(self, fn: Callable[[], object] | None) -> None:
        self._server.read_barrier = fn

    def stop(self, timeout: float = 5.0) -> None:
        self._server.shutdown()
        self._server.server_close()
        with self._server.live_lock:
            live = list(self._server.live.items())
        for _thread, sock in live:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for thread, _sock in live:
            thread.join(timeout)
        self._thread.join(timeout)
