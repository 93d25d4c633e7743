"""The HTTP face of the server: stdlib ``ThreadingHTTPServer``, HTTP/1.1 keep-alive, loopback only.

Every request is answered. Bearer-token authentication guards all but the public info paths
(``/version``, health) and is decided from the headers alone, before the body is read; the body
is then read within :class:`~harness.apiserver.limits.Limits` (size, read timeouts). An
:class:`~harness.kube.errors.ApiError` becomes its ``Status``, and so does every protocol error the
standard library would answer with an HTML page (a bad request line, oversized headers, an
unsupported method); any other exception is a ``Status`` 500 — kubectl re-sends a GET a dozen
times when a connection drops, so dropping one would turn a server bug into a ten-second hang.
Each response goes out in one write with ``TCP_NODELAY``, so keep-alive clients are not held up
by delayed ACKs. Watches are chunked streams of JSON lines.
"""

from __future__ import annotations

import hmac
import json
import logging
import socket
import ssl
import threading
import unicodedata
import uuid
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from email.utils import format_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from harness.apiserver import websocket
from harness.apiserver.disconnects import WATCHER
from harness.apiserver.limits import DEFAULT_LIMITS, Limits
from harness.apiserver.remotecommand import upgrade_refusal
from harness.apiserver.request import Response, query_flag
from harness.apiserver.router import PUBLIC_PATHS, Router
from harness.apiserver.transform import output_media
from harness.apiserver.wire import FramingError, content_length, has_body, read_body, too_large
from harness.apiserver.yaml_output import to_yaml
from harness.kube.errors import ApiError, InternalError, MethodNotAllowed, Unauthorized
from harness.serving import PromptShutdown

__all__ = ["HttpServer"]

_LOG = logging.getLogger(__name__)
_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})


def warning_header(text: str) -> str | None:
    """A ``Warning`` header value as apimachinery's ``NewWarningHeader`` makes it: ``"`` and ``\\``
    escaped in the quoted text, and no header at all for a text with a control character. A
    warning can carry a client's field name (``unknown field "..."``): a CR LF in it would end
    the header block early and let the client write headers, or a body, of its choosing."""
    if any(unicodedata.category(c) == "Cc" for c in text):
        return None
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'299 - "{quoted}"'


def _retry_after(body: Any) -> str:
    """The ``Retry-After`` header line of an error whose ``Status`` asks for a retry, as
    ``responsewriters.ErrorNegotiated`` (``k8s.io/apiserver/pkg/endpoints/handlers/responsewriters``)
    sets it from ``details.retryAfterSeconds``; empty for any other answer."""
    if not isinstance(body, dict) or body.get("kind") != "Status":
        return ""
    seconds = (body.get("details") or {}).get("retryAfterSeconds")
    return f"Retry-After: {seconds}\r\n" if isinstance(seconds, int) and seconds > 0 else ""


def _encode(body: Any, *, pretty: bool = False, sort_keys: bool = False) -> bytes:
    """A body as kube-apiserver's JSON serializer writes an API object: compact and ended by a
    newline (``json.Encoder.Encode``), or indented by two spaces without one when the request asks
    for pretty output (:func:`wants_pretty`). Bytes (documents encoded once, ``/version``) and text
    go out as they are."""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    if pretty:
        return _go_json(json.dumps(body, indent=2, ensure_ascii=False, sort_keys=sort_keys))
    return _go_json(json.dumps(body, separators=(",", ":"), ensure_ascii=False, sort_keys=sort_keys)) + b"\n"


_GO_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def _go_json(text: str) -> bytes:
    """JSON text as Go's ``encoding/json`` writes it: UTF-8, with ``<``, ``>``, ``&`` and the
    line and paragraph separators escaped (its default HTML-safe escaping). They occur only inside
    strings, so the text can be translated whole."""
    return text.translate(_GO_ESCAPES).encode()


_PRETTY_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_PRETTY_AGENTS = ("curl", "Wget", "Mozilla/5.0")


