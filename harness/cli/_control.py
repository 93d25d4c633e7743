"""The sandbox's private control endpoint, and the client the ``time``/``settle``/``module`` commands use.

``dkp-harness serve`` runs a small JSON-over-HTTP server on 127.0.0.1 next to the cluster. It is
how another process moves virtual time or settles the cluster: the Kubernetes API cannot, and must
not, offer that. Every request needs the random bearer token from ``DIR/control.json`` (mode
0600, readable by the owner only); the token never appears in any output.

Routes: ``GET /now``; ``POST /advance {"duration": "3m"}``; ``POST /set {"time": RFC3339}``;
``POST /settle``; ``POST /module {"name", "enabled"}``. Each answers ``{"now": RFC3339, ...}``
once the cluster is settled, or ``{"error": text}`` with a 4xx/5xx status.

The client half is what ``dkp-harness time/settle/module`` run, so it is kept light: one HTTP/1.0
request over a plain socket (the endpoint is loopback HTTP), without ``urllib``/``http.client``
and the ``ssl`` and ``email`` packages they import. The server half imports ``http.server`` only
when a sandbox builds it.
"""

from __future__ import annotations

import _socket
import json
import os
from functools import cache
from pathlib import Path

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)
if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from typing import Any

    Route = Callable[[dict[str, Any]], dict[str, Any]]

__all__ = ["CONTROL_FILE", "ControlError", "ControlServer", "call", "format_time", "parse_time"]

CONTROL_FILE = "control.json"
_TIMEOUT = 120.0  # seconds; a settle that syncs many modules against a real registry can take a while
_MAX_BODY = 64 * 1024  # a control request is a few bytes of JSON
_READ_TIMEOUT = 30.0  # seconds a client may take to send its request


class ControlError(RuntimeError):
    """The sandbox could not be reached or refused the request; the message says why."""


