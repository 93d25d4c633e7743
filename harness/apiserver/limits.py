"""What the API server reads from a client, and for how long: the bounds kube-apiserver sets.

A request is authenticated from its headers alone, before any byte of its body is read, and the
body is read only up to :attr:`Limits.max_body_bytes` (kube-apiserver's ``--max-request-bytes``
default of 3 MiB; a larger body is a ``413 RequestEntityTooLarge`` and the connection is closed
unread). Headers are bounded by the standard library (a 64 KiB line, 100 fields, then ``431``).
Socket reads time out: :attr:`Limits.idle_timeout` between requests of a keep-alive connection
(kube-apiserver's ``IdleTimeout`` is 90 s) and :attr:`Limits.read_timeout` once a request has
started (its ``ReadHeaderTimeout`` is 32 s), so a client that sends half a request cannot hold a
server thread for ever.

Decoded bodies are bounded too (:mod:`harness.apiserver.decoding`): nesting depth, and YAML
aliases by go-yaml's own rule, so a "billion laughs" document is refused before it is expanded.
The figures are documented in ``docs/apiserver-limits.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_LIMITS", "Limits"]


@dataclass(frozen=True)
class Limits:
    """Per-server bounds; the defaults are kube-apiserver's where it has one."""

    max_body_bytes: int = 3 * 1024 * 1024
    idle_timeout: float = 90.0
    read_timeout: float = 32.0
    max_depth: int = 100

    def __post_init__(self) -> None:
        if self.max_body_bytes < 1 or self.max_depth < 1:
            raise ValueError("max_body_bytes and max_depth must be at least 1")
        if self.idle_timeout <= 0 or self.read_timeout <= 0:
            raise ValueError("timeouts must be positive seconds")


DEFAULT_LIMITS = Limits()