def wants_pretty(query: str, user_agent: str) -> bool:
    """``isPrettyPrint`` of apiserver's content negotiation (``k8s.io/apiserver/pkg/endpoints/
    handlers/negotiation``): a non-empty ``pretty`` parameter decides (Go's ``ParseBool``, anything
    else is false); without one, curl, Wget and browsers get indented JSON."""
    given = [v for k, v in parse_qsl(query, keep_blank_values=True) if k == "pretty"]
    if given and given[0]:
        return given[0] in _PRETTY_TRUE
    return user_agent.startswith(_PRETTY_AGENTS)


_RAW_JSON_PATHS = ("/version", "/openapi")
"""Answers written as JSON whatever the ``Accept`` (``WriteRawJSON``, kube-openapi's handlers)."""


def _yaml_asked(response: Response, path: str, headers: Any) -> bool:
    """Whether ``response`` goes out as YAML: an object (a resource, a list, a discovery document,
    a ``Status``) whose request's ``Accept`` negotiates ``application/yaml`` first, as
    kube-apiserver's serializers do (:mod:`.yaml_output`); only asked when the header names YAML,
    so other requests pay for a substring test."""
    if not isinstance(response.body, dict) or response.content_type != "application/json":
        return False
    if path.startswith(_RAW_JSON_PATHS):
        return False
    return output_media(headers.get("Accept", "")) == "application/yaml"