def format_time(moment: datetime) -> str:
    """RFC 3339 in UTC, with the fraction of a second only when there is one (after `advance
    0.5s`): what ``time now`` prints must be a time ``time set`` takes back."""
    if moment.microsecond:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%f").rstrip("0") + "Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> datetime:
    """RFC 3339 (``2024-12-16T13:25:00Z``) or the scenarios' spelling (``Wednesday 2024-12-18
    13:25 UTC``, its weekday checked); raises ``ValueError`` with the expected forms."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return _spelled_moment(text)
    if moment.tzinfo is None:
        raise ValueError(f"time {text!r} has no zone: add Z (UTC), e.g. 2024-12-16T13:25:00Z")
    return moment


def _spelled_moment(text: str) -> datetime:
    from harness.steps.phrases import PhraseError, parse_moment

    words = text.split()
    if len(words) == 4 and words[-1] == "UTC" and words[0].isalpha():
        try:
            return parse_moment(text)
        except PhraseError as exc:
            raise ValueError(str(exc)) from None  # a wrong weekday: say which day the date is
    raise ValueError(
        f"invalid time {text!r}: use RFC 3339, e.g. 2024-12-16T13:25:00Z, or as the scenarios write "
        "it, e.g. 'Wednesday 2024-12-18 13:25 UTC'"
    )


class ControlServer:
    """Serves ``routes`` (``(method, path) → handler``) to holders of ``token``, on 127.0.0.1:0."""

    def __init__(self, routes: dict[tuple[str, str], Route], token: str) -> None:
        self._routes = routes
        self._token = token
        import threading

        self._server = _server_class()(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, name="dkp-control", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def write_state(self, state_dir: Path) -> Path:
        """``DIR/control.json`` with the URL and token, created with mode 0600."""
        from harness.cli._statedir import publish_file

        path = state_dir / CONTROL_FILE
        publish_file(path, json.dumps({"url": self.url, "token": self._token, "pid": os.getpid()}))
        return path

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        from http.server import BaseHTTPRequestHandler

        server = self

        class Handler(BaseHTTPRequestHandler):
            timeout = _READ_TIMEOUT  # a half-sent request cannot hold a thread for ever

            def do_GET(self) -> None:
                server._serve(self, "GET")

            def do_POST(self) -> None:
                server._serve(self, "POST")

            def log_message(self, format: str, *args: Any) -> None:
                return  # keep the sandbox's stdout for its own announcements

        return Handler

    def _serve(self, request: BaseHTTPRequestHandler, method: str) -> None:
        import hmac

        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {self._token}".encode()):
            _answer(
                request, 401, {"error": "missing or wrong control token (see control.json in the state dir)"}
            )
            return
        route = self._routes.get((method, request.path))
        if route is None:
            _answer(request, 404, {"error": f"no control route {method} {request.path}"})
            return
        try:
            length = int(request.headers.get("Content-Length") or 0)
            if not 0 <= length <= _MAX_BODY:
                request.close_connection = True
                _answer(request, 413, {"error": f"a control request body must be 0..{_MAX_BODY} bytes"})
                return
            body = json.loads(request.rfile.read(length) or b"{}")
            if not isinstance(body, dict):
                raise TypeError("the control request body must be a JSON object")
            _answer(request, 200, route(body))
        except (ValueError, KeyError, TypeError) as exc:
            _answer(request, 400, {"error": str(exc)})
        except Exception as exc:  # noqa: BLE001 - the sandbox keeps serving; the caller sees why
            _answer(request, 500, {"error": f"{type(exc).__name__}: {exc}"})


@cache
def _server_class() -> type[ThreadingHTTPServer]:
    """A threading HTTP server whose ``shutdown`` returns at once (built on first use)."""
    from http.server import ThreadingHTTPServer

    from harness.serving import PromptShutdown

    class _ControlHttp(PromptShutdown, ThreadingHTTPServer):
        daemon_threads = True

    return _ControlHttp


def _answer(request: BaseHTTPRequestHandler, status: int, payload: dict[str, Any]) -> None:
    data = json.dumps(payload).encode()
    request.send_response(status)
    request.send_header("Content-Type", "application/json")
    request.send_header("Content-Length", str(len(data)))
    request.end_headers()
    request.wfile.write(data)


def _read_state(state_dir: Path) -> dict[str, Any]:
    path = state_dir / CONTROL_FILE
    if state_dir.is_file():
        raise ControlError(
            f"--state-dir {state_dir} is a file, not a directory: give the directory"
            " `dkp-harness serve --state-dir` was started with"
        )
    try:
        state: dict[str, Any] = json.loads(path.read_text())
    except FileNotFoundError:
        raise ControlError(
            f"no sandbox is running with state dir {state_dir} ({path} is missing):"
            f" start one with `dkp-harness serve --state-dir {state_dir}`"
        ) from None
    except (OSError, ValueError) as exc:
        raise ControlError(f"cannot read {path}: {exc}") from None
    return state


def call(state_dir: Path, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """One control request to the sandbox of ``state_dir``; raises :class:`ControlError`."""
    state = _read_state(state_dir)
    data = json.dumps(body or {}).encode() if method == "POST" else b""
    try:
        status, payload = _exchange(str(state["url"]), method, path, str(state["token"]), data)
        answer: dict[str, Any] = json.loads(payload or b"{}")
    except (OSError, ValueError) as exc:
        raise ControlError(
            f"the sandbox at {state['url']} does not answer ({exc}); is `dkp-harness serve` still running?"
        ) from None
    if status >= 400:
        raise ControlError(str(answer.get("error", f"HTTP {status}")))
    return answer


def _exchange(url: str, method: str, path: str, token: str, data: bytes) -> tuple[int, bytes]:
    """One HTTP/1.0 exchange (the server closes the connection after answering)."""
    host, _, port_text = url.split("://", 1)[-1].rstrip("/").rpartition(":")
    port = int(port_text)
    head = (
        f"{method} {path} HTTP/1.0\r\nHost: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
    )
    # ``_socket``, not ``socket``: the wrapper module imports ``selectors`` and builds its enums,
    # a sizeable share of a client command's start-up, for nothing this exchange needs.
    conn = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
    try:
        conn.settimeout(_TIMEOUT)
        conn.connect((host, port))
        conn.sendall(head.encode() + data)
        received = bytearray()
        while chunk := conn.recv(65536):
            received += chunk
    finally:
        conn.close()
    header, _, payload = bytes(received).partition(b"\r\n\r\n")
    status_line = header.split(b"\r\n", 1)[0].split()
    if len(status_line) < 2 or not status_line[0].startswith(b"HTTP/"):
        raise ValueError(f"not an HTTP answer: {bytes(received[:60])!r}")
    return int(status_line[1]), payload
