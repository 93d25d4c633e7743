"""A loopback HTTP proxy in front of a registry that breaks requests by rule.

Everything no rule matches passes through unchanged: method, path, body (a chunked request body
is forwarded de-chunked with its length), headers including ``Www-Authenticate`` and
``Authorization``, and chunked responses stay chunked. ``Location`` headers that point at the
registry are rewritten to point at the proxy, so blob uploads keep going through it. Each client
connection gets its own keep-alive connection to the registry; one the registry dropped (it was
restarted) is reopened once.

The proxy supervises itself: its serving thread runs the accept loop, and should that loop die
on an exception it logs the death, binds a new listener on the same address and carries on (the
restart is counted, see :meth:`FaultProxy.wait_restarts`). ``stop()`` returns at once: the accept
loop waits on a wake-up socket, not a poll interval (:mod:`harness.serving`).
"""

from __future__ import annotations

import http.client
import logging
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, Self

from harness.registry.faults.rules import Action, Corrupt, Delay, FaultRule, Reset, Respond, RuleTable
from harness.serving import PromptShutdown

if TYPE_CHECKING:
    import httpx

__all__ = ["UPSTREAM_REFUSED", "FaultProxy"]

UPSTREAM_REFUSED = "X-Dkp-Harness-Upstream"
"""Header on the proxy's 502 when the registry behind it refused the connection (it is down)."""

_LOG = logging.getLogger("harness.registry")

_HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"}
)