class _Server(PromptShutdown, ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], router: Router, token: str) -> None:
        super().__init__(address, _Handler)
        self.router = router
        self.token = token
        self.read_barrier: Callable[[], object] | None = None
        self.limits: Limits = DEFAULT_LIMITS
        self.now: Callable[[], datetime] | None = None
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
        limits = self.server.limits
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(limits.read_timeout)
            self.request.do_handshake()
        self.request.settimeout(limits.idle_timeout)
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle_one_request(self) -> None:
        """Wait at most ``idle_timeout`` for the next request; a timeout closes the connection."""
        self.connection.settimeout(self.server.limits.idle_timeout)
        try:
            super().handle_one_request()
        except (TimeoutError, ConnectionError, ssl.SSLError):
            self.close_connection = True

    def parse_request(self) -> bool:
        """Once a request line has arrived, the rest of the request must follow within ``read_timeout``."""
        self.connection.settimeout(self.server.limits.read_timeout)
        return super().parse_request()

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: request lines can carry tokens in odd clients, and the harness has its own report."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Protocol errors the standard library detects get a ``Status``, not its HTML page."""
        self.close_connection = True
        if code == HTTPStatus.NOT_IMPLEMENTED:  # no do_<METHOD>: an unknown method
            error: ApiError = MethodNotAllowed(
                "the server does not allow this method on the requested resource"
            )
        else:
            phrase = HTTPStatus(code).phrase if code in HTTPStatus._value2member_map_ else "Error"
            reason = phrase.replace(" ", "")
            error = ApiError(message or phrase, code=code, reason=reason)
        self._send(Response(error.code, error.to_status()), close=True)

    def handle_expect_100(self) -> bool:
        """``Expect: 100-continue`` gets its ``100`` only when the body would be read at all."""
        if not self._authorised(urlsplit(self.path).path):
            self._refuse(Unauthorized("Unauthorized"))
            return False
        try:
            declared = content_length(self.headers)
        except FramingError as exc:
            self.close_connection = True
            self._send(Response(exc.error.code, exc.error.to_status()), close=True)
            return False
        if declared > self.server.limits.max_body_bytes:
            self._refuse(too_large(self.server.limits.max_body_bytes))
            return False
        return super().handle_expect_100()

    def _authorised(self, path: str) -> bool:
        """The admin's token, or (only when it is not that) a service account's token the server
        issued, whose account :attr:`user` then holds; the admin's requests pay for nothing more."""
        self.user: Mapping[str, Any] | None = None
        if path in PUBLIC_PATHS:
            return True
        given = self.headers.get("Authorization", "")
        if hmac.compare_digest(given.encode(), f"Bearer {self.server.token}".encode()):
            return True
        scheme, _, token = given.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return False
        self.user = self.server.router.authenticate(token.strip())
        return self.user is not None

    def _refuse(self, error: ApiError) -> None:
        """Answer without reading the body, then close: its unread bytes make the connection unusable."""
        if has_body(self.headers):
            self.close_connection = True
        self._send(Response(error.code, error.to_status()), close=self.close_connection)

    def _serve(self) -> None:
        url = urlsplit(self.path)
        if not self._authorised(url.path):
            self._refuse(Unauthorized("Unauthorized"))
            return
        if self.command not in _METHODS:
            self._refuse(MethodNotAllowed("the server does not allow this method on the requested resource"))
            return
        try:
            raw = read_body(self.rfile, self.headers, self.server.limits.max_body_bytes)
        except FramingError as exc:
            self.close_connection = True
            self._send(Response(exc.error.code, exc.error.to_status()), close=True)
            return
        except (TimeoutError, ConnectionError, ssl.SSLError):
            self.close_connection = True  # the client stopped sending: nobody is left to answer
            return
        try:
            headers = {k.lower(): v for k, v in self.headers.items()}
            query = dict(parse_qsl(url.query))
            barrier = self.server.read_barrier
            if barrier is not None and self.command == "GET" and not query_flag(query, "watch"):
                barrier()
            commands = tuple(v for k, v in parse_qsl(url.query, keep_blank_values=True) if k == "command")
            response = self.server.router.route(
                self.command, url.path, query, headers, raw, commands, raw_query=url.query, user=self.user
            )
        except ApiError as exc:
            response = Response(exc.code, exc.to_status())
        except Exception as exc:  # noqa: BLE001 - the client must get a Status, never a dropped connection
            _LOG.exception("API server handler failed on %s %s", self.command, url.path)
            error = InternalError(f"Internal error occurred: {type(exc).__name__}: {exc}")
            response = Response(500, error.to_status())
        if response.upgrade is not None:
            self._upgrade(response.upgrade, headers)
        elif response.stream is not None:
            self._send_stream(response)
        else:
            self._send(response)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve
    do_OPTIONS = do_HEAD = do_TRACE = do_CONNECT = _serve

    def _head(self, status: int, content_type: str, warnings: list[str], extra: str) -> bytes:
        phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
        lines = [
            f"HTTP/1.1 {status} {phrase}",
            f"Audit-Id: {self._audit_id()}",
            f"Content-Type: {content_type}",
            "Cache-Control: no-cache, private",
        ]
        if self.server.now is not None:  # kube-apiserver sends Date; clients read the cluster's clock there
            lines.append(f"Date: {format_datetime(self.server.now(), usegmt=True)}")
        lines += [f"Warning: {header}" for header in map(warning_header, warnings) if header]
        return ("\r\n".join(lines) + "\r\n" + extra + "\r\n").encode()

    def _audit_id(self) -> str:
        """Every answer names its request as kube-apiserver's audit filter does: the client's own
        ``Audit-ID`` header when it sent one, else a fresh UUID (clients log it to find the request
        in the audit log)."""
        given = self.headers.get("Audit-ID", "") if getattr(self, "headers", None) is not None else ""
        return given if given and given.isprintable() else str(uuid.uuid4())

    def _send(self, response: Response, *, close: bool = False) -> None:
        headers = getattr(self, "headers", None)
        agent = headers.get("User-Agent", "") if headers is not None else ""
        url = urlsplit(getattr(self, "path", ""))
        if (
            headers is not None
            and "yaml" in headers.get("Accept", "")
            and _yaml_asked(response, url.path, headers)
        ):
            response = Response(
                response.status, to_yaml(response.body).encode(), "application/yaml", response.warnings
            )
        pretty = wants_pretty(url.query, agent)
        body = _encode(response.body, pretty=pretty, sort_keys=response.unstructured)
        extra = f"Content-Length: {len(body)}\r\n" + ("Connection: close\r\n" if close else "")
        extra += _retry_after(response.body)
        head = self._head(response.status, response.content_type, response.warnings, extra)
        try:
            self.wfile.write(head if self.command == "HEAD" else head + body)
        except OSError:
            self.close_connection = True

    def _send_stream(self, response: Response) -> None:
        """A chunked stream of JSON lines, always ended with its last chunk unless the client left.

        A stream that fails part-way sends an ``ERROR`` event (a ``Status`` 500, as kube-apiserver's
        watch does on an internal error) and then ends properly: a connection cut mid-stream is an
        ``IncompleteRead`` to the client, not an answer.
        """
        stream: Iterator[dict[str, Any] | str] = response.stream  # type: ignore[assignment]
        watched = (
            None if response.on_disconnect is None else WATCHER.watch(self.connection, response.on_disconnect)
        )
        try:
            self.wfile.write(
                self._head(200, response.content_type, response.warnings, "Transfer-Encoding: chunked\r\n")
            )
            try:
                for event in stream:
                    self._write_chunk(event, sort_object=response.unstructured)
            except OSError:
                raise
            except Exception as exc:  # noqa: BLE001 - end the stream with a Status, never drop it
                _LOG.exception("watch stream failed on %s", self.path.split("?", 1)[0])
                error = InternalError(f"Internal error occurred: {type(exc).__name__}: {exc}")
                self._write_chunk({"type": "ERROR", "object": error.to_status()})
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            self.close_connection = True
        finally:
            if watched is not None:
                WATCHER.unwatch(watched)
            close = getattr(stream, "close", None)
            if close is not None:
                close()

    def _upgrade(
        self,
        session: Callable[..., None],
        headers: dict[str, str],
    ) -> None:
        """Switch the connection to a WebSocket and run ``session`` on it; the connection ends with it.

        A request that is not a WebSocket upgrade this server can take gets a ``Status`` 400 saying
        why (kube-apiserver's ``Upgrade request required`` for a plain request).
        """
        self.close_connection = True
        protocol, refusal = upgrade_refusal(headers)
        if refusal is not None:
            self._send(Response(refusal.code, refusal.to_status()), close=True)
            return
        head = (
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Accept: {websocket.accept_key(headers.get('sec-websocket-key', ''))}\r\n"
            f"Sec-WebSocket-Protocol: {protocol}\r\n\r\n"
        )
        try:
            self.wfile.write(head.encode())
            self.connection.settimeout(self.server.limits.read_timeout)
            limits = self.server.limits
            session(
                protocol,
                self.rfile.read,
                self.wfile.write,
                lambda seconds: self.connection.settimeout(
                    limits.read_timeout if seconds is None else seconds
                ),
            )
        except (OSError, ValueError):
            pass  # the client left mid-session: nobody is left to answer

    def _write_chunk(self, event: dict[str, Any] | str, *, sort_object: bool = False) -> None:
        """A watch event as one JSON line, or a text chunk (a followed log) as it is.
        ``sort_object``: the event's object is a custom resource, written with sorted keys (the
        typed event around it and an ``ERROR`` event's ``Status`` keep their order)."""
        if isinstance(event, str):
            data = event.encode()
        elif sort_object and event.get("type") != "ERROR" and set(event) == {"type", "object"}:
            kind = json.dumps(event["type"])
            obj = json.dumps(event["object"], separators=(",", ":"), ensure_ascii=False, sort_keys=True)
            data = _go_json(f'{{"type":{kind},"object":{obj}}}') + b"\n"
        else:
            data = _go_json(json.dumps(event, separators=(",", ":"), ensure_ascii=False)) + b"\n"
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")


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

    def set_limits(self, limits: Limits) -> None:
        """Bounds for requests accepted from now on (see :mod:`harness.apiserver.limits`)."""
        self._server.limits = limits

    def set_clock(self, now: Callable[[], datetime] | None) -> None:
        """Send ``Date`` headers from this clock (the cluster's, not the host's)."""
        self._server.now = now

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
