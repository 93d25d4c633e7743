"""``pods/exec`` over WebSocket: Kubernetes' channel protocol, with the command run in-process.

A simulated pod runs no process, so the command is handed to an :data:`ExecRunner` the cluster
registers (``ApiServer.set_exec_runner``); the simulated cluster runs ``deckhouse-controller
module enable|disable NAME`` in the Deckhouse container, as DKP's page tells its users to. What
goes over the wire is what kubelet sends (``k8s.io/apimachinery/pkg/util/remotecommand`` and
kubelet's ``cri/streaming/remotecommand``):

- the subprotocols ``v5.channel.k8s.io`` (kubectl 1.30+) and ``v4.channel.k8s.io`` (client-go
  before it, the ``kubernetes`` Python client): every binary message starts with its channel,
  0 stdin, 1 stdout, 2 stderr, 3 the error channel, 4 resize, and in v5 255 for "close";
- first an empty message on the lowest channel the client reads (stdout, else stderr, else the
  error channel), then the output, then the command's ``Status`` as JSON on channel 3: ``Success``,
  or ``Failure`` with reason ``NonZeroExitCode`` and the exit code as the cause ``ExitCode``
  (kubectl exits with it), or ``InternalError`` when the command could not start;
- with a TTY there is one stream: stderr joins stdout and a line ends ``\\r\\n``, as a terminal's
  output processing leaves it.

The older subprotocols (v1 to v3) report a failure as plain text and no exit code; no client this
harness serves offers only them, so they are refused with the list of those served.
"""

from __future__ import annotations

import base64
import json
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from harness.apiserver import websocket
from harness.kube.errors import ApiError, BadRequest

__all__ = [
    "PROTOCOLS",
    "ExecCall",
    "ExecResult",
    "ExecRunner",
    "choose_protocol",
    "run_session",
    "status_of",
    "upgrade_refusal",
]

PROTOCOLS = ("v5.channel.k8s.io", "v4.channel.k8s.io")
"""The subprotocols served, newest first."""

STDOUT, STDERR, ERROR = 1, 2, 3  # the channels this server writes (the docstring lists them all)
_CHUNK = 32 * 1024
DRAIN_FRAMES = 100
"""The most client frames read after the answer (each within the connection's read timeout)."""
FIRST_FRAME_GRACE = 0.5
"""Seconds a v5 client with stdin or a TTY is given to send its first frame (see run_session)."""
START_GRACE = 0.05
"""Seconds any other client is given before the answer: a container takes at least this long to
start an exec'd process, and client-go needs a moment to create its streams (see run_session)."""
_FIRST_FRAME_PINGS = 8
"""The most pings answered while a first frame is awaited (the grace bounds each read)."""
_NORMAL_CLOSURE = struct.pack("!H", 1000)


@dataclass(frozen=True)
class ExecCall:
    """One ``exec`` request, checked: the pod exists and runs ``container``."""

    namespace: str
    pod: str
    container: str
    command: tuple[str, ...]
    stdin: bool = False
    stdout: bool = True
    stderr: bool = True
    tty: bool = False


@dataclass(frozen=True)
class ExecResult:
    """What the command left: its output and exit code, or why it could not start (``error``)."""

    stdout: bytes = b""
    stderr: bytes = b""
    exit_code: int = 0
    error: str | None = None


ExecRunner = Callable[[ExecCall], ExecResult]


def choose_protocol(offered: str) -> str | None:
    """The first subprotocol of the client's ``Sec-WebSocket-Protocol`` list this server speaks."""
    for name in (part.strip() for part in offered.split(",")):
        if name in PROTOCOLS:
            return name
    return None


def upgrade_refusal(headers: Mapping[str, str]) -> tuple[str, ApiError | None]:
    """(the subprotocol chosen, None) for a WebSocket upgrade this server takes, else ("", why not);
    ``headers`` with lower-case names.

    kube-apiserver answers a plain request ``Upgrade request required``; SPDY (kubectl before
    1.30, or its fallback) is named, with what works instead.
    """
    upgrade = headers.get("upgrade", "").strip()
    if not upgrade:
        return "", BadRequest("Upgrade request required")
    if "websocket" not in (token.strip().lower() for token in upgrade.split(",")):
        return "", BadRequest(
            f"unable to upgrade connection: this API server serves exec over WebSocket only, not {upgrade}"
            f" (subprotocols {', '.join(PROTOCOLS)}): use kubectl 1.30 or later"
        )
    if headers.get("sec-websocket-version", "").strip() != "13" or not _valid_key(
        headers.get("sec-websocket-key", "")
    ):
        return "", BadRequest(
            "unable to upgrade connection: a WebSocket upgrade needs Sec-WebSocket-Version 13 and a"
            " Sec-WebSocket-Key of 16 bytes in base64 (RFC 6455 section 4.1)"
        )
    offered = headers.get("sec-websocket-protocol", "")
    protocol = choose_protocol(offered)
    if protocol is None:
        return "", BadRequest(
            f"unable to upgrade connection: none of the subprotocols offered ({offered.strip() or 'none'})"
            f" is served; this API server speaks {', '.join(PROTOCOLS)}"
        )
    return protocol, None


