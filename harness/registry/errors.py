"""Registry errors, rendered the way DKP shows them.

DKP talks to registries through go-containerregistry, and what a user sees in
``ModuleSource.status.modules[].pullError`` is that library's error text wrapped by DKP. So the
pull client renders every failure in the same shape, from the registry's actual response:

* an HTTP error: ``<METHOD> <URL>: <CODE>: <message>; <detail>`` where the detail is printed the way
  Go's ``%v`` prints a value decoded from JSON (``map[Tag:stable]``); several errors become
  ``multiple errors returned: <e1>; <e2>``; a body that is not a registry error becomes
  ``unexpected status code <n> <Reason>[: <body>]``;
* a network failure: ``Get "<URL>": <cause>`` (Go's ``url.Error``);
* a content failure: the verifying reader's ``error verifying …`` texts, gzip/tar errors.

Hierarchy::

    RegistryError            any failure talking to a registry or reading an image
     └── RegistryAuthError   the dockerCfg has no entry for the repository's host
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = [
    "Diagnostic",
    "RegistryAuthError",
    "RegistryError",
    "go_value",
    "redact_url",
    "render_http_error",
]

# Query keys the registry protocol itself uses; any other value may be a signed-URL secret.
_SAFE_QUERY_KEYS = frozenset({"scope", "service", "mount", "from", "digest", "n", "last"})


class RegistryError(Exception):
    """A registry request or an image read failed; ``str()`` is the DKP-visible text."""

    def __init__(self, message: str, *, status_code: int | None = None, codes: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.codes = tuple(codes)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class RegistryAuthError(RegistryError):
    """The dockerCfg names no credentials for the host of the repository."""


@dataclass(frozen=True)
class Diagnostic:
    """One entry of a registry's ``{"errors": [...]}`` body."""

    code: str
    message: str
    detail: Any = None

    def render(self) -> str:
        text = f"{self.code}: {self.message}"
        if self.detail is not None:
            text += f"; {go_value(self.detail)}"
        return text


def go_value(value: Any) -> str:
    """Print a JSON-decoded value as Go's ``fmt`` ``%v`` prints ``interface{}``.

    Go decodes objects to ``map[string]interface{}`` (printed with sorted keys), arrays to
    slices, numbers to ``float64`` and ``null`` to ``nil``.
    """
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _go_float(float(value))
    if isinstance(value, Mapping):
        items = " ".join(f"{key}:{go_value(value[key])}" for key in sorted(value))
        return f"map[{items}]"
    if isinstance(value, list | tuple):
        return "[" + " ".join(go_value(item) for item in value) + "]"
    return str(value)


def _go_float(number: float) -> str:
    """Go's ``%v`` for ``float64``: shortest digits, exponent form below 1e-04 and from 1e+06."""
    if number == 0:
        return "0"
    sign, digits, exponent = Decimal(repr(number)).normalize().as_tuple()
    assert isinstance(exponent, int)
    mantissa = "".join(map(str, digits))
    exp10 = len(mantissa) + exponent - 1
    prefix = "-" if sign else ""
    if exp10 < -4 or exp10 >= 6:
        tail = f".{mantissa[1:]}" if len(mantissa) > 1 else ""
        return f"{prefix}{mantissa[0]}{tail}e{'+' if exp10 >= 0 else '-'}{abs(exp10):02d}"
    return prefix + format(Decimal(repr(abs(number))).normalize(), "f")


def redact_url(url: str) -> str:
    """Replace query values the registry protocol does not use, as go-containerregistry does."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    query = [(k, v if k in _SAFE_QUERY_KEYS else "REDACTED") for k, v in parse_qsl(parts.query, True)]
    return urlunsplit(parts._replace(query=urlencode(sorted(query))))


def parse_diagnostics(body: bytes) -> list[Diagnostic]:
    """The ``errors`` of a registry error body; empty when the body is not one."""
    try:
        document = json.loads(body)
    except ValueError:
        return []
    entries = document.get("errors") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        return []
    return [
        Diagnostic(str(e.get("code", "")), str(e.get("message", "")), e.get("detail"))
        for e in entries
        if isinstance(e, dict)
    ]


def render_http_error(method: str, url: str, status: int, body: bytes) -> RegistryError:
    """Build the error go-containerregistry's ``transport.Error`` would print for a response."""
    diagnostics = parse_diagnostics(body)
    prefix = f"{method} {redact_url(url)}: "
    return RegistryError(
        prefix + _response_text(method, status, body, diagnostics),
        status_code=status,
        codes=[d.code for d in diagnostics],
    )


def _response_text(method: str, status: int, body: bytes, diagnostics: list[Diagnostic]) -> str:
    if len(diagnostics) == 1:
        return diagnostics[0].render()
    if diagnostics:
        return "multiple errors returned: " + "; ".join(d.render() for d in diagnostics)
    reason = _status_text(status)
    if not body:
        if method == "HEAD":
            return (
                f"unexpected status code {status} {reason} (HEAD responses have no body, use GET for details)"
            )
        return f"unexpected status code {status} {reason}"
    return f"unexpected status code {status} {reason}: {body.decode('utf-8', 'replace')}"


def _status_text(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
