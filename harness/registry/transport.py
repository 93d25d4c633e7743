"""One request to a registry, with failures turned into DKP-shaped :class:`RegistryError` s.

Shared by the pull client and the publisher: a non-2xx answer becomes the
go-containerregistry ``transport.Error`` text; a network failure becomes Go's ``url.Error`` text
(``Get "<url>": <cause>``); blob bytes are checked against their descriptor the way the
verifying reader does.
"""

from __future__ import annotations

import errno
import hashlib
import re
import socket
from collections.abc import Mapping
from urllib.parse import urljoin

import httpx

from harness.registry.errors import RegistryError, redact_url, render_http_error

__all__ = ["MAX_PAGES", "Pages", "next_page", "send", "verified"]

_UPSTREAM_REFUSED = "x-dkp-harness-upstream"  # set by harness.registry.faults.proxy (same layer, no import)
_NEXT_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


PLAIN_HTTP_ANSWER = "http: server gave HTTP response to HTTPS client"
"""Go's error when an HTTPS request reaches a server that speaks plain HTTP."""


def send(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    content: bytes | None = None,
    ok: tuple[int, ...] = (200,),
) -> httpx.Response:
    """Send one request; anything but the ``ok`` statuses raises the DKP-shaped error."""
    try:
        response = client.request(method, url, headers=headers, content=content)
    except httpx.TransportError as exc:
        raise network_error(method, url, exc) from exc
    if response.status_code == 502 and _UPSTREAM_REFUSED in response.headers:
        # The harness's fault proxy stands in for the registry, which is down: DKP, dialling the
        # registry itself, would see the connection refused, so that is what the error says.
        host = httpx.URL(url).netloc.decode()
        raise RegistryError(
            f'{method.capitalize()} "{redact_url(url)}": dial tcp {host}: connect: connection refused'
        )
    if response.status_code not in ok:
        raise render_http_error(method, str(response.request.url), response.status_code, response.content)
    _unlink(response)
    return response


def _unlink(response: httpx.Response) -> None:
    """Let the answer go when its last reference does, not at the next garbage collection.

    httpx binds the stream of every answer to the answer itself (``BoundSyncStream(response=…)``),
    a reference cycle that takes the request, URL, headers and decoders with it: ~26 objects a
    request, which only the cyclic collector frees. In a 1,000-module sync that was 50,000
    objects, collected in pauses of 20-60 ms that added up to 0.1-0.2 s. The body has been read
    by now (the client does not stream), so the stream is replaced by one over the bytes read;
    nothing reads it again (``content``, ``headers``, ``request`` stay as they were).
    """
    response.stream = httpx.ByteStream(response.content)


def network_error(method: str, url: str, exc: httpx.TransportError) -> RegistryError:
    """Go's ``url.Error`` rendering: ``Get "<url>": <cause>``."""
    return RegistryError(f'{method.capitalize()} "{redact_url(url)}": {_cause(url, exc)}')


def _cause(url: str, exc: httpx.TransportError) -> str:
    host = httpx.URL(url).netloc.decode()
    if isinstance(exc, httpx.TimeoutException):
        return "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
    if isinstance(exc, httpx.ConnectError):
        code = _errno(exc)
        if code == errno.ECONNREFUSED:
            return f"dial tcp {host}: connect: connection refused"
        if _unresolved(exc):
            # Go's resolver: "lookup <name>: no such host" (not Python's "[Errno -2] …")
            return f"dial tcp: lookup {httpx.URL(url).host}: no such host"
        if "WRONG_VERSION_NUMBER" in str(exc):
            # TLS to a plain-HTTP registry: Go's net/http says what happened in these words
            return PLAIN_HTTP_ANSWER
        return f"dial tcp {host}: {exc}"
    if _errno(exc) == errno.ECONNRESET or "reset" in str(exc).lower():
        return f"read tcp {host}: read: connection reset by peer"
    return "EOF"


def _unresolved(exc: BaseException) -> bool:
    """Whether a name lookup failed somewhere in ``exc``'s causes (``socket.gaierror``)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, socket.gaierror):
            return True
        seen = seen.__cause__ or seen.__context__
    return "Name or service not known" in str(exc) or "nodename nor servname" in str(exc)


def _errno(exc: BaseException) -> int | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno is not None:
            return seen.errno
        seen = seen.__cause__ or seen.__context__
    return None


MAX_PAGES = 10_000
"""Tag list pages one listing may take: ten million tags at distribution's 1,000 a page."""


class Pages:
    """The pages one paginated listing has asked for, so that a registry cannot keep it going.

    go-containerregistry follows ``Link: <…>; rel="next"`` for as long as the registry sends one;
    a registry whose next page is a page already read (itself, or one before) or that never stops
    would hold the simulated controller, and with it the whole virtual clock, in an endless loop.
    A repeated page or one past :data:`MAX_PAGES` ends the listing with an error saying so.
    """

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def visit(self, url: str) -> None:
        """Note ``url`` as the next page to read; raise :class:`RegistryError` if it must not be."""
        if url in self._seen:
            raise RegistryError(
                f"GET {redact_url(url)}: the registry's tag list pages go round in a circle (its "
                'Link: rel="next" header names a page already read): the registry is misbehaving'
            )
        if len(self._seen) >= MAX_PAGES:
            raise RegistryError(
                f"GET {redact_url(url)}: the registry's tag list goes on past {MAX_PAGES} pages "
                '(Link: rel="next" headers): the registry is misbehaving'
            )
        self._seen.add(url)


def next_page(response: httpx.Response, base_url: str) -> str | None:
    """The ``Link: <…>; rel="next"`` URL of a paginated tag list, if any."""
    match = _NEXT_LINK.search(response.headers.get("link", ""))
    return urljoin(base_url, match.group(1)) if match else None


def verified(body: bytes, digest: str, size: int) -> bytes:
    """``body`` if it matches the descriptor, else the verifying reader's error text."""
    algorithm, _, want = digest.partition(":")
    if algorithm != "sha256" or not want:
        raise RegistryError(f"unsupported digest {digest!r}: only sha256 is supported")
    data = body[:size] if size >= 0 else body
    if size >= 0 and len(data) != size:
        raise RegistryError(f"error verifying size; got {len(data)}, want {size}")
    got = hashlib.sha256(data).hexdigest()
    if got != want:
        raise RegistryError(
            f'error verifying sha256 checksum after reading {len(data)} bytes; got "{got}", want "{want}"'
        )
    return data
