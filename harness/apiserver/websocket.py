"""The server side of a WebSocket connection (RFC 6455), as much as ``kubectl exec`` needs.

kubectl (1.30 and later), client-go and the ``kubernetes`` Python client open ``exec`` as a
WebSocket: an HTTP/1.1 ``GET`` with ``Upgrade: websocket``, answered ``101 Switching Protocols``
with ``Sec-WebSocket-Accept`` (the SHA-1 of the client's key and the RFC's fixed GUID, base64)
and the subprotocol the server chose. After that the connection carries frames: a two-byte
header (FIN and opcode; mask bit and a 7-bit length, extended to 16 or 64 bits), the client's
4-byte mask, the payload. Clients mask every frame, servers never do (RFC 6455 §5.1).

Only what an exec session uses is here: binary data frames out, a close frame out, and reading
what the client sends (its stdin, pings, its close) so that it can be answered or discarded. A
ping is answered with a pong carrying the same payload (§5.5.2), as gorilla/websocket expects.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "BINARY",
    "CLOSE",
    "PING",
    "PONG",
    "Frame",
    "FrameError",
    "accept_key",
    "encode_frame",
    "read_frame",
]

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, BINARY, CLOSE, PING, PONG = 0x1, 0x2, 0x8, 0x9, 0xA
MAX_FRAME = 1 << 20
"""The largest client frame read (1 MiB): stdin for a command, never bulk data."""


class FrameError(ValueError):
    """The peer sent something that is not a WebSocket frame this server reads."""


@dataclass(frozen=True)
class Frame:
    opcode: int
    payload: bytes
    final: bool = True


def accept_key(client_key: str) -> str:
    """``Sec-WebSocket-Accept`` for the client's ``Sec-WebSocket-Key`` (RFC 6455 §4.2.2)."""
    digest = hashlib.sha1((client_key.strip() + _GUID).encode("ascii"), usedforsecurity=False).digest()
    return base64.b64encode(digest).decode("ascii")


def encode_frame(opcode: int, payload: bytes = b"", *, mask: bytes | None = None) -> bytes:
    """One final frame; ``mask`` (4 bytes) only for a client's frames (tests play the client)."""
    length = len(payload)
    head = bytes([0x80 | opcode])
    mask_bit = 0x80 if mask is not None else 0
    if length < 126:
        head += bytes([mask_bit | length])
    elif length < 1 << 16:
        head += bytes([mask_bit | 126]) + struct.pack("!H", length)
    else:
        head += bytes([mask_bit | 127]) + struct.pack("!Q", length)
    if mask is None:
        return head + payload
    return head + mask + _unmask(payload, mask)


def read_frame(read: Callable[[int], bytes]) -> Frame | None:
    """The next frame from ``read`` (``rfile.read``); None when the peer closed the connection.

    Client frames must be masked (§5.1: a server closes on an unmasked one); a frame over
    :data:`MAX_FRAME` is refused rather than read into memory.
    """
    head = read(2)
    if len(head) < 2:
        return None
    final, opcode = bool(head[0] & 0x80), head[0] & 0x0F
    masked, length = bool(head[1] & 0x80), head[1] & 0x7F
    if length == 126:
        length = struct.unpack("!H", _exactly(read, 2))[0]
    elif length == 127:
        length = struct.unpack("!Q", _exactly(read, 8))[0]
    if not masked:
        raise FrameError("a client frame must be masked (RFC 6455 section 5.1)")
    if opcode >= CLOSE and (length > 125 or not final):
        raise FrameError("a control frame carries at most 125 bytes and is never fragmented (section 5.5)")
    if length > MAX_FRAME:
        raise FrameError(f"a frame of {length} bytes is larger than this server reads ({MAX_FRAME})")
    mask = _exactly(read, 4)
    return Frame(opcode, _unmask(_exactly(read, length), mask), final)


def _exactly(read: Callable[[int], bytes], n: int) -> bytes:
    data = read(n) if n else b""
    if len(data) < n:
        raise FrameError("the connection ended inside a frame")
    return data


def _unmask(data: bytes, mask: bytes) -> bytes:
    """XOR with the repeated 4-byte mask, done on whole integers rather than byte by byte."""
    if not data:
        return b""
    repeated = (mask * (len(data) // 4 + 1))[: len(data)]
    value = int.from_bytes(data, "big") ^ int.from_bytes(repeated, "big")
    return value.to_bytes(len(data), "big")
