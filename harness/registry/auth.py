"""Answering registry auth challenges (``Www-Authenticate``) inside httpx.

A registry says how it wants to be authenticated only when it refuses a request: ``Basic
realm=…`` (htpasswd) or ``Bearer realm=…,service=…,scope=…`` (token server). This module is an
:class:`httpx.Auth` flow that retries a refused request once with the answer, and then remembers
it (the Basic header, or the token per scope) so later requests go out authorised at once — that
is what keeps a 1,000-module sync at one round trip per request.

Anonymous clients (no credentials) still follow Bearer challenges, since token servers hand out
anonymous pull tokens. Credentials and tokens are never logged or put into errors, and go only to
the registry's own host: a tag list's ``Link: <http://elsewhere/…>; rel="next"`` is followed
without them, as go-containerregistry's transports add credentials only to requests for the
registry they were made for (before, the next page's request carried ``Basic user:password`` to
whatever host the registry named).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Generator
from dataclasses import dataclass

import httpx

from harness.registry.credentials import Credentials
from harness.registry.errors import RegistryError, render_http_error

__all__ = ["Challenge", "RegistryAuth", "parse_challenge"]

_PARAM = re.compile(r'(\w+)="([^"]*)"|(\w+)=([^,\s]+)')
_REPO_PATH = re.compile(r"^/v2/(?P<name>.+)/(?:manifests|blobs|tags)/")
_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Challenge:
    """A parsed ``Www-Authenticate`` header."""

    scheme: str
    params: dict[str, str]


def parse_challenge(header: str) -> Challenge | None:
    """Parse ``Basic realm="x"`` / ``Bearer realm="…",service="…"``; ``None`` if absent."""
    scheme, _, rest = header.strip().partition(" ")
    if not scheme:
        return None
    params = {}
    for match in _PARAM.finditer(rest):
        key = match.group(1) or match.group(3)
        params[key.lower()] = match.group(2) if match.group(1) else match.group(4)
    return Challenge(scheme.lower(), params)


def scope_for(request: httpx.Request) -> str:
    """The token scope a request needs: ``repository:<name>:pull`` (``pull,push`` to write)."""
    match = _REPO_PATH.match(request.url.path)
    if match is None:
        return ""
    actions = "pull,push" if request.method in _WRITE_METHODS else "pull"
    return f"repository:{match.group('name')}:{actions}"


class RegistryAuth(httpx.Auth):
    """Basic and Bearer challenge handling with remembered answers (thread-safe)."""

    requires_response_body = True

    def __init__(self, credentials: Credentials | None, registry_url: str | None = None) -> None:
        self._credentials = credentials
        self._host = httpx.URL(registry_url).netloc if registry_url is not None else None
        """The registry's host (``host[:port]`` as httpx writes it, default ports left out): no
        credential or token goes to any other; None: every request is the registry's."""
        self._basic = False
        self._tokens: dict[str, str] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        user = self._credentials.username if self._credentials else None
        return f"RegistryAuth(user={user!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._host is not None and request.url.netloc != self._host:
            yield request  # another host: it gets no credential, and no challenge of it is answered
            return
        scope = scope_for(request)
        self._authorize(request, scope)
        response = yield request
        if response.status_code != 401:
            return
        challenge = parse_challenge(response.headers.get("www-authenticate", ""))
        if challenge is None or ("authorization" in request.headers and challenge.scheme == "basic"):
            return
        if challenge.scheme == "basic":
            if self._credentials is None:
                return
            with self._lock:
                self._basic = True
        elif challenge.scheme == "bearer":
            token_scope = challenge.params.get("scope", scope)
            token_response = yield self._token_request(challenge, token_scope)
            token = _token_from(token_response)
            with self._lock:
                self._tokens[scope] = token
        else:
            return
        self._authorize(request, scope)
        yield request

    def _authorize(self, request: httpx.Request, scope: str) -> None:
        with self._lock:
            token = self._tokens.get(scope)
            basic = self._basic
        if token is not None:
            request.headers["Authorization"] = f"Bearer {token}"
        elif basic and self._credentials is not None:
            request.headers["Authorization"] = self._credentials.basic_header()

    def _token_request(self, challenge: Challenge, scope: str) -> httpx.Request:
        realm = challenge.params.get("realm", "")
        if not realm.startswith(("http://", "https://")):
            raise RegistryError(f"the registry's Bearer challenge has no usable realm: {realm!r}")
        params = {k: v for k, v in (("service", challenge.params.get("service", "")), ("scope", scope)) if v}
        headers = {}
        if self._credentials is not None:
            headers["Authorization"] = self._credentials.basic_header()
        return httpx.Request("GET", realm, params=params, headers=headers)


def _token_from(response: httpx.Response) -> str:
    if response.status_code != 200:
        raise render_http_error("GET", str(response.request.url), response.status_code, response.content)
    try:
        document = response.json()
    except ValueError:
        document = None
    token = (document.get("token") or document.get("access_token")) if isinstance(document, dict) else None
    if not isinstance(token, str) or not token:
        raise RegistryError(f"GET {response.request.url}: the token server's answer has no token")
    return token