class FaultProxy:
    """``FaultProxy("127.0.0.1:5000")``: start it, point clients at ``address``, add rules."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.rules = RuleTable()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._restarted = threading.Condition()
        self.restarts = 0

    def __repr__(self) -> str:
        return f"FaultProxy({self.upstream!r}, address={self.address if self._server else None!r})"

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def address(self) -> str:
        if self._server is None:
            raise RuntimeError("the fault proxy is not started: call start() first")
        host, port = self._server.server_address[:2]
        return f"{host!s}:{port}"

    @property
    def requests(self) -> int:
        """How many requests reached the proxy (faulted or not)."""
        return self.rules.requests

    def start(self) -> None:
        if self._server is not None:
            return
        self._stopping.clear()
        self._server = _Server(("127.0.0.1", 0), _Handler, proxy=self)
        self._thread = threading.Thread(target=self._serve, name="fault-proxy", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        server, self._server = self._server, None
        self._stopping.set()
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def wait_restarts(self, count: int, timeout: float) -> bool:
        """Bounded wait until the accept loop has been restarted at least ``count`` times."""
        with self._restarted:
            return self._restarted.wait_for(lambda: self.restarts >= count, timeout)

    def _serve(self) -> None:
        """The accept loop, restarted on the same address whenever it dies."""
        while (server := self._server) is not None:
            try:
                server.serve_forever()
                return  # stop() asked
            except Exception as exc:  # noqa: BLE001 - any death of the loop is logged and survived
                if self._stopping.is_set():
                    return
                port = server.server_address[1]
                _LOG.warning(
                    "fault proxy on 127.0.0.1:%s died (%r); restarting it on the same address", port, exc
                )
                server.server_close()
                try:
                    replacement = _Server(("127.0.0.1", port), _Handler, proxy=self)
                except OSError as bind_error:
                    _LOG.error("fault proxy on 127.0.0.1:%s stays down: %s", port, bind_error)
                    return
                if self._stopping.is_set():
                    replacement.server_close()
                    return
                self._server = replacement
                with self._restarted:
                    self.restarts += 1
                    self._restarted.notify_all()
                _LOG.warning("fault proxy restarted on 127.0.0.1:%s", port)

    def bypass(self) -> httpx.BaseTransport:
        """A transport for a plain-HTTP client of this proxy whose unbroken reads skip its hop
        (:mod:`harness.registry.faults.bypass`)."""
        from harness.registry.faults.bypass import ProxyBypass

        return ProxyBypass(self.rules, self.address, self.upstream)

    def add(self, rule: FaultRule) -> int:
        """Install a rule; returns its id for :meth:`hits` and :meth:`remove`."""
        return self.rules.add(rule)

    def fail(self, action: Action, *, method: str = "*", path: str = "", times: int | None = None) -> int:
        """Shorthand for ``add(FaultRule(action, method, path, times))``."""
        return self.add(FaultRule(action, method=method, path=path, times=times))

    def remove(self, rule_id: int) -> None:
        self.rules.remove(rule_id)

    def clear(self) -> None:
        self.rules.clear()

    def hits(self, rule_id: int) -> int:
        """How many requests a rule has broken so far."""
        return self.rules.hits(rule_id)

    def wait(self, seconds: float) -> None:
        """A bounded real wait that ends early when the proxy stops."""
        self._stopping.wait(seconds)


class _Server(PromptShutdown, ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], handler: type[_Handler], *, proxy: FaultProxy) -> None:
        self.proxy = proxy
        super().__init__(address, handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle's algorithm on, the client's delayed
    # ACK then holds every keep-alive response back by ~40 ms.
    disable_nagle_algorithm = True
    server: _Server
    _upstream: http.client.HTTPConnection | None = None

    def log_message(self, format: str, *args: object) -> None:
        """Silent: request lines may carry tokens in query strings."""

    def do_GET(self) -> None:
        self._handle()

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    def finish(self) -> None:
        if self._upstream is not None:
            self._upstream.close()
        super().finish()

    def _handle(self) -> None:
        proxy = self.server.proxy
        body = self._read_body()
        action = proxy.rules.match(self.command, self.path)
        if isinstance(action, Reset):
            self._reset()
            return
        if isinstance(action, Respond):
            self._answer(action.status, {"Content-Type": action.content_type}, action.payload())
            return
        if isinstance(action, Delay):
            proxy.wait(action.seconds)
        self._forward(body, corrupt=isinstance(action, Corrupt))

    def _read_body(self) -> bytes | None:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else None

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _forward(self, body: bytes | None, *, corrupt: bool) -> None:
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        headers["Host"] = self.server.proxy.upstream
        if body is not None:
            headers["Content-Length"] = str(len(body))
        try:
            response = self._send_upstream(headers, body)
        except OSError as exc:
            message = f'{{"errors":[{{"code":"UNAVAILABLE","message":"proxy: {type(exc).__name__}"}}]}}'
            headers = {"Content-Type": "application/json"}
            if isinstance(exc, ConnectionRefusedError):
                headers[UPSTREAM_REFUSED] = "connection refused"  # the client reports a refused dial
            self._answer(502, headers, message.encode())
            return
        payload = response.read()
        if corrupt:
            payload = bytes(b ^ 0xFF for b in payload)
        out = [(k, self._rewrite(k, v)) for k, v in response.getheaders() if k.lower() not in _HOP_BY_HOP]
        chunked = response.getheader("Transfer-Encoding", "").lower() == "chunked"
        self._relay(response.status, out, payload, chunked=chunked)

    def _send_upstream(self, headers: dict[str, str], body: bytes | None) -> http.client.HTTPResponse:
        for attempt in (1, 2):
            if self._upstream is None:
                self._upstream = http.client.HTTPConnection(self.server.proxy.upstream, timeout=60)
            try:
                self._upstream.request(self.command, self.path, body=body, headers=headers)
                return self._upstream.getresponse()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self._upstream.close()
                self._upstream = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _rewrite(self, key: str, value: str) -> str:
        if key.lower() != "location":
            return value
        upstream, proxy = self.server.proxy.upstream, self.server.proxy.address
        for scheme in ("http://", "https://"):
            if value.startswith(scheme + upstream):
                return "http://" + proxy + value[len(scheme + upstream) :]
        return value

    def _relay(self, status: int, headers: list[tuple[str, str]], payload: bytes, *, chunked: bool) -> None:
        self.send_response_only(status)
        for key, value in headers:
            if not (chunked and key.lower() == "content-length"):
                self.send_header(key, value)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            if payload and self.command != "HEAD":
                self.wfile.write(f"{len(payload):x}\r\n".encode() + payload + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
            return
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _answer(self, status: int, headers: dict[str, str], payload: bytes) -> None:
        self.send_response_only(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _reset(self) -> None:
        """SO_LINGER 0 then close: the peer sees ECONNRESET, not a clean EOF."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()