def _valid_key(key: str) -> bool:
    """RFC 6455: the key is 16 random bytes, base64-encoded (24 ASCII characters)."""
    try:
        return len(base64.b64decode(key.strip().encode("ascii"), validate=True)) == 16
    except (ValueError, UnicodeEncodeError):
        return False


def status_of(call: ExecCall, result: ExecResult) -> dict[str, Any]:
    """The ``Status`` kubelet writes on the error channel when the command has ended."""
    if result.error is not None:
        message = f"error executing command in container: {result.error}"
        return {
            "metadata": {},
            "status": "Failure",
            "message": f"Internal error occurred: {message}",
            "reason": "InternalError",
            "details": {"causes": [{"message": message}]},
            "code": 500,
        }
    if result.exit_code == 0:
        return {"metadata": {}, "status": "Success"}
    command = "[" + " ".join(call.command) + "]"
    return {
        "metadata": {},
        "status": "Failure",
        "message": (
            "command terminated with non-zero exit code: error executing command "
            f"{command}, exit code {result.exit_code}"
        ),
        "reason": "NonZeroExitCode",
        "details": {"causes": [{"reason": "ExitCode", "message": str(result.exit_code)}]},
    }


def run_session(
    call: ExecCall,
    runner: ExecRunner,
    protocol: str,
    read: Callable[[int], bytes],
    write: Callable[[bytes], object],
    patience: Callable[[float | None], None] = lambda _seconds: None,
) -> None:
    """Run ``call`` and send what it left; then read until the client closes (its stdin, pings).

    client-go (kubectl) starts reading the connection and creating its streams at the same time,
    and drops what arrives for a stream it has not created yet; a close that arrives first ends
    it with ``error: closed all streams``. A real command takes long enough for the streams to
    exist; this one answers within microseconds. So when a v5 client may send something once its
    streams exist (a TTY's first size on channel 4; stdin's data or, at its end, v5's close of
    stdin), its first frame is awaited before the command runs, for at most
    :data:`FIRST_FRAME_GRACE` (``patience`` sets the connection's read timeout; None restores
    it): a client whose stdin stays open, or that sends nothing (the ``kubernetes`` client), is
    answered after that grace, never held until its stdin ends. A client that has nothing to
    send (``kubectl exec`` without ``-i``) gets the answer after :data:`START_GRACE`, the least a
    container takes to start a process: answered at once, kubectl on a loaded machine sometimes
    lost the whole answer. Other frames are read after the
    answer, up to the client's close, which keeps the connection from being reset with unread
    data (that could cost the client the last frames).
    """
    write(_message(_first_channel(call), b""))
    signals = protocol == PROTOCOLS[0] and (call.stdin or call.tty)
    patience(FIRST_FRAME_GRACE if signals else START_GRACE)
    try:
        _read_client(read, write, frames=_FIRST_FRAME_PINGS, until_data=True)
    finally:
        patience(None)
    try:
        result = runner(call)
    except Exception as exc:  # noqa: BLE001 - the client gets an InternalError status, as kubelet sends
        result = ExecResult(error=f"{type(exc).__name__}: {exc}")
    for channel, data in _outputs(call, result):
        for start in range(0, len(data), _CHUNK):
            write(_message(channel, data[start : start + _CHUNK]))
    write(_message(ERROR, json.dumps(status_of(call, result), separators=(",", ":")).encode()))
    write(websocket.encode_frame(websocket.CLOSE, _NORMAL_CLOSURE))
    _read_client(read, write, frames=DRAIN_FRAMES, until_data=False)


def _first_channel(call: ExecCall) -> int:
    if call.stdout:
        return STDOUT
    return STDERR if call.stderr and not call.tty else ERROR


def _outputs(call: ExecCall, result: ExecResult) -> list[tuple[int, bytes]]:
    if call.tty:
        merged = (result.stdout + result.stderr).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        return [(STDOUT, merged)] if call.stdout and merged else []
    found = []
    if call.stdout and result.stdout:
        found.append((STDOUT, result.stdout))
    if call.stderr and result.stderr:
        found.append((STDERR, result.stderr))
    return found


def _message(channel: int, data: bytes) -> bytes:
    return websocket.encode_frame(websocket.BINARY, bytes([channel]) + data)


def _read_client(
    read: Callable[[int], bytes], write: Callable[[bytes], object], *, frames: int, until_data: bool
) -> None:
    """Read the client's frames, answering pings, until its close (or, ``until_data``, its first
    data frame), at most ``frames`` of them; a read timeout or a broken frame ends it.

    Before the answer (``until_data``) it waits for a v5 client's first frame within the grace;
    after it, it discards what the client sends up to its close, so that a client does not get to
    hold the connection open by sending (a well-behaved one sends its stdin, v5's close of it, a
    ping or two and its close).
    """
    try:
        for _ in range(frames):
            frame = websocket.read_frame(read)
            if frame is None or frame.opcode == websocket.CLOSE:
                return
            if frame.opcode == websocket.PING:
                write(websocket.encode_frame(websocket.PONG, frame.payload))
            elif until_data and frame.opcode != websocket.PONG:
                return
    except (OSError, websocket.FrameError):
        return
