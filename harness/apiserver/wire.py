"""Reading a request body off the socket within :class:`~harness.apiserver.limits.Limits`.

Nothing here buffers more than the limit: a ``Content-Length`` over it is refused before a byte
is read, a chunked body is refused as soon as its chunks add up to more. Malformed framing (a
``Content-Length`` that is not a non-negative integer, a chunk size that is not hex) is a ``400``.
After any of these the connection cannot be reused, so :class:`FramingError` tells the server to
close it after answering.
"""

from __future__ import annotations

from typing import Any, Protocol

from harness.kube.errors import ApiError, BadRequest

__all__ = ["FramingError", "content_length", "has_body", "read_body", "too_large"]

_MAX_CHUNK_LINE = 1024


class Headers(Protocol):
    """Case-insensitive header lookup (``email.message.Message`` or a dict)."""

    def get(self, name: str, default: Any = None, /) -> Any: ...


class Stream(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...

    def readline(self, size: int = -1, /) -> bytes: ...


class FramingError(Exception):
    """The body cannot be read as framed; answer ``error`` and close the connection."""

    def __init__(self, error: ApiError) -> None:
        super().__init__(error.message)
        self.error = error


def too_large(limit: int) -> ApiError:
    """kube-apiserver's answer to a body over ``--max-request-bytes``."""
    return ApiError(f"Request entity too large: limit is {limit}", code=413, reason="RequestEntityTooLarge")


def _chunked(headers: Headers) -> bool:
    return "chunked" in headers.get("Transfer-Encoding", "").lower()


def content_length(headers: Headers) -> int:
    """The declared length (0 when absent); :class:`FramingError` when it is not a valid one."""
    text = (headers.get("Content-Length") or "").strip()
    if not text:
        return 0
    if not text.isdigit() or not text.isascii():
        raise FramingError(BadRequest(f"bad Content-Length: {text[:40]!r} is not a non-negative integer"))
    return int(text)


def has_body(headers: Headers) -> bool:
    """Whether the client announced a body (used to close the connection when it stays unread)."""
    if _chunked(headers):
        return True
    try:
        return content_length(headers) > 0
    except FramingError:
        return True


def read_body(stream: Stream, headers: Headers, limit: int) -> bytes:
    """The whole body, at most ``limit`` bytes; raises :class:`FramingError`."""
    if _chunked(headers):
        return _read_chunked(stream, limit)
    length = content_length(headers)
    if length > limit:
        raise FramingError(too_large(limit))
    data = stream.read(length) if length else b""
    if len(data) != length:
        raise FramingError(BadRequest("unexpected EOF: the body is shorter than its Content-Length"))
    return data


def _chunk_size(line: bytes) -> int:
    text = line.split(b";", 1)[0].strip()
    try:
        if not text or len(text) > 16:
            raise ValueError
        size = int(text, 16)
    except ValueError:
        shown = line[:40].decode("latin-1").strip()
        raise FramingError(BadRequest(f"invalid byte in chunk length: {shown!r}")) from None
    if size < 0:
        raise FramingError(BadRequest("invalid byte in chunk length: negative size"))
    return size


def _read_chunked(stream: Stream, limit: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        line = stream.readline(_MAX_CHUNK_LINE + 1)
        if not line:
            raise FramingError(BadRequest("unexpected EOF in a chunked body"))
        if len(line) > _MAX_CHUNK_LINE:
            raise FramingError(BadRequest("chunk length line too long"))
        size = _chunk_size(line)
        if size == 0:
            _skip_trailers(stream)
            return b"".join(chunks)
        total += size
        if total > limit:
            raise FramingError(too_large(limit))
        data = stream.read(size)
        if len(data) != size:
            raise FramingError(BadRequest("unexpected EOF in a chunked body"))
        chunks.append(data)
        if stream.readline(_MAX_CHUNK_LINE + 1).strip():
            raise FramingError(BadRequest("malformed chunked encoding: a chunk does not end with CRLF"))


def _skip_trailers(stream: Stream) -> None:
    for _ in range(100):
        line = stream.readline(_MAX_CHUNK_LINE + 1)
        if not line.strip():
            return
    raise FramingError(BadRequest("too many trailer fields in a chunked body"))
