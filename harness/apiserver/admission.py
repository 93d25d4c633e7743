"""Validating admission webhooks, as the API server calls them before it stores a write.

A real cluster runs the webhooks an operator registers; the fake API server keeps a list of
plain callables instead, registered by whoever builds the cluster (``harness.cluster`` registers
DKP's). Each sees the object being created or updated, the stored one it replaces, and the stored
objects of the same kind, and returns ``None`` to allow it or the reason it is denied. A denial
is the API server's answer to the client, worded as kube-apiserver words it:
``admission webhook "<name>" denied the request: <reason>`` (403, as controller-runtime's
``admission.Denied`` answers). Status subresource writes are not reviewed (webhooks here are
registered for the main resource only).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from harness.kube.errors import Forbidden
from harness.kube.objects import Obj

__all__ = ["Admission", "AdmissionReview", "Webhook"]


@dataclass(frozen=True)
class AdmissionReview:
    """One write under review."""

    operation: str
    """``CREATE`` or ``UPDATE``."""
    obj: Obj
    old: Obj | None
    existing: Callable[[], list[Obj]]
    """The stored objects of the same kind (called only by a webhook that needs them)."""


Webhook = Callable[[AdmissionReview], "str | None"]


class Admission:
    """The registered webhooks, by ``(group, plural)``; thread-safe to register and call."""

    def __init__(self) -> None:
        self._hooks: dict[tuple[str, str], list[tuple[str, Webhook]]] = {}
        self._lock = threading.Lock()

    def register(self, group: str, plural: str, name: str, webhook: Webhook) -> None:
        with self._lock:
            self._hooks.setdefault((group, plural), []).append((name, webhook))

    def review(self, key: tuple[str, str], review: AdmissionReview) -> None:
        """Raise 403 with the first denial; return when every webhook allows the write."""
        with self._lock:
            hooks = list(self._hooks.get(key, ()))
        for name, webhook in hooks:
            reason = webhook(review)
            if reason is not None:
                raise Forbidden(f'admission webhook "{name}" denied the request: {reason}')
